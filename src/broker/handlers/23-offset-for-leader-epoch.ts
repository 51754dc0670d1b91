// OffsetForLeaderEpoch (key 23), v0-4. Clients use it after a leader change to detect truncation
// (KIP-320). A single node never changes leader: epoch 0 has always led, and it ends at the log end.
// A topic needs DESCRIBE, as for a consumer in Kafka.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultOffsetForLeaderEpochResponse } from '../../protocol/generated/offset-for-leader-epoch-response.js';
import { defineHandler } from './handler.js';
import { AclOperation, canTopic } from './access.js';

const LEADER_EPOCH = 0;

export const offsetForLeaderEpochHandler = defineHandler({
  apiKey: ApiKey.OffsetForLeaderEpoch,
  minVersion: 0,
  maxVersion: 4,
  handle(request, context) {
    const { broker } = context;
    const response = defaultOffsetForLeaderEpochResponse();
    response.topics = request.topics.map((topic) => {
      const allowed = canTopic(context, AclOperation.DESCRIBE, topic.topic);
      return {
        topic: topic.topic,
        partitions: topic.partitions.map((partition) => {
          if (!allowed) {
            return {
              errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
              partition: partition.partition,
              leaderEpoch: -1,
              endOffset: -1n,
            };
          }
          const log = broker.logs.partition(topic.topic, partition.partition);
          if (!log) {
            return {
              errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
              partition: partition.partition,
              leaderEpoch: -1,
              endOffset: -1n,
            };
          }
          if (partition.currentLeaderEpoch > LEADER_EPOCH) {
            return {
              errorCode: ErrorCode.UNKNOWN_LEADER_EPOCH,
              partition: partition.partition,
              leaderEpoch: -1,
              endOffset: -1n,
            };
          }
          return {
            errorCode: ErrorCode.NONE,
            partition: partition.partition,
            leaderEpoch: LEADER_EPOCH,
            endOffset: BigInt(log.logEndOffset),
          };
        }),
      };
    });
    return response;
  },
});
