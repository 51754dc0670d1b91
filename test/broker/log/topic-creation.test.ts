// Creating many partitions over the wire: the broker-wide partition limit (max.broker.partitions) refuses
// what would exceed it with POLICY_VIOLATION and the setting to raise, and a big creation does not stop the
// broker from answering other clients while it runs.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/protocol/error-codes.js';
import { ApiKey } from '../../../src/protocol/generated/apis.js';
import { encodeBatch } from '../../../src/protocol/records/record-codec.js';
import type { RunningBroker } from '../../../src/broker/main.js';
import { LogManager } from '../../../src/broker/log/log-manager.js';
import { startTestBroker, temporaryDataDir } from '../../helpers/broker.js';
import { RawClient } from '../../helpers/raw-client.js';
import { waitFor } from '../../helpers/wait.js';

const brokers: RunningBroker[] = [];
const clients: RawClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const broker of brokers.splice(0)) await broker.stop();
});

async function start(overrides: Parameters<typeof startTestBroker>[0] = {}) {
  const broker = await startTestBroker(overrides);
  brokers.push(broker);
  return broker;
}

async function connect(port: number): Promise<RawClient> {
  const client = await RawClient.connect(port);
  clients.push(client);
  return client;
}

function createTopics(
  client: RawClient,
  topics: { name: string; partitions: number }[],
  validateOnly = false,
  timeoutMs = 60_000,
) {
  return client
    .send(ApiKey.CreateTopics, 7, {
      topics: topics.map(({ name, partitions }) => ({
        name,
        numPartitions: partitions,
        replicationFactor: 1,
        assignments: [],
        configs: [],
      })),
      timeoutMs,
      validateOnly,
    })
    .then((response) => response.topics);
}

function createPartitions(client: RawClient, name: string, count: number) {
  return client
    .send(ApiKey.CreatePartitions, 3, {
      topics: [{ name, count, assignments: null }],
      timeoutMs: 60_000,
      validateOnly: false,
    })
    .then((response) => response.results[0]);
}

describe('the broker-wide partition limit', () => {
  it('refuses CreateTopics and CreatePartitions beyond max.broker.partitions, naming the setting', async () => {
    // The internal topics (__consumer_offsets, __transaction_state) take one partition each of the 13.
    const broker = await start({ maxPartitions: 13 });
    const client = await connect(broker.port);
    const [first, second, third] = await createTopics(client, [
      { name: 'fits', partitions: 6 },
      { name: 'too-many', partitions: 6 },
      { name: 'fits-too', partitions: 5 },
    ]);
    expect(first.errorCode).toBe(ErrorCode.NONE);
    expect(second.errorCode).toBe(ErrorCode.POLICY_VIOLATION);
    expect(second.errorMessage).toContain('max.broker.partitions');
    expect(second.errorMessage).toContain('--max-partitions');
    expect(third.errorCode).toBe(ErrorCode.NONE);
    expect(broker.context.logs.topic('too-many')).toBeUndefined();

    const [validated] = await createTopics(client, [{ name: 'checked', partitions: 2 }], true);
    expect(validated.errorCode).toBe(ErrorCode.POLICY_VIOLATION);

    const grown = await createPartitions(client, 'fits', 7);
    expect(grown.errorCode).toBe(ErrorCode.POLICY_VIOLATION);
    expect(grown.errorMessage).toContain('--max-partitions');
    expect(broker.context.logs.topic('fits')?.partitionCount).toBe(6);
  });
});

