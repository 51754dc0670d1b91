// A fetch that names a topic that no longer exists (deleted under a consumer) answers that partition with
// UNKNOWN_TOPIC_OR_PARTITION and an empty record set, as Kafka does: librdkafka 2.0 fails the whole
// response on a null one ("invalid MessageSetSize -1"), found by librdkafka's 0113 h_delete_topic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker } from '../helpers/broker.js';
import { RawClient } from '../helpers/raw-client.js';
import { ApiKey } from '../../src/protocol/generated/apis.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { ZERO_UUID } from '../../src/protocol/primitives.js';
import type { RunningBroker } from '../../src/broker/main.js';

let broker: RunningBroker;
let raw: RawClient;

describe('fetch of a missing topic', () => {
  beforeAll(async () => {
    broker = await startTestBroker();
    raw = await RawClient.connect(broker.port);
  });

  afterAll(async () => {
    raw?.close();
    await broker?.stop();
  });

  it('answers with an error and an empty, not null, record set', async () => {
    const response = await raw.send(ApiKey.Fetch, 11, {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 1,
      maxBytes: 1_000_000,
      topics: [
        {
          topic: 'deleted-meanwhile',
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
    const partition = response.responses[0].partitions[0];
    expect(partition.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect(partition.records).not.toBeNull();
  });
});
