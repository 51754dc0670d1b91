// ListOffsets (key 2), v0-9: the offset of the first record at or after a timestamp, or the special
// positions -1 (latest), -2 (earliest), -3 (max timestamp, v7+), -4 (earliest local, v8+), -5 (latest
// tiered, v9+: nothing is tiered here, so -1, as Kafka answers without remote storage). v0 answers with a
// list of "old style" offsets instead of one offset (see list-offsets-v0.ts).
// With isolation_level=read_committed (v2+, KIP-98) latest is the last stable offset, and a timestamp
// lookup finds only offsets below it. A topic needs DESCRIBE (TOPIC_AUTHORIZATION_FAILED otherwise).
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import {
  defaultListOffsetsResponse,
  type ListOffsetsPartitionResponse,
} from '../../protocol/generated/list-offsets-response.js';
import { defineHandler } from './handler.js';
import { AclOperation, canTopic } from './access.js';
import { oldStyleOffsets } from './list-offsets-v0.js';

const LEADER_EPOCH = 0;
const READ_COMMITTED = 1;
const LATEST_TIERED_TIMESTAMP = -5;

export const listOffsetsHandler = defineHandler({
  apiKey: ApiKey.ListOffsets,
  minVersion: 0,
  maxVersion: 9,
  handle(request, context) {
    const { broker, version } = context;
    const response = defaultListOffsetsResponse();
    response.topics = request.topics.map((topic) => {
      const allowed = canTopic(context, AclOperation.DESCRIBE, topic.name);
      return {
        name: topic.name,
        partitions: topic.partitions.map((partition): ListOffsetsPartitionResponse => {
          const answer: ListOffsetsPartitionResponse = {
            partitionIndex: partition.partitionIndex,
            errorCode: ErrorCode.NONE,
            oldStyleOffsets: [],
            timestamp: -1n,
            offset: -1n,
            leaderEpoch: -1,
          };
          if (!allowed) {
            answer.errorCode = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
            return answer;
          }
          const log = broker.logs.partition(topic.name, partition.partitionIndex);
          if (!log) {
            answer.errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
            return answer;
          }
          if (version === 0) {
            answer.oldStyleOffsets = oldStyleOffsets(
              log,
              Number(partition.timestamp),
              partition.maxNumOffsets,
            );
            return answer;
          }
          if (partition.timestamp === BigInt(LATEST_TIERED_TIMESTAMP)) return answer;
          const found = log.listOffset(
            Number(partition.timestamp),
            request.isolationLevel === READ_COMMITTED,
          );
          if (found) {
            answer.offset = BigInt(found.offset);
            answer.timestamp = BigInt(found.timestamp);
            answer.leaderEpoch = LEADER_EPOCH;
          }
          return answer;
        }),
      };
    });
    return response;
  },
});
