// The transaction coordinator's state machine on a manual clock: producer ids and epochs, fencing,
// the Ongoing → Prepare* → Complete* path with its markers, retries, concurrent requests, timeouts.
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/protocol/error-codes.js';
import { TxnStatus, type TxnProducer } from '../../../src/broker/transactions/index.js';
import { newTxnCoordinator } from './coordinator-helpers.js';

const TIMEOUT_MS = 60_000;

async function initialized(setup = newTxnCoordinator(), transactionalId = 'tx') {
  const init = await setup.coordinator.initProducerId({
    transactionalId,
    transactionTimeoutMs: TIMEOUT_MS,
    producerId: -1n,
    producerEpoch: -1,
  });
  expect(init.errorCode).toBe(ErrorCode.NONE);
  const producer: TxnProducer = {
    transactionalId,
    producerId: init.producerId,
    producerEpoch: init.producerEpoch,
  };
  return { ...setup, producer };
}

describe('InitProducerId with a transactional id', () => {
  it('allocates a producer id per transactional id and bumps its epoch on each init', async () => {
    const { coordinator, store } = newTxnCoordinator();
    const request = {
      transactionalId: 'tx',
      transactionTimeoutMs: TIMEOUT_MS,
      producerId: -1n,
      producerEpoch: -1,
    };
    const first = await coordinator.initProducerId(request);
    const second = await coordinator.initProducerId(request);
    const other = await coordinator.initProducerId({ ...request, transactionalId: 'other' });
    expect(first).toEqual({ errorCode: ErrorCode.NONE, producerId: 1000n, producerEpoch: 0 });
    expect(second).toEqual({ errorCode: ErrorCode.NONE, producerId: 1000n, producerEpoch: 1 });
    expect(other.producerId).toBe(1001n);
    expect(store.statuses('tx')).toEqual([TxnStatus.Empty, TxnStatus.Empty]);
    expect(store.latest().get('tx')).toMatchObject({ producerEpoch: 1, transactionTimeoutMs: TIMEOUT_MS });
  });

  it('refuses a timeout above transaction.max.timeout.ms, or not positive, and an empty id', async () => {
    const { coordinator } = newTxnCoordinator({ maxTransactionTimeoutMs: 10_000 });
    const base = { transactionalId: 'tx', producerId: -1n, producerEpoch: -1 };
    expect((await coordinator.initProducerId({ ...base, transactionTimeoutMs: 10_001 })).errorCode).toBe(
      ErrorCode.INVALID_TRANSACTION_TIMEOUT,
    );
    expect((await coordinator.initProducerId({ ...base, transactionTimeoutMs: 0 })).errorCode).toBe(
      ErrorCode.INVALID_TRANSACTION_TIMEOUT,
    );
    expect((await coordinator.initProducerId({ ...base, transactionTimeoutMs: 10_000 })).errorCode).toBe(
      ErrorCode.NONE,
    );
    expect(
      (await coordinator.initProducerId({ ...base, transactionalId: '', transactionTimeoutMs: 1000 }))
        .errorCode,
    ).toBe(ErrorCode.INVALID_REQUEST);
  });

  it('takes a new producer id when the epoch is exhausted', async () => {
    const { coordinator } = newTxnCoordinator();
    await coordinator.load(
      new Map([
        [
          'tx',
          {
            producerId: 7n,
            producerEpoch: 32766,
            previousProducerId: -1n,
            transactionTimeoutMs: TIMEOUT_MS,
            status: TxnStatus.CompleteCommit,
            partitions: [],
            lastUpdateTimestampMs: 0,
            startTimestampMs: 0,
          },
        ],
      ]),
    );
    const init = await coordinator.initProducerId({
      transactionalId: 'tx',
      transactionTimeoutMs: TIMEOUT_MS,
      producerId: -1n,
      producerEpoch: -1,
    });
    expect(init).toEqual({ errorCode: ErrorCode.NONE, producerId: 1000n, producerEpoch: 0 });
  });

  it('bumps the epoch of the producer named in the request (KIP-360), answers a retry the same, fences others', async () => {
    const { coordinator, producer } = await initialized();
    const request = {
      transactionalId: 'tx',
      transactionTimeoutMs: TIMEOUT_MS,
      producerId: producer.producerId,
      producerEpoch: producer.producerEpoch,
    };
    const bumped = await coordinator.initProducerId(request);
    expect(bumped).toEqual({ errorCode: ErrorCode.NONE, producerId: producer.producerId, producerEpoch: 1 });
    // The response was lost and the producer asks again with what it had: same answer, no second bump.
    expect(await coordinator.initProducerId(request)).toEqual(bumped);
    const stranger = await coordinator.initProducerId({ ...request, producerId: 99n, producerEpoch: 0 });
    expect(stranger.errorCode).toBe(ErrorCode.PRODUCER_FENCED);
  });

  it('fences the previous instance and aborts its open transaction with a bumped epoch', async () => {
    const { coordinator, producer, markers, store } = await initialized();
    expect(await coordinator.addPartitions(producer, [{ topic: 'orders', partitions: [0, 1] }])).toBe(
      ErrorCode.NONE,
    );
    const again = await coordinator.initProducerId({
      transactionalId: 'tx',
      transactionTimeoutMs: TIMEOUT_MS,
      producerId: -1n,
      producerEpoch: -1,
    });
    // Epoch 1 fenced the old instance and carried the abort markers; the new instance gets epoch 2.
    expect(again).toEqual({ errorCode: ErrorCode.NONE, producerId: producer.producerId, producerEpoch: 2 });
    expect(
      markers.written.map((w) => [w.topic, w.partition, w.marker.commit, w.marker.producerEpoch]),
    ).toEqual([
      ['orders', 0, false, 1],
      ['orders', 1, false, 1],
    ]);
    expect(store.statuses('tx')).toEqual([
      TxnStatus.Empty,
      TxnStatus.Ongoing,
      TxnStatus.PrepareAbort,
      TxnStatus.CompleteAbort,
      TxnStatus.Empty,
    ]);
    // The zombie is refused everywhere.
    expect(await coordinator.addPartitions(producer, [{ topic: 'orders', partitions: [2] }])).toBe(
      ErrorCode.PRODUCER_FENCED,
    );
    expect(await coordinator.endTransaction(producer, true)).toBe(ErrorCode.PRODUCER_FENCED);
    expect(coordinator.checkOffsetCommit(producer, 'g')).toBe(ErrorCode.PRODUCER_FENCED);
  });
});

