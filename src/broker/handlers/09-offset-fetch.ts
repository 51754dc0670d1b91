// OffsetFetch (key 9), v0-9. v2 adds a top-level error and "all partitions" (null topics);
// v7 adds require_stable (KIP-447): partitions with a transactional commit awaiting its marker answer
// UNSTABLE_OFFSET_COMMIT; v8 asks for several groups at once. v9 adds a member id and epoch that only
// KIP-848 consumer groups check; Venice's groups are all classic, so they are ignored, as Kafka does.
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultOffsetFetchResponse } from '../../protocol/generated/offset-fetch-response.js';
import type { FetchedOffset, TopicPartitionRef } from '../groups/types.js';
import type { BrokerContext } from '../broker-context.js';
import { defineHandler } from './handler.js';
import { groupByTopic } from './topic-grouping.js';

interface TopicPartitions {
  name: string;
  partitionIndexes: number[];
}

function fetchGroup(
  broker: BrokerContext,
  groupId: string,
  topics: TopicPartitions[] | null,
  requireStable: boolean,
) {
  const wanted: TopicPartitionRef[] | null =
    topics === null
      ? null
      : topics.flatMap((topic) =>
          topic.partitionIndexes.map((partition) => ({ topic: topic.name, partition })),
        );
  return groupByTopic(broker.groups.fetchOffsets(groupId, wanted, requireStable)).map(
    ([name, partitions]) => ({
      name,
      partitions: partitions.map((entry: FetchedOffset) => ({
        partitionIndex: entry.partition,
        committedOffset: entry.offset,
        committedLeaderEpoch: entry.leaderEpoch,
        metadata: entry.metadata,
        errorCode: entry.errorCode,
      })),
    }),
  );
}

export const offsetFetchHandler = defineHandler({
  apiKey: ApiKey.OffsetFetch,
  minVersion: 0,
  maxVersion: 9,
  handle(request, { broker, version }) {
    const response = defaultOffsetFetchResponse();
    if (version >= 8) {
      response.groups = request.groups.map((group) => ({
        groupId: group.groupId,
        topics: fetchGroup(broker, group.groupId, group.topics, request.requireStable),
        errorCode: 0,
      }));
      return response;
    }
    response.topics = fetchGroup(
      broker,
      request.groupId,
      request.topics,
      version >= 7 && request.requireStable,
    );
    return response;
  },
});
