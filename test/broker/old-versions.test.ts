// The API versions Kafka 3.9 still serves that old tools send (ListOffsets v0 from lag monitors built on
// old client libraries), the newest 3.9 versions, and how the versions Venice refuses are refused: an
// UNSUPPORTED_VERSION the client can read wherever the response can carry one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker } from '../helpers/broker.js';
import { RawClient } from '../helpers/raw-client.js';
import { KAFKA_PYTHON, requireTool } from '../helpers/system-tools.js';
import { runKafkaPython } from '../helpers/system-tools.js';
import { API_SPECS, ApiKey, isApiKey, type ApiKeyNumber } from '../../src/protocol/generated/apis.js';
import { ZERO_UUID } from '../../src/protocol/primitives.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { encodeBatch } from '../../src/protocol/records/record-codec.js';
import type { RunningBroker } from '../../src/broker/main.js';

const TOPIC = 'old-versions';

let broker: RunningBroker & { bootstrap: string };
let raw: RawClient;

async function produce(partition: number, values: string[]): Promise<void> {
  const response = await raw.send(ApiKey.Produce, 9, {
    acks: -1,
    timeoutMs: 5000,
    topicData: [
      {
        name: TOPIC,
        partitionData: [
          { index: partition, records: encodeBatch({ records: values.map((value) => ({ value })) }) },
        ],
      },
    ],
  });
  expect(response.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);
}

function listOffsetsV0(topic: string, timestamp: bigint, maxNumOffsets: number) {
  return raw.send(ApiKey.ListOffsets, 0, {
    replicaId: -1,
    topics: [
      { name: topic, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp, maxNumOffsets }] },
    ],
  });
}

const runPython = runKafkaPython;

