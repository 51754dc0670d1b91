// Kafka wire primitives: a bounds-checked reader over one frame and a chunked writer.
// The codec knows nothing of sockets or storage; callers hand it buffers.

/** Raised when a frame is truncated or carries an impossible length. The connection that sent it is closed. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/** A 16-byte Kafka UUID, kept as 32 lowercase hex characters so it can be a map key. */
export type Uuid = string;
export const ZERO_UUID: Uuid = '00000000000000000000000000000000';

/**
 * A record set on the wire. Decoding yields one Buffer (a view into the frame, no copy);
 * encoding also accepts a list of Buffers so the fetch path can hand over log slices without joining them.
 */
export type RecordSet = Buffer | readonly Buffer[];

export class Reader {
  pos: number;
  readonly end: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): number {
    const at = this.pos;
    if (n < 0 || at + n > this.end) {
      throw new ProtocolError(`frame truncated: needed ${n} bytes at offset ${at}, ${this.end - at} left`);
    }
    this.pos = at + n;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.need(1));
  }
  int16(): number {
    return this.buf.readInt16BE(this.need(2));
  }
  uint16(): number {
    return this.buf.readUInt16BE(this.need(2));
  }
  int32(): number {
    return this.buf.readInt32BE(this.need(4));
  }
  uint32(): number {
    return this.buf.readUInt32BE(this.need(4));
  }
  int64(): bigint {
    return this.buf.readBigInt64BE(this.need(8));
  }
  float64(): number {
    return this.buf.readDoubleBE(this.need(8));
  }
  bool(): boolean {
    return this.buf[this.need(1)] !== 0;
  }

  uvarint(): number {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = this.buf[this.need(1)];
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) break;
      shift += 7;
      if (shift > 28) throw new ProtocolError('unsigned varint longer than 5 bytes');
    }
    return value > 0xffffffff ? value % 2 ** 32 : value;
  }

  varint(): number {
    const raw = this.uvarint();
    // ZigZag decoding without 32-bit overflow surprises.
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  }

  varlong(): bigint {
    let value = 0n;
    let shift = 0n;
    for (;;) {
      const byte = this.buf[this.need(1)];
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
      shift += 7n;
      if (shift > 63n) throw new ProtocolError('varlong longer than 10 bytes');
    }
    return (value >> 1n) ^ -(value & 1n);
  }

  uuid(): Uuid {
    const at = this.need(16);
    return this.buf.toString('hex', at, at + 16);
  }

  private text(length: number): string {
    const at = this.need(length);
    return this.buf.toString('utf8', at, at + length);
  }

  /** INT16 length then UTF-8 bytes; -1 means null. */
  nullableString(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    return this.text(length);
  }
  string(): string {
    const value = this.nullableString();
    if (value === null) throw new ProtocolError('null given for a non-nullable string');
    return value;
  }
  /** Unsigned varint of length + 1; 0 means null. */
  compactNullableString(): string | null {
    const lengthPlusOne = this.uvarint();
    if (lengthPlusOne === 0) return null;
    return this.text(lengthPlusOne - 1);
  }
  compactString(): string {
    const value = this.compactNullableString();
    if (value === null) throw new ProtocolError('null given for a non-nullable compact string');
    return value;
  }

  private slice(length: number): Buffer {
    const at = this.need(length);
    return this.buf.subarray(at, at + length);
  }
  nullableBytes(): Buffer | null {
    const length = this.int32();
    if (length < 0) return null;
    return this.slice(length);
  }
  bytes(): Buffer {
    const value = this.nullableBytes();
    if (value === null) throw new ProtocolError('null given for non-nullable bytes');
    return value;
  }
  compactNullableBytes(): Buffer | null {
    const lengthPlusOne = this.uvarint();
    if (lengthPlusOne === 0) return null;
    return this.slice(lengthPlusOne - 1);
  }
  compactBytes(): Buffer {
    const value = this.compactNullableBytes();
    if (value === null) throw new ProtocolError('null given for non-nullable compact bytes');
    return value;
  }
  /** Raw bytes of a known length (varint-prefixed fields inside records). */
  raw(length: number): Buffer {
    return this.slice(length);
  }

  /** Array length: INT32 (-1 null) or compact (uvarint, 0 null). Checked against the bytes left so garbage cannot allocate huge arrays. */
  arrayLength(compact: boolean): number {
    const length = compact ? this.uvarint() - 1 : this.int32();
    if (length > this.remaining) {
      throw new ProtocolError(`array of ${length} elements cannot fit in ${this.remaining} remaining bytes`);
    }
    return length;
  }

  skip(n: number): void {
    this.need(n);
  }
}

const INITIAL_CAPACITY = 1024;
/** Byte fields at least this long are referenced, not copied, when encoding. */
const ZERO_COPY_THRESHOLD = 4096;

/**
 * Writes into a growing scratch buffer; large byte fields are appended as separate chunks
 * so fetch responses can carry log data without copying it.
 */
export class Writer {
  private chunks: Buffer[] = [];
  private buf: Buffer;
  private pos = 0;
  private flushedLength = 0;

  constructor(capacity = INITIAL_CAPACITY) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  get length(): number {
    return this.flushedLength + this.pos;
  }

