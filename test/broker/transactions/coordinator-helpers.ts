// Fixtures for the transaction coordinator tests: an in-memory state store and marker sink, a manual
// clock, and a coordinator on real logs (for recovery across a restart).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  TransactionCoordinator,
  openTransactionStateTopic,
  partitionMarkerSink,
  type MarkerResult,
  type MarkerSink,
  type TopicPartitions,
  type TransactionCoordinatorOptions,
  type TxnLogValue,
  type TxnMarker,
  type TxnStateDurability,
  type TxnStateStore,
} from '../../../src/broker/transactions/index.js';
import { LogManager } from '../../../src/broker/log/log-manager.js';
import { GroupCoordinator } from '../../../src/broker/groups/index.js';
import { openOffsetsTopic } from '../../../src/broker/offsets-topic.js';
import { ErrorCode } from '../../../src/protocol/error-codes.js';
import { ManualClock } from '../../helpers/manual-clock.js';

/** Keeps every state written, in order, like the compacted topic before compaction. */
export class MemoryTxnStore implements TxnStateStore {
  readonly writes: { transactionalId: string; value: TxnLogValue; durability: TxnStateDurability }[] = [];
  failNext = false;
  /** When set, writes wait for it (to observe a request arriving while another is in flight). */
  gate: Promise<void> | null = null;

  async write(
    transactionalId: string,
    value: TxnLogValue,
    durability: TxnStateDurability = 'flushed',
  ): Promise<void> {
    if (this.gate) await this.gate;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    this.writes.push({ transactionalId, value: structuredClone(value), durability });
  }

  readonly tombstones: string[] = [];

  async remove(transactionalId: string): Promise<void> {
    if (this.gate) await this.gate;
    this.tombstones.push(transactionalId);
  }

  latest(): Map<string, TxnLogValue> {
    return new Map(this.writes.map((w) => [w.transactionalId, w.value]));
  }

  statuses(transactionalId: string): number[] {
    return this.writes.filter((w) => w.transactionalId === transactionalId).map((w) => w.value.status);
  }
}

/** Records every marker; partitions of topics named in `missing` answer UNKNOWN_TOPIC_OR_PARTITION. */
export class MemoryMarkers implements MarkerSink {
  readonly written: { topic: string; partition: number; marker: TxnMarker }[] = [];
  readonly missing = new Set<string>();
  failNext = false;

  writeMarkers(partitions: readonly TopicPartitions[], marker: TxnMarker): Promise<MarkerResult[]> {
    if (this.failNext) {
      this.failNext = false;
      return Promise.resolve(partitions.map((p) => ({ ...p, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER })));
    }
    const results: MarkerResult[] = [];
    for (const { topic, partitions: ids } of partitions) {
      for (const partition of ids) {
        if (this.missing.has(topic)) {
          results.push({ topic, partitions: [partition], errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
          continue;
        }
        this.written.push({ topic, partition, marker });
        results.push({ topic, partitions: [partition], errorCode: ErrorCode.NONE });
      }
    }
    return Promise.resolve(results);
  }
}

export class CountingIds {
  next = 1000n;
  allocate(): bigint {
    return this.next++;
  }
}

export function newTxnCoordinator(options: TransactionCoordinatorOptions = {}) {
  const clock = new ManualClock();
  const store = new MemoryTxnStore();
  const markers = new MemoryMarkers();
  const ids = new CountingIds();
  const coordinator = new TransactionCoordinator(store, ids, markers, {
    timers: clock,
    warn: () => {},
    ...options,
  });
  return { coordinator, store, markers, ids, clock };
}

/** A broker's worth of real parts (logs, group and transaction coordinators) on a data directory. */
export async function openCoordinators(dataDir: string, clock: ManualClock) {
  const logs = await LogManager.open(dataDir, {}, { startTimers: false });
  const offsetsTopic = openOffsetsTopic(logs, 1);
  const groups = new GroupCoordinator(offsetsTopic.store, { timers: clock, warn: () => {} });
  groups.loadStored(offsetsTopic.readAll());
  const stateTopic = openTransactionStateTopic(logs);
  let nextId = 5000n;
  const transactions = new TransactionCoordinator(
    stateTopic.store,
    { allocate: () => nextId++ },
    partitionMarkerSink(logs, groups),
    { timers: clock, warn: () => {} },
  );
  await transactions.load(stateTopic.readLatest(() => {}));
  return {
    logs,
    groups,
    transactions,
    async close() {
      transactions.shutdown();
      groups.shutdown();
      await logs.close();
    },
  };
}

export function temporaryDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `venice-${label}-`));
}
