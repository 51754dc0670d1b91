// fetch.max.bytes (the request's max_bytes): only the first partition with data may overshoot it, by one
// whole batch; later partitions get only what fits in what remains (librdkafka's test 0082 found a
// 1.8 MB answer to a 1 MB limit).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker } from '../helpers/broker.js';
import { RawClient } from '../helpers/raw-client.js';
import { ApiKey } from '../../src/protocol/generated/apis.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { encodeBatch } from '../../src/protocol/records/record-codec.js';
import type { RunningBroker } from '../../src/broker/main.js';

const TOPIC = 'big-batches';
const PARTITIONS = 3;
/** Each partition holds one batch of about this size (random bytes: nothing to compress). */
const BATCH_BYTES = 600_000;

let broker: RunningBroker & { bootstrap: string };
let raw: RawClient;

async function fetchAll(maxBytes: number, partitionMaxBytes: number): Promise<number[]> {
  const response = await raw.send(ApiKey.Fetch, 12, {
    maxWaitMs: 100,
    minBytes: 1,
    maxBytes,
    topics: [
      {
        topic: TOPIC,
        topicId: '0'.repeat(32),
        partitions: Array.from({ length: PARTITIONS }, (_, partition) => ({
          partition,
          currentLeaderEpoch: -1,
          fetchOffset: 0n,
          lastFetchedEpoch: -1,
          logStartOffset: -1n,
          partitionMaxBytes,
          replicaDirectoryId: '0'.repeat(32),
        })),
      },
    ],
  });
  return response.responses[0].partitions.map((partition) => {
    expect(partition.errorCode).toBe(ErrorCode.NONE);
    return (partition.records as Buffer).length;
  });
}

describe('fetch.max.bytes', () => {
  beforeAll(async () => {
    broker = await startTestBroker();
    raw = await RawClient.connect(broker.port);
    broker.context.logs.createTopic(TOPIC, PARTITIONS);
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const response = await raw.send(ApiKey.Produce, 9, {
        acks: 1,
        timeoutMs: 5000,
        topicData: [
          {
            name: TOPIC,
            partitionData: [
              { index: partition, records: encodeBatch({ records: [{ value: randomBytes(BATCH_BYTES) }] }) },
            ],
          },
        ],
      });
      expect(response.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);
    }
  });

  afterAll(async () => {
    raw.close();
    await broker.stop();
  });

  it('fills later partitions only with what remains of max_bytes', async () => {
    const sizes = await fetchAll(1_000_000, 1_048_576);
    expect(sizes[0]).toBeGreaterThan(BATCH_BYTES);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBeLessThanOrEqual(1_000_000);
    expect(sizes.slice(1)).toEqual([0, 0]);
  });

  it('lets the first partition overshoot by one whole batch, and nothing more', async () => {
    const sizes = await fetchAll(100_000, 50_000);
    expect(sizes[0]).toBeGreaterThan(BATCH_BYTES);
    expect(sizes.slice(1)).toEqual([0, 0]);
  });

  it('returns every partition that fits', async () => {
    const sizes = await fetchAll(10_000_000, 1_048_576);
    expect(sizes.every((size) => size > BATCH_BYTES)).toBe(true);
  });
});
