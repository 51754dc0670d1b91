// The group consumer against a real (in-process) Venice broker: explicit commits, rebalance callbacks,
// pause/resume, seek and batches per partition.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openKafka,
  type GroupConsumer,
  type Kafka,
  type PartitionBatch,
  type TopicPartition,
} from '../../src/client/index.js';
import { freePort, spawnBroker, startTestBroker, temporaryDataDir } from '../helpers/broker.js';

let broker: Awaited<ReturnType<typeof startTestBroker>>;
let kafka: Kafka;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = openKafka({ bootstrapServers: broker.bootstrap, clientId: 'group-consumer-test' });
});
afterAll(async () => {
  await kafka?.close();
  await broker?.stop();
});

async function fill(topic: string, partitions: number, perPartition: number): Promise<void> {
  await kafka.topics.create({ name: topic, partitions });
  const records = [];
  for (let partition = 0; partition < partitions; partition++)
    for (let index = 0; index < perPartition; index++)
      records.push({ topic, partition, value: Buffer.from(`${partition}-${index}`) });
  await kafka.produce(records);
}

/** Polls until `enough` says stop; fails after a generous deadline rather than hanging. */
async function pollUntil(
  consumer: GroupConsumer,
  enough: (seen: PartitionBatch[]) => boolean,
  timeoutMs = 15_000,
): Promise<PartitionBatch[]> {
  const seen: PartitionBatch[] = [];
  const deadline = Date.now() + timeoutMs;
  while (!enough(seen)) {
    if (Date.now() > deadline) throw new Error(`condition not met; saw ${JSON.stringify(summary(seen))}`);
    seen.push(...(await consumer.poll(200)));
  }
  return seen;
}

const count = (batches: PartitionBatch[], partition?: number) =>
  batches
    .filter((batch) => partition === undefined || batch.partition === partition)
    .reduce((sum, batch) => sum + batch.records.length, 0);
const summary = (batches: PartitionBatch[]) =>
  batches.map((batch) => [batch.partition, batch.records.length, String(batch.nextOffset)]);
