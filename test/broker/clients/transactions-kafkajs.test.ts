// Kafka transactions with kafkajs against a real broker process: a transactional producer
// (transactionalId, idempotent) sending offsets in a transaction, committing and aborting, and fenced
// by a newer instance with the same transactional id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { spawnBroker, temporaryDataDir, type BrokerProcess } from '../../helpers/broker.js';

const TOPIC = 'transfers';

let broker: BrokerProcess;
let admin: Admin;
const producers: Producer[] = [];

function client(): Kafka {
  return new Kafka({
    clientId: 'venice-test',
    brokers: [`127.0.0.1:${broker.port}`],
    logLevel: logLevel.NOTHING,
    retry: { retries: 3 },
  });
}

async function transactionalProducer(transactionalId: string): Promise<Producer> {
  const producer = client().producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  producers.push(producer);
  return producer;
}

async function committedOffset(groupId: string): Promise<string> {
  const [topic] = await admin.fetchOffsets({ groupId, topics: [TOPIC] });
  return topic.partitions.find((p) => p.partition === 0)!.offset;
}

async function highWatermark(): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(TOPIC);
  return Number(offsets.find((p) => p.partition === 0)!.high);
}

function offsetsOf(groupId: string, offset: number) {
  return {
    consumerGroupId: groupId,
    topics: [{ topic: TOPIC, partitions: [{ partition: 0, offset: String(offset) }] }],
  };
}

beforeAll(async () => {
  broker = await spawnBroker(temporaryDataDir('txn-kafkajs'));
  admin = client().admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }] });
});

afterAll(async () => {
  for (const producer of producers) await producer.disconnect().catch(() => {});
  await admin?.disconnect();
  broker?.child.kill('SIGKILL');
});

describe('kafkajs transactions', () => {
  it('makes offsets sent in a transaction visible only once it commits', async () => {
    const producer = await transactionalProducer('kjs-offsets');
    const transaction = await producer.transaction();
    await transaction.sendOffsets(offsetsOf('kjs-readers', 4));
    expect(await committedOffset('kjs-readers')).toBe('-1');
    await transaction.commit();
    expect(await committedOffset('kjs-readers')).toBe('4');
  });

  it('drops offsets sent in an aborted transaction', async () => {
    const producer = await transactionalProducer('kjs-abort-offsets');
    const first = await producer.transaction();
    await first.sendOffsets(offsetsOf('kjs-abort-readers', 2));
    await first.commit();
    const second = await producer.transaction();
    await second.sendOffsets(offsetsOf('kjs-abort-readers', 9));
    await second.abort();
    expect(await committedOffset('kjs-abort-readers')).toBe('2');
  });

  it('fences the older producer once a new one with the same transactionalId connects', async () => {
    const zombie = await transactionalProducer('kjs-fenced');
    const transaction = await zombie.transaction();
    await transaction.sendOffsets(offsetsOf('kjs-fenced-readers', 1));
    const successor = await transactionalProducer('kjs-fenced');
    // kafkajs sends InitProducerId when the first transaction begins.
    const next = await successor.transaction();
    // kafkajs speaks EndTxn v0-1, so the fencing answer is INVALID_PRODUCER_EPOCH (PRODUCER_FENCED from v2).
    await expect(transaction.commit()).rejects.toMatchObject({
      type: expect.stringMatching(/INVALID_PRODUCER_EPOCH|PRODUCER_FENCED/),
    });
    // The successor's InitProducerId aborted the zombie's transaction: its offsets are gone.
    expect(await committedOffset('kjs-fenced-readers')).toBe('-1');
    await next.sendOffsets(offsetsOf('kjs-fenced-readers', 6));
    await next.commit();
    expect(await committedOffset('kjs-fenced-readers')).toBe('6');
  });
});

// Transactional produce and read_committed filtering are the partition side's part (txn-log branch):
// until both branches are merged, the broker refuses transactional batches and these fail.
describe('kafkajs transactions: needs partition-side transactions', () => {
  it('commits records with offsets, aborts others, and a read_committed consumer sees only the committed', async () => {
    const producer = await transactionalProducer('kjs-records');
    const before = await highWatermark();
    const kept = await producer.transaction();
    await kept.send({ topic: TOPIC, messages: [0, 1, 2].map((i) => ({ partition: 0, value: `kept-${i}` })) });
    await kept.sendOffsets(offsetsOf('kjs-pipeline', 3));
    await kept.commit();
    // Three records and the commit marker.
    expect(await highWatermark()).toBe(before + 4);
    expect(await committedOffset('kjs-pipeline')).toBe('3');

    const dropped = await producer.transaction();
    await dropped.send({
      topic: TOPIC,
      messages: [0, 1].map((i) => ({ partition: 0, value: `dropped-${i}` })),
    });
    await dropped.abort();
    expect(await highWatermark()).toBe(before + 7);

    const consumer = client().consumer({ groupId: 'kjs-read-committed', readUncommitted: false });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    const values: string[] = [];
    let caughtUp!: () => void;
    const done = new Promise<void>((resolve) => (caughtUp = resolve));
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) values.push(message.value!.toString());
        if (Number(batch.highWatermark) >= before + 7 && Number(batch.lastOffset()) >= before + 5) caughtUp();
      },
    });
    await done;
    await consumer.disconnect();
    expect(values.filter((v) => v.startsWith('kept-'))).toEqual(['kept-0', 'kept-1', 'kept-2']);
    expect(values.filter((v) => v.startsWith('dropped-'))).toEqual([]);
  });
});
