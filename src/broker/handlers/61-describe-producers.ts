// DescribeProducers (key 61), v0 (KIP-664): the producers a partition keeps state for, and where each
// one's open transaction started, for admin tools (kafka-transactions.sh describe-producers) looking for
// a transaction that holds back the last stable offset. A topic needs READ, as in Kafka.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultDescribeProducersResponse } from '../../protocol/generated/describe-producers-response.js';
import { defineHandler } from './handler.js';
import { AclOperation, canTopic } from './access.js';

/** One node: the coordinator epoch of every marker it writes (see transactions/coordinator.ts). */
const COORDINATOR_EPOCH = 0;

export const describeProducersHandler = defineHandler({
  apiKey: ApiKey.DescribeProducers,
  minVersion: 0,
  maxVersion: 0,
  handle(request, context) {
    const { broker } = context;
    const response = defaultDescribeProducersResponse();
    response.topics = request.topics.map((topic) => {
      const allowed = canTopic(context, AclOperation.READ, topic.name);
      return {
        name: topic.name,
        partitions: topic.partitionIndexes.map((partitionIndex) => {
          if (!allowed) {
            return {
              partitionIndex,
              errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
              errorMessage: `${context.connection.principal} may not READ topic ${topic.name}`,
              activeProducers: [],
            };
          }
          const log = broker.logs.partition(topic.name, partitionIndex);
          if (!log) {
            return {
              partitionIndex,
              errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
              errorMessage: `no partition ${partitionIndex} of topic ${topic.name}: list topics to see which exist`,
              activeProducers: [],
            };
          }
          return {
            partitionIndex,
            errorCode: ErrorCode.NONE,
            errorMessage: null,
            activeProducers: log.activeProducers().map((producer) => ({
              producerId: BigInt(producer.producerId),
              producerEpoch: producer.producerEpoch,
              lastSequence: producer.lastSequence,
              lastTimestamp: BigInt(producer.lastTimestamp),
              coordinatorEpoch: COORDINATOR_EPOCH,
              currentTxnStartOffset: BigInt(producer.currentTxnStartOffset),
            })),
          };
        }),
      };
    });
    return response;
  },
});
