// ListOffsets v0's answer: a list of "old style" offsets, newest first, at most maxNumOffsets of them.
// Kafka 3.9 still serves v0 and lag monitors built on old client libraries send it (with -1 or -2 and
// maxNumOffsets 1). For the latest position Kafka lists the log end offset and then the base offset of
// each segment, newest first; Venice does the same. For a timestamp Kafka lists segment boundaries by
// file modification time; Venice gives the one offset v1 would (the first record at or after it).
import type { PartitionLog } from '../log/partition-log.js';

const LATEST = -1;
const EARLIEST = -2;

export function oldStyleOffsets(log: PartitionLog, timestamp: number, maxNumOffsets: number): bigint[] {
  if (maxNumOffsets <= 0) return [];
  let offsets: number[];
  if (timestamp === LATEST) {
    const segmentStarts = log
      .segmentBaseOffsets()
      .map((base) => Math.max(base, log.logStartOffset))
      .filter((start) => start < log.logEndOffset)
      .reverse();
    offsets = [log.logEndOffset, ...new Set(segmentStarts)];
  } else if (timestamp === EARLIEST) {
    offsets = [log.logStartOffset];
  } else {
    const found = log.listOffset(timestamp);
    offsets = found ? [found.offset] : [];
  }
  return offsets.slice(0, maxNumOffsets).map((offset) => BigInt(offset));
}
