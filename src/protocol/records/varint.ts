// ZigZag varints and varlongs as magic-2 records use them, written straight into a Buffer, plus a
// cursor that reads record fields and reports damage as InvalidRecordBatchError.

import { corrupt } from './errors.js';

/** Below this magnitude a varlong's ZigZag value stays an exact double, so no BigInt is needed. */
const SAFE_VARLONG = 2 ** 52;

export function sizeOfVarint(value: number): number {
  return sizeOfUnsigned(((value << 1) ^ (value >> 31)) >>> 0);
}

export function writeVarint(buf: Buffer, pos: number, value: number): number {
  let rest = ((value << 1) ^ (value >> 31)) >>> 0;
  while (rest >= 0x80) {
    buf[pos++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  buf[pos++] = rest;
  return pos;
}

export function sizeOfVarlong(value: number | bigint): number {
  if (typeof value === 'number' && Math.abs(value) < SAFE_VARLONG) return sizeOfUnsigned(zigzagNumber(value));
  let rest = zigzagBigint(BigInt(value));
  let size = 1;
  while (rest >= 0x80n) {
    rest >>= 7n;
    size++;
  }
  return size;
}

export function writeVarlong(buf: Buffer, pos: number, value: number | bigint): number {
  if (typeof value === 'number' && Math.abs(value) < SAFE_VARLONG) {
    let rest = zigzagNumber(value);
    while (rest >= 0x80) {
      buf[pos++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    buf[pos++] = rest;
    return pos;
  }
  let rest = zigzagBigint(BigInt(value));
  while (rest >= 0x80n) {
    buf[pos++] = Number(rest & 0x7fn) | 0x80;
    rest >>= 7n;
  }
  buf[pos++] = Number(rest);
  return pos;
}

function sizeOfUnsigned(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    size++;
  }
  return size;
}

function zigzagNumber(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

function zigzagBigint(value: bigint): bigint {
  return BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
}

/** Reads record fields from `buf[pos, end)`. */
export class RecordCursor {
  constructor(
    readonly buf: Buffer,
    public pos: number,
    readonly end: number,
  ) {}

  private truncated(what: string): never {
    throw corrupt(`record data is truncated: no room for ${what} at byte ${this.pos}`);
  }

  int8(): number {
    if (this.pos >= this.end) this.truncated('record attributes');
    return this.buf.readInt8(this.pos++);
  }

  varint(): number {
    let raw = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) this.truncated('a varint');
      const byte = this.buf[this.pos++];
      raw += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) break;
      shift += 7;
      if (shift > 28) throw corrupt(`varint longer than 5 bytes at byte ${this.pos}`);
    }
    if (raw > 0xffffffff) throw corrupt(`varint out of 32-bit range at byte ${this.pos}`);
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  }

  varlong(): bigint {
    const start = this.pos;
    let raw = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) this.truncated('a varlong');
      const byte = this.buf[this.pos++];
      raw += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) break;
      shift += 7;
      if (shift > 45) return this.bigVarlong(start);
    }
    return BigInt(raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2);
  }

  // Values past 2^52 lose precision as doubles, so they are re-read exactly.
  private bigVarlong(start: number): bigint {
    this.pos = start;
    let raw = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.end) this.truncated('a varlong');
      const byte = this.buf[this.pos++];
      raw |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
      shift += 7n;
      if (shift > 63n) throw corrupt(`varlong longer than 10 bytes at byte ${this.pos}`);
    }
    raw = BigInt.asUintN(64, raw);
    return (raw >> 1n) ^ -(raw & 1n);
  }

  /** Varint length then bytes; a negative length means null. Returns a view, not a copy. */
  nullableBytes(what: string): Buffer | null {
    const length = this.varint();
    if (length < 0) return null;
    if (this.pos + length > this.end) this.truncated(`${length} bytes of ${what}`);
    const start = this.pos;
    this.pos += length;
    return this.buf.subarray(start, this.pos);
  }
}
