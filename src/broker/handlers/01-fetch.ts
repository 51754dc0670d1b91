// Fetch (key 1), v4-16. Long poll: the answer waits up to maxWaitMs until minBytes are available.
// v7 adds fetch sessions (Venice never opens one: sessionId 0 tells clients to send full requests),
// v11 a rack id, v12 flexible encoding, v13 topic ids instead of names.
// isolation_level=read_committed (KIP-98): data stops at the last stable offset, and the aborted transactions
// overlapping what is returned are listed, so the client drops those records itself (as with Kafka).
// Log data goes out as the file slices the log returns, never copied or decoded.
// A topic needs READ; one the principal may not read answers TOPIC_AUTHORIZATION_FAILED, as in Kafka.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import {
  defaultFetchResponse,
  type AbortedTransaction,
  type FetchableTopicResponse,
  type PartitionData,
} from '../../protocol/generated/fetch-response.js';
import type { FetchRequest } from '../../protocol/generated/fetch-request.js';
import type { BrokerContext } from '../broker-context.js';
import { waitForAppend } from '../log/append-wait.js';
import type { PartitionLog, ReadResult } from '../log/partition-log.js';
import { defineHandler } from './handler.js';
import { AclOperation, canTopic } from './access.js';

/** Whether the connection may read a topic. */
type ReadCheck = (topic: string) => boolean;

const TOPIC_IDS_FROM_VERSION = 13;
const READ_COMMITTED = 1;

interface FetchTarget {
  topic: string | null;
  partition: number;
  fetchOffset: number;
  maxBytes: number;
}

interface FetchRound {
  responses: FetchableTopicResponse[];
  bytes: number;
  hasError: boolean;
}

function emptyPartition(partitionIndex: number, errorCode: number): PartitionData {
  return {
    partitionIndex,
    errorCode,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    divergingEpoch: { epoch: -1, endOffset: -1n },
    currentLeader: { leaderId: -1, leaderEpoch: -1 },
    snapshotId: { endOffset: -1n, epoch: -1 },
    abortedTransactions: null,
    preferredReadReplica: -1,
    records: null,
  };
}

