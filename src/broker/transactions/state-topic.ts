// The compacted __transaction_state topic, where the transaction coordinator keeps one record per
// transactional id (Kafka's layout, see log-records.ts). The coordinator sees only a TxnStateStore; this
// module maps it onto the log, and tests swap in an in-memory store.
import { encodeBatch, decodeRecordSet } from '../../protocol/records/record-codec.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import type { LogManager } from '../log/log-manager.js';
import type { PartitionLog } from '../log/partition-log.js';
import { decodeTxnLogKey, decodeTxnLogValue, encodeTxnLogKey, encodeTxnLogValue } from './log-records.js';
import type { TxnLogValue } from './state.js';

export const TRANSACTION_STATE_TOPIC = '__transaction_state';
const READ_CHUNK_BYTES = 1 << 20;

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
  const batch = encodeBatch({
    records: [{ key: encodeTxnLogKey(transactionalId), value, timestamp: Date.now() }],
  });
  const result = log.append([batch]);
  if (result.errorCode !== ErrorCode.NONE) {
    throw new Error(
      `writing to ${TRANSACTION_STATE_TOPIC} failed: ${result.errorMessage ?? result.errorCode}`,
    );
  }
  // A state change is acted on (and answered) only once it would survive a crash.
  if (durability === 'flushed') return log.flush();
  // A failed background flush leaves the data unflushed; the next flushed write reports the disk error.
  log.flush().catch(() => {});
}

function readLatest(log: PartitionLog, warn: (message: string) => void): Map<string, TxnLogValue> {
  const latest = new Map<string, TxnLogValue>();
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const read = log.read(offset, READ_CHUNK_BYTES);
    if (read.errorCode !== ErrorCode.NONE || read.records.length === 0) break;
    let next = offset;
    for (const slice of read.records) {
      for (const batch of decodeRecordSet(slice, { verifyCrc: false })) {
        // Only a stray WriteTxnMarkers could put a marker here; it is no transaction state.
        const records = batch.isControl ? [] : batch.records;
        for (const record of records) {
          if (record.offset < BigInt(offset) || record.key === null) continue;
          try {
            const transactionalId = decodeTxnLogKey(record.key);
            if (transactionalId === undefined) continue;
            if (record.value === null) latest.delete(transactionalId);
            else latest.set(transactionalId, decodeTxnLogValue(record.value));
          } catch (error) {
            warn(
              `skipping an unreadable ${TRANSACTION_STATE_TOPIC} record at offset ${record.offset}: ` +
                (error instanceof Error ? error.message : String(error)),
            );
          }
        }
        next = Math.max(next, Number(batch.baseOffset) + batch.lastOffsetDelta + 1);
      }
    }
    if (next <= offset) break;
    offset = next;
  }
  return latest;
}
