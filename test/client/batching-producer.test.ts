// The batching producer against a real (in-process) Venice broker. Requests are counted on the broker
// side: every Produce request appends one record batch per partition, so the log's batches count them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, type Kafka, type ProducedRecord } from '../../src/client/index.js';
import { startTestBroker } from '../helpers/broker.js';

let broker: Awaited<ReturnType<typeof startTestBroker>>;
let kafka: Kafka;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = openKafka({ bootstrapServers: broker.bootstrap, clientId: 'batching-producer-test' });
});
afterAll(async () => {
  await kafka?.close();
  await broker?.stop();
});

/** Record batches in a partition's log, read straight from the broker's log. */
function batchesInLog(topic: string, partition: number): number {
  const log = broker.context.logs.partition(topic, partition);
  if (!log) throw new Error(`no log for ${topic}-${partition}`);
  let batches = 0;
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    for (const chunk of log.read(offset, 1024 * 1024).records) {
      for (let position = 0; position + 12 <= chunk.length;) {
        const baseOffset = Number(chunk.readBigInt64BE(position));
        const length = chunk.readInt32BE(position + 8);
        const lastOffsetDelta = chunk.readInt32BE(position + 23);
        batches++;
        offset = baseOffset + lastOffsetDelta + 1;
        position += 12 + length;
      }
    }
  }
  return batches;
}

