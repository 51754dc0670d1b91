// Produce (key 0), v3-11. v3 is the first version that carries magic-2 record batches, the only
// format Venice stores. Later versions add nothing the broker must act on except richer errors (v8).
// acks=0 gets no response; acks=-1 (all) is answered after the data is fsynced when the broker is
// configured to flush before acknowledging.
// Transactions (KIP-98): a request that names a transactional id may carry transactional batches; the log
// opens the producer's transaction on the partition. A transactional batch without one is refused, as in Kafka.
// Authorization (as Kafka): a transactional request needs WRITE on its transactional id, and each topic
// WRITE (the broker's own topics: a super user). Idempotence is authorized once, by InitProducerId.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import {
  defaultProduceResponse,
  type BatchIndexAndErrorMessage,
  type PartitionProduceResponse,
  type TopicProduceResponse,
} from '../../protocol/generated/produce-response.js';
import type { RecordSet } from '../../protocol/primitives.js';
import {
  isTransactionalBatch,
  producerIdOf,
  setPartitionLeaderEpoch,
} from '../../protocol/records/batch-header.js';
import { splitBatches } from '../../protocol/records/batch.js';
import { InvalidRecordBatchError } from '../../protocol/records/errors.js';
import { LogError } from '../log/errors.js';
import type { PartitionLog } from '../log/partition-log.js';
import type { BrokerContext } from '../broker-context.js';
import { defineHandler, type RequestContext } from './handler.js';
import { AclOperation, canTopic, canTransactionalId } from './access.js';
import { scanBatchRecords } from '../../protocol/records/record-scan.js';

const LEADER_EPOCH = 0;

function partitionError(
  index: number,
  errorCode: number,
  message: string | null,
  recordErrors: BatchIndexAndErrorMessage[] = [],
): PartitionProduceResponse {
  return {
    index,
    errorCode,
    baseOffset: -1n,
    logAppendTimeMs: -1n,
    logStartOffset: -1n,
    recordErrors,
    errorMessage: message,
    currentLeader: { leaderId: -1, leaderEpoch: -1 },
  };
}

function asBuffer(records: RecordSet): Buffer {
  return Buffer.isBuffer(records) ? records : Buffer.concat(records as readonly Buffer[]);
}

/** A partition written by this request, whose answer waits for its fsync under acks=all. */
interface Touched {
  log: PartitionLog;
  response: PartitionProduceResponse;
}

function appendToPartition(
  broker: BrokerContext,
  topic: string,
  index: number,
  records: RecordSet | null,
  transactionalId: string | null,
  touched: Touched[],
): PartitionProduceResponse {
  const log = broker.logs.partition(topic, index);
  if (!log) {
    return partitionError(
      index,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      `topic ${topic} partition ${index} does not exist`,
    );
  }
  if (records === null) return partitionError(index, ErrorCode.CORRUPT_MESSAGE, 'no records were sent');
  const data = asBuffer(records);
  const config = log.currentConfig;
  try {
    const batches = splitBatches(data, { fromClient: true });
    if (batches.length !== 1) {
      // Produce v3+ carries exactly one batch per partition; Kafka refuses anything else.
      return partitionError(
        index,
        ErrorCode.INVALID_RECORD,
        `expected exactly one record batch per partition, got ${batches.length}`,
      );
    }
    const [batch] = batches;
    if (isTransactionalBatch(batch)) {
      // Kafka refuses transactional batches unless the request names a transactional id.
      if (transactionalId === null) {
        return partitionError(
          index,
          ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
          'a transactional record batch needs a produce request that names its transactional id',
        );
      }
      if (producerIdOf(batch) < 0) {
        return partitionError(
          index,
          ErrorCode.INVALID_RECORD,
          'a transactional record batch needs the producer id InitProducerId gave its transactional id',
        );
      }
    }
    // Kafka checks every record it accepts; a batch whose records do not parse is refused here
    // rather than stored, where fetches, timestamp lookups and compaction would trip over it.
    const scan = scanBatchRecords(batch, { listNullKeys: config.compact });
    setPartitionLeaderEpoch(batch, LEADER_EPOCH);
    if (config.compact && scan.hasNullKey) return refuseRecordsWithoutKey(topic, index, scan.nullKeyIndexes);
    const appended = log.append(batches);
    if (appended.errorCode !== ErrorCode.NONE) {
      return partitionError(index, appended.errorCode, appended.errorMessage ?? null);
    }
    const response: PartitionProduceResponse = {
      index,
      errorCode: ErrorCode.NONE,
      baseOffset: BigInt(appended.baseOffset),
      logAppendTimeMs: BigInt(appended.logAppendTimeMs),
      logStartOffset: BigInt(appended.logStartOffset),
      recordErrors: [],
      errorMessage: null,
      currentLeader: { leaderId: -1, leaderEpoch: -1 },
    };
    // A retried batch may still be waiting for the fsync its first append asked for: acks=all
    // answers it only after a flush too.
    touched.push({ log, response });
    return response;
  } catch (error) {
    if (error instanceof InvalidRecordBatchError || error instanceof LogError) {
      const code = error instanceof LogError ? error.code : error.errorCode;
      return partitionError(index, code, error.message);
    }
    throw error;
  }
}

