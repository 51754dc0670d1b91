// The Kafka client module against a real (in-process) Venice broker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, KafkaClientError, type ConsumedRecord, type Kafka } from '../../src/client/index.js';
import { startTestBroker } from '../helpers/broker.js';
import { waitFor } from '../helpers/wait.js';

let broker: Awaited<ReturnType<typeof startTestBroker>>;
let kafka: Kafka;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = openKafka({ bootstrapServers: broker.bootstrap, clientId: 'client-test' });
});
afterAll(async () => {
  await kafka?.close();
  await broker?.stop();
});

async function collect(records: AsyncIterable<ConsumedRecord>): Promise<ConsumedRecord[]> {
  const found: ConsumedRecord[] = [];
  for await (const record of records) found.push(record);
  return found;
}

const text = (buffer: Buffer | null) => buffer?.toString() ?? null;

describe('topics', () => {
  it('creates, lists, describes, alters and deletes a topic', async () => {
    await kafka.topics.create({
      name: 'admin-a',
      partitions: 3,
      replicationFactor: 1,
      configs: { 'retention.ms': '60000' },
    });
    const listed = await kafka.topics.list();
    expect(listed).toContainEqual({ name: 'admin-a', partitions: 3, replicationFactor: 1, internal: false });

    await kafka.produce([{ topic: 'admin-a', value: Buffer.from('x'), partition: 2 }]);
    const described = await kafka.topics.describe('admin-a');
    expect(described.partitions.map((partition) => partition.messages)).toEqual([0n, 0n, 1n]);
    expect(described.partitions[2]).toMatchObject({
      lowOffset: 0n,
      highOffset: 1n,
      leader: expect.any(Number),
    });
    expect(described.configs.find((config) => config.name === 'retention.ms')).toMatchObject({
      value: '60000',
      source: 'topic',
    });
    expect(described.configs.find((config) => config.name === 'cleanup.policy')?.source).toBe('default');

    await kafka.topics.alterConfig('admin-a', {
      set: { 'cleanup.policy': 'compact' },
      delete: ['retention.ms'],
    });
    const altered = await kafka.topics.describe('admin-a');
    expect(altered.configs.find((config) => config.name === 'cleanup.policy')).toMatchObject({
      value: 'compact',
      source: 'topic',
    });
    expect(altered.configs.find((config) => config.name === 'retention.ms')?.source).toBe('default');

    await kafka.topics.delete(['admin-a']);
    expect((await kafka.topics.list()).map((topic) => topic.name)).not.toContain('admin-a');
  });

  it('reports a missing topic and a duplicate one by kind', async () => {
    await expect(kafka.topics.describe('no-such-topic')).rejects.toMatchObject({
      kind: 'not-found',
      message: 'topic no-such-topic does not exist',
    });
    await expect(kafka.topics.delete(['no-such-topic'])).rejects.toMatchObject({ kind: 'not-found' });
    await kafka.topics.create({ name: 'admin-dup', partitions: 1 });
    await expect(kafka.topics.create({ name: 'admin-dup', partitions: 1 })).rejects.toMatchObject({
      kind: 'already-exists',
    });
  });
});