  // Bytes already written never move: when the scratch buffer is full it becomes a chunk and a larger
  // one takes over. That keeps reserved slots valid and avoids copying on growth.
  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const nextCapacity = Math.max(this.buf.length * 2, n, INITIAL_CAPACITY);
    this.cut();
    if (this.buf.length < n) this.buf = Buffer.allocUnsafe(nextCapacity);
  }

  int8(v: number): this {
    this.ensure(1);
    this.pos = this.buf.writeInt8(v, this.pos);
    return this;
  }
  int16(v: number): this {
    this.ensure(2);
    this.pos = this.buf.writeInt16BE(v, this.pos);
    return this;
  }
  uint16(v: number): this {
    this.ensure(2);
    this.pos = this.buf.writeUInt16BE(v, this.pos);
    return this;
  }
  int32(v: number): this {
    this.ensure(4);
    this.pos = this.buf.writeInt32BE(v, this.pos);
    return this;
  }
  uint32(v: number): this {
    this.ensure(4);
    this.pos = this.buf.writeUInt32BE(v, this.pos);
    return this;
  }
  int64(v: bigint): this {
    this.ensure(8);
    this.pos = this.buf.writeBigInt64BE(v, this.pos);
    return this;
  }
  float64(v: number): this {
    this.ensure(8);
    this.pos = this.buf.writeDoubleBE(v, this.pos);
    return this;
  }
  bool(v: boolean): this {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
    return this;
  }

  uvarint(v: number): this {
    this.ensure(5);
    let value = v >>> 0;
    while (value >= 0x80) {
      this.buf[this.pos++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    this.buf[this.pos++] = value;
    return this;
  }
  varint(v: number): this {
    return this.uvarint(((v << 1) ^ (v >> 31)) >>> 0);
  }
  varlong(v: bigint): this {
    this.ensure(10);
    let value = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    while (value >= 0x80n) {
      this.buf[this.pos++] = Number(value & 0x7fn) | 0x80;
      value >>= 7n;
    }
    this.buf[this.pos++] = Number(value);
    return this;
  }

  uuid(v: Uuid): this {
    this.ensure(16);
    const written = this.buf.write(v, this.pos, 16, 'hex');
    if (written !== 16)
      throw new ProtocolError(`invalid uuid ${JSON.stringify(v)}: expected 32 hex characters`);
    this.pos += 16;
    return this;
  }

  private text(v: string, compact: boolean): this {
    const length = Buffer.byteLength(v, 'utf8');
    if (compact) this.uvarint(length + 1);
    else this.int16(length);
    this.ensure(length);
    this.pos += this.buf.write(v, this.pos, length, 'utf8');
    return this;
  }
  nullableString(v: string | null): this {
    return v === null ? this.int16(-1) : this.text(v, false);
  }
  string(v: string): this {
    return this.text(v, false);
  }
  compactNullableString(v: string | null): this {
    return v === null ? this.uvarint(0) : this.text(v, true);
  }
  compactString(v: string): this {
    return this.text(v, true);
  }

  /** Appends raw bytes, copying small ones and referencing large ones. */
  raw(v: Uint8Array): this {
    if (v.length >= ZERO_COPY_THRESHOLD) {
      this.cut();
      this.chunks.push(Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.length));
      this.flushedLength += v.length;
      return this;
    }
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
    return this;
  }
  nullableBytes(v: Uint8Array | null): this {
    if (v === null) return this.int32(-1);
    return this.int32(v.length).raw(v);
  }
  bytes(v: Uint8Array): this {
    return this.int32(v.length).raw(v);
  }
  compactNullableBytes(v: Uint8Array | null): this {
    if (v === null) return this.uvarint(0);
    return this.uvarint(v.length + 1).raw(v);
  }
  compactBytes(v: Uint8Array): this {
    return this.uvarint(v.length + 1).raw(v);
  }

  /** A record set: INT32 or compact length, then the batches as they are. */
  records(v: RecordSet | null, compact: boolean): this {
    if (v === null) return compact ? this.uvarint(0) : this.int32(-1);
    const parts: readonly Buffer[] = Buffer.isBuffer(v) ? [v] : (v as readonly Buffer[]);
    let total = 0;
    for (const part of parts) total += part.length;
    if (compact) this.uvarint(total + 1);
    else this.int32(total);
    for (const part of parts) this.raw(part);
    return this;
  }

  arrayLength(length: number | null, compact: boolean): this {
    if (length === null) return compact ? this.uvarint(0) : this.int32(-1);
    return compact ? this.uvarint(length + 1) : this.int32(length);
  }

  /** Reserves an INT32 slot, returning a function that fills it later (frame sizes, batch lengths). */
  reserveInt32(): (value: number) => void {
    this.ensure(4);
    const buf = this.buf;
    const at = this.pos;
    this.pos += 4;
    return (value: number) => {
      buf.writeInt32BE(value, at);
    };
  }

  private cut(): void {
    if (this.pos === 0) return;
    this.chunks.push(this.buf.subarray(0, this.pos));
    this.flushedLength += this.pos;
    this.buf = this.buf.subarray(this.pos);
    this.pos = 0;
  }

  /** The encoded bytes as a list of chunks, ready for socket.writev-style output. */
  chunksOut(): Buffer[] {
    this.cut();
    return this.chunks;
  }

  /** The encoded bytes joined into one Buffer. */
  toBuffer(): Buffer {
    const chunks = this.chunksOut();
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, this.flushedLength);
  }
}
