// The broker refuses to delete the registry's _schemas topic unless started with --allow-delete-internal.
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaClientError, openKafka } from '../../src/client/index.js';
import { startTestBroker } from '../helpers/broker.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function brokerWithSchemasTopic(allowDeleteInternal: boolean) {
  const broker = await startTestBroker({ allowDeleteInternal });
  cleanups.push(() => broker.stop());
  const kafka = openKafka({ bootstrapServers: broker.bootstrap, clientId: 'protection-test' });
  cleanups.push(() => kafka.close());
  await kafka.topics.create({ name: '_schemas', partitions: 1, configs: { 'cleanup.policy': 'compact' } });
  return kafka;
}

describe('deleting _schemas', () => {
  it('is refused by default, with a message naming the flag', async () => {
    const kafka = await brokerWithSchemasTopic(false);
    const failure = await kafka.topics.delete(['_schemas']).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(KafkaClientError);
    expect((failure as KafkaClientError).message).toContain('--allow-delete-internal');
    expect((await kafka.topics.describe('_schemas')).name).toBe('_schemas');
  });

  it('is allowed with --allow-delete-internal', async () => {
    const kafka = await brokerWithSchemasTopic(true);
    await kafka.topics.delete(['_schemas']);
    const names = (await kafka.topics.list({ includeInternal: true })).map((topic) => topic.name);
    expect(names).not.toContain('_schemas');
  });
});
