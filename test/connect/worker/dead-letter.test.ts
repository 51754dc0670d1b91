// The dead letter queue topic on a one-broker cluster: left unset, errors.deadletterqueue.topic.replication.factor
// is -1 (the broker's default), and Kafka Connect's own default of 3, pasted from a production config, falls
// back to the broker's default instead of losing the record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kafka } from '../../../src/client/index.js';
import { DeadLetterReporter, errorPolicy } from '../../../src/connect/worker/error-policy.js';
import { silentLogger } from '../../../src/service/index.js';
import { startTestBroker } from '../../helpers/broker.js';
import { kafkaFor, readTopic } from './helpers.js';

let broker: Awaited<ReturnType<typeof startTestBroker>>;
let kafka: Kafka;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = kafkaFor(broker.bootstrap);
});
afterAll(async () => {
  await kafka?.close();
  await broker?.stop();
});

async function reportOne(topic: string, factor: string | undefined): Promise<void> {
  const policy = errorPolicy({
    'errors.tolerance': 'all',
    'errors.deadletterqueue.topic.name': topic,
    ...(factor === undefined ? {} : { 'errors.deadletterqueue.topic.replication.factor': factor }),
  });
  const reporter = new DeadLetterReporter(kafka, policy, 'dlq-test', 0, silentLogger());
  await reporter.report(
    {
      topic: 'in',
      partition: 0,
      offset: 7n,
      timestamp: 1n,
      key: null,
      value: Buffer.from('poison'),
      headers: [],
    },
    { stage: 'VALUE_CONVERTER', className: 'JsonConverter', error: new Error('bad') },
  );
}

describe('the dead letter queue topic', () => {
  it("defaults to the broker's replication factor", async () => {
    expect(errorPolicy({}).deadLetterReplicationFactor).toBe(-1);
    await reportOne('dlq-default', undefined);
    expect((await kafka.topics.describe('dlq-default')).replicationFactor).toBe(1);
    expect((await readTopic(kafka, 'dlq-default', 1))[0]?.value?.toString()).toBe('poison');
  });

  it("falls back to the broker's default when the cluster cannot give the factor asked (3 on one broker)", async () => {
    await reportOne('dlq-three', '3');
    expect((await kafka.topics.describe('dlq-three')).replicationFactor).toBe(1);
    expect((await readTopic(kafka, 'dlq-three', 1))[0]?.value?.toString()).toBe('poison');
  });

  it('takes an explicit factor the cluster has', async () => {
    await reportOne('dlq-one', '1');
    expect((await kafka.topics.describe('dlq-one')).replicationFactor).toBe(1);
  });
});
