// Request frames for the fuzzer: well-formed ones built with the generated codecs (remembering where
// every length field went), and the ways to break them.
import { Writer } from '../../../src/protocol/primitives.js';
import { requestHeaderVersion } from '../../../src/protocol/api-headers.js';
import { writeRequestHeader } from '../../../src/protocol/generated/request-header.js';
import {
  writeRequestBody,
  type ApiKeyNumber,
  type RequestTypes,
} from '../../../src/protocol/generated/apis.js';
import type { Prng } from './prng.js';
import type { Message } from './random-message.js';

type LengthKind = 'int16' | 'int32' | 'uvarint';

/** Where a string, bytes, records or array length was written in a frame. */
interface LengthField {
  at: number;
  kind: LengthKind;
}

export interface Frame {
  /** Size prefix included. */
  bytes: Buffer;
  lengths: LengthField[];
  apiKey: number;
  version: number;
  correlationId: number;
}

/** A Writer that notes the position and width of every length prefix it writes. */
class LengthRecordingWriter extends Writer {
  readonly lengths: LengthField[] = [];

  private note(kind: LengthKind): void {
    this.lengths.push({ at: this.length, kind });
  }
  override string(v: string): this {
    this.note('int16');
    return super.string(v);
  }
  override nullableString(v: string | null): this {
    this.note('int16');
    return super.nullableString(v);
  }
  override compactString(v: string): this {
    this.note('uvarint');
    return super.compactString(v);
  }
  override compactNullableString(v: string | null): this {
    this.note('uvarint');
    return super.compactNullableString(v);
  }
  override bytes(v: Uint8Array): this {
    this.note('int32');
    return super.bytes(v);
  }
  override nullableBytes(v: Uint8Array | null): this {
    this.note('int32');
    return super.nullableBytes(v);
  }
  override compactBytes(v: Uint8Array): this {
    this.note('uvarint');
    return super.compactBytes(v);
  }
  override compactNullableBytes(v: Uint8Array | null): this {
    this.note('uvarint');
    return super.compactNullableBytes(v);
  }
  override records(v: Parameters<Writer['records']>[0], compact: boolean): this {
    this.note(compact ? 'uvarint' : 'int32');
    return super.records(v, compact);
  }
  override arrayLength(length: number | null, compact: boolean): this {
    this.note(compact ? 'uvarint' : 'int32');
    return super.arrayLength(length, compact);
  }
}

const CLIENT_ID = 'venice-fuzz';

/** Bytes of the request header this module writes. */
function headerSize(headerVersion: number): number {
  return 8 + (headerVersion >= 1 ? 2 + CLIENT_ID.length : 0) + (headerVersion >= 2 ? 1 : 0);
}

export function encodeFrame(
  apiKey: number,
  version: number,
  correlationId: number,
  body: Message,
  headerVersion = requestHeaderVersion(apiKey, version),
): Frame {
  const writer = new LengthRecordingWriter();
  const setSize = writer.reserveInt32();
  writeRequestHeader(writer, headerVersion, {
    requestApiKey: apiKey,
    requestApiVersion: version,
    correlationId,
    clientId: CLIENT_ID,
  });
  const key = apiKey as ApiKeyNumber;
  writeRequestBody(key, version, writer, body as unknown as RequestTypes[typeof key]);
  setSize(writer.length - 4);
  return { bytes: writer.toBuffer(), lengths: writer.lengths, apiKey, version, correlationId };
}

/** Random bytes behind a correct size prefix, with an API key the broker does not serve. */
export function randomBytesFrame(rng: Prng, supportedKeys: ReadonlySet<number>): Buffer {
  const size = rng.weighted([
    [30, rng.int(0, 16)],
    [50, rng.int(17, 512)],
    [20, rng.int(513, 16_384)],
  ]);
  const frame = Buffer.concat([Buffer.alloc(4), rng.bytes(size)]);
  frame.writeInt32BE(size, 0);
  if (size >= 2 && supportedKeys.has(frame.readInt16BE(4))) frame.writeInt16BE(-1 - rng.int(0, 1000), 4);
  return frame;
}

export const MUTATIONS = [
  'bit-flip',
  'truncate',
  'extend',
  'length-huge',
  'length-negative',
  'length-off-by-one',
  'swap-lengths',
  'api-key',
  'api-version',
  'header-version',
  'size-prefix',
  'insert-bytes',
  'delete-bytes',
  'garbage-body',
] as const;
export type Mutation = (typeof MUTATIONS)[number];

