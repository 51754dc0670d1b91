// Crash recovery of one segment: re-verify every batch (length, magic, CRC-32C, offsets moving forward),
// cut the file at the first torn or corrupt batch, and rebuild the indexes from what remains.
import {
  BATCH_HEADER_SIZE,
  baseOffsetOf,
  batchSize,
  computeCrc,
  crcOf,
  CURRENT_MAGIC,
  lastOffsetDeltaOf,
  magicOf,
} from '../../protocol/records/batch-header.js';
import type { Segment } from './segment.js';

const CHUNK = 4 * 1024 * 1024;

export interface RecoveryResult {
  /** Bytes cut off the end of the file. */
  truncatedBytes: number;
}

/**
 * Verifies `segment` from its start. `visit` sees each valid batch (header bytes at `at` in `buf`), e.g. to
 * rebuild producer state. `minOffset` is the lowest acceptable first offset (the previous segment's end).
 */
export function recoverSegment(
  segment: Segment,
  minOffset: number,
  visit?: (buf: Buffer, at: number) => void,
): RecoveryResult {
  const end = segment.size;
  segment.resetMetadata();
  let position = 0;
  let expectedOffset = Math.max(minOffset, segment.baseOffset);
  let chunk: Buffer = Buffer.alloc(0);
  let chunkStart = 0;
  while (position < end) {
    if (end - position < BATCH_HEADER_SIZE) break;
    let at = position - chunkStart;
    if (at + BATCH_HEADER_SIZE > chunk.length) {
      chunkStart = position;
      chunk = segment.readAt(position, Math.min(CHUNK, end - position));
      at = 0;
    }
    const size = batchSize(chunk, at);
    if (size < BATCH_HEADER_SIZE || position + size > end) break;
    if (at + size > chunk.length) {
      chunkStart = position;
      chunk = segment.readAt(position, Math.min(Math.max(CHUNK, size), end - position));
      at = 0;
    }
    if (!isIntact(chunk, at, expectedOffset)) break;
    segment.track(chunk, at, position);
    visit?.(chunk, at);
    expectedOffset = baseOffsetOf(chunk, at) + lastOffsetDeltaOf(chunk, at) + 1;
    position += size;
  }
  const truncatedBytes = end - position;
  if (truncatedBytes > 0) segment.truncateTo(position);
  segment.persistIndexes();
  return { truncatedBytes };
}

/** The batch at `at` lies wholly within `buf`: the caller checked its size. */
function isIntact(buf: Buffer, at: number, expectedOffset: number): boolean {
  if (magicOf(buf, at) !== CURRENT_MAGIC) return false;
  if (baseOffsetOf(buf, at) < expectedOffset || lastOffsetDeltaOf(buf, at) < 0) return false;
  return crcOf(buf, at) === computeCrc(buf, at);
}
