// OffsetFetch (key 9), v0-9. v2 adds a top-level error and "all partitions" (null topics);
// v7 adds require_stable (KIP-447): partitions with a transactional commit awaiting its marker answer
// UNSTABLE_OFFSET_COMMIT; v8 asks for several groups at once. v9 adds a member id and epoch that only
// KIP-848 consumer groups check; Venice's groups are all classic, so they are ignored, as Kafka does.
// Needs DESCRIBE on the group; a topic the principal may not DESCRIBE is refused when named and left out
// of "all partitions", as in Kafka.
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultOffsetFetchResponse } from '../../protocol/generated/offset-fetch-response.js';
import type { FetchedOffset, TopicPartitionRef } from '../groups/types.js';
import { defineHandler, type RequestContext } from './handler.js';
import { AclOperation, canGroup, canTopic } from './access.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { groupByTopic } from './topic-grouping.js';

interface TopicPartitions {
  name: string;
  partitionIndexes: number[];
}

function fetchGroup(
  context: RequestContext,
  groupId: string,
  topics: TopicPartitions[] | null,
  requireStable: boolean,
) {
  const { broker } = context;
  const mayDescribe = (topic: string) => canTopic(context, AclOperation.DESCRIBE, topic);
  const wanted: TopicPartitionRef[] | null =
    topics === null
      ? null
      : topics.flatMap((topic) =>
          topic.partitionIndexes.map((partition) => ({ topic: topic.name, partition })),
        );
  const allowed = wanted?.filter((ref) => mayDescribe(ref.topic)) ?? null;
  const fetched = broker.groups
    .fetchOffsets(groupId, allowed, requireStable)
    .filter((entry) => wanted !== null || mayDescribe(entry.topic));
  const refused = (wanted ?? [])
    .filter((ref) => !mayDescribe(ref.topic))
    .map((ref) => refusedOffset(ref, ErrorCode.TOPIC_AUTHORIZATION_FAILED));
  return answerTopics([...fetched, ...refused]);
}

function refusedOffset(ref: TopicPartitionRef, errorCode: number): FetchedOffset {
  return { ...ref, offset: -1n, leaderEpoch: -1, metadata: '', errorCode };
}

function answerTopics(offsets: FetchedOffset[]) {
  return groupByTopic(offsets).map(([name, partitions]) => ({
    name,
    partitions: partitions.map((entry: FetchedOffset) => ({
      partitionIndex: entry.partition,
      committedOffset: entry.offset,
      committedLeaderEpoch: entry.leaderEpoch,
      metadata: entry.metadata,
      errorCode: entry.errorCode,
    })),
  }));
}

export const offsetFetchHandler = defineHandler({
  apiKey: ApiKey.OffsetFetch,
  minVersion: 0,
  maxVersion: 9,
  handle(request, context) {
    const { version } = context;
    const response = defaultOffsetFetchResponse();
    const groupAllowed = (groupId: string) => canGroup(context, AclOperation.DESCRIBE, groupId);
    if (version >= 8) {
      response.groups = request.groups.map((group) =>
        groupAllowed(group.groupId)
          ? {
              groupId: group.groupId,
              topics: fetchGroup(context, group.groupId, group.topics, request.requireStable),
              errorCode: 0,
            }
          : { groupId: group.groupId, topics: [], errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED },
      );
      return response;
    }
    if (!groupAllowed(request.groupId)) {
      // v2+ carry a top-level error; v0-1 only per partition.
      response.errorCode = ErrorCode.GROUP_AUTHORIZATION_FAILED;
      response.topics = answerTopics(
        (request.topics ?? []).flatMap((topic) =>
          topic.partitionIndexes.map((partition) =>
            refusedOffset({ topic: topic.name, partition }, ErrorCode.GROUP_AUTHORIZATION_FAILED),
          ),
        ),
      );
      return response;
    }
    response.topics = fetchGroup(
      context,
      request.groupId,
      request.topics,
      version >= 7 && request.requireStable,
    );
    return response;
  },
});
