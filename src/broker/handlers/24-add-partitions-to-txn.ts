// AddPartitionsToTxn (key 24), v0-4: a transactional producer names the partitions it is about to write
// to, before its first write to each. v2 answers PRODUCER_FENCED (KIP-588), v3 is flexible, v4 (KIP-890)
// batches several transactions for brokers, with verify_only to ask whether partitions are already in one.
// Kafka adds all the partitions of a request or none: one unknown partition fails it (the others get
// OPERATION_NOT_ATTEMPTED), and a coordinator error applies to every partition.
// Authorization (as Kafka): WRITE on the transactional id, WRITE on each topic (a refused topic fails
// the request the same way), and CLUSTER_ACTION for v4's broker-to-broker batches.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import type { AddPartitionsToTxnTopic } from '../../protocol/generated/add-partitions-to-txn-request.js';
import {
  defaultAddPartitionsToTxnResponse,
  type AddPartitionsToTxnTopicResult,
} from '../../protocol/generated/add-partitions-to-txn-response.js';
import type { TxnProducer } from '../transactions/index.js';
import { defineHandler, type RequestContext } from './handler.js';
import { AclOperation, canCluster, canTopic, canTransactionalId } from './access.js';
import { fencingErrorFor } from './txn-errors.js';

function resultsWith(
  topics: readonly AddPartitionsToTxnTopic[],
  errorOf: (topic: string, partition: number) => number,
) {
  return topics.map((topic): AddPartitionsToTxnTopicResult => ({
    name: topic.name,
    resultsByPartition: topic.partitions.map((partitionIndex) => ({
      partitionIndex,
      partitionErrorCode: errorOf(topic.name, partitionIndex),
    })),
  }));
}

async function addPartitions(
  context: RequestContext,
  producer: TxnProducer,
  topics: readonly AddPartitionsToTxnTopic[],
  version: number,
): Promise<AddPartitionsToTxnTopicResult[]> {
  const { broker } = context;
  if (!canTransactionalId(context, AclOperation.WRITE, producer.transactionalId))
    return resultsWith(topics, () => ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
  const refused = new Set(
    topics.filter((topic) => !canTopic(context, AclOperation.WRITE, topic.name)).map((topic) => topic.name),
  );
  if (refused.size > 0) {
    return resultsWith(topics, (topic) =>
      refused.has(topic) ? ErrorCode.TOPIC_AUTHORIZATION_FAILED : ErrorCode.OPERATION_NOT_ATTEMPTED,
    );
  }
  const unknown = (topic: string, partition: number) => !broker.logs.partition(topic, partition);
  if (topics.some((topic) => topic.partitions.some((partition) => unknown(topic.name, partition)))) {
    return resultsWith(topics, (topic, partition) =>
      unknown(topic, partition) ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.OPERATION_NOT_ATTEMPTED,
    );
  }
  const error = await broker.transactions.addPartitions(
    producer,
    topics.map((topic) => ({ topic: topic.name, partitions: topic.partitions })),
  );
  const answered = fencingErrorFor(error, version, 2);
  return resultsWith(topics, () => answered);
}

export const addPartitionsToTxnHandler = defineHandler({
  apiKey: ApiKey.AddPartitionsToTxn,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, context) {
    const { broker, version } = context;
    const response = defaultAddPartitionsToTxnResponse();
    if (version <= 3) {
      response.resultsByTopicV3AndBelow = await addPartitions(
        context,
        {
          transactionalId: request.v3AndBelowTransactionalId,
          producerId: request.v3AndBelowProducerId,
          producerEpoch: request.v3AndBelowProducerEpoch,
        },
        request.v3AndBelowTopics,
        version,
      );
      return response;
    }
    if (!canCluster(context, AclOperation.CLUSTER_ACTION)) {
      response.errorCode = ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
      return response;
    }
    response.errorCode = ErrorCode.NONE;
    response.resultsByTransaction = await Promise.all(
      request.transactions.map(async (transaction) => {
        const producer: TxnProducer = {
          transactionalId: transaction.transactionalId,
          producerId: transaction.producerId,
          producerEpoch: transaction.producerEpoch,
        };
        if (!transaction.verifyOnly) {
          return {
            transactionalId: transaction.transactionalId,
            topicResults: await addPartitions(context, producer, transaction.topics, version),
          };
        }
        const verified = broker.transactions.verifyPartitions(
          producer,
          transaction.topics.map((topic) => ({ topic: topic.name, partitions: topic.partitions })),
        );
        const byTopic =
          typeof verified === 'number' ? null : new Map(verified.map((r) => [r.topic, r.errorCode]));
        return {
          transactionalId: transaction.transactionalId,
          topicResults: resultsWith(transaction.topics, (topic) =>
            byTopic ? (byTopic.get(topic) ?? ErrorCode.INVALID_TXN_STATE) : (verified as number),
          ),
        };
      }),
    );
    return response;
  },
});
