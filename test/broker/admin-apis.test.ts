// The broker's APIs one by one, through kafkajs' admin client where it has the call and through the
// raw codec client for the rest, against a real broker on TCP.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { startTestBroker, temporaryDataDir } from '../helpers/broker.js';
import { RawClient } from '../helpers/raw-client.js';
import { ApiKey } from '../../src/protocol/generated/apis.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { encodeBatch } from '../../src/protocol/records/record-codec.js';
import { Reader, Writer } from '../../src/protocol/primitives.js';
import { writeRequestHeader } from '../../src/protocol/generated/request-header.js';
import { readApiVersionsResponse } from '../../src/protocol/generated/api-versions-response.js';
import type { RunningBroker } from '../../src/broker/main.js';

let broker: RunningBroker & { bootstrap: string };
let dataDir: string;
let admin: Admin;
let raw: RawClient;

function kafka(): Kafka {
  return new Kafka({ clientId: 'admin-test', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
}

async function produceRaw(
  topic: string,
  partition: number,
  batch: Buffer,
  acks = -1,
): Promise<{ errorCode: number; baseOffset: bigint }> {
  const response = await raw.send(ApiKey.Produce, 9, {
    acks,
    timeoutMs: 5000,
    topicData: [{ name: topic, partitionData: [{ index: partition, records: batch }] }],
  });
  const answer = response.responses[0].partitionResponses[0];
  return { errorCode: answer.errorCode, baseOffset: answer.baseOffset };
}

describe('broker APIs', () => {
  beforeAll(async () => {
    dataDir = temporaryDataDir('admin');
    broker = await startTestBroker({ dataDir });
    admin = kafka().admin();
    await admin.connect();
    raw = await RawClient.connect(broker.port);
  });

  afterAll(async () => {
    raw?.close();
    await admin?.disconnect();
    await broker?.stop();
  });

  it('answers ApiVersions v3 with every API it handles', async () => {
    const response = await raw.send(ApiKey.ApiVersions, 3, {
      clientSoftwareName: 'venice-test',
      clientSoftwareVersion: '1.0',
    });
    expect(response.errorCode).toBe(ErrorCode.NONE);
    const keys = response.apiKeys.map((api) => api.apiKey);
    for (const key of [
      0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 32, 33, 37,
      42, 44, 47, 60, 65, 66,
    ]) {
      expect(keys).toContain(key);
    }
    const fetch = response.apiKeys.find((api) => api.apiKey === ApiKey.Fetch)!;
    expect(fetch.minVersion).toBeLessThanOrEqual(4);
    expect(fetch.maxVersion).toBeGreaterThanOrEqual(12);
  });

  it('answers an ApiVersions version it does not know in v0 with UNSUPPORTED_VERSION (KIP-511)', async () => {
    const socket = net.connect(broker.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const writer = new Writer();
    writeRequestHeader(writer, 2, {
      requestApiKey: ApiKey.ApiVersions,
      requestApiVersion: 99,
      correlationId: 7,
      clientId: 'from-the-future',
    });
    writer.uvarint(0); // an empty tagged-field section standing in for a body we cannot know
    const body = writer.toBuffer();
    const frame = Buffer.concat([Buffer.from([0, 0, 0, body.length]), body]);
    const received = new Promise<Buffer>((resolve) => socket.once('data', resolve));
    socket.write(frame);
    const data = await received;
    socket.destroy();
    const reader = new Reader(data, 4);
    expect(reader.int32()).toBe(7);
    const response = readApiVersionsResponse(reader, 0);
    expect(response.errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
    expect(response.apiKeys.length).toBeGreaterThan(20);
  });

  it('refuses a replication factor above 1 and points to external Kafka', async () => {
    const response = await raw.send(ApiKey.CreateTopics, 7, {
      topics: [{ name: 'replicated', numPartitions: 1, replicationFactor: 3, assignments: [], configs: [] }],
    });
    expect(response.topics[0].errorCode).toBe(ErrorCode.INVALID_REPLICATION_FACTOR);
    expect(response.topics[0].errorMessage).toMatch(/external Kafka cluster/);
    await expect(
      admin.createTopics({ topics: [{ topic: 'replicated', replicationFactor: 3 }] }),
    ).rejects.toThrow();
  });

  it('creates topics with configs, grows partitions and deletes topics', async () => {
    await admin.createTopics({
      topics: [
        { topic: 'inventory', numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '3600000' }] },
      ],
    });
    let metadata = await admin.fetchTopicMetadata({ topics: ['inventory'] });
    expect(metadata.topics[0].partitions.length).toBe(2);
    await admin.createPartitions({ topicPartitions: [{ topic: 'inventory', count: 5 }] });
    metadata = await admin.fetchTopicMetadata({ topics: ['inventory'] });
    expect(metadata.topics[0].partitions.length).toBe(5);
    expect(await admin.listTopics()).toContain('inventory');
    await admin.deleteTopics({ topics: ['inventory'] });
    expect(await admin.listTopics()).not.toContain('inventory');
  });

  it('describes and alters topic configs, also incrementally', async () => {
    await admin.createTopics({ topics: [{ topic: 'configured' }] });
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: 'configured', configNames: ['retention.ms', 'cleanup.policy'] }],
    });
    const entries = described.resources[0].configEntries;
    expect(entries.find((entry) => entry.configName === 'retention.ms')?.configValue).toBe('-1');
    expect(entries.find((entry) => entry.configName === 'cleanup.policy')?.configValue).toBe('delete');

    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        { type: 2, name: 'configured', configEntries: [{ name: 'retention.ms', value: '86400000' }] },
      ],
    });
    const incremental = await raw.send(ApiKey.IncrementalAlterConfigs, 1, {
      resources: [
        {
          resourceType: 2,
          resourceName: 'configured',
          configs: [{ name: 'segment.bytes', configOperation: 0, value: '1048576' }],
        },
      ],
    });
    expect(incremental.responses[0].errorCode).toBe(ErrorCode.NONE);
    const bad = await raw.send(ApiKey.IncrementalAlterConfigs, 1, {
      resources: [
        {
          resourceType: 2,
          resourceName: 'configured',
          configs: [{ name: 'retention.ms', configOperation: 0, value: 'soon' }],
        },
      ],
    });
    expect(bad.responses[0].errorCode).toBe(ErrorCode.INVALID_CONFIG);
    expect(bad.responses[0].errorMessage).toMatch(/retention\.ms/);

    const after = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: 'configured', configNames: ['retention.ms', 'segment.bytes'] }],
    });
    const values = Object.fromEntries(
      after.resources[0].configEntries.map((entry) => [entry.configName, entry.configValue]),
    );
    expect(values).toEqual({ 'retention.ms': '86400000', 'segment.bytes': '1048576' });
  });

  it('moves the log start offset with DeleteRecords', async () => {
    await admin.createTopics({ topics: [{ topic: 'trimmed' }] });
    const producer = kafka().producer();
    await producer.connect();
    await producer.send({
      topic: 'trimmed',
      messages: Array.from({ length: 10 }, (_, i) => ({ value: `m${i}` })),
    });
    await producer.disconnect();
    const deleted = await raw.send(ApiKey.DeleteRecords, 2, {
      timeoutMs: 5000,
      topics: [{ name: 'trimmed', partitions: [{ partitionIndex: 0, offset: 6n }] }],
    });
    expect(deleted.topics[0].partitions[0]).toEqual({ partitionIndex: 0, lowWatermark: 6n, errorCode: 0 });
    const beyond = await raw.send(ApiKey.DeleteRecords, 2, {
      timeoutMs: 5000,
      topics: [{ name: 'trimmed', partitions: [{ partitionIndex: 0, offset: 11n }] }],
    });
    expect(beyond.topics[0].partitions[0].errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    const offsets = await admin.fetchTopicOffsets('trimmed');
    expect(offsets[0].low).toBe('6');
    expect(offsets[0].high).toBe('10');
  });

  it('finds offsets by timestamp', async () => {
    await admin.createTopics({ topics: [{ topic: 'timeline' }] });
    const base = Date.now() - 100_000;
    const batch = encodeBatch({
      records: [0, 1, 2, 3].map((i) => ({ value: `t${i}`, timestamp: base + i * 1000 })),
    });
    expect((await produceRaw('timeline', 0, batch)).errorCode).toBe(ErrorCode.NONE);
    const found = await admin.fetchTopicOffsetsByTimestamp('timeline', base + 1500);
    expect(found[0].offset).toBe('2');
    const none = await admin.fetchTopicOffsetsByTimestamp('timeline', Date.now() + 100_000);
    expect(none[0].offset).toBe('4'); // kafkajs maps "no such offset" to the end offset
  });

  it('dedupes a retried idempotent batch and refuses an out-of-order sequence', async () => {
    await admin.createTopics({ topics: [{ topic: 'exactly-once' }] });
    const init = await raw.send(ApiKey.InitProducerId, 4, {
      transactionalId: null,
      transactionTimeoutMs: 60_000,
    });
    expect(init.errorCode).toBe(ErrorCode.NONE);
    const batch = (baseSequence: number, values: string[]) =>
      encodeBatch({
        records: values.map((value) => ({ value })),
        producerId: init.producerId,
        producerEpoch: init.producerEpoch,
        baseSequence,
      });
    const first = await produceRaw('exactly-once', 0, batch(0, ['a', 'b']));
    expect(first).toEqual({ errorCode: ErrorCode.NONE, baseOffset: 0n });
    const retried = await produceRaw('exactly-once', 0, batch(0, ['a', 'b']));
    expect(retried).toEqual({ errorCode: ErrorCode.NONE, baseOffset: 0n });
    const gap = await produceRaw('exactly-once', 0, batch(5, ['x']));
    expect(gap.errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    const next = await produceRaw('exactly-once', 0, batch(2, ['c']));
    expect(next).toEqual({ errorCode: ErrorCode.NONE, baseOffset: 2n });
    const offsets = await admin.fetchTopicOffsets('exactly-once');
    expect(offsets[0].high).toBe('3');
  });

  it('refuses bad acks and answers nothing for acks=0', async () => {
    await admin.createTopics({ topics: [{ topic: 'acks' }] });
    const batch = encodeBatch({ records: [{ value: 'v' }] });
    expect((await produceRaw('acks', 0, batch, 2)).errorCode).toBe(ErrorCode.INVALID_REQUIRED_ACKS);
    // acks=0 sends no answer: the next request's answer is the next one to arrive.
    raw.sendWithoutAnswer(ApiKey.Produce, 9, {
      acks: 0,
      timeoutMs: 5000,
      topicData: [{ name: 'acks', partitionData: [{ index: 0, records: batch }] }],
    });
    const metadata = await raw.send(ApiKey.Metadata, 12, {
      topics: [{ topicId: '0'.repeat(32), name: 'acks' }],
    });
    expect(metadata.topics[0].name).toBe('acks');
    const offsets = await admin.fetchTopicOffsets('acks');
    expect(offsets[0].high).toBe('1');
  });

  it('holds a fetch until data arrives (long poll)', async () => {
    await admin.createTopics({ topics: [{ topic: 'tail' }] });
    const started = Date.now();
    const fetching = raw.send(ApiKey.Fetch, 12, {
      maxWaitMs: 5000,
      minBytes: 1,
      topics: [
        {
          topic: 'tail',
          topicId: '0'.repeat(32),
          partitions: [
            {
              partition: 0,
              currentLeaderEpoch: -1,
              fetchOffset: 0n,
              lastFetchedEpoch: -1,
              logStartOffset: -1n,
              partitionMaxBytes: 1 << 20,
              replicaDirectoryId: '0'.repeat(32),
            },
          ],
        },
      ],
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const other = await RawClient.connect(broker.port);
    const batch = encodeBatch({ records: [{ value: 'wake up' }] });
    await other.send(ApiKey.Produce, 9, {
      acks: 1,
      timeoutMs: 5000,
      topicData: [{ name: 'tail', partitionData: [{ index: 0, records: batch }] }],
    });
    other.close();
    const response = await fetching;
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(4000);
    const records = response.responses[0].partitions[0].records as Buffer;
    expect(records.length).toBe(batch.length);
  });

  it('answers DescribeCluster, FindCoordinator and OffsetForLeaderEpoch for its one node', async () => {
    const cluster = await raw.send(ApiKey.DescribeCluster, 1, {});
    expect(cluster.brokers).toEqual([{ brokerId: 1, host: '127.0.0.1', port: broker.port, rack: null }]);
    const coordinator = await raw.send(ApiKey.FindCoordinator, 4, {
      keyType: 0,
      coordinatorKeys: ['g1', 'g2'],
    });
    expect(coordinator.coordinators.map((entry) => entry.port)).toEqual([broker.port, broker.port]);
    await admin.createTopics({ topics: [{ topic: 'epochs' }] });
    await produceRaw('epochs', 0, encodeBatch({ records: [{ value: 'a' }, { value: 'b' }] }));
    const epochs = await raw.send(ApiKey.OffsetForLeaderEpoch, 4, {
      replicaId: -1,
      topics: [{ topic: 'epochs', partitions: [{ partition: 0, currentLeaderEpoch: 0, leaderEpoch: 0 }] }],
    });
    expect(epochs.topics[0].partitions[0]).toMatchObject({ errorCode: 0, leaderEpoch: 0, endOffset: 2n });
  });

  it('lists, describes and deletes groups and their offsets', async () => {
    await admin.createTopics({ topics: [{ topic: 'grouped' }] });
    await admin.setOffsets({
      groupId: 'auditors',
      topic: 'grouped',
      partitions: [{ partition: 0, offset: '0' }],
    });
    const groups = await admin.listGroups();
    expect(groups.groups.map((group) => group.groupId)).toContain('auditors');
    const described = await admin.describeGroups(['auditors']);
    expect(described.groups[0].state).toBe('Empty');

    const deleted = await raw.send(ApiKey.OffsetDelete, 0, {
      groupId: 'auditors',
      topics: [{ name: 'grouped', partitions: [{ partitionIndex: 0 }] }],
    });
    expect(deleted.errorCode).toBe(ErrorCode.NONE);
    expect(deleted.topics[0].partitions[0].errorCode).toBe(ErrorCode.NONE);
    const offsets = await admin.fetchOffsets({ groupId: 'auditors', topics: ['grouped'] });
    expect(offsets[0].partitions[0].offset).toBe('-1');

    // Kafka drops an empty group once its last offset is gone; one with offsets is deleted on request.
    await admin.setOffsets({
      groupId: 'archivists',
      topic: 'grouped',
      partitions: [{ partition: 0, offset: '0' }],
    });
    await admin.deleteGroups(['archivists']);
    const remaining = (await admin.listGroups()).groups.map((group) => group.groupId);
    expect(remaining).not.toContain('archivists');
    expect(remaining).not.toContain('auditors');
  });

  it('closes a connection whose request exceeds the maximum size, and keeps serving others', async () => {
    const socket = net.connect(broker.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(broker.context.config.maxRequestBytes + 1, 0);
    socket.write(prefix);
    await closed;
    const response = await raw.send(ApiKey.ApiVersions, 3, {});
    expect(response.errorCode).toBe(ErrorCode.NONE);
  });
});

describe('broker without topic auto-creation', () => {
  it('reports unknown topics instead of creating them, and keeps topics across a restart', async () => {
    const dir = temporaryDataDir('no-autocreate');
    let broker2 = await startTestBroker({ dataDir: dir, autoCreateTopics: false });
    let client = await RawClient.connect(broker2.port);
    const missing = await client.send(ApiKey.Metadata, 12, {
      topics: [{ topicId: '0'.repeat(32), name: 'ghost' }],
    });
    expect(missing.topics[0].errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    const created = await client.send(ApiKey.CreateTopics, 7, {
      topics: [
        {
          name: 'kept',
          numPartitions: 4,
          replicationFactor: 1,
          assignments: [],
          configs: [{ name: 'cleanup.policy', value: 'compact' }],
        },
      ],
    });
    expect(created.topics[0].errorCode).toBe(ErrorCode.NONE);
    client.close();
    await broker2.stop();

    broker2 = await startTestBroker({ dataDir: dir, autoCreateTopics: false });
    client = await RawClient.connect(broker2.port);
    const metadata = await client.send(ApiKey.Metadata, 12, { topics: null });
    const kept = metadata.topics.find((topic) => topic.name === 'kept')!;
    expect(kept.partitions.length).toBe(4);
    expect(kept.topicId).toBe(created.topics[0].topicId);
    const configs = await client.send(ApiKey.DescribeConfigs, 4, {
      resources: [{ resourceType: 2, resourceName: 'kept', configurationKeys: ['cleanup.policy'] }],
    });
    expect(configs.results[0].configs[0].value).toBe('compact');
    client.close();
    await broker2.stop();
  });
});
