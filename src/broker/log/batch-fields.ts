// Reading and patching magic-2 batch headers in place, without decoding records.
// Offsets are int64 on disk and plain numbers here: a log never comes near 2^53.
import { BatchOffset, BATCH_HEADER_SIZE, BATCH_LENGTH_PREFIX } from '../../protocol/records/batch-header.js';

const TWO_32 = 2 ** 32;

export function readInt64(buf: Buffer, at: number): number {
  return buf.readInt32BE(at) * TWO_32 + buf.readUInt32BE(at + 4);
}

export function writeInt64(buf: Buffer, at: number, value: number): void {
  const high = Math.floor(value / TWO_32);
  buf.writeInt32BE(high, at);
  buf.writeUInt32BE(value - high * TWO_32, at + 4);
}

/** Whole size of the batch starting at `at` (length prefix included). */
export function batchSize(buf: Buffer, at = 0): number {
  return buf.readInt32BE(at + BatchOffset.batchLength) + BATCH_LENGTH_PREFIX;
}

export function baseOffsetOf(buf: Buffer, at = 0): number {
  return readInt64(buf, at + BatchOffset.baseOffset);
}

export function lastOffsetDeltaOf(buf: Buffer, at = 0): number {
  return buf.readInt32BE(at + BatchOffset.lastOffsetDelta);
}

export function lastOffsetOf(buf: Buffer, at = 0): number {
  return baseOffsetOf(buf, at) + lastOffsetDeltaOf(buf, at);
}

export function maxTimestampOf(buf: Buffer, at = 0): number {
  return readInt64(buf, at + BatchOffset.maxTimestamp);
}

export function producerIdOf(buf: Buffer, at = 0): number {
  return readInt64(buf, at + BatchOffset.producerId);
}

export function producerEpochOf(buf: Buffer, at = 0): number {
  return buf.readInt16BE(at + BatchOffset.producerEpoch);
}

export function baseSequenceOf(buf: Buffer, at = 0): number {
  return buf.readInt32BE(at + BatchOffset.baseSequence);
}

export function attributesOf(buf: Buffer, at = 0): number {
  return buf.readInt16BE(at + BatchOffset.attributes);
}

export function recordCountOf(buf: Buffer, at = 0): number {
  return buf.readInt32BE(at + BatchOffset.recordCount);
}

export { BATCH_HEADER_SIZE, BATCH_LENGTH_PREFIX };
