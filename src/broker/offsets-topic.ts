// The compacted __consumer_offsets topic, where the group coordinator keeps committed offsets and
// group metadata. The coordinator sees only a record store; this module maps it onto the log.
import { encodeBatch, decodeRecordSet } from '../protocol/records/record-codec.js';
import { ControlRecordType, readControlRecordType } from '../protocol/records/control-record.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { LogManager } from './log/log-manager.js';
import type { PartitionLog } from './log/partition-log.js';
import type { GroupRecordStore } from './groups/types.js';
import type { StoredGroupRecord } from './groups/txn-offsets.js';

export const OFFSETS_TOPIC = '__consumer_offsets';
const READ_CHUNK_BYTES = 1 << 20;

export interface OffsetsTopic {
  store: GroupRecordStore;
  /**
   * Every record in the topic, oldest first, with its batch's transaction attributes (transactional offset
   * commits and their markers), for rebuilding the coordinator's state at start.
   */
  readAll(): Iterable<StoredGroupRecord>;
}

export function openOffsetsTopic(logs: LogManager, partitions: number): OffsetsTopic {
  const topic =
    logs.topic(OFFSETS_TOPIC) ??
    logs.createTopic(OFFSETS_TOPIC, partitions, {
      'cleanup.policy': 'compact',
      'segment.bytes': '104857600',
    });
  if (!topic) throw new Error(`could not create ${OFFSETS_TOPIC}`);
  // One node coordinates every group; all group records go to the first partition.
  const log = topic.partitions[0];
  return {
    store: {
      async append(records, transaction) {
        if (records.length === 0) return;
        const batch = encodeBatch({
          records: records.map((record) => ({ key: record.key, value: record.value, timestamp: Date.now() })),
          // TxnOffsetCommit: one transactional batch of the producer, settled by its transaction's marker.
          ...(transaction && {
            producerId: transaction.producerId,
            producerEpoch: transaction.producerEpoch,
            isTransactional: true,
          }),
        });
        const result = log.append([batch]);
        if (result.errorCode !== ErrorCode.NONE) {
          throw new Error(`writing to ${OFFSETS_TOPIC} failed: ${result.errorMessage ?? result.errorCode}`);
        }
        // A commit is acknowledged only once it would survive a crash.
        await log.flush();
      },
    },
    readAll: () => readRecords(log),
  };
}

function* readRecords(log: PartitionLog): Iterable<StoredGroupRecord> {
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const read = log.read(offset, READ_CHUNK_BYTES);
    if (read.errorCode !== ErrorCode.NONE || read.records.length === 0) return;
    let next = offset;
    for (const slice of read.records) {
      for (const batch of decodeRecordSet(slice, { verifyCrc: false })) {
        for (const record of batch.records) {
          if (record.offset < BigInt(offset) || record.key === null) continue;
          const marker = batch.isControl
            ? readControlRecordType(record.key) === ControlRecordType.commit
              ? 'commit'
              : 'abort'
            : null;
          yield {
            key: record.key,
            value: record.value,
            producerId: batch.producerId,
            isTransactional: batch.isTransactional,
            marker,
          };
        }
        next = Math.max(next, Number(batch.baseOffset) + batch.lastOffsetDelta + 1);
      }
    }
    if (next <= offset) return;
    offset = next;
  }
}
