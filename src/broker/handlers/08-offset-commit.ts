// OffsetCommit (key 8), v0-9. Answered only once the commit is durable in __consumer_offsets.
// v1 adds generation and member (v0 commits are standalone), v2-4 a retention time, v7 static membership.
// v9 is v8 for the KIP-848 consumer protocol; Venice's groups are all classic, so it is answered as v8.
// Needs READ on the group (GROUP_AUTHORIZATION_FAILED for every partition) and READ on each topic.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultOffsetCommitResponse } from '../../protocol/generated/offset-commit-response.js';
import { defineHandler } from './handler.js';
import { AclOperation, canGroup, canTopic } from './access.js';
import { groupByTopic } from './topic-grouping.js';

export const offsetCommitHandler = defineHandler({
  apiKey: ApiKey.OffsetCommit,
  minVersion: 0,
  maxVersion: 9,
  async handle(request, context) {
    const { broker, version } = context;
    const unknown: { topic: string; partition: number; errorCode: number }[] = [];
    const offsets = [];
    const groupAllowed = canGroup(context, AclOperation.READ, request.groupId);
    for (const topic of request.topics) {
      const topicAllowed = groupAllowed && canTopic(context, AclOperation.READ, topic.name);
      for (const partition of topic.partitions) {
        const refusal = !groupAllowed
          ? ErrorCode.GROUP_AUTHORIZATION_FAILED
          : !topicAllowed
            ? ErrorCode.TOPIC_AUTHORIZATION_FAILED
            : !broker.logs.partition(topic.name, partition.partitionIndex)
              ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
              : ErrorCode.NONE;
        if (refusal !== ErrorCode.NONE) {
          unknown.push({ topic: topic.name, partition: partition.partitionIndex, errorCode: refusal });
          continue;
        }
        offsets.push({
          topic: topic.name,
          partition: partition.partitionIndex,
          offset: partition.committedOffset,
          leaderEpoch: version >= 6 ? partition.committedLeaderEpoch : -1,
          metadata: partition.committedMetadata,
        });
      }
    }
    const committed =
      offsets.length === 0
        ? []
        : await broker.groups.commitOffsets({
            groupId: request.groupId,
            generationId: version >= 1 ? request.generationIdOrMemberEpoch : -1,
            memberId: version >= 1 ? request.memberId : '',
            groupInstanceId: request.groupInstanceId,
            retentionTimeMs: Number(request.retentionTimeMs),
            offsets,
          });
    const response = defaultOffsetCommitResponse();
    response.topics = groupByTopic([...committed, ...unknown]).map(([name, partitions]) => ({
      name,
      partitions: partitions.map((entry) => ({
        partitionIndex: entry.partition,
        errorCode: entry.errorCode,
      })),
    }));
    return response;
  },
});
