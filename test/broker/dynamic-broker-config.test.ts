// Admin behaviours librdkafka's admin test (0081) checks: authorized operations reported when asked
// (no authorizer: every operation of the resource type, as Kafka), and dynamic broker configs through
// AlterConfigs / IncrementalAlterConfigs that apply at once and survive a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, ConfigResourceTypes } from 'kafkajs';
import { startTestBroker, temporaryDataDir } from '../helpers/broker.js';
import { RawClient } from '../helpers/raw-client.js';
import { ApiKey } from '../../src/protocol/generated/apis.js';
import { ZERO_UUID } from '../../src/protocol/primitives.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import type { RunningBroker } from '../../src/broker/main.js';

const BROKER = 4;
const SET = 0;
const DELETE = 1;
const APPEND = 2;
/** Kafka's AclOperation bits: READ 3, WRITE 4, CREATE 5, DELETE 6, ALTER 7, DESCRIBE 8, ... */
const bits = (...operations: number[]) => operations.reduce((sum, op) => sum | (1 << op), 0);
const TOPIC_OPERATIONS = bits(3, 4, 5, 6, 7, 8, 10, 11);
const GROUP_OPERATIONS = bits(3, 6, 8);
const CLUSTER_OPERATIONS = bits(5, 7, 8, 9, 10, 11, 12);
const NOT_REQUESTED = -2147483648;

let dataDir: string;
let broker: RunningBroker & { bootstrap: string };
let raw: RawClient;

async function restart(): Promise<void> {
  raw.close();
  await broker.stop();
  broker = await startTestBroker({ dataDir });
  raw = await RawClient.connect(broker.port);
}

async function describeBroker(resourceName = '1') {
  const response = await raw.send(ApiKey.DescribeConfigs, 4, {
    resources: [{ resourceType: BROKER, resourceName, configurationKeys: null }],
    includeSynonyms: false,
    includeDocumentation: true,
  });
  return response.results[0];
}

async function incremental(
  resourceName: string,
  configs: { name: string; configOperation: number; value: string | null }[],
) {
  const response = await raw.send(ApiKey.IncrementalAlterConfigs, 1, {
    resources: [{ resourceType: BROKER, resourceName, configs }],
    validateOnly: false,
  });
  return response.responses[0];
}

