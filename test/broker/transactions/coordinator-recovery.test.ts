// The transaction and group coordinators on real logs: transactional offset commits pending until the
// marker, and a restart mid-transaction (after PrepareCommit it completes; otherwise it is aborted when
// its timeout runs out).
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/protocol/error-codes.js';
import { decodeRecordSet } from '../../../src/protocol/records/record-codec.js';
import { readControlRecordType } from '../../../src/protocol/records/control-record.js';
import {
  openTransactionStateTopic,
  TxnStatus,
  type TxnProducer,
} from '../../../src/broker/transactions/index.js';
import type { LogManager } from '../../../src/broker/log/log-manager.js';
import { ManualClock } from '../../helpers/manual-clock.js';
import { waitFor } from '../../helpers/wait.js';
import { openCoordinators, temporaryDir } from './coordinator-helpers.js';

const TIMEOUT_MS = 30_000;
const TOPIC = 'orders';

type Coordinators = Awaited<ReturnType<typeof openCoordinators>>;
const opened: Coordinators[] = [];

afterEach(async () => {
  for (const c of opened.splice(0)) await c.close();
});

async function open(dataDir: string, clock: ManualClock): Promise<Coordinators> {
  const c = await openCoordinators(dataDir, clock);
  opened.push(c);
  return c;
}

async function closeAll(): Promise<void> {
  for (const c of opened.splice(0)) await c.close();
}

/** The markers of a partition, oldest first: [producerId, commit]. */
function markersOf(logs: LogManager, topic: string, partition: number): [bigint, boolean][] {
  const log = logs.partition(topic, partition)!;
  const read = log.read(0, 1 << 20);
  const out: [bigint, boolean][] = [];
  for (const slice of read.records) {
    for (const batch of decodeRecordSet(slice)) {
      if (!batch.isControl) continue;
      out.push([batch.producerId, readControlRecordType(batch.records[0].key) === 1]);
    }
  }
  return out;
}

async function beginWithOffsets(c: Coordinators, offset: bigint): Promise<TxnProducer> {
  c.logs.createTopic(TOPIC, 1, {});
  const init = await c.transactions.initProducerId({
    transactionalId: 'tx',
    transactionTimeoutMs: TIMEOUT_MS,
    producerId: -1n,
    producerEpoch: -1,
  });
  const producer = { transactionalId: 'tx', producerId: init.producerId, producerEpoch: init.producerEpoch };
  expect(await c.transactions.addPartitions(producer, [{ topic: TOPIC, partitions: [0] }])).toBe(
    ErrorCode.NONE,
  );
  expect(await c.transactions.addOffsets(producer, 'g')).toBe(ErrorCode.NONE);
  const committed = await c.groups.commitTxnOffsets({
    groupId: 'g',
    producerId: producer.producerId,
    producerEpoch: producer.producerEpoch,
    generationId: -1,
    memberId: '',
    groupInstanceId: null,
    offsets: [{ topic: TOPIC, partition: 0, offset, leaderEpoch: -1, metadata: 'txn' }],
  });
  expect(committed).toEqual([{ topic: TOPIC, partition: 0, errorCode: ErrorCode.NONE }]);
  return producer;
}

function committedOffset(c: Coordinators, requireStable = false) {
  const [entry] = c.groups.fetchOffsets('g', [{ topic: TOPIC, partition: 0 }], requireStable);
  return { offset: entry.offset, errorCode: entry.errorCode };
}

