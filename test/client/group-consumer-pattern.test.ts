// A group consumer subscribed by pattern (Kafka's subscribe(Pattern)): it waits while no topic matches,
// and picks up a topic created later within metadataMaxAgeMs, for every member of the group.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, type GroupConsumer, type Kafka } from '../../src/client/index.js';
import { startTestBroker } from '../helpers/broker.js';
import { waitFor } from '../helpers/wait.js';

let broker: Awaited<ReturnType<typeof startTestBroker>>;
let kafka: Kafka;
const consumers: GroupConsumer[] = [];

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = openKafka({ bootstrapServers: broker.bootstrap, clientId: 'pattern-test' });
});
afterAll(async () => {
  for (const consumer of consumers) await consumer.close().catch(() => undefined);
  await kafka?.close();
  await broker?.stop();
});

function member(group: string): GroupConsumer {
  const consumer = kafka.consumer({
    group,
    topics: [],
    topicPattern: /orders-.*/,
    metadataMaxAgeMs: 300,
    fallback: 'earliest',
  });
  consumers.push(consumer);
  return consumer;
}

const produce = (topic: string, values: string[]) =>
  kafka.produce(values.map((value, index) => ({ topic, partition: index % 2, value: Buffer.from(value) })));

/** Polls every member until the values seen (from any of them) include all of `expected`. */
async function collect(members: GroupConsumer[], seen: Set<string>, expected: string[]): Promise<void> {
  await waitFor(
    async () => {
      for (const consumer of members)
        for (const batch of await consumer.poll(100))
          for (const record of batch.records) seen.add(`${record.topic}:${record.value?.toString()}`);
      return expected.every((value) => seen.has(value));
    },
    { what: `records ${expected.join(', ')}`, timeoutMs: 30_000, intervalMs: 10 },
  );
}

describe('a group consumer with a topic pattern', () => {
  it('waits for a first match, then takes up topics created later without a restart', async () => {
    await kafka.topics.create({ name: 'payments-1', partitions: 1 });
    const first = member('pattern-group');
    const second = member('pattern-group');
    await Promise.all([first.start(), second.start()]);
    expect(first.subscription()).toEqual([]);
    expect(await first.poll(200)).toEqual([]);

    await kafka.topics.create({ name: 'orders-eu', partitions: 2 });
    await produce('orders-eu', ['a', 'b']);
    const seen = new Set<string>();
    await collect([first, second], seen, ['orders-eu:a', 'orders-eu:b']);

    await kafka.topics.create({ name: 'orders-us', partitions: 2 });
    await produce('orders-us', ['c', 'd']);
    await collect([first, second], seen, ['orders-us:c', 'orders-us:d']);
    // Whole names only, as Kafka matches a pattern: payments-1 and a prefix match stay out.
    await kafka.topics.create({ name: 'xorders-eu', partitions: 1 });
    await produce('xorders-eu', ['z']);
    await first.refreshSubscription();
    expect(first.subscription()).toEqual(['orders-eu', 'orders-us']);
    expect([...seen].some((value) => value.startsWith('payments') || value.startsWith('xorders'))).toBe(
      false,
    );
    // Both members share the four partitions once both have seen both topics.
    await waitFor(
      () =>
        first.assignment().length + second.assignment().length === 4 &&
        first.assignment().length > 0 &&
        second.assignment().length > 0,
      { what: 'the partitions split over both members', timeoutMs: 30_000 },
    );
  });

  it('refuses a consumer with neither topics nor a pattern', () => {
    expect(() => kafka.consumer({ group: 'none', topics: [] })).toThrow(/topicPattern/);
  });
});