describe('produce and consume', () => {
  it('round-trips keys, values, headers, partitions and timestamps', async () => {
    await kafka.topics.create({ name: 'trip', partitions: 2 });
    const produced = await kafka.produce([
      {
        topic: 'trip',
        key: Buffer.from('k1'),
        value: Buffer.from('v1'),
        headers: [
          { key: 'h', value: Buffer.from('1') },
          { key: 'h', value: Buffer.from('2') },
        ],
        partition: 0,
        timestamp: 1_000n,
      },
      { topic: 'trip', key: null, value: null, partition: 0, timestamp: 2_000n },
      { topic: 'trip', key: Buffer.from('k3'), value: Buffer.from('v3'), partition: 1, timestamp: 3_000n },
    ]);
    expect(produced).toEqual([
      { topic: 'trip', partition: 0, offset: 0n },
      { topic: 'trip', partition: 0, offset: 1n },
      { topic: 'trip', partition: 1, offset: 0n },
    ]);
    const records = await collect(
      kafka.consume({ topic: 'trip', from: { kind: 'beginning' }, stopAtEnd: true }),
    );
    records.sort((a, b) => a.partition - b.partition || Number(a.offset - b.offset));
    expect(
      records.map((record) => [
        record.partition,
        record.offset,
        text(record.key),
        text(record.value),
        record.timestamp,
      ]),
    ).toEqual([
      [0, 0n, 'k1', 'v1', 1_000n],
      [0, 1n, null, null, 2_000n],
      [1, 0n, 'k3', 'v3', 3_000n],
    ]);
    expect(records[0].headers.map((header) => [header.key, text(header.value)])).toEqual([
      ['h', '1'],
      ['h', '2'],
    ]);
  });

  it('spreads keyed records by murmur2 like Java, so one key always lands on one partition', async () => {
    await kafka.topics.create({ name: 'keyed', partitions: 4 });
    const produced = await kafka.produce(
      ['a', 'b', 'a', 'c', 'b'].map((key) => ({
        topic: 'keyed',
        key: Buffer.from(key),
        value: Buffer.from(key),
      })),
    );
    const byKey = new Map<string, Set<number>>();
    produced.forEach((entry, index) => {
      const key = ['a', 'b', 'a', 'c', 'b'][index];
      byKey.set(key, (byKey.get(key) ?? new Set()).add(entry.partition));
    });
    for (const partitions of byKey.values()) expect(partitions.size).toBe(1);
  });

  it('starts from an offset, a timestamp or the tail, and stops at a count', async () => {
    await kafka.topics.create({ name: 'positions', partitions: 1 });
    await kafka.produce(
      Array.from({ length: 10 }, (_, index) => ({
        topic: 'positions',
        value: Buffer.from(`m${index}`),
        timestamp: BigInt(10_000 + index * 1000),
      })),
    );
    const values = async (options: Parameters<Kafka['consume']>[0]) =>
      (await collect(kafka.consume(options))).map((record) => text(record.value));
    expect(
      await values({ topic: 'positions', from: { kind: 'offset', offset: 7n }, stopAtEnd: true }),
    ).toEqual(['m7', 'm8', 'm9']);
    expect(
      await values({ topic: 'positions', from: { kind: 'timestamp', timestamp: 17_500n }, stopAtEnd: true }),
    ).toEqual(['m8', 'm9']);
    expect(await values({ topic: 'positions', from: { kind: 'tail', count: 2 }, stopAtEnd: true })).toEqual([
      'm8',
      'm9',
    ]);
    expect(await values({ topic: 'positions', from: { kind: 'beginning' }, count: 3 })).toEqual([
      'm0',
      'm1',
      'm2',
    ]);
    expect(await values({ topic: 'positions', from: { kind: 'end' }, stopAtEnd: true })).toEqual([]);
  });

  it('follows new records until aborted', async () => {
    await kafka.topics.create({ name: 'follow', partitions: 1 });
    await kafka.produce([{ topic: 'follow', value: Buffer.from('before') }]);
    const controller = new AbortController();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const record of kafka.consume({
        topic: 'follow',
        from: { kind: 'end' },
        signal: controller.signal,
      })) {
        seen.push(text(record.value) ?? '');
        if (seen.at(-1) === 'two') controller.abort();
      }
    })();
    // The reader is following once it sees a record produced after it started: send markers until one
    // arrives, then the records under test.
    await waitFor(
      async () => {
        await kafka.produce([{ topic: 'follow', value: Buffer.from('marker') }]);
        return seen.length > 0;
      },
      { what: 'the reader to see a marker produced after it started', intervalMs: 100 },
    );
    await kafka.produce([{ topic: 'follow', value: Buffer.from('one') }]);
    await kafka.produce([{ topic: 'follow', value: Buffer.from('two') }]);
    await reading;
    // Started at the end: nothing from before it, then markers, then the new records in order.
    expect(seen.slice(-2)).toEqual(['one', 'two']);
    expect(new Set(seen.slice(0, -2))).toEqual(new Set(['marker']));
  });

  it('reports consuming an unknown topic as not found', async () => {
    await expect(collect(kafka.consume({ topic: 'absent', stopAtEnd: true }))).rejects.toMatchObject({
      kind: 'not-found',
    });
  });
});