describe('old and newest API versions', () => {
  beforeAll(async () => {
    broker = await startTestBroker();
    raw = await RawClient.connect(broker.port);
    await raw.send(ApiKey.CreateTopics, 5, {
      topics: [{ name: TOPIC, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 5000,
    });
    await produce(0, ['a', 'b', 'c']);
  });

  afterAll(async () => {
    raw?.close();
    await broker?.stop();
  });

  it('serves ListOffsets v0: old-style offset lists for latest and earliest, capped at maxNumOffsets', async () => {
    const latest = await listOffsetsV0(TOPIC, -1n, 1);
    expect(latest.topics[0].partitions[0]).toMatchObject({
      errorCode: ErrorCode.NONE,
      oldStyleOffsets: [3n],
    });
    // More than one: the log end, then where each segment starts (one segment here).
    expect((await listOffsetsV0(TOPIC, -1n, 10)).topics[0].partitions[0].oldStyleOffsets).toEqual([3n, 0n]);
    expect((await listOffsetsV0(TOPIC, -2n, 1)).topics[0].partitions[0].oldStyleOffsets).toEqual([0n]);
    expect((await listOffsetsV0(TOPIC, -1n, 0)).topics[0].partitions[0].oldStyleOffsets).toEqual([]);
    const unknown = await listOffsetsV0('no-such-topic', -1n, 1);
    expect(unknown.topics[0].partitions[0].errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });

  it('serves ListOffsets v9: the latest tiered offset (-5) is -1, nothing being tiered', async () => {
    const response = await raw.send(ApiKey.ListOffsets, 9, {
      replicaId: -1,
      topics: [
        {
          name: TOPIC,
          partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -5n, maxNumOffsets: 1 }],
        },
      ],
    });
    expect(response.topics[0].partitions[0]).toMatchObject({ errorCode: ErrorCode.NONE, offset: -1n });
  });

  it('gives kafka-python speaking Kafka 0.10.0 (ListOffsets v0) the end offsets', async () => {
    requireTool(KAFKA_PYTHON);
    const result = await runPython(
      [
        'from kafka import KafkaConsumer, TopicPartition',
        `c = KafkaConsumer(bootstrap_servers="${broker.bootstrap}", api_version=(0, 10, 0))`,
        `tp = TopicPartition("${TOPIC}", 0)`,
        'print(c.beginning_offsets([tp])[tp], c.end_offsets([tp])[tp])',
        'c.close()',
      ].join('\n'),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe('0 3');
  });

  it('serves the newest versions Kafka 3.9 serves: ApiVersions v4, OffsetCommit/OffsetFetch v9, FindCoordinator v6', async () => {
    const versions = await raw.send(ApiKey.ApiVersions, 4, {
      clientSoftwareName: 'venice-test',
      clientSoftwareVersion: '1.0',
    });
    expect(versions.errorCode).toBe(ErrorCode.NONE);
    expect(versions.apiKeys.find((api) => api.apiKey === ApiKey.ListOffsets)).toMatchObject({
      minVersion: 0,
    });

    const commit = await raw.send(ApiKey.OffsetCommit, 9, {
      groupId: 'v9-group',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      topics: [
        {
          name: TOPIC,
          partitions: [
            {
              partitionIndex: 0,
              committedOffset: 2n,
              committedLeaderEpoch: -1,
              commitTimestamp: -1n,
              committedMetadata: '',
            },
          ],
        },
      ],
    });
    expect(commit.topics[0].partitions[0].errorCode).toBe(ErrorCode.NONE);
    const fetched = await raw.send(ApiKey.OffsetFetch, 9, {
      groups: [{ groupId: 'v9-group', memberId: null, memberEpoch: -1, topics: null }],
    });
    expect(fetched.groups[0].topics[0].partitions[0].committedOffset).toBe(2n);

    const coordinator = await raw.send(ApiKey.FindCoordinator, 6, {
      keyType: 0,
      coordinatorKeys: ['v9-group'],
    });
    expect(coordinator.coordinators[0]).toMatchObject({ errorCode: ErrorCode.NONE, port: broker.port });
  });

  it('answers Produce v0-2 (message formats 0 and 1) with UNSUPPORTED_VERSION per partition and keeps the connection', async () => {
    for (const version of [0, 1, 2]) {
      const response = await raw.send(ApiKey.Produce, version, {
        acks: 1,
        timeoutMs: 5000,
        topicData: [{ name: TOPIC, partitionData: [{ index: 0, records: Buffer.alloc(0) }] }],
      });
      expect(response.responses[0].partitionResponses[0]).toMatchObject({
        index: 0,
        errorCode: ErrorCode.UNSUPPORTED_VERSION,
      });
    }
    const versions = await raw.send(ApiKey.ApiVersions, 0, {});
    expect(versions.errorCode).toBe(ErrorCode.NONE);
  });

  it('closes the connection of an acks=0 Produce v2: such a producer reads no answer', async () => {
    const client = await RawClient.connect(broker.port);
    try {
      client.sendWithoutAnswer(ApiKey.Produce, 2, {
        acks: 0,
        timeoutMs: 5000,
        topicData: [{ name: TOPIC, partitionData: [{ index: 0, records: Buffer.alloc(0) }] }],
      });
      await expect(client.send(ApiKey.ApiVersions, 0, {})).rejects.toThrow('connection closed by the broker');
    } finally {
      client.close();
    }
  });

  it('answers Fetch v0-3 with UNSUPPORTED_VERSION per partition', async () => {
    for (const version of [0, 1, 2, 3]) {
      const response = await raw.send(ApiKey.Fetch, version, {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 1,
        maxBytes: 1_000_000,
        topics: [
          {
            topic: TOPIC,
            topicId: ZERO_UUID,
            partitions: [
              {
                partition: 0,
                currentLeaderEpoch: -1,
                fetchOffset: 0n,
                lastFetchedEpoch: -1,
                logStartOffset: -1n,
                partitionMaxBytes: 1_000_000,
                replicaDirectoryId: ZERO_UUID,
              },
            ],
          },
        ],
      });
      expect(response.responses[0].partitions[0]).toMatchObject({
        partitionIndex: 0,
        errorCode: ErrorCode.UNSUPPORTED_VERSION,
      });
    }
  });

  it('tells kafka-python speaking Kafka 0.10.0 (Produce v2) that the version is unsupported', async () => {
    requireTool(KAFKA_PYTHON);
    const result = await runPython(
      [
        'from kafka import KafkaProducer',
        `p = KafkaProducer(bootstrap_servers="${broker.bootstrap}", api_version=(0, 10, 0), retries=0)`,
        'try:',
        `    p.send("${TOPIC}", b"old").get(timeout=20)`,
        '    print("accepted")',
        'except Exception as e:',
        '    print(type(e).__name__)',
        'p.close()',
      ].join('\n'),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe('UnsupportedVersionError');
  });

  it('answers every version it does not serve in a readable response, except inter-broker APIs', async () => {
    const served = new Map(broker.context.supportedApis.map((api) => [api.apiKey, api]));
    // Only brokers send these, and their responses carry errors only per item of a broker's request.
    const interBroker = new Set<number>([
      ApiKey.WriteTxnMarkers,
      ApiKey.InitializeShareGroupState,
      ApiKey.ReadShareGroupState,
      ApiKey.WriteShareGroupState,
      ApiKey.DeleteShareGroupState,
      ApiKey.ReadShareGroupStateSummary,
    ]);
    const closed: string[] = [];
    for (const [key, spec] of Object.entries(API_SPECS)) {
      const apiKey = Number(key);
      if (!isApiKey(apiKey) || apiKey === ApiKey.ApiVersions || interBroker.has(apiKey)) continue;
      const range = served.get(apiKey);
      for (let version = spec.minVersion; version <= spec.maxVersion; version++) {
        if (range && version >= range.minVersion && version <= range.maxVersion) continue;
        const client = await RawClient.connect(broker.port);
        try {
          // acks=0 asks for no answer; any other produce gets one.
          const fields = apiKey === ApiKey.Produce ? { acks: 1 } : {};
          const response: unknown = await client.send(apiKey as ApiKeyNumber, version, fields);
          // Decoded, so readable. A top-level error code, where the version has one, is the refusal;
          // APIs answered per item have nothing to carry it for an empty request (see the tests above).
          const errorCode = (response as { errorCode?: number }).errorCode ?? ErrorCode.NONE;
          if (errorCode !== ErrorCode.NONE)
            expect(errorCode, `${spec.name} v${version}`).toBe(ErrorCode.UNSUPPORTED_VERSION);
        } catch {
          closed.push(`${spec.name} v${version}`);
        } finally {
          client.close();
        }
      }
    }
    expect(closed).toEqual([]);
  });
});
