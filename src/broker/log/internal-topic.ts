// How the broker's own compacted topics (__consumer_offsets, __transaction_state, __venice_acls,
// __venice_scram_credentials) are written and replayed at start. Each topic's module maps its records;
// this one knows the log: one batch per write, and a replay of every keyed record, oldest first.
import {
  decodeRecordSet,
  encodeBatch,
  type EncodeBatchOptions,
} from '../../protocol/records/record-codec.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import type { PartitionLog } from './partition-log.js';

const READ_CHUNK_BYTES = 1 << 20;

/** A keyed record as replayed, with what its batch says about it. */
export interface InternalRecord {
  offset: bigint;
  key: Buffer;
  value: Buffer | null;
  /** A transaction marker (whose key tells commit or abort), not data. */
  isControl: boolean;
  isTransactional: boolean;
  producerId: bigint;
}

/**
 * Every record with a key, oldest first, from the log start to its end (compaction may have left
 * gaps). Control records are included, flagged: only the offsets topic has a use for them.
 */
export function* replayInternalTopic(log: PartitionLog): Iterable<InternalRecord> {
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const read = log.read(offset, READ_CHUNK_BYTES);
    if (read.errorCode !== ErrorCode.NONE || read.records.length === 0) return;
    let next = offset;
    for (const slice of read.records) {
      // The log checked each batch's CRC when it was appended, and recovery after a crash.
      for (const batch of decodeRecordSet(slice, { verifyCrc: false })) {
        for (const record of batch.records) {
          if (record.offset < BigInt(offset) || record.key === null) continue;
          yield {
            offset: record.offset,
            key: record.key,
            value: record.value,
            isControl: batch.isControl,
            isTransactional: batch.isTransactional,
            producerId: batch.producerId,
          };
        }
        next = Math.max(next, Number(batch.baseOffset) + batch.lastOffsetDelta + 1);
      }
    }
    if (next <= offset) return;
    offset = next;
  }
}

/** The data records of `replayInternalTopic`, without transaction markers. */
export function* replayDataRecords(log: PartitionLog): Iterable<InternalRecord> {
  for (const record of replayInternalTopic(log)) if (!record.isControl) yield record;
}

/**
 * Appends `records` (timestamped now) as one batch of `topic`; throws, naming the topic, when the log
 * refuses it. Flushing is the caller's choice.
 */
export function appendInternalRecords(
  log: PartitionLog,
  topic: string,
  records: readonly { key: Buffer; value: Buffer | null }[],
  batch: Omit<EncodeBatchOptions, 'records'> = {},
): void {
  const timestamp = Date.now();
  const encoded = encodeBatch({
    ...batch,
    records: records.map((record) => ({ key: record.key, value: record.value, timestamp })),
  });
  const result = log.append([encoded]);
  if (result.errorCode !== ErrorCode.NONE) {
    throw new Error(`writing to ${topic} failed: ${result.errorMessage ?? result.errorCode}`);
  }
}

/** Replays with `apply`, skipping (with a warning naming topic and offset) a record it cannot read. */
export function replayEach(
  records: Iterable<InternalRecord>,
  topic: string,
  warn: (message: string) => void,
  apply: (record: InternalRecord) => void,
): void {
  for (const record of records) {
    try {
      apply(record);
    } catch (error) {
      warn(
        `skipping an unreadable ${topic} record at offset ${record.offset}: ` +
          (error instanceof Error ? error.message : String(error)),
      );
    }
  }
}
