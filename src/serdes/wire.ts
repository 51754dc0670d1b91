/** Confluent's wire format: magic byte 0, 4-byte big-endian schema id, [Protobuf message indexes], payload. */
export const MAGIC_BYTE = 0;
export const WIRE_HEADER_SIZE = 5;

export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';
}

export interface WireMessage {
  schemaId: number;
  /** Protobuf only: the path of the message type within the schema file (present when requested). */
  messageIndexes?: number[];
  payload: Buffer;
}

function writeVarint(value: number, out: number[]): void {
  let rest = value >>> 0;
  while (rest >= 0x80) {
    out.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  out.push(rest);
}

function zigzag(value: number): number {
  return ((value << 1) ^ (value >> 31)) >>> 0;
}

function unzigzag(value: number): number {
  return (value >>> 1) ^ -(value & 1);
}

/** Count then indexes, as zigzag varints; the common `[0]` is the single byte 0. */
export function encodeMessageIndexes(indexes: readonly number[]): Buffer {
  if (indexes.length === 0 || (indexes.length === 1 && indexes[0] === 0)) return Buffer.from([0]);
  const out: number[] = [];
  writeVarint(zigzag(indexes.length), out);
  for (const index of indexes) writeVarint(zigzag(index), out);
  return Buffer.from(out);
}

function readVarint(bytes: Uint8Array, offset: number): { value: number; next: number } {
  let result = 0;
  let shift = 0;
  let position = offset;
  for (;;) {
    if (position >= bytes.length) throw new WireFormatError('truncated varint in Protobuf message indexes');
    const byte = bytes[position++];
    result |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return { value: result >>> 0, next: position };
    shift += 7;
    if (shift > 28) throw new WireFormatError('varint too long in Protobuf message indexes');
  }
}

/** Reads message indexes at `offset`; returns them and where the payload starts. */
export function decodeMessageIndexes(bytes: Uint8Array, offset = 0): { indexes: number[]; next: number } {
  const count = readVarint(bytes, offset);
  const length = unzigzag(count.value);
  if (length === 0) return { indexes: [0], next: count.next };
  if (length < 0 || length > 100)
    throw new WireFormatError(`implausible Protobuf message index count ${length}`);
  const indexes: number[] = [];
  let next = count.next;
  for (let i = 0; i < length; i++) {
    const index = readVarint(bytes, next);
    const value = unzigzag(index.value);
    if (value < 0) throw new WireFormatError(`negative Protobuf message index ${value}`);
    indexes.push(value);
    next = index.next;
  }
  return { indexes, next };
}

/** Frames a payload: magic byte, schema id, then message indexes when given (Protobuf), then the payload. */
export function encodeWire(
  schemaId: number,
  payload: Uint8Array,
  messageIndexes?: readonly number[],
): Buffer {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0x7fffffff) {
    throw new WireFormatError(`schema id ${schemaId} is not a 31-bit non-negative integer`);
  }
  const header = Buffer.alloc(WIRE_HEADER_SIZE);
  header.writeUInt8(MAGIC_BYTE, 0);
  header.writeInt32BE(schemaId, 1);
  const parts: Uint8Array[] = [header];
  if (messageIndexes) parts.push(encodeMessageIndexes(messageIndexes));
  parts.push(payload);
  return Buffer.concat(parts);
}

/** The schema id of framed bytes, checking the magic byte. */
export function readSchemaId(bytes: Uint8Array): number {
  if (bytes.length < WIRE_HEADER_SIZE) {
    throw new WireFormatError(
      `${bytes.length} bytes is too short for the schema registry wire format (5-byte header)`,
    );
  }
  if (bytes[0] !== MAGIC_BYTE) {
    throw new WireFormatError(`unknown magic byte ${bytes[0]} (expected 0): not schema registry framed data`);
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).readInt32BE(1);
}

/** Unframes bytes; with `messageIndexes: true` (Protobuf) also reads the message-index array. */
export function decodeWire(bytes: Uint8Array, options: { messageIndexes?: boolean } = {}): WireMessage {
  const schemaId = readSchemaId(bytes);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (!options.messageIndexes) return { schemaId, payload: buffer.subarray(WIRE_HEADER_SIZE) };
  const { indexes, next } = decodeMessageIndexes(buffer, WIRE_HEADER_SIZE);
  return { schemaId, messageIndexes: indexes, payload: buffer.subarray(next) };
}
