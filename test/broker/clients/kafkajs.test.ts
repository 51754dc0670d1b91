// kafkajs against a real broker process: produce, consume with a group of 2, commit, restart, resume.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { spawnBroker, temporaryDataDir, type BrokerProcess } from '../../helpers/broker.js';
import { checkExactlyOnce, PARTITIONS, RECORD_COUNT, type Consumed } from './pipeline-scenario.js';

const TOPIC = 'orders';
const GROUP = 'order-readers';

let broker: BrokerProcess;
let dataDir: string;
let port: number;

function client(): Kafka {
  return new Kafka({ clientId: 'venice-test', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
}

/** Runs a group of two consumers until `target` records were processed and committed, then stops both. */
async function consumeWithGroup(target: number): Promise<Consumed[]> {
  const consumed: Consumed[] = [];
  let stopping = false;
  let reached: () => void;
  const done = new Promise<void>((resolve) => (reached = resolve));
  const members: Consumer[] = [];
  for (let i = 0; i < 2; i++) {
    const consumer = client().consumer({ groupId: GROUP, sessionTimeout: 10_000, heartbeatInterval: 500 });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    members.push(consumer);
  }
  await Promise.all(
    members.map((consumer) =>
      consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch, resolveOffset }) => {
          for (const message of batch.messages) {
            if (stopping) return;
            consumed.push({
              partition: batch.partition,
              offset: Number(message.offset),
              value: message.value!.toString(),
            });
            resolveOffset(message.offset);
            // Commit what was processed before counting it as done, so a stop loses and repeats nothing.
            await consumer.commitOffsets([
              { topic: TOPIC, partition: batch.partition, offset: String(Number(message.offset) + 1) },
            ]);
            if (consumed.length >= target) {
              stopping = true;
              reached();
              return;
            }
          }
        },
      }),
    ),
  );
  await done;
  await Promise.all(members.map((consumer) => consumer.disconnect()));
  return consumed;
}

describe('kafkajs client', () => {
  beforeAll(async () => {
    dataDir = temporaryDataDir('kafkajs');
    broker = await spawnBroker(dataDir);
    port = broker.port;
  });

  afterAll(async () => {
    broker?.child.kill('SIGKILL');
  });

  it('produces 10,000 records, consumes them with a group of 2 across a broker restart, exactly once', async () => {
    const admin = client().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });
    await admin.disconnect();

    const producer = client().producer();
    await producer.connect();
    const expected = new Set<string>();
    for (let start = 0; start < RECORD_COUNT; start += 1000) {
      const messages = [];
      for (let i = start; i < start + 1000; i++) {
        expected.add(`order-${i}`);
        messages.push({ key: `customer-${i % 97}`, value: `order-${i}` });
      }
      await producer.send({ topic: TOPIC, acks: -1, messages });
    }
    await producer.disconnect();

    const firstPhase = await consumeWithGroup(4000);
    expect(firstPhase.length).toBe(4000);

    broker.child.kill('SIGTERM');
    await broker.exited;
    broker = await spawnBroker(dataDir, port);

    const secondPhase = await consumeWithGroup(RECORD_COUNT - firstPhase.length);
    checkExactlyOnce([firstPhase, secondPhase], expected);

    // Nothing is left behind the committed offsets.
    const admin2 = client().admin();
    await admin2.connect();
    const offsets = await admin2.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    const ends = await admin2.fetchTopicOffsets(TOPIC);
    await admin2.disconnect();
    for (const partition of offsets[0].partitions) {
      const end = ends.find((entry) => entry.partition === partition.partition)!;
      expect(partition.offset).toBe(end.high);
    }
  });
});