describe('a transaction from AddPartitionsToTxn to EndTxn', () => {
  it('commits: Ongoing, PrepareCommit, markers on every partition (offsets too), CompleteCommit', async () => {
    const { coordinator, producer, markers, store, clock } = await initialized();
    expect(await coordinator.addPartitions(producer, [{ topic: 'orders', partitions: [1] }])).toBe(
      ErrorCode.NONE,
    );
    await clock.advance(5);
    expect(await coordinator.addPartitions(producer, [{ topic: 'orders', partitions: [0, 1] }])).toBe(
      ErrorCode.NONE,
    );
    expect(await coordinator.addOffsets(producer, 'g')).toBe(ErrorCode.NONE);
    expect(coordinator.checkOffsetCommit(producer, 'g')).toBe(ErrorCode.NONE);
    const [described] = coordinator.describe(['tx']);
    expect(described).toMatchObject({
      state: 'Ongoing',
      producerEpoch: 0,
      timeoutMs: TIMEOUT_MS,
      startTimeMs: clock.now() - 5,
      partitions: [
        { topic: '__consumer_offsets', partitions: [0] },
        { topic: 'orders', partitions: [0, 1] },
      ],
    });
    // Adding partitions already in the transaction writes nothing.
    const writes = store.writes.length;
    expect(await coordinator.addPartitions(producer, [{ topic: 'orders', partitions: [0] }])).toBe(
      ErrorCode.NONE,
    );
    expect(store.writes.length).toBe(writes);

    expect(await coordinator.endTransaction(producer, true)).toBe(ErrorCode.NONE);
    expect(markers.written.map((w) => `${w.topic}-${w.partition}:${w.marker.commit}`)).toEqual([
      '__consumer_offsets-0:true',
      'orders-0:true',
      'orders-1:true',
    ]);
    expect(markers.written[0].marker).toMatchObject({
      producerId: 1000,
      producerEpoch: 0,
      coordinatorEpoch: 0,
    });
    expect(store.statuses('tx')).toEqual([
      TxnStatus.Empty,
      TxnStatus.Ongoing,
      TxnStatus.Ongoing,
      TxnStatus.Ongoing,
      TxnStatus.PrepareCommit,
      TxnStatus.CompleteCommit,
    ]);
    // Every state is flushed before it is acted on, but the last: once the markers are durable, a lost
    // CompleteCommit only means a restart finds PrepareCommit and writes the markers again.
    expect(store.writes.map((w) => w.durability)).toEqual([...Array(5).fill('flushed'), 'appended']);
    expect(store.latest().get('tx')!.partitions).toEqual([]);
    expect(coordinator.describe(['tx'])[0]).toMatchObject({ state: 'CompleteCommit', partitions: [] });

    // A retried commit is answered as before; an abort of a committed transaction is refused.
    expect(await coordinator.endTransaction(producer, true)).toBe(ErrorCode.NONE);
    expect(await coordinator.endTransaction(producer, false)).toBe(ErrorCode.INVALID_TXN_STATE);
    // The next transaction starts from CompleteCommit.
    expect(await coordinator.addPartitions(producer, [{ topic: 'orders', partitions: [2] }])).toBe(
      ErrorCode.NONE,
    );
    expect(coordinator.describe(['tx'])[0].partitions).toEqual([{ topic: 'orders', partitions: [2] }]);
  });

  it('aborts with abort markers, and refuses EndTxn without a transaction', async () => {
    const { coordinator, producer, markers } = await initialized();
    expect(await coordinator.endTransaction(producer, true)).toBe(ErrorCode.INVALID_TXN_STATE);
    await coordinator.addPartitions(producer, [{ topic: 'orders', partitions: [0] }]);
    expect(await coordinator.endTransaction(producer, false)).toBe(ErrorCode.NONE);
    expect(markers.written.map((w) => w.marker.commit)).toEqual([false]);
    expect(await coordinator.endTransaction(producer, false)).toBe(ErrorCode.NONE);
    expect(await coordinator.endTransaction(producer, true)).toBe(ErrorCode.INVALID_TXN_STATE);
  });

  it('refuses unknown producer ids and offsets outside the transaction', async () => {
    const { coordinator, producer } = await initialized();
    const wrongId = { ...producer, producerId: producer.producerId + 1n };
    expect(await coordinator.addPartitions(wrongId, [{ topic: 'orders', partitions: [0] }])).toBe(
      ErrorCode.INVALID_PRODUCER_ID_MAPPING,
    );
    expect(await coordinator.endTransaction({ ...producer, transactionalId: 'nobody' }, true)).toBe(
      ErrorCode.INVALID_PRODUCER_ID_MAPPING,
    );
    expect(coordinator.checkOffsetCommit(producer, 'g')).toBe(ErrorCode.INVALID_TXN_STATE);
    await coordinator.addPartitions(producer, [{ topic: 'orders', partitions: [0] }]);
    expect(coordinator.checkOffsetCommit(producer, 'g')).toBe(ErrorCode.INVALID_TXN_STATE);
  });

  it('answers CONCURRENT_TRANSACTIONS while a transaction is completing', async () => {
    const { coordinator, producer, store } = await initialized();
    await coordinator.addPartitions(producer, [{ topic: 'orders', partitions: [0] }]);
    let open!: () => void;
    store.gate = new Promise((resolve) => (open = resolve));
    const ending = coordinator.endTransaction(producer, true);
    expect(await coordinator.addPartitions(producer, [{ topic: 'orders', partitions: [1] }])).toBe(
      ErrorCode.CONCURRENT_TRANSACTIONS,
    );
    expect(await coordinator.endTransaction(producer, true)).toBe(ErrorCode.CONCURRENT_TRANSACTIONS);
    expect(
      (
        await coordinator.initProducerId({
          transactionalId: 'tx',
          transactionTimeoutMs: TIMEOUT_MS,
          producerId: -1n,
          producerEpoch: -1,
        })
      ).errorCode,
    ).toBe(ErrorCode.CONCURRENT_TRANSACTIONS);
    store.gate = null;
    open();
    expect(await ending).toBe(ErrorCode.NONE);
    expect(coordinator.describe(['tx'])[0].state).toBe('CompleteCommit');
  });

  it('keeps the state when its write fails, and answers a retriable error', async () => {
    const { coordinator, producer, store } = await initialized();
    store.failNext = true;
    expect(await coordinator.addPartitions(producer, [{ topic: 'orders', partitions: [0] }])).toBe(
      ErrorCode.COORDINATOR_NOT_AVAILABLE,
    );
    expect(coordinator.describe(['tx'])[0].state).toBe('Empty');
    expect(await coordinator.addPartitions(producer, [{ topic: 'orders', partitions: [0] }])).toBe(
      ErrorCode.NONE,
    );
  });

  it('writes markers again after a failure until the transaction completes', async () => {
    const { coordinator, producer, markers, clock } = await initialized();
    await coordinator.addPartitions(producer, [{ topic: 'orders', partitions: [0] }]);
    markers.failNext = true;
    // PrepareCommit is durable: the commit is decided, and the client is told so.
    expect(await coordinator.endTransaction(producer, true)).toBe(ErrorCode.NONE);
    expect(coordinator.describe(['tx'])[0].state).toBe('PrepareCommit');
    expect(await coordinator.addPartitions(producer, [{ topic: 'orders', partitions: [0] }])).toBe(
      ErrorCode.CONCURRENT_TRANSACTIONS,
    );
    await clock.advance(1000);
    expect(coordinator.describe(['tx'])[0].state).toBe('CompleteCommit');
    expect(markers.written.map((w) => w.marker.commit)).toEqual([true]);
  });

  it('needs no marker for a partition deleted since it joined the transaction', async () => {
    const { coordinator, producer, markers } = await initialized();
    await coordinator.addPartitions(producer, [
      { topic: 'gone', partitions: [0] },
      { topic: 'orders', partitions: [0] },
    ]);
    markers.missing.add('gone');
    expect(await coordinator.endTransaction(producer, true)).toBe(ErrorCode.NONE);
    expect(coordinator.describe(['tx'])[0].state).toBe('CompleteCommit');
  });
});