describe('authorized operations and dynamic broker configs', () => {
  beforeAll(async () => {
    dataDir = temporaryDataDir('dynamic-config');
    broker = await startTestBroker({ dataDir });
    raw = await RawClient.connect(broker.port);
  });

  afterAll(async () => {
    raw?.close();
    await broker?.stop();
  });

  it('reports every operation of the resource type when asked, and "not requested" otherwise', async () => {
    await raw.send(ApiKey.CreateTopics, 5, {
      topics: [{ name: 'ops', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 5000,
    });
    const asked = await raw.send(ApiKey.Metadata, 10, {
      topics: [{ name: 'ops', topicId: ZERO_UUID }],
      includeClusterAuthorizedOperations: true,
      includeTopicAuthorizedOperations: true,
    });
    expect(asked.topics[0].topicAuthorizedOperations).toBe(TOPIC_OPERATIONS);
    expect(asked.clusterAuthorizedOperations).toBe(CLUSTER_OPERATIONS);
    const notAsked = await raw.send(ApiKey.Metadata, 10, {
      topics: [{ name: 'ops', topicId: ZERO_UUID }],
    });
    expect(notAsked.topics[0].topicAuthorizedOperations).toBe(NOT_REQUESTED);

    const cluster = await raw.send(ApiKey.DescribeCluster, 1, { includeClusterAuthorizedOperations: true });
    expect(cluster.clusterAuthorizedOperations).toBe(CLUSTER_OPERATIONS);

    const groups = await raw.send(ApiKey.DescribeGroups, 5, {
      groups: ['g'],
      includeAuthorizedOperations: true,
    });
    expect(groups.groups[0].authorizedOperations).toBe(GROUP_OPERATIONS);
  });

  it('lists the broker settings, the dynamic ones writable', async () => {
    const result = await describeBroker();
    expect(result.errorCode).toBe(ErrorCode.NONE);
    const byName = new Map(result.configs.map((config) => [config.name, config]));
    expect(byName.get('max.connections')).toMatchObject({ readOnly: false, configSource: 4 });
    expect(byName.get('group.initial.rebalance.delay.ms')).toMatchObject({ value: '0', readOnly: false });
    expect(byName.get('socket.request.max.bytes')).toMatchObject({ readOnly: true });
  });

  it('alters a dynamic setting at runtime (kafkajs AlterConfigs), and it applies at once', async () => {
    const kafka = new Kafka({ clientId: 'dyn', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.BROKER,
            name: '1',
            configEntries: [{ name: 'max.connections.per.ip', value: '3' }],
          },
        ],
      });
    } finally {
      await admin.disconnect();
    }
    expect((await describeBroker()).configs.find((c) => c.name === 'max.connections.per.ip')).toMatchObject({
      value: '3',
      configSource: 2, // DYNAMIC_BROKER_CONFIG
    });
    // raw holds one connection, so of four more from this address at least two are closed on arrival
    // (more if kafkajs' closed connections are still counted).
    const clients = await Promise.all([1, 2, 3, 4].map(() => RawClient.connect(broker.port)));
    const answers = await Promise.allSettled(clients.map((client) => client.send(ApiKey.ApiVersions, 0, {})));
    for (const client of clients) client.close();
    expect(answers.filter((answer) => answer.status === 'rejected').length).toBeGreaterThanOrEqual(2);
    const reset = await incremental('1', [
      { name: 'max.connections.per.ip', configOperation: DELETE, value: null },
    ]);
    expect(reset.errorCode).toBe(ErrorCode.NONE);
    expect(broker.context.config.maxConnectionsPerIp).toBe(1000);
    const again = await RawClient.connect(broker.port);
    expect((await again.send(ApiKey.ApiVersions, 0, {})).errorCode).toBe(ErrorCode.NONE);
    again.close();
  });

  it('keeps dynamic settings across a restart, the broker layer over the cluster default', async () => {
    expect(
      (await incremental('', [{ name: 'num.partitions', configOperation: SET, value: '4' }])).errorCode,
    ).toBe(ErrorCode.NONE);
    expect(
      (
        await incremental('1', [
          { name: 'group.initial.rebalance.delay.ms', configOperation: SET, value: '250' },
        ])
      ).errorCode,
    ).toBe(ErrorCode.NONE);
    await restart();
    const byName = new Map((await describeBroker()).configs.map((config) => [config.name, config]));
    expect(byName.get('num.partitions')).toMatchObject({ value: '4', configSource: 3 }); // DYNAMIC_DEFAULT_BROKER_CONFIG
    expect(byName.get('group.initial.rebalance.delay.ms')).toMatchObject({ value: '250', configSource: 2 });
    // The next auto-created topic gets the new default.
    const metadata = await raw.send(ApiKey.Metadata, 4, {
      topics: [{ name: 'auto-four', topicId: ZERO_UUID }],
      allowAutoTopicCreation: true,
    });
    expect(metadata.topics[0].partitions).toHaveLength(4);
  });

  it('refuses read-only and unknown settings, bad values and list operations with a message, changing nothing', async () => {
    const readOnly = await incremental('1', [
      { name: 'socket.request.max.bytes', configOperation: SET, value: '10' },
    ]);
    expect(readOnly.errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(readOnly.errorMessage).toContain('socket.request.max.bytes is read-only');
    const unknown = await incremental('1', [
      { name: 'log.flush.nonsense', configOperation: SET, value: '1' },
    ]);
    expect(unknown.errorCode).toBe(ErrorCode.INVALID_CONFIG);
    expect(unknown.errorMessage).toContain('unknown broker config log.flush.nonsense');
    const bad = await incremental('1', [
      { name: 'max.connections', configOperation: SET, value: '7' },
      { name: 'auto.create.topics.enable', configOperation: SET, value: 'yes' },
    ]);
    expect(bad.errorCode).toBe(ErrorCode.INVALID_CONFIG);
    expect(broker.context.config.maxConnections).toBe(1000);
    const append = await incremental('1', [{ name: 'max.connections', configOperation: APPEND, value: '1' }]);
    expect(append.errorCode).toBe(ErrorCode.INVALID_CONFIG);
    const otherBroker = await incremental('7', [
      { name: 'max.connections', configOperation: SET, value: '5' },
    ]);
    expect(otherBroker.errorCode).toBe(ErrorCode.INVALID_REQUEST);
  });

  it('AlterConfigs replaces the whole dynamic set of the resource, as in Kafka', async () => {
    const response = await raw.send(ApiKey.AlterConfigs, 2, {
      resources: [
        { resourceType: BROKER, resourceName: '1', configs: [{ name: 'max.connections', value: '500' }] },
      ],
      validateOnly: false,
    });
    expect(response.responses[0].errorCode).toBe(ErrorCode.NONE);
    const byName = new Map((await describeBroker()).configs.map((config) => [config.name, config]));
    expect(byName.get('max.connections')).toMatchObject({ value: '500', configSource: 2 });
    // The broker layer's group.initial.rebalance.delay.ms (250) is gone; the flag's 0 is back.
    expect(byName.get('group.initial.rebalance.delay.ms')).toMatchObject({ value: '0', configSource: 4 });
    // The cluster default layer was not touched.
    expect(byName.get('num.partitions')).toMatchObject({ value: '4', configSource: 3 });
  });
});
