// Log compaction (cleanup.policy=compact): rewrites inactive segments keeping only the latest record of each
// key. Offsets are preserved (rewritten batches keep their offset range; gaps are fine). As in Kafka:
// records without a key are dropped; a tombstone (null value) survives its first cleaning, which stamps the
// batch with a delete horizon (now + delete.retention.ms, attribute bit 0x40, stored as the base timestamp),
// and is removed by the first cleaning after that horizon. Records newer than min.compaction.lag.ms stay.
// Transactions, the simple safe way: only segments wholly below the last stable offset are cleaned (an open
// transaction's records are never judged); records of aborted transactions are removed and never count as
// the latest value of their key; control batches (commit/abort markers) are always kept, so a marker never
// goes while its transaction's data is in the log (Kafka removes markers later; Venice leaves that to retention).
import fs from 'node:fs';
import {
  addAttributes,
  Attributes,
  attributesOf,
  baseOffsetOf,
  isControlBatch,
  isTransactionalBatch,
  producerIdOf,
  recordCountOf,
  type CompressionCodec,
} from '../../protocol/records/batch-header.js';
import { decodeBatch, encodeBatch, type KafkaRecord } from '../../protocol/records/record-codec.js';
import { cleanedLogPath, commitSwap, finishSwap } from './cleaner-files.js';
import type { PartitionLog } from './partition-log.js';
import { Segment } from './segment.js';

const INT32_MAX = 2 ** 31 - 1;

export interface CleanOptions {
  /** Ignore min.cleanable.dirty.ratio. */
  force?: boolean;
}

export interface CleanResult {
  topic: string;
  partition: number;
  /** Segments rewritten. */
  segmentsCleaned: number;
  bytesBefore: number;
  bytesAfter: number;
  recordsRemoved: number;
  /** The cleaner has compacted everything below this offset. */
  cleanedUpTo: number;
}

/** Kafka refuses keyless records on compacted topics (INVALID_RECORD). Index of the first keyless record, or -1. */
export function findKeylessRecord(batch: Buffer): number {
  if (isControlBatch(batch)) return -1;
  const decoded = decodeBatch(batch, { verifyCrc: false });
  return decoded.records.findIndex((record) => record.key === null);
}

/** Compacts `log` when it is compacted and dirty enough. Returns null when there was nothing to do. */
export function cleanLog(log: PartitionLog, nowMs: number, options: CleanOptions = {}): CleanResult | null {
  const config = log.currentConfig;
  if (!config.compact || log.isClosed) return null;
  const inactive = log.inactiveSegments();
  const lastStableOffset = log.lastStableOffset;
  // Only segments whose newest record is older than min.compaction.lag.ms may be compacted, and only below
  // the last stable offset: whether an open transaction commits is not known yet.
  let cleanableCount = 0;
  while (
    cleanableCount < inactive.length &&
    nowMs - inactive[cleanableCount].maxTimestamp >= config.minCompactionLagMs &&
    inactive[cleanableCount].nextOffset <= lastStableOffset
  ) {
    cleanableCount++;
  }
  const cleanable = inactive.slice(0, cleanableCount);
  if (cleanable.length === 0) return null;

  const firstDirty = log.firstDirtyOffset;
  let cleanBytes = 0;
  let dirtyBytes = 0;
  for (const segment of cleanable) {
    if (segment.nextOffset <= firstDirty) cleanBytes += segment.size;
    else dirtyBytes += segment.size;
  }
  if (
    !options.force &&
    (dirtyBytes === 0 || dirtyBytes / (cleanBytes + dirtyBytes) < config.minCleanableDirtyRatio)
  )
    return null;

  // Data of an aborted transaction; never its marker, which lies within the transaction's offset range too.
  const aborted = (batch: Buffer) =>
    isTransactionalBatch(batch) &&
    !isControlBatch(batch) &&
    log.isAbortedBatch(producerIdOf(batch), baseOffsetOf(batch));
  const latest = latestOffsetByKey(cleanable, aborted);
  const bytesBefore = cleanable.reduce((total, segment) => total + segment.size, 0);
  let bytesAfter = 0;
  let recordsRemoved = 0;
  let segmentsCleaned = 0;
  for (const group of groupSegments(cleanable, config.segmentBytes)) {
    const rewritten = rewriteGroup(log, group, latest, aborted, nowMs, config.deleteRetentionMs);
    recordsRemoved += rewritten.recordsRemoved;
    bytesAfter += rewritten.segment
      ? rewritten.segment.size
      : group.reduce((total, segment) => total + segment.size, 0);
    if (rewritten.segment) segmentsCleaned += group.length;
  }
  const cleanedUpTo = cleanable[cleanable.length - 1].nextOffset;
  log.setCleanerOffset(cleanedUpTo);
  return {
    topic: log.topic,
    partition: log.partition,
    segmentsCleaned,
    bytesBefore,
    bytesAfter,
    recordsRemoved,
    cleanedUpTo,
  };
}

/** The offset of the last record of each key (keys as latin1 strings: one char per byte). */
function latestOffsetByKey(
  segments: readonly Segment[],
  aborted: (batch: Buffer) => boolean,
): Map<string, number> {
  const latest = new Map<string, number>();
  for (const segment of segments) {
    segment.forEachBatch((batch) => {
      if (isControlBatch(batch) || aborted(batch)) return;
      for (const record of decodeBatch(batch, { verifyCrc: false }).records) {
        if (record.key !== null) latest.set(record.key.toString('latin1'), Number(record.offset));
      }
    });
  }
  return latest;
}