describe('transaction timeouts', () => {
  it('aborts a transaction left open past its timeout and fences its producer', async () => {
    const { coordinator, producer, markers, clock } = await initialized();
    await coordinator.addPartitions(producer, [{ topic: 'orders', partitions: [0] }]);
    await clock.advance(TIMEOUT_MS - 1);
    expect(coordinator.describe(['tx'])[0].state).toBe('Ongoing');
    await clock.advance(1);
    expect(coordinator.describe(['tx'])[0]).toMatchObject({ state: 'CompleteAbort', producerEpoch: 1 });
    expect(markers.written).toEqual([
      {
        topic: 'orders',
        partition: 0,
        marker: { producerId: 1000, producerEpoch: 1, coordinatorEpoch: 0, commit: false },
      },
    ]);
    expect(await coordinator.endTransaction(producer, true)).toBe(ErrorCode.PRODUCER_FENCED);
    // A new instance continues after the fenced epoch.
    const next = await coordinator.initProducerId({
      transactionalId: 'tx',
      transactionTimeoutMs: TIMEOUT_MS,
      producerId: -1n,
      producerEpoch: -1,
    });
    expect(next.producerEpoch).toBe(2);
  });

  it('does not expire a transaction that ended in time, and times the next one from its own start', async () => {
    const { coordinator, producer, markers, clock } = await initialized();
    await coordinator.addPartitions(producer, [{ topic: 'orders', partitions: [0] }]);
    await clock.advance(TIMEOUT_MS / 2);
    await coordinator.endTransaction(producer, true);
    await coordinator.addPartitions(producer, [{ topic: 'orders', partitions: [0] }]);
    await clock.advance(TIMEOUT_MS - 1);
    expect(coordinator.describe(['tx'])[0].state).toBe('Ongoing');
    expect(markers.written.map((w) => w.marker.commit)).toEqual([true]);
    await clock.advance(1);
    expect(coordinator.describe(['tx'])[0].state).toBe('CompleteAbort');
  });
});