/** Breaks a well-formed frame one way. `rebuild` re-encodes the same request with another header version. */
export function mutate(
  rng: Prng,
  frame: Frame,
  mutation: Mutation,
  rebuild: (headerVersion: number) => Frame,
): Buffer {
  const original = frame.bytes;
  switch (mutation) {
    case 'bit-flip': {
      const out = Buffer.from(original);
      const flips = rng.int(1, 8);
      for (let i = 0; i < flips && out.length > 4; i++) out[rng.int(4, out.length - 1)] ^= 1 << rng.int(0, 7);
      return out;
    }
    case 'truncate':
      return reframe(original.subarray(4, 4 + rng.int(0, original.length - 5)));
    case 'extend':
      return reframe(Buffer.concat([original.subarray(4), rng.bytes(rng.int(1, 64))]));
    case 'length-huge':
    case 'length-negative':
    case 'length-off-by-one': {
      if (frame.lengths.length === 0) return mutate(rng, frame, 'bit-flip', rebuild);
      const field = rng.pick(frame.lengths);
      const current = readLength(original, field);
      const value =
        mutation === 'length-huge'
          ? hugeLength(field.kind, rng)
          : mutation === 'length-negative'
            ? negativeLength(field.kind, rng)
            : current + rng.pick([-1, 1]);
      return writeLength(original, field, value);
    }
    case 'swap-lengths': {
      if (frame.lengths.length < 2) return mutate(rng, frame, 'length-off-by-one', rebuild);
      const first = rng.pick(frame.lengths);
      const sameKind = frame.lengths.filter((field) => field.kind === first.kind && field.at !== first.at);
      if (sameKind.length === 0) return mutate(rng, frame, 'length-huge', rebuild);
      const second = rng.pick(sameKind);
      const [a, b] = first.at < second.at ? [first, second] : [second, first];
      const valueA = readLength(original, a);
      const valueB = readLength(original, b);
      // Write the later one first so the earlier position stays valid when a varint changes width.
      return writeLength(writeLength(original, b, valueA), a, valueB);
    }
    case 'api-key': {
      const out = Buffer.from(original);
      out.writeInt16BE(rng.chance(0.5) ? rng.int(0, 100) : rng.int(-32768, 32767), 4);
      return out;
    }
    case 'api-version': {
      const out = Buffer.from(original);
      out.writeInt16BE(
        rng.weighted([
          [30, -1],
          [30, frame.version + 1],
          [20, rng.int(0, 20)],
          [20, rng.int(-32768, 32767)],
        ]),
        6,
      );
      return out;
    }
    case 'header-version': {
      // A flexible request sent with the old header (no tagged fields) or the other way round.
      const expected = requestHeaderVersion(frame.apiKey, frame.version);
      return rebuild(rng.pick([0, 1, 2].filter((v) => v !== expected))).bytes;
    }
    case 'size-prefix': {
      const out = Buffer.from(original);
      const size = original.length - 4;
      out.writeInt32BE(
        rng.weighted([
          [25, Math.max(0, size - rng.int(1, 10))],
          [20, size + rng.int(1, 10)],
          [15, 0],
          [15, -rng.int(1, 2 ** 31)],
          [15, 0x7fffffff],
          [10, 200 * 1024 * 1024],
        ]),
        0,
      );
      // The broker may now wait for bytes that never come: only the client hanging up ends it.
      return out;
    }
    case 'insert-bytes': {
      const at = rng.int(4, original.length);
      return reframe(
        Buffer.concat([original.subarray(4, at), rng.bytes(rng.int(1, 32)), original.subarray(at)]),
      );
    }
    case 'delete-bytes': {
      const from = rng.int(4, original.length - 1);
      const to = Math.min(original.length, from + rng.int(1, 32));
      return reframe(Buffer.concat([original.subarray(4, from), original.subarray(to)]));
    }
    case 'garbage-body': {
      // A real header (so the broker reaches the body decoder), then random bytes.
      const keep = Math.min(
        original.length,
        4 + headerSize(requestHeaderVersion(frame.apiKey, frame.version)),
      );
      return reframe(Buffer.concat([original.subarray(4, keep), rng.bytes(rng.int(0, 256))]));
    }
  }
}

/** Puts a correct size prefix in front of a body. */
function reframe(body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + body.length);
  out.writeInt32BE(body.length, 0);
  body.copy(out, 4);
  return out;
}

function readUvarint(buf: Buffer, at: number): { value: number; width: number } {
  let value = 0;
  let width = 0;
  for (let shift = 0; shift <= 28; shift += 7) {
    const byte = buf[at + width++];
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) break;
  }
  return { value, width };
}

function uvarintBytes(value: number): Buffer {
  const out: number[] = [];
  let rest = value >>> 0;
  while (rest >= 0x80) {
    out.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  out.push(rest);
  return Buffer.from(out);
}

function readLength(buf: Buffer, field: LengthField): number {
  if (field.kind === 'int16') return buf.readInt16BE(field.at);
  if (field.kind === 'int32') return buf.readInt32BE(field.at);
  return readUvarint(buf, field.at).value;
}

/** A copy of `buf` with the length field set to `value` (clamped to its width), size prefix fixed. */
function writeLength(buf: Buffer, field: LengthField, value: number): Buffer {
  if (field.kind === 'int16' || field.kind === 'int32') {
    const out = Buffer.from(buf);
    if (field.kind === 'int16') out.writeInt16BE(clamp(value, -32768, 32767), field.at);
    else out.writeInt32BE(clamp(value, -2147483648, 2147483647), field.at);
    return out;
  }
  const old = readUvarint(buf, field.at);
  const replaced = Buffer.concat([
    buf.subarray(4, field.at),
    uvarintBytes(clamp(value, 0, 0xffffffff)),
    buf.subarray(field.at + old.width),
  ]);
  return reframe(replaced);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function hugeLength(kind: LengthKind, rng: Prng): number {
  if (kind === 'int16') return rng.pick([32767, 30000, 16384]);
  if (kind === 'int32') return rng.pick([2147483647, 1 << 30, 100_000_000, 65536]);
  return rng.pick([0xffffffff, 0x7fffffff, 1 << 28, 65536]);
}

function negativeLength(kind: LengthKind, rng: Prng): number {
  if (kind === 'int16') return rng.pick([-2, -32768, -100]);
  if (kind === 'int32') return rng.pick([-2, -2147483648, -100]);
  // Compact lengths cannot be negative; 0 (null) is their closest equivalent.
  return 0;
}
