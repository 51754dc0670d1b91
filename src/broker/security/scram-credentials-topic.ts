// The compacted __venice_scram_credentials topic, where the broker keeps SCRAM credentials (salt,
// iterations, stored key, server key; never a password), as Kafka keeps them in its cluster metadata.
// The credential store sees only a record store; this module maps it onto the log.
import { encodeBatch, decodeRecordSet } from '../../protocol/records/record-codec.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import type { LogManager } from '../log/log-manager.js';
import type { PartitionLog } from '../log/partition-log.js';
import type { ScramRecord, ScramRecordStore } from './scram-credentials.js';

export const SCRAM_CREDENTIALS_TOPIC = '__venice_scram_credentials';
const READ_CHUNK_BYTES = 1 << 20;

export interface ScramCredentialsTopic {
  store: ScramRecordStore;
  /** Every record, oldest first, to rebuild the credentials at start. */
  readAll(): Iterable<ScramRecord>;
}

/** The topic is created by the first credential written: a broker without SCRAM users has none. */
export function openScramCredentialsTopic(logs: LogManager): ScramCredentialsTopic {
  const partition = (): PartitionLog => {
    const topic =
      logs.topic(SCRAM_CREDENTIALS_TOPIC) ??
      logs.createTopic(SCRAM_CREDENTIALS_TOPIC, 1, { 'cleanup.policy': 'compact' });
    if (!topic) throw new Error(`could not create ${SCRAM_CREDENTIALS_TOPIC}`);
    return topic.partitions[0];
  };
  return {
    store: {
      async append(records) {
        const log = partition();
        const batch = encodeBatch({
          records: records.map((record) => ({ key: record.key, value: record.value, timestamp: Date.now() })),
        });
        const result = log.append([batch]);
        if (result.errorCode !== ErrorCode.NONE) {
          throw new Error(
            `writing to ${SCRAM_CREDENTIALS_TOPIC} failed: ${result.errorMessage ?? result.errorCode}`,
          );
        }
        // A changed password is acknowledged only once it would survive a crash.
        await log.flush();
      },
    },
    readAll: () => {
      const topic = logs.topic(SCRAM_CREDENTIALS_TOPIC);
      return topic ? readRecords(topic.partitions[0]) : [];
    },
  };
}

function* readRecords(log: PartitionLog): Iterable<ScramRecord> {
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const read = log.read(offset, READ_CHUNK_BYTES);
    if (read.errorCode !== ErrorCode.NONE || read.records.length === 0) return;
    let next = offset;
    for (const slice of read.records) {
      for (const batch of decodeRecordSet(slice, { verifyCrc: false })) {
        for (const record of batch.records) {
          if (record.offset < BigInt(offset) || record.key === null || batch.isControl) continue;
          yield { key: record.key, value: record.value };
        }
        next = Math.max(next, Number(batch.baseOffset) + batch.lastOffsetDelta + 1);
      }
    }
    if (next <= offset) return;
    offset = next;
  }
}
