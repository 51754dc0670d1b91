// The transactional producer against a real (in-process) Venice broker: committed records are seen by
// read_committed readers (every reader of this client), aborted ones never; a group's offsets move only
// when the transaction commits; a newer producer with the same transactional id fences the older one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KafkaClientError,
  openKafka,
  type GroupConsumer,
  type Kafka,
  type PartitionBatch,
} from '../../src/client/index.js';
import { startTestBroker } from '../helpers/broker.js';

let broker: Awaited<ReturnType<typeof startTestBroker>>;
let kafka: Kafka;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = openKafka({ bootstrapServers: broker.bootstrap, clientId: 'transactional-producer-test' });
});
afterAll(async () => {
  await kafka?.close();
  await broker?.stop();
});

const values = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, index) => Buffer.from(`${prefix}-${index}`));

/** Every committed value of the topic, read to its (last stable) end. */
async function readAll(topic: string): Promise<string[]> {
  const seen: string[] = [];
  for await (const record of kafka.consume({ topic, from: { kind: 'beginning' }, stopAtEnd: true }))
    seen.push(record.value?.toString() ?? '');
  return seen;
}

async function pollRecords(consumer: GroupConsumer, wanted: number): Promise<PartitionBatch[]> {
  const seen: PartitionBatch[] = [];
  const deadline = Date.now() + 20_000;
  while (seen.reduce((sum, batch) => sum + batch.records.length, 0) < wanted) {
    if (Date.now() > deadline) throw new Error('records did not arrive in time');
    seen.push(...(await consumer.poll(200)));
  }
  return seen;
}

describe('transactional producer', () => {
  it('makes committed records visible and aborted ones never', async () => {
    const topic = 'txn-visibility';
    await kafka.topics.create({ name: topic, partitions: 3 });
    const producer = kafka.transactionalProducer({ transactionalId: 'txn-visibility-1' });
    try {
      await producer.begin();
      await producer.send(values('aborted', 30).map((value) => ({ topic, key: value, value })));
      await producer.abort();

      await producer.begin();
      await producer.send(values('committed', 30).map((value) => ({ topic, key: value, value })));
      // Open: a read_committed reader stops at the last stable offset and sees nothing of it yet.
      expect(await readAll(topic)).toEqual([]);
      await producer.commit();

      const seen = await readAll(topic);
      expect(seen.sort()).toEqual(values('committed', 30).map(String).sort());
    } finally {
      await producer.close();
    }
  });

  it('sends large transactions in requests under max.message.bytes', async () => {
    const topic = 'txn-large';
    await kafka.topics.create({ name: topic, partitions: 1 });
    const producer = kafka.transactionalProducer({ transactionalId: 'txn-large-1' });
    try {
      await producer.begin();
      const big = Buffer.alloc(1_000, 'x');
      await producer.send(Array.from({ length: 3_000 }, () => ({ topic, value: big })));
      await producer.commit();
      expect((await readAll(topic)).length).toBe(3_000);
    } finally {
      await producer.close();
    }
  });

  it('commits a group’s offsets only with the transaction', async () => {
    const input = 'txn-offsets-in';
    const output = 'txn-offsets-out';
    const group = 'txn-offsets-group';
    await kafka.topics.create({ name: input, partitions: 1 });
    await kafka.topics.create({ name: output, partitions: 1 });
    await kafka.produce(values('in', 10).map((value) => ({ topic: input, value })));
    const consumer = kafka.consumer({ group, topics: [input], fallback: 'earliest' });
    const producer = kafka.transactionalProducer({ transactionalId: 'txn-offsets-1' });
    try {
      const [batch] = await pollRecords(consumer, 10);
      const offsets = [{ topic: input, partition: 0, offset: batch.nextOffset }];

      await producer.begin();
      await producer.send([{ topic: output, value: Buffer.from('first try') }]);
      await producer.sendOffsets(offsets, consumer.groupMetadata());
      await producer.abort();
      const afterAbort = await kafka.groups.describe(group);
      expect(afterAbort.offsets.find((entry) => entry.topic === input)?.committedOffset ?? null).toBeNull();

      await producer.begin();
      await producer.send([{ topic: output, value: Buffer.from('second try') }]);
      await producer.sendOffsets(offsets, consumer.groupMetadata());
      await producer.commit();
      const afterCommit = await kafka.groups.describe(group);
      expect(afterCommit.offsets.find((entry) => entry.topic === input)?.committedOffset).toBe(10n);
      expect(await readAll(output)).toEqual(['second try']);
    } finally {
      await producer.close();
      await consumer.close();
    }
  });

  it('refuses offsets from a member of an older generation (KIP-447)', async () => {
    const input = 'txn-zombie-in';
    await kafka.topics.create({ name: input, partitions: 1 });
    await kafka.produce([{ topic: input, value: Buffer.from('x') }]);
    const consumer = kafka.consumer({ group: 'txn-zombie-group', topics: [input], fallback: 'earliest' });
    const producer = kafka.transactionalProducer({ transactionalId: 'txn-zombie-1' });
    try {
      await pollRecords(consumer, 1);
      const current = consumer.groupMetadata();
      await producer.begin();
      const stale = { ...current, generationId: current.generationId - 1 };
      await expect(producer.sendOffsets([{ topic: input, partition: 0, offset: 1n }], stale)).rejects.toThrow(
        KafkaClientError,
      );
      await producer.abort();
    } finally {
      await producer.close();
      await consumer.close();
    }
  });

  it('fences an older producer with the same transactional id and aborts its open transaction', async () => {
    const topic = 'txn-fencing';
    await kafka.topics.create({ name: topic, partitions: 1 });
    const older = kafka.transactionalProducer({ transactionalId: 'txn-fencing-1' });
    const newer = kafka.transactionalProducer({ transactionalId: 'txn-fencing-1' });
    try {
      await older.begin();
      await older.send([{ topic, value: Buffer.from('from the older one') }]);
      await newer.init();

      const refused = await older.commit().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(KafkaClientError);
      expect((refused as KafkaClientError).kafkaError).toBe('PRODUCER_FENCED');
      expect((refused as KafkaClientError).message).toMatch(/fenced: a newer producer with the same id/);
      await expect(older.begin()).rejects.toThrow(/fenced/);

      await newer.begin();
      await newer.send([{ topic, value: Buffer.from('from the newer one') }]);
      await newer.commit();
      expect(await readAll(topic)).toEqual(['from the newer one']);
    } finally {
      await older.close();
      await newer.close();
    }
  });
});
