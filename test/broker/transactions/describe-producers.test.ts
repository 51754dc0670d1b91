// DescribeProducers (KIP-664) on the wire: the producers a partition keeps state for, with the start of
// each one's open transaction, as admin tools show them; written to by kafkajs producers.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { startTestBroker } from '../../helpers/broker.js';
import { RawClient } from '../../helpers/raw-client.js';
import { ApiKey } from '../../../src/protocol/generated/apis.js';
import { ErrorCode } from '../../../src/protocol/error-codes.js';
import type { RunningBroker } from '../../../src/broker/main.js';

const TOPIC = 'shipments';

let broker: RunningBroker & { bootstrap: string };
let raw: RawClient;
const producers: Producer[] = [];

beforeAll(async () => {
  broker = await startTestBroker();
  broker.context.logs.createTopic(TOPIC, 1, {});
  raw = await RawClient.connect(broker.port);
});

afterAll(async () => {
  for (const producer of producers) await producer.disconnect().catch(() => {});
  raw?.close();
  await broker?.stop();
});

async function connectedProducer(transactionalId?: string): Promise<Producer> {
  const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  producers.push(producer);
  return producer;
}

async function describeProducers(partitions: number[]) {
  const response = await raw.send(ApiKey.DescribeProducers, 0, {
    topics: [{ name: TOPIC, partitionIndexes: partitions }],
  });
  return response.topics[0].partitions;
}

it('lists each producer of a partition with its last sequence and the start of its open transaction', async () => {
  const plain = await connectedProducer();
  await plain.send({ topic: TOPIC, messages: [0, 1, 2].map((i) => ({ partition: 0, value: `plain-${i}` })) });
  const transactional = await connectedProducer('describe-me');
  const transaction = await transactional.transaction();
  await transaction.send({
    topic: TOPIC,
    messages: [0, 1].map((i) => ({ partition: 0, value: `txn-${i}` })),
  });

  const [open] = await describeProducers([0]);
  expect(open).toMatchObject({ partitionIndex: 0, errorCode: ErrorCode.NONE });
  const byTxnStart = new Map(open.activeProducers.map((p) => [p.currentTxnStartOffset, p]));
  expect(open.activeProducers).toHaveLength(2);
  // The plain producer's three records came first (offsets 0-2), then the transaction's two.
  expect(byTxnStart.get(-1n)).toMatchObject({ producerEpoch: 0, lastSequence: 2, coordinatorEpoch: 0 });
  expect(byTxnStart.get(3n)).toMatchObject({ producerEpoch: 0, lastSequence: 1 });
  expect(byTxnStart.get(3n)!.lastTimestamp).toBeGreaterThan(0n);

  await transaction.commit();
  const [committed] = await describeProducers([0]);
  expect(committed.activeProducers.map((p) => p.currentTxnStartOffset)).toEqual([-1n, -1n]);
});

it('answers UNKNOWN_TOPIC_OR_PARTITION for a partition that does not exist', async () => {
  const [missing] = await describeProducers([7]);
  expect(missing).toMatchObject({
    partitionIndex: 7,
    errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    activeProducers: [],
  });
  expect(missing.errorMessage).toContain('no partition 7');
});
