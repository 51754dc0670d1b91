// OffsetDelete (key 47), v0: removes a group's committed offsets for partitions it no longer consumes.
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultOffsetDeleteResponse } from '../../protocol/generated/offset-delete-response.js';
import { defineHandler } from './handler.js';
import { groupByTopic } from './topic-grouping.js';

export const offsetDeleteHandler = defineHandler({
  apiKey: ApiKey.OffsetDelete,
  minVersion: 0,
  maxVersion: 0,
  async handle(request, { broker }) {
    const partitions = request.topics.flatMap((topic) =>
      topic.partitions.map((partition) => ({ topic: topic.name, partition: partition.partitionIndex })),
    );
    const result = await broker.groups.deleteOffsets(request.groupId, partitions);
    const response = defaultOffsetDeleteResponse();
    response.errorCode = result.errorCode;
    response.topics = groupByTopic(result.partitions).map(([name, entries]) => ({
      name,
      partitions: entries.map((entry) => ({ partitionIndex: entry.partition, errorCode: entry.errorCode })),
    }));
    return response;
  },
});