describe('batching producer', () => {
  it('gathers many sends into few requests, and flush waits for every one', async () => {
    await kafka.topics.create({ name: 'lingering', partitions: 1 });
    const producer = kafka.producer({ lingerMs: 50, batchSize: 10_000 });
    const acknowledged: ProducedRecord[] = [];
    for (let index = 0; index < 2_000; index++)
      void producer.send({ topic: 'lingering', value: Buffer.from(`r${index}`) }).then((produced) => {
        acknowledged.push(produced);
      });
    await producer.flush();
    expect(acknowledged).toHaveLength(2_000);
    expect(acknowledged.map((produced) => produced.offset)).toEqual(
      Array.from({ length: 2_000 }, (_, index) => BigInt(index)),
    );
    expect(batchesInLog('lingering', 0)).toBeLessThanOrEqual(3);
    await producer.close();
  });

  it('sends as soon as a batch is full, without waiting out the linger', async () => {
    await kafka.topics.create({ name: 'full-batches', partitions: 2 });
    const producer = kafka.producer({ lingerMs: 60_000, batchSize: 100 });
    const sends = Array.from({ length: 1_000 }, (_, index) =>
      producer.send({ topic: 'full-batches', value: Buffer.from(`r${index}`), partition: index % 2 }),
    );
    // A 60 s linger would time the test out: full batches must have gone without it.
    const produced = await Promise.all(sends);
    expect(new Set(produced.map((entry) => entry.partition))).toEqual(new Set([0, 1]));
    expect(batchesInLog('full-batches', 0)).toBe(10);
    expect(batchesInLog('full-batches', 1)).toBe(10);
    await producer.close();
  });

  it('sends many records with one promise, in order next to single sends, over several requests', async () => {
    await kafka.topics.create({ name: 'many', partitions: 2 });
    const producer = kafka.producer({ lingerMs: 20, batchSize: 300 });
    const records = (from: number, count: number) =>
      Array.from({ length: count }, (_, index) => ({
        topic: 'many',
        value: Buffer.from(`r${from + index}`),
        partition: 0,
      }));
    const first = producer.sendMany(records(0, 1_000));
    const single = producer.send({ topic: 'many', value: Buffer.from('r1000'), partition: 0 });
    const second = producer.sendMany(records(1_001, 999));
    await expect(Promise.all([first, second])).resolves.toEqual([undefined, undefined]);
    expect(await single).toEqual({ topic: 'many', partition: 0, offset: 1_000n });
    // batchSize 300: 2,000 records take at least 7 requests, one batch each.
    expect(batchesInLog('many', 0)).toBeGreaterThanOrEqual(7);
    const values = [];
    for await (const record of kafka.consume({ topic: 'many', from: { kind: 'beginning' }, stopAtEnd: true }))
      values.push(record.value?.toString());
    expect(values).toEqual(Array.from({ length: 2_000 }, (_, index) => `r${index}`));
    await expect(producer.sendMany([])).resolves.toBeUndefined();
    await producer.close();
  });

  it('writes keys, headers and timestamps as given, and stamps records that have none', async () => {
    await kafka.topics.create({ name: 'stamped', partitions: 1 });
    const producer = kafka.producer({ lingerMs: 10 });
    const before = BigInt(Date.now());
    await producer.sendMany([
      {
        topic: 'stamped',
        key: Buffer.from('k'),
        value: Buffer.from('first'),
        headers: [
          { key: 'clé', value: Buffer.from('é') },
          { key: 'empty', value: null },
        ],
        timestamp: 1_000n,
      },
      { topic: 'stamped', value: null },
      { topic: 'stamped', value: Buffer.alloc(300, 'v'), timestamp: 500n },
    ]);
    await producer.close();
    const found = [];
    for await (const record of kafka.consume({
      topic: 'stamped',
      from: { kind: 'beginning' },
      stopAtEnd: true,
    }))
      found.push(record);
    expect(found.map((record) => [record.key?.toString() ?? null, record.value?.length ?? null])).toEqual([
      ['k', 5],
      [null, null],
      [null, 300],
    ]);
    expect(found[0].headers.map((header) => [header.key, header.value?.toString() ?? null])).toEqual([
      ['clé', 'é'],
      ['empty', null],
    ]);
    expect(found[0].timestamp).toBe(1_000n);
    expect(found[1].timestamp).toBeGreaterThanOrEqual(before);
    expect(found[2].timestamp).toBe(500n);
  });

  it('rejects a sendMany when one of its requests is refused', async () => {
    await kafka.topics.create({ name: 'refused-many', partitions: 1 });
    const producer = kafka.producer({ lingerMs: 0, batchSize: 2 });
    const sending = producer.sendMany([
      { topic: 'refused-many', value: null, partition: 0 },
      { topic: 'refused-many', value: null, partition: 0 },
      { topic: 'refused-many', value: null, partition: 7 },
    ]);
    await expect(sending).rejects.toMatchObject({
      kind: 'invalid',
      message: 'topic refused-many has no partition 7 (it has 1)',
    });
    await producer.close();
    await expect(producer.sendMany([{ topic: 'refused-many', value: null }])).rejects.toMatchObject({
      message: 'the producer is closed',
    });
  });

  it('produces idempotently, in order', async () => {
    await kafka.topics.create({ name: 'idempotent', partitions: 1 });
    const producer = kafka.producer({ idempotent: true, lingerMs: 1, batchSize: 50 });
    const produced = await Promise.all(
      Array.from({ length: 500 }, (_, index) =>
        producer.send({ topic: 'idempotent', key: Buffer.from('k'), value: Buffer.from(`r${index}`) }),
      ),
    );
    expect(produced.map((entry) => entry.offset)).toEqual(
      Array.from({ length: 500 }, (_, index) => BigInt(index)),
    );
    const values = [];
    for await (const record of kafka.consume({
      topic: 'idempotent',
      from: { kind: 'beginning' },
      stopAtEnd: true,
    }))
      values.push(record.value?.toString());
    expect(values).toEqual(Array.from({ length: 500 }, (_, index) => `r${index}`));
    await producer.close();
  });

  it('sends with acks 0 without waiting for answers', async () => {
    await kafka.topics.create({ name: 'fire-and-forget', partitions: 1 });
    const producer = kafka.producer({ acks: 0, lingerMs: 1 });
    const produced = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        producer.send({ topic: 'fire-and-forget', value: Buffer.from(`r${index}`) }),
      ),
    );
    expect(new Set(produced.map((entry) => entry.offset))).toEqual(new Set([null]));
    await producer.close();
    // Nothing acknowledged them: wait until they are all in the log.
    const deadline = Date.now() + 10_000;
    while ((await kafka.topics.describe('fire-and-forget')).partitions[0].highOffset < 100n) {
      if (Date.now() > deadline) throw new Error('acks=0 records did not all arrive');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  it('rejects what the broker refuses and bad settings, with a clear reason', async () => {
    await kafka.topics.create({ name: 'refusing', partitions: 1 });
    const producer = kafka.producer({ lingerMs: 0 });
    await expect(producer.send({ topic: 'refusing', value: null, partition: 3 })).rejects.toMatchObject({
      kind: 'invalid',
      message: 'topic refusing has no partition 3 (it has 1)',
    });
    await producer.close();
    await expect(producer.send({ topic: 'refusing', value: null })).rejects.toMatchObject({
      message: 'the producer is closed',
    });
    expect(() => kafka.producer({ idempotent: true, acks: 1 })).toThrow(/needs acks -1/);
    expect(() => kafka.producer({ batchSize: 0 })).toThrow(/batchSize must be/);
  });
});
