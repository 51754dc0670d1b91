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
export const PreciseLongType = avro.types.LongType.__with({
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
