// AddPartitionsToTxn (key 24), v0-4: a transactional producer names the partitions it is about to write
// to, before its first write to each. v2 answers PRODUCER_FENCED (KIP-588), v3 is flexible, v4 (KIP-890)
// batches several transactions for brokers, with verify_only to ask whether partitions are already in one.
// Kafka adds all the partitions of a request or none: one unknown partition fails it (the others get
// OPERATION_NOT_ATTEMPTED), and a coordinator error applies to every partition.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import type { AddPartitionsToTxnTopic } from '../../protocol/generated/add-partitions-to-txn-request.js';
import {
  defaultAddPartitionsToTxnResponse,
  type AddPartitionsToTxnTopicResult,
} from '../../protocol/generated/add-partitions-to-txn-response.js';
import type { BrokerContext } from '../broker-context.js';
import type { TxnProducer } from '../transactions/index.js';
import { defineHandler } from './handler.js';
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
  broker: BrokerContext,
  producer: TxnProducer,
  topics: readonly AddPartitionsToTxnTopic[],
  version: number,
): Promise<AddPartitionsToTxnTopicResult[]> {
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
  async handle(request, { broker, version }) {
    const response = defaultAddPartitionsToTxnResponse();
    if (version <= 3) {
      response.resultsByTopicV3AndBelow = await addPartitions(
        broker,
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
            topicResults: await addPartitions(broker, producer, transaction.topics, version),
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
