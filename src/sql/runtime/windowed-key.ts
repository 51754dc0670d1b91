// Windowed keys on the wire, as Kafka Streams writes them (and so ksqlDB): the key's bytes followed by the
// window start as a big-endian int64 (TUMBLING, HOPPING), or by the end and then the start (SESSION).
import type { WindowType } from '../planner/data-source.js';
import type { WindowBounds } from './records.js';

export function encodeWindowedKey(key: Buffer | null, window: WindowBounds, type: WindowType): Buffer {
  const base = key ?? Buffer.alloc(0);
  if (type === 'SESSION') {
    const out = Buffer.allocUnsafe(base.length + 16);
    base.copy(out);
    writeInt64(out, window.end, base.length);
    writeInt64(out, window.start, base.length + 8);
    return out;
  }
  const out = Buffer.allocUnsafe(base.length + 8);
  base.copy(out);
  writeInt64(out, window.start, base.length);
  return out;
}

/** A big-endian int64 from a safe integer, without the BigInt a writeBigInt64BE call needs. */
function writeInt64(out: Buffer, value: number, at: number): void {
  out.writeInt32BE(Math.floor(value / 0x1_0000_0000), at);
  out.writeUInt32BE(value >>> 0, at + 4);
}

/** The key's own bytes and the window; `sizeMs` gives a time window its end. */
export function decodeWindowedKey(
  bytes: Buffer,
  type: WindowType,
  sizeMs: number | undefined,
): { key: Buffer; window: WindowBounds } {
  if (type === 'SESSION') {
    if (bytes.length < 16) throw new Error('a session-windowed key has at least 16 bytes');
    const at = bytes.length - 16;
    const end = Number(bytes.readBigInt64BE(at));
    const start = Number(bytes.readBigInt64BE(at + 8));
    return { key: bytes.subarray(0, at), window: { start, end } };
  }
  if (bytes.length < 8) throw new Error('a time-windowed key has at least 8 bytes');
  const at = bytes.length - 8;
  const start = Number(bytes.readBigInt64BE(at));
  return { key: bytes.subarray(0, at), window: { start, end: start + (sizeMs ?? 0) } };
}
