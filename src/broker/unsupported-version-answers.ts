// UNSUPPORTED_VERSION answers for APIs whose response has no top-level error code in the version asked:
// the request is decoded in that version (the codec knows every version of the specs) and each topic,
// partition or item it names is answered with the error, so the client reads why instead of seeing its
// connection closed. APIs with a top-level error code are answered by the dispatcher without this table.
// Inter-broker APIs (WriteTxnMarkers, the share-group state APIs) are left out: only brokers send them.
import { ErrorCode } from '../protocol/error-codes.js';
import {
  ApiKey,
  type ApiKeyNumber,
  type RequestTypes,
  type ResponseTypes,
} from '../protocol/generated/apis.js';
import {
  defaultPartitionProduceResponse,
  defaultProduceResponse,
} from '../protocol/generated/produce-response.js';
import { defaultFetchResponse, defaultPartitionData } from '../protocol/generated/fetch-response.js';
import {
  defaultListOffsetsPartitionResponse,
  defaultListOffsetsResponse,
} from '../protocol/generated/list-offsets-response.js';
import { defaultOffsetCommitResponse } from '../protocol/generated/offset-commit-response.js';
import { defaultTxnOffsetCommitResponse } from '../protocol/generated/txn-offset-commit-response.js';
import { defaultAddPartitionsToTxnResponse } from '../protocol/generated/add-partitions-to-txn-response.js';
import { defaultCreateAclsResponse } from '../protocol/generated/create-acls-response.js';
import { defaultDeleteAclsResponse } from '../protocol/generated/delete-acls-response.js';
import { defaultAlterReplicaLogDirsResponse } from '../protocol/generated/alter-replica-log-dirs-response.js';
import { defaultDescribeLogDirsResponse } from '../protocol/generated/describe-log-dirs-response.js';
import {
  defaultElectLeadersResponse,
  defaultPartitionResult,
} from '../protocol/generated/elect-leaders-response.js';
import { defaultAlterClientQuotasResponse } from '../protocol/generated/alter-client-quotas-response.js';
import { defaultAlterUserScramCredentialsResponse } from '../protocol/generated/alter-user-scram-credentials-response.js';
import {
  defaultDescribeProducersResponse,
  defaultPartitionResponse as defaultProducersPartitionResponse,
} from '../protocol/generated/describe-producers-response.js';
import {
  defaultDescribeTransactionsResponse,
  defaultTransactionState,
} from '../protocol/generated/describe-transactions-response.js';
import {
  defaultConsumerGroupDescribeResponse,
  defaultDescribedGroup as defaultConsumerGroup,
} from '../protocol/generated/consumer-group-describe-response.js';
import {
  defaultShareGroupDescribeResponse,
  defaultDescribedGroup as defaultShareGroup,
} from '../protocol/generated/share-group-describe-response.js';
import {
  defaultDescribeTopicPartitionsResponse,
  defaultDescribeTopicPartitionsResponseTopic,
} from '../protocol/generated/describe-topic-partitions-response.js';

type Answer<K extends ApiKeyNumber> = (request: RequestTypes[K], message: string) => ResponseTypes[K] | null;
type AnswerTable = { [K in ApiKeyNumber]?: Answer<K> };

const UNSUPPORTED = ErrorCode.UNSUPPORTED_VERSION;