const sorted = (partitions: TopicPartition[]) => partitions.map((tp) => tp.partition).sort((a, b) => a - b);

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('group consumer', () => {
  it('hands out batches per partition and resumes a new member from the explicit commit', async () => {
    await fill('commits', 2, 10);
    const first = kafka.consumer({ group: 'committers', topics: ['commits'], fallback: 'earliest' });
    const batches = await pollUntil(first, (seen) => count(seen) === 20);
    for (const batch of batches) {
      expect(new Set(batch.records.map((record) => record.partition))).toEqual(new Set([batch.partition]));
      expect(batch.nextOffset).toBe(batch.records.at(-1)!.offset + 1n);
    }
    // Commit a chosen offset, not what was read: 4 on partition 0, 7 on partition 1.
    await first.commit([
      { topic: 'commits', partition: 0, offset: 4n },
      { topic: 'commits', partition: 1, offset: 7n },
    ]);
    await first.close();

    const second = kafka.consumer({ group: 'committers', topics: ['commits'], fallback: 'earliest' });
    const again = await pollUntil(second, (seen) => count(seen) === 6 + 3);
    expect(again.filter((batch) => batch.partition === 0).flatMap((b) => b.records)[0].offset).toBe(4n);
    expect(again.filter((batch) => batch.partition === 1).flatMap((b) => b.records)[0].offset).toBe(7n);
    // commit() without offsets commits what poll handed out.
    await second.commit();
    await second.close();
    const described = await kafka.groups.describe('committers');
    expect(described.offsets.map((entry) => [entry.partition, entry.committedOffset])).toEqual([
      [0, 10n],
      [1, 10n],
    ]);
  });

  it('splits partitions between two members and reports assigned and revoked', async () => {
    await fill('split', 4, 1);
    const events: string[] = [];
    const held = { a: new Set<number>(), b: new Set<number>() };
    const member = (name: 'a' | 'b') =>
      kafka
        .consumer({ group: 'splitters', topics: ['split'], fallback: 'earliest' })
        .onAssigned((partitions) => {
          events.push(`${name} assigned ${sorted(partitions).join(',')}`);
          for (const tp of partitions) held[name].add(tp.partition);
        })
        .onRevoked((partitions) => {
          events.push(`${name} revoked ${sorted(partitions).join(',')}`);
          for (const tp of partitions) held[name].delete(tp.partition);
        });
    const a = member('a');
    await a.start();
    expect(sorted(a.assignment())).toEqual([0, 1, 2, 3]);
    const b = member('b');
    // b joins; a learns of the rebalance from its heartbeat and rejoins while b waits.
    const polling = (async () => {
      while (held.b.size === 0) await a.poll(100);
    })();
    await b.start();
    await polling;
    await waitFor(() => held.a.size + held.b.size === 4 && held.a.size === 2);
    expect([...held.a, ...held.b].sort()).toEqual([0, 1, 2, 3]);
    expect(events.some((event) => /^a revoked \d,\d$/.test(event))).toBe(true);
    expect(events.filter((event) => event.startsWith('b assigned'))).toHaveLength(1);

    // When b leaves, a gets everything back.
    await b.close();
    expect(events.at(-1)).toMatch(/^b revoked \d,\d$/);
    await waitFor(async () => {
      await a.poll(100);
      return held.a.size === 4;
    });
    await a.close();
  });

  it('reports partitions lost when the group drops the member', async () => {
    await fill('lost', 2, 1);
    const lost: number[][] = [];
    const assigned: number[][] = [];
    const consumer = kafka
      .consumer({ group: 'losers', topics: ['lost'], fallback: 'earliest', heartbeatIntervalMs: 200 })
      .onLost((partitions) => void lost.push(sorted(partitions)))
      .onAssigned((partitions) => void assigned.push(sorted(partitions)));
    await consumer.start();
    const before = consumer.memberId;
    // An operator removes the member; its next heartbeat learns it is unknown, and it rejoins anew.
    await kafka.groups.removeMembers('losers', [before!]);
    await waitFor(async () => {
      await consumer.poll(100);
      return lost.length === 1 && assigned.length === 2;
    });
    expect(lost).toEqual([[0, 1]]);
    expect(assigned).toEqual([
      [0, 1],
      [0, 1],
    ]);
    expect(consumer.memberId).not.toBe(before);
    await consumer.close();
  });

  it('pauses and resumes one partition while the other keeps flowing', async () => {
    await fill('pausing', 2, 5);
    const consumer = kafka.consumer({ group: 'pausers', topics: ['pausing'], fallback: 'earliest' });
    await consumer.start();
    consumer.pause([{ topic: 'pausing', partition: 1 }]);
    expect(consumer.paused()).toEqual([{ topic: 'pausing', partition: 1 }]);
    const early = await pollUntil(consumer, (seen) => count(seen, 0) === 5);
    await kafka.produce([{ topic: 'pausing', partition: 0, value: Buffer.from('more') }]);
    const more = await pollUntil(consumer, (seen) => count(seen, 0) === 1);
    expect(count([...early, ...more], 1)).toBe(0);

    consumer.resume([{ topic: 'pausing', partition: 1 }]);
    const resumed = await pollUntil(consumer, (seen) => count(seen, 1) === 5);
    expect(resumed.flatMap((batch) => batch.records.map((record) => record.value?.toString()))).toEqual([
      '1-0',
      '1-1',
      '1-2',
      '1-3',
      '1-4',
    ]);
    expect(() => consumer.pause([{ topic: 'pausing', partition: 9 }])).toThrow(/not assigned/);
    await consumer.close();
  });

  it('re-reads from where seek puts it', async () => {
    await fill('seeking', 1, 8);
    const consumer = kafka.consumer({ group: 'seekers', topics: ['seeking'], fallback: 'earliest' });
    await pollUntil(consumer, (seen) => count(seen) === 8);
    consumer.seek({ topic: 'seeking', partition: 0, offset: 3n });
    const again = await pollUntil(consumer, (seen) => count(seen) === 5);
    expect(again.flatMap((batch) => batch.records.map((record) => record.offset))).toEqual([
      3n,
      4n,
      5n,
      6n,
      7n,
    ]);
    await consumer.close();
  });

  it('iterates batches until closed', async () => {
    await fill('iterating', 3, 4);
    const consumer = kafka.consumer({ group: 'iterators', topics: ['iterating'], fallback: 'earliest' });
    let records = 0;
    for await (const batch of consumer) {
      records += batch.records.length;
      if (records === 12) await consumer.close();
    }
    expect(records).toBe(12);
  });

  it('keeps consuming across a broker restart', async () => {
    const dataDir = temporaryDataDir('restart');
    const port = await freePort();
    let child = await spawnBroker(dataDir, port);
    const own = openKafka({ bootstrapServers: child.bootstrap, clientId: 'restart-test' });
    try {
      await own.topics.create({ name: 'restarting', partitions: 1 });
      await own.produce([{ topic: 'restarting', value: Buffer.from('before') }]);
      const consumer = own.consumer({ group: 'restarters', topics: ['restarting'], fallback: 'earliest' });
      const values: string[] = [];
      const reading = (async () => {
        while (values.length < 2)
          for (const batch of await consumer.poll(200))
            for (const record of batch.records) values.push(record.value?.toString() ?? '');
      })();
      await waitFor(() => values.length === 1);
      child.child.kill('SIGKILL');
      await child.exited;
      child = await spawnBroker(dataDir, port);
      await own.produce([{ topic: 'restarting', value: Buffer.from('after') }]);
      await reading;
      expect(values).toEqual(['before', 'after']);
      await consumer.close();
    } finally {
      await own.close();
      child.child.kill('SIGKILL');
    }
  });
});