/** Consecutive segments whose combined size fits one segment and whose offsets fit int32 relative offsets. */
function groupSegments(segments: readonly Segment[], maxBytes: number): Segment[][] {
  const groups: Segment[][] = [];
  let current: Segment[] = [];
  let bytes = 0;
  for (const segment of segments) {
    const first = current[0];
    const fits =
      first && bytes + segment.size <= maxBytes && segment.nextOffset - 1 - first.baseOffset <= INT32_MAX;
    if (!fits && current.length > 0) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(segment);
    bytes += segment.size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

interface GroupOutcome {
  /** The replacement, or null when the group was left as it was. */
  segment: Segment | null;
  recordsRemoved: number;
}

function rewriteGroup(
  log: PartitionLog,
  group: readonly Segment[],
  latest: Map<string, number>,
  aborted: (batch: Buffer) => boolean,
  nowMs: number,
  deleteRetentionMs: number,
): GroupOutcome {
  const output: Buffer[] = [];
  let changed = group.length > 1;
  let recordsRemoved = 0;
  for (const segment of group) {
    segment.forEachBatch((batch) => {
      const kept = aborted(batch)
        ? { batch: null, removed: recordCountOf(batch) }
        : compactBatch(batch, latest, nowMs, deleteRetentionMs);
      if (kept.batch !== batch) changed = true;
      recordsRemoved += kept.removed;
      // Batches are slices of a shared read chunk: copy what is kept unchanged.
      if (kept.batch) output.push(kept.batch === batch ? Buffer.from(batch) : kept.batch);
    });
  }
  if (!changed) return { segment: null, recordsRemoved: 0 };

  const dir = log.dir;
  const base = group[0].baseOffset;
  const replacement = Segment.create(
    dir,
    base,
    log.currentConfig.indexIntervalBytes,
    cleanedLogPath(dir, base),
  );
  const replacedBases = group.map((segment) => segment.baseOffset);
  try {
    for (const batch of output) replacement.appendRaw(batch);
    replacement.flushSync();
    commitSwap(dir, base, replacedBases);
  } catch (error) {
    // Not committed (a full disk, most likely): the log stays as it was, and the partial output goes.
    discardCleaned(replacement, dir, base);
    throw error;
  }
  for (const segment of group) {
    segment.deleted = true;
    segment.close();
  }
  finishSwap(dir, base, replacedBases);
  replacement.adoptStandardName();
  // Committed: the log must serve the new segment whatever fails next. Indexes not written (a full disk)
  // are rebuilt from the segment at the next start.
  try {
    log.replaceSegments(group, replacement, replacement.nextOffset);
  } finally {
    replacement.seal();
  }
  return { segment: replacement, recordsRemoved };
}

interface CompactedBatch {
  /** The same buffer when unchanged, a new batch, or null when nothing is left. */
  batch: Buffer | null;
  removed: number;
}

function compactBatch(
  batch: Buffer,
  latest: Map<string, number>,
  nowMs: number,
  deleteRetentionMs: number,
): CompactedBatch {
  const attributes = attributesOf(batch);
  if ((attributes & Attributes.control) !== 0) return { batch, removed: 0 };
  const decoded = decodeBatch(batch, { verifyCrc: false });
  const horizon = (attributes & Attributes.deleteHorizon) !== 0 ? Number(decoded.baseTimestamp) : null;
  const tombstonesExpired = horizon !== null && nowMs >= horizon;
  const kept: KafkaRecord[] = decoded.records.filter(
    (record) =>
      record.key !== null &&
      latest.get(record.key.toString('latin1')) === Number(record.offset) &&
      !(record.value === null && tombstonesExpired),
  );
  const removed = decoded.records.length - kept.length;
  const hasTombstone = kept.some((record) => record.value === null);
  const needsHorizon = hasTombstone && horizon === null;
  if (removed === 0 && !needsHorizon) return { batch, removed: 0 };
  if (kept.length === 0) return { batch: null, removed };

  const newHorizon = hasTombstone ? (horizon ?? nowMs + deleteRetentionMs) : null;
  const logAppendTime = (attributes & Attributes.timestampTypeLogAppend) !== 0;
  const rebuilt = encodeBatch({
    baseOffset: decoded.baseOffset,
    records: kept.map((record) => ({
      key: record.key,
      value: record.value,
      headers: record.headers,
      offsetDelta: Number(record.offset - decoded.baseOffset),
      timestamp: record.timestamp,
    })),
    compression: decoded.compression as CompressionCodec,
    baseTimestamp: newHorizon ?? kept[0].timestamp,
    maxTimestamp: logAppendTime ? decoded.maxTimestamp : undefined,
    lastOffsetDelta: decoded.lastOffsetDelta,
    producerId: decoded.producerId,
    producerEpoch: decoded.producerEpoch,
    baseSequence: decoded.baseSequence,
    partitionLeaderEpoch: decoded.partitionLeaderEpoch,
    isTransactional: decoded.isTransactional,
    timestampType: decoded.timestampType,
  });
  if (newHorizon !== null) addAttributes(rebuilt, Attributes.deleteHorizon);
  return { batch: rebuilt, removed };
}

/** Drops an uncommitted cleaner output. Its index paths are the live segment's: only the log file goes. */
function discardCleaned(replacement: Segment, dir: string, base: number): void {
  replacement.close();
  fs.rmSync(cleanedLogPath(dir, base), { force: true });
}
