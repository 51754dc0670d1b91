// read_committed through the broker: Produce accepts transactional batches when the request names a
// transactional id, Fetch stops at the last stable offset and lists the aborted transactions, ListOffsets
// answers the LSO, a long poll wakes when a marker makes data stable, and kcat (librdkafka) in
// read_committed mode skips aborted records. Until the transaction coordinator is merged, the markers are
// appended the way it writes them: one control batch through the partition log, in this process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { startTestBroker, temporaryDataDir } from '../../helpers/broker.js';
import { runKcat } from '../../helpers/kcat.js';
import { waitFor } from '../../helpers/wait.js';
import { RawClient } from '../../helpers/raw-client.js';
import { ApiKey } from '../../../src/protocol/generated/apis.js';
import { ErrorCode } from '../../../src/protocol/error-codes.js';
import { batchSize, readBatchInfo } from '../../../src/protocol/records/batch-header.js';
import { decodeBatch, encodeBatch } from '../../../src/protocol/records/record-codec.js';
import type { RunningBroker } from '../../../src/broker/main.js';
import { markerBatch, txnBatch, txnProducer, type TxnProducer } from '../log/txn-batches.js';

const READ_UNCOMMITTED = 0;
const READ_COMMITTED = 1;
/** Far longer than a wake-up takes: a missed wake-up shows as a test timeout, not a flaky assert. */
const MAX_WAIT_MS = 20_000;

let dataDir: string;
let broker: RunningBroker & { bootstrap: string };
let raw: RawClient;

async function initProducer(): Promise<TxnProducer> {
  const answer = await raw.send(ApiKey.InitProducerId, 4, {
    transactionalId: null,
    transactionTimeoutMs: 60_000,
    producerId: -1n,
    producerEpoch: -1,
  });
  expect(answer.errorCode).toBe(ErrorCode.NONE);
  return txnProducer(Number(answer.producerId), answer.producerEpoch);
}

async function produce(topic: string, batch: Buffer, transactionalId: string | null) {
  const response = await raw.send(ApiKey.Produce, 9, {
    transactionalId,
    acks: -1,
    timeoutMs: 5000,
    topicData: [{ name: topic, partitionData: [{ index: 0, records: batch }] }],
  });
  return response.responses[0].partitionResponses[0];
}

async function produceOk(
  topic: string,
  batch: Buffer,
  transactionalId: string | null = 'tx',
): Promise<number> {
  const answer = await produce(topic, batch, transactionalId);
  expect(answer.errorMessage).toBeNull();
  expect(answer.errorCode).toBe(ErrorCode.NONE);
  return Number(answer.baseOffset);
}

/** What the coordinator's WriteTxnMarkers does on this partition. */
function writeMarker(topic: string, producer: TxnProducer, commit: boolean): number {
  const result = broker.context.logs.partition(topic, 0)!.append([markerBatch(producer, commit)]);
  expect(result.errorCode).toBe(ErrorCode.NONE);
  return result.baseOffset;
}

function fetch(client: RawClient, topic: string, fetchOffset: number, isolationLevel: number, maxWaitMs = 0) {
  return client.send(ApiKey.Fetch, 12, {
    maxWaitMs,
    minBytes: 1,
    isolationLevel,
    topics: [
      {
        topic,
        topicId: '0'.repeat(32),
        partitions: [
          {
            partition: 0,
            currentLeaderEpoch: -1,
            fetchOffset: BigInt(fetchOffset),
            lastFetchedEpoch: -1,
            logStartOffset: -1n,
            partitionMaxBytes: 1 << 20,
            replicaDirectoryId: '0'.repeat(32),
          },
        ],
      },
    ],
  });
}

async function fetchPartition(topic: string, fetchOffset: number, isolationLevel: number) {
  const response = await fetch(raw, topic, fetchOffset, isolationLevel);
  const partition = response.responses[0].partitions[0];
  expect(partition.errorCode).toBe(ErrorCode.NONE);
  const batches: { baseOffset: number; lastOffset: number; control: boolean; values: string[] }[] = [];
  const data = Buffer.isBuffer(partition.records)
    ? partition.records
    : Buffer.concat((partition.records ?? []) as Buffer[]);
  for (let at = 0; at < data.length; at += batchSize(data, at)) {
    const batch = data.subarray(at, at + batchSize(data, at));
    const info = readBatchInfo(batch);
    batches.push({
      baseOffset: Number(info.baseOffset),
      lastOffset: Number(info.baseOffset) + info.lastOffsetDelta,
      control: info.isControl,
      values: info.isControl ? [] : decodeBatch(batch).records.map((record) => record.value!.toString()),
    });
  }
  return {
    highWatermark: Number(partition.highWatermark),
    lastStableOffset: Number(partition.lastStableOffset),
    aborted: partition.abortedTransactions?.map((txn) => ({
      producerId: Number(txn.producerId),
      firstOffset: Number(txn.firstOffset),
    })),
    batches,
  };
}

