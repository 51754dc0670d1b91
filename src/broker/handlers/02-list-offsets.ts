// ListOffsets (key 2), v1-8: the offset of the first record at or after a timestamp, or the special
// positions -1 (latest), -2 (earliest), -3 (max timestamp, v7+), -4 (earliest local, v8+).
// With isolation_level=read_committed (v2+, KIP-98) latest is the last stable offset, and a timestamp
// lookup finds only offsets below it.
// v0's list of "old style" offsets is not offered: every maintained client uses v1 or later.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import {
  defaultListOffsetsResponse,
  type ListOffsetsPartitionResponse,
} from '../../protocol/generated/list-offsets-response.js';
import { defineHandler } from './handler.js';

const LEADER_EPOCH = 0;
const READ_COMMITTED = 1;

export const listOffsetsHandler = defineHandler({
  apiKey: ApiKey.ListOffsets,
  minVersion: 1,
  maxVersion: 8,
  handle(request, { broker }) {
    const response = defaultListOffsetsResponse();
    response.topics = request.topics.map((topic) => ({
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
        const log = broker.logs.partition(topic.name, partition.partitionIndex);
        if (!log) {
          answer.errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
          return answer;
        }
        const found = log.listOffset(Number(partition.timestamp), request.isolationLevel === READ_COMMITTED);
        if (found) {
          answer.offset = BigInt(found.offset);
          answer.timestamp = BigInt(found.timestamp);
          answer.leaderEpoch = LEADER_EPOCH;
        }
        return answer;
      }),
    }));
    return response;
  },
});