describe('transactional offset commits', () => {
  it('stay invisible until the commit marker, then become the committed offset (and survive a restart)', async () => {
    const dir = temporaryDir('txn-offsets');
    const clock = new ManualClock();
    const c = await open(dir, clock);
    const producer = await beginWithOffsets(c, 42n);
    expect(committedOffset(c)).toEqual({ offset: -1n, errorCode: ErrorCode.NONE });
    expect(committedOffset(c, true)).toEqual({ offset: -1n, errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT });
    expect(await c.transactions.endTransaction(producer, true)).toBe(ErrorCode.NONE);
    expect(committedOffset(c, true)).toEqual({ offset: 42n, errorCode: ErrorCode.NONE });
    expect(markersOf(c.logs, '__consumer_offsets', 0)).toEqual([[producer.producerId, true]]);
    expect(markersOf(c.logs, TOPIC, 0)).toEqual([[producer.producerId, true]]);

    await closeAll();
    const reopened = await open(dir, clock);
    expect(committedOffset(reopened, true)).toEqual({ offset: 42n, errorCode: ErrorCode.NONE });
  });

  it('are dropped on abort, also when rebuilding from __consumer_offsets', async () => {
    const dir = temporaryDir('txn-offsets-abort');
    const clock = new ManualClock();
    const c = await open(dir, clock);
    await c.groups.commitOffsets({
      groupId: 'g',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: -1,
      offsets: [{ topic: TOPIC, partition: 0, offset: 7n, leaderEpoch: -1, metadata: null }],
    });
    const producer = await beginWithOffsets(c, 42n);
    expect(await c.transactions.endTransaction(producer, false)).toBe(ErrorCode.NONE);
    expect(committedOffset(c, true)).toEqual({ offset: 7n, errorCode: ErrorCode.NONE });

    await closeAll();
    const reopened = await open(dir, clock);
    expect(committedOffset(reopened, true)).toEqual({ offset: 7n, errorCode: ErrorCode.NONE });
  });
});

describe('restarting the coordinator mid-transaction', () => {
  it('completes a transaction whose PrepareCommit was logged: markers written, offsets committed', async () => {
    const dir = temporaryDir('txn-recovery-commit');
    const clock = new ManualClock();
    const c = await open(dir, clock);
    const producer = await beginWithOffsets(c, 42n);
    // The crash came right after PrepareCommit was durable, before any marker was written.
    const [described] = c.transactions.describe(['tx']);
    await openTransactionStateTopic(c.logs).store.write('tx', {
      producerId: producer.producerId,
      producerEpoch: producer.producerEpoch,
      previousProducerId: -1n,
      transactionTimeoutMs: TIMEOUT_MS,
      status: TxnStatus.PrepareCommit,
      partitions: described.partitions,
      lastUpdateTimestampMs: clock.now(),
      startTimestampMs: described.startTimeMs,
    });
    await closeAll();

    const reopened = await open(dir, clock);
    expect(reopened.transactions.describe(['tx'])[0]).toMatchObject({
      state: 'CompleteCommit',
      partitions: [],
    });
    expect(markersOf(reopened.logs, TOPIC, 0)).toEqual([[producer.producerId, true]]);
    expect(markersOf(reopened.logs, '__consumer_offsets', 0)).toEqual([[producer.producerId, true]]);
    expect(committedOffset(reopened, true)).toEqual({ offset: 42n, errorCode: ErrorCode.NONE });
    // The producer carries on with the same epoch.
    expect(await reopened.transactions.endTransaction(producer, true)).toBe(ErrorCode.NONE);
  });

  it('aborts an ongoing transaction when what is left of its timeout runs out after the restart', async () => {
    const dir = temporaryDir('txn-recovery-abort');
    const clock = new ManualClock();
    const c = await open(dir, clock);
    const producer = await beginWithOffsets(c, 42n);
    await clock.advance(10_000);
    await closeAll();

    const reopened = await open(dir, clock);
    expect(reopened.transactions.describe(['tx'])[0].state).toBe('Ongoing');
    expect(committedOffset(reopened, true).errorCode).toBe(ErrorCode.UNSTABLE_OFFSET_COMMIT);
    await clock.advance(TIMEOUT_MS - 10_000 - 1);
    expect(reopened.transactions.describe(['tx'])[0].state).toBe('Ongoing');
    await clock.advance(1);
    // The abort writes to real logs (with fsyncs): wait for it to land.
    await waitFor(() => reopened.transactions.describe(['tx'])[0].state === 'CompleteAbort', {
      what: 'the expired transaction to be aborted',
    });
    expect(reopened.transactions.describe(['tx'])[0]).toMatchObject({
      state: 'CompleteAbort',
      producerEpoch: producer.producerEpoch + 1,
    });
    expect(markersOf(reopened.logs, TOPIC, 0)).toEqual([[producer.producerId, false]]);
    expect(committedOffset(reopened, true)).toEqual({ offset: -1n, errorCode: ErrorCode.NONE });
    expect(await reopened.transactions.endTransaction(producer, true)).toBe(ErrorCode.PRODUCER_FENCED);
  });
});
