// OffsetDelete (key 47), v0: removes a group's committed offsets for partitions it no longer consumes.
// Needs DELETE on the group and READ on each topic, as in Kafka.
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultOffsetDeleteResponse } from '../../protocol/generated/offset-delete-response.js';
import { defineHandler } from './handler.js';
import { AclOperation, canGroup, canTopic } from './access.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { groupByTopic } from './topic-grouping.js';

export const offsetDeleteHandler = defineHandler({
  apiKey: ApiKey.OffsetDelete,
  minVersion: 0,
  maxVersion: 0,
  async handle(request, context) {
    const response = defaultOffsetDeleteResponse();
    if (!canGroup(context, AclOperation.DELETE, request.groupId)) {
      response.errorCode = ErrorCode.GROUP_AUTHORIZATION_FAILED;
      return response;
    }
    const refs = request.topics.flatMap((topic) =>
      topic.partitions.map((partition) => ({ topic: topic.name, partition: partition.partitionIndex })),
    );
    const readable = new Map<string, boolean>();
    const mayRead = (topic: string) => {
      if (!readable.has(topic)) readable.set(topic, canTopic(context, AclOperation.READ, topic));
      return readable.get(topic) === true;
    };
    const partitions = refs.filter((ref) => mayRead(ref.topic));
    const refused = refs
      .filter((ref) => !mayRead(ref.topic))
      .map((ref) => ({ ...ref, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED }));
    const result =
      partitions.length === 0
        ? { errorCode: ErrorCode.NONE, partitions: [] }
        : await context.broker.groups.deleteOffsets(request.groupId, partitions);
    response.errorCode = result.errorCode;
    response.topics = groupByTopic([...result.partitions, ...refused]).map(([name, entries]) => ({
      name,
      partitions: entries.map((entry) => ({ partitionIndex: entry.partition, errorCode: entry.errorCode })),
    }));
    return response;
  },
});
