// The compacted __transaction_state topic, where the transaction coordinator keeps one record per
// transactional id (Kafka's layout, see log-records.ts). The coordinator sees only a TxnStateStore; this
// module maps it onto the log, and tests swap in an in-memory store.
import type { LogManager } from '../log/log-manager.js';
import type { PartitionLog } from '../log/partition-log.js';
import { appendInternalRecords, replayDataRecords, replayEach } from '../log/internal-topic.js';
import { decodeTxnLogKey, decodeTxnLogValue, encodeTxnLogKey, encodeTxnLogValue } from './log-records.js';
import type { TxnLogValue } from './state.js';

export const TRANSACTION_STATE_TOPIC = '__transaction_state';

/**
 * `flushed`: resolves once the record is durable. `appended`: resolves once it is in the log (it survives
 * the broker being killed, not the machine losing power) and is flushed in the background; any later
 * flushed write of the log covers it.
 */
export type TxnStateDurability = 'flushed' | 'appended';

export interface TxnStateStore {
  /** Appends the state of one transactional id and resolves once it is as durable as asked (flushed by default). */
  write(transactionalId: string, value: TxnLogValue, durability?: TxnStateDurability): Promise<void>;
  /** Writes the id's tombstone (an expired transactional id), durable on resolve. */
  remove(transactionalId: string): Promise<void>;
}

export interface TxnStateEntry {
  transactionalId: string;
  value: TxnLogValue;
}

export interface TransactionStateTopic {
  store: TxnStateStore;
  /** The latest state of every transactional id, for rebuilding the coordinator at start. */
  readLatest(warn: (message: string) => void): Map<string, TxnLogValue>;
}

export function openTransactionStateTopic(logs: LogManager): TransactionStateTopic {
  const topic =
    logs.topic(TRANSACTION_STATE_TOPIC) ??
    logs.createTopic(TRANSACTION_STATE_TOPIC, 1, {
      'cleanup.policy': 'compact',
      'segment.bytes': '104857600',
    });
  if (!topic) throw new Error(`could not create ${TRANSACTION_STATE_TOPIC}`);
  // One node coordinates every transactional id: all state goes to the first partition.
  const log = topic.partitions[0];
  return {
    store: {
      write: (transactionalId, value, durability = 'flushed') =>
        append(log, transactionalId, encodeTxnLogValue(value), durability),
      remove: (transactionalId) => append(log, transactionalId, null, 'flushed'),
    },
    readLatest: (warn) => readLatest(log, warn),
  };
}

async function append(
  log: PartitionLog,
  transactionalId: string,
  value: Buffer | null,
  durability: TxnStateDurability,
): Promise<void> {
  appendInternalRecords(log, TRANSACTION_STATE_TOPIC, [{ key: encodeTxnLogKey(transactionalId), value }]);
  // A state change is acted on (and answered) only once it would survive a crash.
  if (durability === 'flushed') return log.flush();
  // A failed background flush leaves the data unflushed; the next flushed write reports the disk error.
  log.flush().catch(() => {});
}

function readLatest(log: PartitionLog, warn: (message: string) => void): Map<string, TxnLogValue> {
  const latest = new Map<string, TxnLogValue>();
  // Only a stray WriteTxnMarkers could put a marker here; it is no transaction state.
  replayEach(replayDataRecords(log), TRANSACTION_STATE_TOPIC, warn, (record) => {
    const transactionalId = decodeTxnLogKey(record.key);
    if (transactionalId === undefined) return;
    if (record.value === null) latest.delete(transactionalId);
    else latest.set(transactionalId, decodeTxnLogValue(record.value));
  });
  return latest;
}