/** Reads every requested partition once, within the request's byte limits. */
function readOnce(
  request: FetchRequest,
  broker: BrokerContext,
  version: number,
  mayRead: ReadCheck,
): FetchRound {
  let remaining = request.maxBytes > 0 ? request.maxBytes : 0x7fffffff;
  let bytes = 0;
  let hasError = false;
  const responses: FetchableTopicResponse[] = [];
  const readCommitted = request.isolationLevel === READ_COMMITTED;
  for (const topicRequest of request.topics) {
    const topicName =
      version >= TOPIC_IDS_FROM_VERSION
        ? (broker.logs.topicById(topicRequest.topicId)?.name ?? null)
        : topicRequest.topic;
    const partitions: PartitionData[] = [];
    for (const partitionRequest of topicRequest.partitions) {
      const target: FetchTarget = {
        topic: topicName,
        partition: partitionRequest.partition,
        fetchOffset: Number(partitionRequest.fetchOffset),
        maxBytes: partitionRequest.partitionMaxBytes,
      };
      if (target.topic !== null && !mayRead(target.topic)) {
        hasError = true;
        const refused = emptyPartition(target.partition, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
        refused.records = EMPTY_RECORDS;
        partitions.push(refused);
        continue;
      }
      const log = target.topic === null ? undefined : broker.logs.partition(target.topic, target.partition);
      if (!log) {
        hasError = true;
        const missing = emptyPartition(
          target.partition,
          target.topic === null ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        );
        // Empty, not null, as Kafka sends: librdkafka 2.0 fails the whole response on a null record set.
        missing.records = EMPTY_RECORDS;
        partitions.push(missing);
        continue;
      }
      // KIP-74: the first partition with data gets at least one whole batch, beyond the limits if need be,
      // so a large batch can never block a consumer. Every later partition gets only what fits in what
      // remains of the request's max_bytes (fetch.max.bytes) and its own partition_max_bytes.
      const limit = Math.min(target.maxBytes, remaining);
      const firstData = bytes === 0;
      const stableEnd = readCommitted ? log.lastStableOffset : Infinity;
      const read =
        !firstData && limit <= 0
          ? positionsOnly(log, target.fetchOffset)
          : log.read(target.fetchOffset, limit, firstData, stableEnd);
      const data = emptyPartition(target.partition, read.errorCode);
      data.highWatermark = BigInt(read.highWatermark);
      data.lastStableOffset = BigInt(read.lastStableOffset);
      data.logStartOffset = BigInt(read.logStartOffset);
      data.abortedTransactions = readCommitted ? [] : null;
      if (read.errorCode !== ErrorCode.NONE) {
        hasError = true;
      } else {
        let size = 0;
        for (const slice of read.records) size += slice.length;
        if (size > 0) {
          data.records = read.records;
          bytes += size;
          remaining = Math.max(0, remaining - size);
          // Bounded by the LSO rather than by the last returned batch: an entry beyond the data only waits
          // in the client's queue until it gets there.
          if (readCommitted) data.abortedTransactions = abortedList(log, target.fetchOffset, stableEnd);
        }
      }
      if (data.records === null) data.records = EMPTY_RECORDS;
      partitions.push(data);
    }
    responses.push({ topic: topicRequest.topic, topicId: topicRequest.topicId, partitions });
  }
  return { responses, bytes, hasError };
}

const EMPTY_RECORDS: Buffer[] = [];

function abortedList(log: PartitionLog, fromOffset: number, upToOffset: number): AbortedTransaction[] {
  return log
    .abortedTransactions(fromOffset, upToOffset)
    .map((txn) => ({ producerId: BigInt(txn.producerId), firstOffset: BigInt(txn.firstOffset) }));
}

function positionsOnly(log: PartitionLog, fetchOffset: number): ReadResult {
  const outOfRange = fetchOffset < log.logStartOffset || fetchOffset > log.logEndOffset;
  return {
    errorCode: outOfRange ? ErrorCode.OFFSET_OUT_OF_RANGE : ErrorCode.NONE,
    records: [],
    highWatermark: log.highWatermark,
    logStartOffset: log.logStartOffset,
    lastStableOffset: log.lastStableOffset,
  };
}

/** The logs a request reads (those that exist: a missing one has already made the answer an error). */
function logsOf(request: FetchRequest, broker: BrokerContext, version: number): PartitionLog[] {
  const logs: PartitionLog[] = [];
  for (const topicRequest of request.topics) {
    const name =
      version >= TOPIC_IDS_FROM_VERSION
        ? broker.logs.topicById(topicRequest.topicId)?.name
        : topicRequest.topic;
    if (name === undefined) continue;
    for (const partitionRequest of topicRequest.partitions) {
      const log = broker.logs.partition(name, partitionRequest.partition);
      if (log) logs.push(log);
    }
  }
  return logs;
}

async function longPoll(
  request: FetchRequest,
  broker: BrokerContext,
  version: number,
  mayRead: ReadCheck,
  first: FetchRound,
) {
  const deadline = Date.now() + request.maxWaitMs;
  const watched = logsOf(request, broker, version);
  let round = first;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) return round;
    // The logs signal every append, whoever wrote it (a producer or the group coordinator).
    if ((await waitForAppend(watched, left)) !== 'appended') return round;
    round = readOnce(request, broker, version, mayRead);
    if (round.bytes >= request.minBytes || round.hasError) return round;
  }
}

export const fetchHandler = defineHandler({
  apiKey: ApiKey.Fetch,
  minVersion: 4,
  maxVersion: 16,
  handle(request, context) {
    const { broker, version } = context;
    const mayRead: ReadCheck = (topic) => canTopic(context, AclOperation.READ, topic);
    const answer = (round: FetchRound) => {
      const response = defaultFetchResponse();
      response.errorCode = ErrorCode.NONE;
      response.sessionId = 0;
      response.responses = round.responses;
      return response;
    };
    const first = readOnce(request, broker, version, mayRead);
    if (first.bytes >= request.minBytes || first.hasError || request.maxWaitMs <= 0) return answer(first);
    return longPoll(request, broker, version, mayRead, first).then(answer);
  },
});
