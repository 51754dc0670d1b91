// The compacted __consumer_offsets topic, where the group coordinator keeps committed offsets and
// group metadata. The coordinator sees only a record store; this module maps it onto the log.
import { ControlRecordType, readControlRecordType } from '../protocol/records/control-record.js';
import type { LogManager } from './log/log-manager.js';
import type { PartitionLog } from './log/partition-log.js';
import { appendInternalRecords, replayInternalTopic } from './log/internal-topic.js';
import type { GroupRecordStore } from './groups/types.js';
import type { StoredGroupRecord } from './groups/txn-offsets.js';

export const OFFSETS_TOPIC = '__consumer_offsets';

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
        // TxnOffsetCommit: one transactional batch of the producer, settled by its transaction's marker.
        appendInternalRecords(
          log,
          OFFSETS_TOPIC,
          records,
          transaction && {
            producerId: transaction.producerId,
            producerEpoch: transaction.producerEpoch,
            isTransactional: true,
          },
        );
        // A commit is acknowledged only once it would survive a crash.
        await log.flush();
      },
    },
    readAll: () => readRecords(log),
  };
}

function* readRecords(log: PartitionLog): Iterable<StoredGroupRecord> {
  for (const record of replayInternalTopic(log)) {
    const marker = record.isControl
      ? readControlRecordType(record.key) === ControlRecordType.commit
        ? 'commit'
        : 'abort'
      : null;
    yield {
      key: record.key,
      value: record.value,
      producerId: record.producerId,
      isTransactional: record.isTransactional,
      marker,
    };
  }
}
