// Cross-checks the generated codecs against kafkajs, an independent implementation of the same wire format:
// kafkajs encodes requests that Venice decodes, and decodes responses that Venice encodes.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Reader, Writer } from '../../src/protocol/primitives.js';
import { readJoinGroupRequest } from '../../src/protocol/generated/join-group-request.js';
import { readFetchRequest } from '../../src/protocol/generated/fetch-request.js';
import { readMetadataRequest } from '../../src/protocol/generated/metadata-request.js';
import {
  defaultMetadataResponse,
  defaultMetadataResponseBroker,
  defaultMetadataResponsePartition,
  defaultMetadataResponseTopic,
  writeMetadataResponse,
} from '../../src/protocol/generated/metadata-response.js';
import {
  defaultApiVersionsResponse,
  writeApiVersionsResponse,
} from '../../src/protocol/generated/api-versions-response.js';

const require = createRequire(import.meta.url);

interface KafkajsRequest {
  apiKey: number;
  apiVersion: number;
  encode(): Promise<{ buffer: Buffer }>;
}
type RequestFactory = (args: Record<string, unknown>) => KafkajsRequest;
interface ResponseModule {
  decode(raw: Buffer): Promise<Record<string, unknown>>;
}

const kafkajsRequest = (path: string): RequestFactory =>
  require(`kafkajs/src/protocol/requests/${path}/request`) as RequestFactory;
const kafkajsResponse = (path: string): ResponseModule =>
  require(`kafkajs/src/protocol/requests/${path}/response`) as ResponseModule;

async function bytesOf(request: KafkajsRequest): Promise<Buffer> {
  return (await request.encode()).buffer;
}

function encode(write: (w: Writer) => void): Buffer {
  const w = new Writer();
  write(w);
  return w.toBuffer();
}

describe('generated codecs agree with kafkajs', () => {
  it('JoinGroup v5 request', async () => {
    const bytes = await bytesOf(
      kafkajsRequest('joinGroup/v5')({
        groupId: 'g1',
        sessionTimeout: 30000,
        rebalanceTimeout: 60000,
        memberId: '',
        groupInstanceId: 'static-1',
        protocolType: 'consumer',
        groupProtocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from([0, 1, 2]) }],
      }),
    );
    const r = new Reader(bytes);
    const m = readJoinGroupRequest(r, 5);
    expect(r.remaining).toBe(0);
    expect(m.groupId).toBe('g1');
    expect(m.sessionTimeoutMs).toBe(30000);
    expect(m.rebalanceTimeoutMs).toBe(60000);
    expect(m.memberId).toBe('');
    expect(m.groupInstanceId).toBe('static-1');
    expect(m.protocolType).toBe('consumer');
    expect(m.protocols).toEqual([{ name: 'RoundRobinAssigner', metadata: Buffer.from([0, 1, 2]) }]);
  });

  it('Fetch v11 request', async () => {
    const bytes = await bytesOf(
      kafkajsRequest('fetch/v11')({
        replicaId: -1,
        maxWaitTime: 500,
        minBytes: 1,
        maxBytes: 10485760,
        isolationLevel: 1,
        sessionId: 0,
        sessionEpoch: -1,
        rackId: 'rack-a',
        topics: [{ topic: 'orders', partitions: [{ partition: 2, fetchOffset: '42', maxBytes: 1048576 }] }],
      }),
    );
    const r = new Reader(bytes);
    const m = readFetchRequest(r, 11);
    expect(r.remaining).toBe(0);
    expect(m).toMatchObject({
      replicaId: -1,
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 10485760,
      isolationLevel: 1,
      sessionId: 0,
      sessionEpoch: -1,
      rackId: 'rack-a',
      forgottenTopicsData: [],
    });
    expect(m.topics).toHaveLength(1);
    expect(m.topics[0].topic).toBe('orders');
    expect(m.topics[0].partitions[0]).toMatchObject({
      partition: 2,
      currentLeaderEpoch: -1,
      fetchOffset: 42n,
      logStartOffset: -1n,
      partitionMaxBytes: 1048576,
    });
  });

  it('Metadata v0 and v4 requests', async () => {
    const v0 = new Reader(await bytesOf(kafkajsRequest('metadata/v0')({ topics: ['a', 'bb'] })));
    expect(readMetadataRequest(v0, 0).topics?.map((t) => t.name)).toEqual(['a', 'bb']);
    expect(v0.remaining).toBe(0);
    const v4 = new Reader(
      await bytesOf(kafkajsRequest('metadata/v4')({ topics: ['x'], allowAutoTopicCreation: false })),
    );
    const m = readMetadataRequest(v4, 4);
    expect(m.topics?.map((t) => t.name)).toEqual(['x']);
    expect(m.allowAutoTopicCreation).toBe(false);
    expect(v4.remaining).toBe(0);
  });

  it('Metadata v5 response', async () => {
    const message = {
      ...defaultMetadataResponse(),
      throttleTimeMs: 7,
      brokers: [{ ...defaultMetadataResponseBroker(), nodeId: 1, host: 'localhost', port: 9092, rack: null }],
      clusterId: 'venice-cluster',
      controllerId: 1,
      topics: [
        {
          ...defaultMetadataResponseTopic(),
          errorCode: 0,
          name: 'orders',
          isInternal: false,
          partitions: [
            {
              ...defaultMetadataResponsePartition(),
              partitionIndex: 0,
              leaderId: 1,
              replicaNodes: [1],
              isrNodes: [1],
              offlineReplicas: [3],
            },
          ],
        },
      ],
    };
    const decoded = await kafkajsResponse('metadata/v5').decode(
      encode((w) => writeMetadataResponse(w, 5, message)),
    );
    expect(decoded).toEqual({
      throttleTime: 7,
      brokers: [{ nodeId: 1, host: 'localhost', port: 9092, rack: null }],
      clusterId: 'venice-cluster',
      controllerId: 1,
      topicMetadata: [
        {
          topicErrorCode: 0,
          topic: 'orders',
          isInternal: false,
          partitionMetadata: [
            {
              partitionErrorCode: 0,
              partitionId: 0,
              leader: 1,
              replicas: [1],
              isr: [1],
              offlineReplicas: [3],
            },
          ],
        },
      ],
    });
  });

  it('ApiVersions v2 response', async () => {
    const message = {
      ...defaultApiVersionsResponse(),
      apiKeys: [
        { apiKey: 0, minVersion: 3, maxVersion: 9 },
        { apiKey: 18, minVersion: 0, maxVersion: 3 },
      ],
      throttleTimeMs: 0,
    };
    const decoded = await kafkajsResponse('apiVersions/v2').decode(
      encode((w) => writeApiVersionsResponse(w, 2, message)),
    );
    expect(decoded).toMatchObject({
      errorCode: 0,
      apiVersions: [
        { apiKey: 0, minVersion: 3, maxVersion: 9 },
        { apiKey: 18, minVersion: 0, maxVersion: 3 },
      ],
    });
  });
});