describe('DescribeTransactions and ListTransactions', () => {
  it('describes known ids, reports unknown ones, and lists with state, producer and duration filters', async () => {
    const setup = await initialized();
    const { coordinator, producer, clock } = setup;
    await initialized(setup, 'idle');
    await coordinator.addPartitions(producer, [{ topic: 'orders', partitions: [0] }]);
    await clock.advance(1000);
    expect(coordinator.describe(['nobody'])[0].errorCode).toBe(ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
    const all = coordinator.list({ states: [], producerIds: [], minDurationMs: -1 });
    expect(all.transactions.map((t) => `${t.transactionalId}:${t.state}`).sort()).toEqual([
      'idle:Empty',
      'tx:Ongoing',
    ]);
    const ongoing = coordinator.list({ states: ['Ongoing', 'Bogus'], producerIds: [], minDurationMs: -1 });
    expect(ongoing.transactions.map((t) => t.transactionalId)).toEqual(['tx']);
    expect(ongoing.unknownStates).toEqual(['Bogus']);
    expect(
      coordinator.list({ states: [], producerIds: [producer.producerId], minDurationMs: -1 }).transactions,
    ).toHaveLength(1);
    expect(coordinator.list({ states: [], producerIds: [], minDurationMs: 999 }).transactions).toHaveLength(
      1,
    );
    expect(coordinator.list({ states: [], producerIds: [], minDurationMs: 1000 }).transactions).toHaveLength(
      0,
    );
  });
});

describe('transactional id expiration', () => {
  it('forgets an id idle past transactional.id.expiration.ms, never one with a transaction open', async () => {
    const DAY_MS = 24 * 3600 * 1000;
    const setup = newTxnCoordinator({
      transactionalIdExpirationMs: DAY_MS,
      maxTransactionTimeoutMs: 2 * DAY_MS,
    });
    const { coordinator, store, clock } = setup;
    await initialized(setup, 'idle');
    const open = await coordinator.initProducerId({
      transactionalId: 'open',
      transactionTimeoutMs: 2 * DAY_MS,
      producerId: -1n,
      producerEpoch: -1,
    });
    const producer = {
      transactionalId: 'open',
      producerId: open.producerId,
      producerEpoch: open.producerEpoch,
    };
    await coordinator.addPartitions(producer, [{ topic: 'orders', partitions: [0] }]);
    await clock.advance(DAY_MS - 1);
    expect(store.tombstones).toEqual([]);
    // Checked hourly, like Kafka: gone at the first check past the expiration.
    await clock.advance(3600 * 1000);
    expect(store.tombstones).toEqual(['idle']);
    expect(coordinator.describe(['idle'])[0].errorCode).toBe(ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
    expect(coordinator.describe(['open'])[0].state).toBe('Ongoing');
    // A producer coming back starts afresh with a new producer id.
    const back = await coordinator.initProducerId({
      transactionalId: 'idle',
      transactionTimeoutMs: TIMEOUT_MS,
      producerId: -1n,
      producerEpoch: -1,
    });
    expect(back).toMatchObject({ errorCode: ErrorCode.NONE, producerEpoch: 0 });
    expect(back.producerId).not.toBe(1000n);
  });
});