/**
 * A compacted topic refuses records without a key. Produce v8+ names each one (KIP-467), so that a client
 * can fail those records alone; the whole batch is refused all the same, as Kafka does.
 */
function refuseRecordsWithoutKey(
  topic: string,
  index: number,
  nullKeyIndexes: readonly number[],
): PartitionProduceResponse {
  const recordMessage = `topic ${topic} is compacted (cleanup.policy=compact), so every record needs a key`;
  const shown = nullKeyIndexes.slice(0, 10).join(', ') + (nullKeyIndexes.length > 10 ? ', ...' : '');
  return partitionError(
    index,
    ErrorCode.INVALID_RECORD,
    `${nullKeyIndexes.length} record(s) of the batch have no key (batch indexes ${shown}), and ${recordMessage}`,
    nullKeyIndexes.map((batchIndex) => ({ batchIndex, batchIndexErrorMessage: recordMessage })),
  );
}

/**
 * fsyncs one written partition; a disk that refuses (KAFKA_STORAGE_ERROR) turns its answer into that error,
 * since the records are not known to be durable. Other partitions of the request keep their answers.
 */
async function flushOrFail({ log, response }: Touched): Promise<void> {
  try {
    await log.flush();
  } catch (error) {
    if (!(error instanceof LogError)) throw error;
    Object.assign(response, partitionError(response.index, error.code, error.message));
  }
}

interface ProducedTopic {
  name: string;
  partitionData: readonly { index: number }[];
}

function failAll(
  topics: readonly ProducedTopic[],
  errorCode: number,
  message: string,
): TopicProduceResponse[] {
  return topics.map((topic) => ({
    name: topic.name,
    partitionResponses: topic.partitionData.map((partition) =>
      partitionError(partition.index, errorCode, message),
    ),
  }));
}

function refusedTopic(context: RequestContext, topic: ProducedTopic): TopicProduceResponse {
  const message = `${context.connection.principal} may not WRITE topic ${topic.name}`;
  return failAll([topic], ErrorCode.TOPIC_AUTHORIZATION_FAILED, message)[0];
}

export const produceHandler = defineHandler({
  apiKey: ApiKey.Produce,
  minVersion: 3,
  maxVersion: 11,
  handle(request, context) {
    const { broker } = context;
    const response = defaultProduceResponse();
    if (request.acks !== 0 && request.acks !== 1 && request.acks !== -1) {
      response.responses = failAll(
        request.topicData,
        ErrorCode.INVALID_REQUIRED_ACKS,
        `acks must be 0, 1 or -1 (all)`,
      );
      return response;
    }
    const { transactionalId } = request;
    if (transactionalId !== null && !canTransactionalId(context, AclOperation.WRITE, transactionalId)) {
      const message = `${context.connection.principal} may not WRITE transactional id ${transactionalId}`;
      response.responses = failAll(
        request.topicData,
        ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
        message,
      );
      return request.acks === 0 ? null : response;
    }

    const touched: Touched[] = [];
    const responses: TopicProduceResponse[] = [];
    for (const topic of request.topicData) {
      const partitionResponses: PartitionProduceResponse[] = [];
      if (!canTopic(context, AclOperation.WRITE, topic.name)) {
        responses.push(refusedTopic(context, topic));
        continue;
      }
      for (const partition of topic.partitionData) {
        partitionResponses.push(
          appendToPartition(
            broker,
            topic.name,
            partition.index,
            partition.records,
            request.transactionalId,
            touched,
          ),
        );
      }
      responses.push({ name: topic.name, partitionResponses });
    }
    response.responses = responses;

    if (request.acks === 0) return null;
    if (request.acks === -1 && broker.config.flushBeforeAcksAll && touched.length > 0) {
      return Promise.all(touched.map(flushOrFail)).then(() => response);
    }
    return response;
  },
});