const ANSWERS: AnswerTable = {
  [ApiKey.Produce]: (request, message) => {
    // acks=0 expects no answer: the only way to tell such a producer is to close, as Kafka does.
    if (request.acks === 0) return null;
    const response = defaultProduceResponse();
    response.responses = request.topicData.map((topic) => ({
      name: topic.name,
      partitionResponses: topic.partitionData.map((partition) => ({
        ...defaultPartitionProduceResponse(),
        index: partition.index,
        errorCode: UNSUPPORTED,
        errorMessage: message,
      })),
    }));
    return response;
  },
  [ApiKey.Fetch]: (request) => {
    const response = defaultFetchResponse();
    response.errorCode = UNSUPPORTED; // written from v7 on; older versions carry it per partition
    response.responses = request.topics.map((topic) => ({
      topic: topic.topic,
      topicId: topic.topicId,
      partitions: topic.partitions.map((partition) => ({
        ...defaultPartitionData(),
        partitionIndex: partition.partition,
        errorCode: UNSUPPORTED,
      })),
    }));
    return response;
  },
  [ApiKey.ListOffsets]: (request) => {
    const response = defaultListOffsetsResponse();
    response.topics = request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((partition) => ({
        ...defaultListOffsetsPartitionResponse(),
        partitionIndex: partition.partitionIndex,
        errorCode: UNSUPPORTED,
      })),
    }));
    return response;
  },
  [ApiKey.OffsetCommit]: (request) => {
    const response = defaultOffsetCommitResponse();
    response.topics = request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: UNSUPPORTED })),
    }));
    return response;
  },
  [ApiKey.TxnOffsetCommit]: (request) => {
    const response = defaultTxnOffsetCommitResponse();
    response.topics = request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: UNSUPPORTED })),
    }));
    return response;
  },
  [ApiKey.AddPartitionsToTxn]: (request) => {
    // v4+ has a top-level error code, so only v0-3 come here: results per topic and partition.
    const response = defaultAddPartitionsToTxnResponse();
    response.resultsByTopicV3AndBelow = request.v3AndBelowTopics.map((topic) => ({
      name: topic.name,
      resultsByPartition: topic.partitions.map((partitionIndex) => ({
        partitionIndex,
        partitionErrorCode: UNSUPPORTED,
      })),
    }));
    return response;
  },
  [ApiKey.CreateAcls]: (request, message) => {
    const response = defaultCreateAclsResponse();
    response.results = request.creations.map(() => ({ errorCode: UNSUPPORTED, errorMessage: message }));
    return response;
  },
  [ApiKey.DeleteAcls]: (request, message) => {
    const response = defaultDeleteAclsResponse();
    response.filterResults = request.filters.map(() => ({
      errorCode: UNSUPPORTED,
      errorMessage: message,
      matchingAcls: [],
    }));
    return response;
  },
  [ApiKey.AlterReplicaLogDirs]: (request) => {
    const response = defaultAlterReplicaLogDirsResponse();
    response.results = request.dirs.flatMap((dir) =>
      dir.topics.map((topic) => ({
        topicName: topic.name,
        partitions: topic.partitions.map((partitionIndex) => ({ partitionIndex, errorCode: UNSUPPORTED })),
      })),
    );
    return response;
  },
  [ApiKey.DescribeLogDirs]: () => {
    // Before v3 there is no top-level error: one result whose own error code says it.
    const response = defaultDescribeLogDirsResponse();
    response.results = [
      { errorCode: UNSUPPORTED, logDir: '', topics: [], totalBytes: -1n, usableBytes: -1n },
    ];
    return response;
  },
  [ApiKey.ElectLeaders]: (request, message) => {
    const response = defaultElectLeadersResponse();
    response.replicaElectionResults = (request.topicPartitions ?? []).map((topic) => ({
      topic: topic.topic,
      partitionResult: topic.partitions.map((partitionId) => ({
        ...defaultPartitionResult(),
        partitionId,
        errorCode: UNSUPPORTED,
        errorMessage: message,
      })),
    }));
    return response;
  },
  [ApiKey.AlterClientQuotas]: (request, message) => {
    const response = defaultAlterClientQuotasResponse();
    response.entries = request.entries.map((entry) => ({
      errorCode: UNSUPPORTED,
      errorMessage: message,
      entity: entry.entity.map((entity) => ({ ...entity })),
    }));
    return response;
  },
  [ApiKey.AlterUserScramCredentials]: (request, message) => {
    const response = defaultAlterUserScramCredentialsResponse();
    const users = [...request.deletions, ...request.upsertions].map((change) => change.name);
    response.results = [...new Set(users)].map((user) => ({
      user,
      errorCode: UNSUPPORTED,
      errorMessage: message,
    }));
    return response;
  },
  [ApiKey.DescribeProducers]: (request, message) => {
    const response = defaultDescribeProducersResponse();
    response.topics = request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitionIndexes.map((partitionIndex) => ({
        ...defaultProducersPartitionResponse(),
        partitionIndex,
        errorCode: UNSUPPORTED,
        errorMessage: message,
      })),
    }));
    return response;
  },
  [ApiKey.DescribeTransactions]: (request) => {
    const response = defaultDescribeTransactionsResponse();
    response.transactionStates = request.transactionalIds.map((transactionalId) => ({
      ...defaultTransactionState(),
      transactionalId,
      errorCode: UNSUPPORTED,
    }));
    return response;
  },
  [ApiKey.ConsumerGroupDescribe]: (request, message) => {
    const response = defaultConsumerGroupDescribeResponse();
    response.groups = request.groupIds.map((groupId) => ({
      ...defaultConsumerGroup(),
      groupId,
      errorCode: UNSUPPORTED,
      errorMessage: message,
    }));
    return response;
  },
  [ApiKey.ShareGroupDescribe]: (request, message) => {
    const response = defaultShareGroupDescribeResponse();
    response.groups = request.groupIds.map((groupId) => ({
      ...defaultShareGroup(),
      groupId,
      errorCode: UNSUPPORTED,
      errorMessage: message,
    }));
    return response;
  },
  [ApiKey.DescribeTopicPartitions]: (request) => {
    const response = defaultDescribeTopicPartitionsResponse();
    response.topics = request.topics.map((topic) => ({
      ...defaultDescribeTopicPartitionsResponseTopic(),
      name: topic.name,
      errorCode: UNSUPPORTED,
    }));
    return response;
  },
};

/** The per-item UNSUPPORTED_VERSION answer to `request`, or null when this API has none (close instead). */
export function perItemUnsupportedAnswer<K extends ApiKeyNumber>(
  apiKey: K,
  request: RequestTypes[K],
  message: string,
): ResponseTypes[K] | null {
  const answer = ANSWERS[apiKey] as Answer<K> | undefined;
  return answer ? answer(request, message) : null;
}

export function hasPerItemUnsupportedAnswer(apiKey: ApiKeyNumber): boolean {
  return ANSWERS[apiKey] !== undefined;
}