describe('a big CreateTopics', () => {
  it('lets another client produce and read metadata before the creation is done', async () => {
    const broker = await start();
    const creator = await connect(broker.port);
    const other = await connect(broker.port);
    const [small] = await createTopics(other, [{ name: 'small', partitions: 1 }]);
    expect(small.errorCode).toBe(ErrorCode.NONE);

    const logs = broker.context.logs;
    const before = logs.partitionCount;
    let created = false;
    const creation = createTopics(creator, [{ name: 'big', partitions: 10_000 }]).then((topics) => {
      created = true;
      return topics;
    });
    // The creation has begun: its partitions are counted (reserved) while the topic is not visible yet.
    await waitFor(() => logs.partitionCount > before, {
      what: 'the creation of big to start',
      intervalMs: 1,
    });

    const metadata = await other.send(ApiKey.Metadata, 12, {
      topics: [{ topicId: '00000000000000000000000000000000', name: 'small' }],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    });
    expect(metadata.topics[0].errorCode).toBe(ErrorCode.NONE);
    const produced = await other.send(ApiKey.Produce, 9, {
      transactionalId: null,
      acks: 1,
      timeoutMs: 5_000,
      topicData: [
        {
          name: 'small',
          partitionData: [{ index: 0, records: encodeBatch({ records: [{ value: 'hi' }] }) }],
        },
      ],
    });
    expect(produced.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);
    expect(created, 'the other client was answered only after the creation ended').toBe(false);

    const [big] = await creation;
    expect(big.errorCode).toBe(ErrorCode.NONE);
    expect(logs.topic('big')?.partitionCount).toBe(10_000);
  }, 120_000);

  it('answers REQUEST_TIMED_OUT after the request timeout and finishes the creation anyway, as Kafka does', async () => {
    const broker = await start();
    const client = await connect(broker.port);
    const [late] = await createTopics(client, [{ name: 'slow', partitions: 5_000 }], false, 1);
    expect(late.errorCode).toBe(ErrorCode.REQUEST_TIMED_OUT);
    expect(late.errorMessage).toContain('still being created');
    const logs = broker.context.logs;
    await waitFor(() => logs.topic('slow')?.partitionCount === 5_000, { what: 'the topic to be created' });
    const [again] = await createTopics(client, [{ name: 'slow', partitions: 1 }]);
    expect(again.errorCode).toBe(ErrorCode.TOPIC_ALREADY_EXISTS);
  }, 120_000);
});

describe('a creation under way', () => {
  it('stops when its topic is deleted meanwhile, leaving no folder of it behind', async () => {
    const dir = temporaryDataDir('creation-deleted');
    const logs = await LogManager.open(dir, {}, { startTimers: false });
    try {
      logs.createTopic('growing', 1);
      const growth = logs.createPartitionsAsync('growing', 3_000);
      // The growth waits for the first turn of the event loop; the deletion comes before its files are done.
      await new Promise((resolve) => setImmediate(resolve));
      logs.deleteTopic('growing');
      await expect(growth).rejects.toMatchObject({ code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
      expect(fs.existsSync(path.join(dir, 'topics', 'growing'))).toBe(false);
      expect(logs.partitionCount).toBe(0);
      // The name is free again.
      expect(logs.createTopic('growing', 2)?.partitionCount).toBe(2);
    } finally {
      await logs.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps a config change made while the topic grows, in memory and in topic.json', async () => {
    const dir = temporaryDataDir('creation-altered');
    const logs = await LogManager.open(dir, {}, { startTimers: false });
    try {
      logs.createTopic('growing', 1);
      const growth = logs.createPartitionsAsync('growing', 2_000);
      await new Promise((resolve) => setImmediate(resolve));
      logs.alterTopicConfig('growing', [{ name: 'retention.ms', value: '1000' }], 'incremental');
      await growth;
      const topic = logs.topic('growing')!;
      expect(topic.partitions.map((partition) => partition.currentConfig.retentionMs)).toEqual(
        Array.from({ length: 2_000 }, () => 1000),
      );
      const file = JSON.parse(fs.readFileSync(path.join(dir, 'topics', 'growing', 'topic.json'), 'utf8'));
      expect(file).toMatchObject({ partitions: 2_000, configs: { 'retention.ms': '1000' } });
    } finally {
      await logs.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