describe('groups', () => {
  it('shows lag, refuses a reset while active, and resets and deletes once inactive', async () => {
    await kafka.topics.create({ name: 'grouped', partitions: 2 });
    await kafka.produce(
      Array.from({ length: 10 }, (_, index) => ({
        topic: 'grouped',
        value: Buffer.from(`g${index}`),
        partition: index % 2,
      })),
    );
    const first = await collect(
      kafka.consume({ topic: 'grouped', group: 'readers', from: { kind: 'beginning' }, count: 10 }),
    );
    expect(first).toHaveLength(10);
    await kafka.produce(
      Array.from({ length: 3 }, () => ({ topic: 'grouped', value: Buffer.from('late'), partition: 0 })),
    );

    expect((await kafka.groups.list()).find((group) => group.id === 'readers')).toMatchObject({
      state: 'Empty',
    });
    const described = await kafka.groups.describe('readers');
    expect(described.members).toEqual([]);
    expect(
      described.offsets.map((entry) => [entry.partition, entry.committedOffset, entry.endOffset, entry.lag]),
    ).toEqual([
      [0, 5n, 8n, 3n],
      [1, 5n, 5n, 0n],
    ]);
    expect(described.totalLag).toBe(3n);

    // While a member is consuming, a reset is refused.
    const controller = new AbortController();
    const active = collect(kafka.consume({ topic: 'grouped', group: 'readers', signal: controller.signal }));
    await waitFor(async () => (await kafka.groups.describe('readers')).members.length === 1, {
      what: 'the reader to join group readers',
    });
    const busy = await kafka.groups.describe('readers');
    expect(busy.members[0].assignments).toEqual([{ topic: 'grouped', partitions: [0, 1] }]);
    await expect(
      kafka.groups.resetOffsets({
        group: 'readers',
        topic: 'grouped',
        to: { kind: 'earliest' },
        execute: true,
      }),
    ).rejects.toMatchObject({ kind: 'refused' });
    await expect(kafka.groups.delete(['readers'])).rejects.toMatchObject({ kind: 'refused' });
    controller.abort();
    await active;
    await waitFor(async () => (await kafka.groups.describe('readers')).members.length === 0, {
      what: 'group readers to have no members',
    });

    const dryRun = await kafka.groups.resetOffsets({
      group: 'readers',
      topic: 'grouped',
      to: { kind: 'offset', offset: 1n },
    });
    expect(dryRun.executed).toBe(false);
    expect(dryRun.partitions.map((entry) => entry.newOffset)).toEqual([1n, 1n]);
    // The active member read the 3 late records and committed them; the dry run changed nothing.
    expect((await kafka.groups.describe('readers')).totalLag).toBe(0n);

    const applied = await kafka.groups.resetOffsets({
      group: 'readers',
      topic: 'grouped',
      to: { kind: 'earliest' },
      execute: true,
    });
    expect(applied.executed).toBe(true);
    expect((await kafka.groups.describe('readers')).totalLag).toBe(13n);

    await kafka.groups.delete(['readers']);
    await expect(kafka.groups.describe('readers')).rejects.toMatchObject({ kind: 'not-found' });
  });
});

describe('connection failures', () => {
  it('names the servers it could not reach, quickly', async () => {
    const nowhere = openKafka({ bootstrapServers: '127.0.0.1:1' });
    const started = Date.now();
    const failure = await nowhere.topics.list().catch((error: unknown) => error);
    await nowhere.close();
    expect(failure).toBeInstanceOf(KafkaClientError);
    expect(failure).toMatchObject({ kind: 'unreachable', message: 'cannot reach Kafka at 127.0.0.1:1' });
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
