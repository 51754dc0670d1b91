// The compacted __venice_scram_credentials topic, where the broker keeps SCRAM credentials (salt,
// iterations, stored key, server key; never a password), as Kafka keeps them in its cluster metadata.
// The credential store sees only a record store; this module maps it onto the log.
import type { LogManager } from '../log/log-manager.js';
import type { PartitionLog } from '../log/partition-log.js';
import { appendInternalRecords, replayDataRecords } from '../log/internal-topic.js';
import type { ScramRecord, ScramRecordStore } from './scram-credentials.js';

export const SCRAM_CREDENTIALS_TOPIC = '__venice_scram_credentials';

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
        appendInternalRecords(log, SCRAM_CREDENTIALS_TOPIC, records);
        // A changed password is acknowledged only once it would survive a crash.
        await log.flush();
      },
    },
    readAll: () => {
      const topic = logs.topic(SCRAM_CREDENTIALS_TOPIC);
      return topic ? scramRecords(topic.partitions[0]) : [];
    },
  };
}

function* scramRecords(log: PartitionLog): Iterable<ScramRecord> {
  for (const record of replayDataRecords(log)) yield { key: record.key, value: record.value };
}
