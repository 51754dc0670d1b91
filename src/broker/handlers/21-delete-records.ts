// DeleteRecords (key 21), v0-2: moves a partition's log start offset forward (offset -1: to the high
// watermark); whole segments below it are deleted. A topic needs DELETE (the broker's own: a super user).
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultDeleteRecordsResponse } from '../../protocol/generated/delete-records-response.js';
import { defineHandler } from './handler.js';
import { AclOperation, canTopic } from './access.js';

export const deleteRecordsHandler = defineHandler({
  apiKey: ApiKey.DeleteRecords,
  minVersion: 0,
  maxVersion: 2,
  handle(request, context) {
    const { broker } = context;
    const response = defaultDeleteRecordsResponse();
    response.topics = request.topics.map((topic) => {
      const allowed = canTopic(context, AclOperation.DELETE, topic.name);
      return {
        name: topic.name,
        partitions: topic.partitions.map((partition) => {
          if (!allowed) {
            return {
              partitionIndex: partition.partitionIndex,
              lowWatermark: -1n,
              errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
            };
          }
          const log = broker.logs.partition(topic.name, partition.partitionIndex);
          if (!log) {
            return {
              partitionIndex: partition.partitionIndex,
              lowWatermark: -1n,
              errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            };
          }
          const result = log.deleteRecordsBefore(Number(partition.offset));
          return {
            partitionIndex: partition.partitionIndex,
            lowWatermark: BigInt(result.lowWatermark),
            errorCode: result.errorCode,
          };
        }),
      };
    });
    return response;
  },
});
