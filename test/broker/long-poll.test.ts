// Long-polling fetches are woken by the log itself, so appends that do not come from a Produce request
// (the group coordinator writing __consumer_offsets) wake them too, and a deleted topic ends the wait.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker } from '../helpers/broker.js';
import { RawClient } from '../helpers/raw-client.js';
import { ApiKey } from '../../src/protocol/generated/apis.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { OFFSETS_TOPIC } from '../../src/broker/offsets-topic.js';
import type { RunningBroker } from '../../src/broker/main.js';

/** Far longer than any wake-up takes, and shorter than the test timeout: a missed wake-up shows. */
const MAX_WAIT_MS = 20_000;

let broker: RunningBroker & { bootstrap: string };
let fetcher: RawClient;
let writer: RawClient;

function longPoll(topic: string, fetchOffset: number) {
  return fetcher.send(ApiKey.Fetch, 12, {
    maxWaitMs: MAX_WAIT_MS,
    minBytes: 1,
    topics: [
      {
        topic,
        topicId: '0'.repeat(32),
        partitions: [
          {
            partition: 0,
            currentLeaderEpoch: -1,
            fetchOffset: BigInt(fetchOffset),
            lastFetchedEpoch: -1,
            logStartOffset: -1n,
            partitionMaxBytes: 1 << 20,
            replicaDirectoryId: '0'.repeat(32),
          },
        ],
      },
    ],
  });
}

/** Resolves once the broker has parked the fetch (sent it, answered nothing yet). */
async function parked<T>(fetching: Promise<T>): Promise<void> {
  const early = await Promise.race([
    fetching.then(() => true),
    new Promise((r) => setTimeout(r, 300, false)),
  ]);
  expect(early, 'the fetch was answered before anything was written').toBe(false);
}

describe('long-poll fetch wake-ups', () => {
  beforeAll(async () => {
    broker = await startTestBroker();
    fetcher = await RawClient.connect(broker.port);
    writer = await RawClient.connect(broker.port);
  });

  afterAll(async () => {
    fetcher.close();
    writer.close();
    await broker.stop();
  });

  it(`wakes a fetch of ${OFFSETS_TOPIC} when the group coordinator commits an offset`, async () => {
    broker.context.logs.createTopic('orders', 1);
    const offsetsLog = broker.context.logs.partition(OFFSETS_TOPIC, 0)!;
    const started = Date.now();
    const fetching = longPoll(OFFSETS_TOPIC, offsetsLog.logEndOffset);
    await parked(fetching);

    const commit = await writer.send(ApiKey.OffsetCommit, 8, {
      groupId: 'standalone',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      topics: [
        {
          name: 'orders',
          partitions: [
            {
              partitionIndex: 0,
              committedOffset: 0n,
              committedLeaderEpoch: -1,
              commitTimestamp: -1n,
              committedMetadata: null,
            },
          ],
        },
      ],
    });
    expect(commit.topics[0].partitions[0].errorCode).toBe(ErrorCode.NONE);

    const response = await fetching;
    const partition = response.responses[0].partitions[0];
    expect(partition.errorCode).toBe(ErrorCode.NONE);
    expect((partition.records as Buffer).length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(MAX_WAIT_MS);
  });

  it('ends the wait of a fetch whose topic is deleted', async () => {
    broker.context.logs.createTopic('doomed', 1);
    const started = Date.now();
    const fetching = longPoll('doomed', 0);
    await parked(fetching);

    const deleted = await writer.send(ApiKey.DeleteTopics, 4, { topicNames: ['doomed'], timeoutMs: 5000 });
    expect(deleted.responses[0].errorCode).toBe(ErrorCode.NONE);

    const response = await fetching;
    expect((response.responses[0].partitions[0].records as Buffer).length).toBe(0);
    expect(Date.now() - started).toBeLessThan(MAX_WAIT_MS);
  });
});