async function latest(topic: string, isolationLevel: number): Promise<number> {
  const response = await raw.send(ApiKey.ListOffsets, 7, {
    replicaId: -1,
    isolationLevel,
    topics: [
      {
        name: topic,
        partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1n, maxNumOffsets: 1 }],
      },
    ],
  });
  const partition = response.topics[0].partitions[0];
  expect(partition.errorCode).toBe(ErrorCode.NONE);
  return Number(partition.offset);
}

const plain = (value: string) => encodeBatch({ records: [{ value }] });

describe('transactional data through the broker', () => {
  beforeAll(async () => {
    dataDir = temporaryDataDir('txn-partition');
    broker = await startTestBroker({ dataDir });
    raw = await RawClient.connect(broker.port);
  });

  afterAll(async () => {
    raw.close();
    await broker.stop();
  });

  it('refuses a transactional batch in a request without a transactional id', async () => {
    broker.context.logs.createTopic('refused', 1);
    const producer = await initProducer();
    const answer = await produce('refused', txnBatch(producer, ['x']), null);
    expect(answer.errorCode).toBe(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    expect(answer.errorMessage).toMatch(/transactional id/);
    expect(broker.context.logs.partition('refused', 0)!.logEndOffset).toBe(0);
  });

  it('stops read_committed fetches and ListOffsets at the first open transaction, and lists aborted ones', async () => {
    broker.context.logs.createTopic('ledger', 1);
    const a = await initProducer();
    const b = await initProducer();
    await produceOk('ledger', plain('before'), null); // 0
    await produceOk('ledger', txnBatch(a, ['a-aborted-1', 'a-aborted-2'])); // 1-2
    await produceOk('ledger', txnBatch(b, ['b-committed'])); // 3
    await produceOk('ledger', plain('between'), null); // 4

    let committed = await fetchPartition('ledger', 0, READ_COMMITTED);
    expect(committed.highWatermark).toBe(5);
    expect(committed.lastStableOffset).toBe(1);
    expect(committed.batches.map((batch) => batch.values)).toEqual([['before']]);
    expect(committed.aborted).toEqual([]);
    expect(await latest('ledger', READ_COMMITTED)).toBe(1);
    expect(await latest('ledger', READ_UNCOMMITTED)).toBe(5);
    // At the LSO a read_committed fetch gets nothing, without an error.
    expect((await fetchPartition('ledger', 1, READ_COMMITTED)).batches).toEqual([]);
    // read_uncommitted is unchanged: everything to the high watermark, no aborted list.
    const uncommitted = await fetchPartition('ledger', 0, READ_UNCOMMITTED);
    expect(uncommitted.batches.map((batch) => batch.baseOffset)).toEqual([0, 1, 3, 4]);
    expect(uncommitted.aborted).toBeUndefined();
    expect(uncommitted.lastStableOffset).toBe(1);

    const abortAt = writeMarker('ledger', a, false); // 5
    expect((await fetchPartition('ledger', 0, READ_COMMITTED)).lastStableOffset).toBe(3);
    writeMarker('ledger', b, true); // 6
    committed = await fetchPartition('ledger', 0, READ_COMMITTED);
    expect(committed.lastStableOffset).toBe(7);
    expect(committed.highWatermark).toBe(7);
    expect(committed.aborted).toEqual([{ producerId: a.producerId, firstOffset: 1 }]);
    expect(committed.batches.map((batch) => batch.baseOffset)).toEqual([0, 1, 3, 4, 5, 6]);
    expect(committed.batches.filter((batch) => batch.control).map((batch) => batch.baseOffset)).toEqual([
      abortAt,
      6,
    ]);
    expect(await latest('ledger', READ_COMMITTED)).toBe(7);
    // A fetch from past the aborted transaction's marker gets no entry for it.
    expect((await fetchPartition('ledger', 6, READ_COMMITTED)).aborted).toEqual([]);
  });

  it('wakes a waiting read_committed fetch when a marker makes the data stable', async () => {
    broker.context.logs.createTopic('waiting', 1);
    const producer = await initProducer();
    const fetcher = await RawClient.connect(broker.port);
    try {
      await produceOk('waiting', txnBatch(producer, ['pending'])); // 0: open, not readable yet
      const started = Date.now();
      const fetching = fetch(fetcher, 'waiting', 0, READ_COMMITTED, MAX_WAIT_MS);
      // A transactional append alone makes nothing stable: the fetch stays parked.
      await produceOk('waiting', txnBatch(producer, ['pending-2'])); // 1
      const early = await Promise.race([
        fetching.then(() => true),
        new Promise((r) => setTimeout(r, 300, false)),
      ]);
      expect(early, 'the fetch was answered before the transaction ended').toBe(false);
      writeMarker('waiting', producer, true);
      const partition = (await fetching).responses[0].partitions[0];
      expect(Number(partition.lastStableOffset)).toBe(3);
      expect((partition.records as Buffer).length).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(MAX_WAIT_MS);
    } finally {
      fetcher.close();
    }
  });

  it('keeps the LSO, open transactions and the aborted list over a broker restart', async () => {
    broker.context.logs.createTopic('durable', 1);
    const a = await initProducer();
    const b = await initProducer();
    await produceOk('durable', txnBatch(a, ['a0'])); // 0
    writeMarker('durable', a, false); // 1
    await produceOk('durable', plain('p'), null); // 2
    await produceOk('durable', txnBatch(b, ['b-open'])); // 3
    const before = await fetchPartition('durable', 0, READ_COMMITTED);
    expect(before.lastStableOffset).toBe(3);

    raw.close();
    await broker.stop();
    broker = await startTestBroker({ dataDir });
    raw = await RawClient.connect(broker.port);

    const after = await fetchPartition('durable', 0, READ_COMMITTED);
    expect(after).toEqual(before);
    expect(after.aborted).toEqual([{ producerId: a.producerId, firstOffset: 0 }]);
    writeMarker('durable', b, true);
    expect(await latest('durable', READ_COMMITTED)).toBe(5);
  });

  it('drops aborted transactions below the new log start on DeleteRecords', async () => {
    broker.context.logs.createTopic('trimmed', 1);
    const a = await initProducer();
    await produceOk('trimmed', txnBatch(a, ['gone'])); // 0
    writeMarker('trimmed', a, false); // 1
    await produceOk('trimmed', txnBatch(a, ['kept'])); // 2
    writeMarker('trimmed', a, false); // 3
    await produceOk('trimmed', plain('p'), null); // 4
    expect((await fetchPartition('trimmed', 0, READ_COMMITTED)).aborted).toEqual([
      { producerId: a.producerId, firstOffset: 0 },
      { producerId: a.producerId, firstOffset: 2 },
    ]);
    const deleted = await raw.send(ApiKey.DeleteRecords, 2, {
      timeoutMs: 5000,
      topics: [{ name: 'trimmed', partitions: [{ partitionIndex: 0, offset: 2n }] }],
    });
    expect(deleted.topics[0].partitions[0].errorCode).toBe(ErrorCode.NONE);
    expect(broker.context.logs.partition('trimmed', 0)!.abortedIndexEntries()).toEqual([
      { producerId: a.producerId, firstOffset: 2, lastOffset: 3 },
    ]);
    const after = await fetchPartition('trimmed', 2, READ_COMMITTED);
    expect(after.aborted).toEqual([{ producerId: a.producerId, firstOffset: 2 }]);
  });

  it('lets kcat and kafkajs read_committed skip aborted records that read_uncommitted prints', async () => {
    broker.context.logs.createTopic('kcat-txn', 1);
    const a = await initProducer();
    const b = await initProducer();
    await produceOk('kcat-txn', plain('plain-1'), null);
    await produceOk('kcat-txn', txnBatch(a, ['aborted-1', 'aborted-2']));
    await produceOk('kcat-txn', txnBatch(b, ['committed-1']));
    await produceOk('kcat-txn', txnBatch(a, ['aborted-3']));
    writeMarker('kcat-txn', a, false);
    await produceOk('kcat-txn', txnBatch(b, ['committed-2']));
    writeMarker('kcat-txn', b, true);
    await produceOk('kcat-txn', plain('plain-2'), null);

    const consume = (isolation: string) =>
      runKcat([
        '-C',
        '-b',
        broker.bootstrap,
        '-t',
        'kcat-txn',
        '-p',
        '0',
        '-o',
        'beginning',
        '-e',
        '-q',
        '-f',
        '%s\\n',
        '-X',
        `isolation.level=${isolation}`,
      ]);
    const committed = await consume('read_committed');
    expect(committed.code, committed.stderr).toBe(0);
    expect(committed.stdout.trim().split('\n')).toEqual(['plain-1', 'committed-1', 'committed-2', 'plain-2']);
    // kafkajs reads read_committed by default, and filters with the same aborted list.
    const kafka = new Kafka({
      clientId: 'venice-txn-test',
      brokers: [broker.bootstrap],
      logLevel: logLevel.NOTHING,
    });
    const consumer = kafka.consumer({
      groupId: 'txn-reader',
      sessionTimeout: 10_000,
      heartbeatInterval: 500,
    });
    const seen: string[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: 'kcat-txn', fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          seen.push(message.value!.toString());
        },
      });
      await waitFor(() => seen.includes('plain-2'), { what: 'kafkajs to read up to the last record' });
    } finally {
      await consumer.disconnect();
    }
    expect(seen).toEqual(['plain-1', 'committed-1', 'committed-2', 'plain-2']);

    const uncommitted = await consume('read_uncommitted');
    expect(uncommitted.code, uncommitted.stderr).toBe(0);
    expect(uncommitted.stdout.trim().split('\n')).toEqual([
      'plain-1',
      'aborted-1',
      'aborted-2',
      'committed-1',
      'aborted-3',
      'committed-2',
      'plain-2',
    ]);
  });
});
