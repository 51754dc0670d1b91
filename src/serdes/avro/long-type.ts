import avro from 'avsc';

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_LONG = -(2n ** 63n);
const MAX_LONG = 2n ** 63n - 1n;

function toBigInt(value: number | bigint | string): bigint {
  return typeof value === 'bigint' ? value : BigInt(value);
}

function narrow(value: bigint): number | bigint {
  return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value;
}

/**
 * Avro `long` that never loses precision: decodes to a number when it is a safe integer and to a
 * bigint otherwise; encodes numbers (integers) and bigints. avsc's own long throws or rounds past 2^53.
 */
const exactLong = avro.types.LongType.__with({
  fromBuffer(buffer: Buffer): number | bigint {
    return narrow(buffer.readBigInt64LE(0));
  },
  toBuffer(value: number | bigint): Buffer {
    const buffer = Buffer.alloc(8);
    buffer.writeBigInt64LE(toBigInt(value), 0);
    return buffer;
  },
  fromJSON(value: number | bigint | string): number | bigint {
    return narrow(toBigInt(value));
  },
  toJSON(value: number | bigint): number | bigint {
    return value;
  },
  isValid(value: unknown): boolean {
    if (typeof value === 'number') return Number.isSafeInteger(value);
    return typeof value === 'bigint' && value >= MIN_LONG && value <= MAX_LONG;
  },
  compare(a: number | bigint, b: number | bigint): number {
    const left = toBigInt(a);
    const right = toBigInt(b);
    return left === right ? 0 : left < right ? -1 : 1;
  },
});

/** The parts of avsc's Tap (its read/write cursor) the fast paths below use. */
interface Tap {
  buf: Buffer;
  pos: number;
  readLong(): number;
  writeLong(value: number): void;
}

interface LongCodec {
  _read(tap: Tap): unknown;
  _write(tap: Tap, value: unknown): void;
}

/** Below this magnitude avsc's own number varint code is exact (its float arithmetic stays under 2^53). */
const FAST_LIMIT = 2 ** 52;
const FAST_LIMIT_BIG = BigInt(FAST_LIMIT);
/** Varints of at most 7 bytes hold 49 bits of zigzag: values under 2^48 in magnitude. */
const FAST_READ_BYTES = 7;

const exact = exactLong as unknown as LongCodec;

/**
 * exactLong with avsc's number varint code for the values that fit it (every count, sum and timestamp
 * in practice): the hooks above go through an 8-byte Buffer and a BigInt per value, which made long
 * columns the costliest part of encoding a row. The bytes written and values read are the same.
 */
export const PreciseLongType = Object.freeze(
  Object.assign(Object.create(exactLong) as LongCodec, {
    _write(tap: Tap, value: unknown): void {
      if (typeof value === 'number') {
        if (Number.isInteger(value) && value >= -FAST_LIMIT && value <= FAST_LIMIT)
          return tap.writeLong(value);
      } else if (typeof value === 'bigint' && value >= -FAST_LIMIT_BIG && value <= FAST_LIMIT_BIG) {
        return tap.writeLong(Number(value));
      }
      exact._write.call(this, tap, value);
    },
    _read(tap: Tap): unknown {
      const { buf, pos } = tap;
      const end = Math.min(buf.length, pos + FAST_READ_BYTES);
      for (let i = pos; i < end; i++) if ((buf[i]! & 0x80) === 0) return tap.readLong();
      return exact._read.call(this, tap);
    },
  }),
) as unknown as typeof exactLong;
