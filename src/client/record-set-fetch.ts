// The fast fetch path: Fetch v12 sent over a library connection, answered with each partition's record
// set as raw bytes, which fetched-records.ts decodes with protocol's decodeRecordSet.
//
// Why: @platformatic/kafka 1.35 parses every record of a Fetch answer into its own object, with a
// Buffer per key, value and header, a [key, value] pair per header and a Map per batch, before the
// client turns them into Venice records again. Venice's decoder walks the batch once and returns
// views into the answer. v12 names topics (no topic ids to look up) and Venice's broker and Kafka since
// 2.7 answer it.
import { ConnectionPool, createAPI, ResponseError, Writer, type Broker, type Reader } from './library.js';
import type { KafkaConnection } from './connection.js';

const FETCH = 1;
const VERSION = 12;
/** Only what a transaction committed; aborted records are dropped by fetched-records.ts. */
const READ_COMMITTED = 1;
/** Per request; each partition is also capped by its own maxBytes. */
const MAX_BYTES = 50 * 1024 * 1024;

export interface PartitionToFetch {
  partition: number;
  fetchOffset: bigint;
  maxBytes: number;
}

export interface TopicToFetch {
  topic: string;
  partitions: PartitionToFetch[];
}

export interface AbortedTransaction {
  producerId: bigint;
  firstOffset: bigint;
}

export interface FetchedRecordSet {
  partition: number;
  errorCode: number;
  highWatermark: bigint;
  abortedTransactions: AbortedTransaction[];
  /** The partition's record batches as the broker sent them (the last one may be cut short). */
  records: Buffer | null;
}

export interface FetchedTopic {
  topic: string;
  partitions: FetchedRecordSet[];
}

function parseResponse(
  _correlationId: number,
  apiKey: number,
  apiVersion: number,
  reader: Reader,
): FetchedTopic[] {
  const errors: Record<string, [number, null]> = {};
  reader.readInt32(); // throttle time
  const errorCode = reader.readInt16();
  if (errorCode !== 0) errors[''] = [errorCode, null];
  reader.readInt32(); // session id
  const topics = reader.readArray((topicReader, topicIndex) => ({
    topic: topicReader.readString(),
    partitions: topicReader.readArray((partitionReader, partitionIndex): FetchedRecordSet => {
      const partition = partitionReader.readInt32();
      const partitionError = partitionReader.readInt16();
      const highWatermark = partitionReader.readInt64();
      partitionReader.readInt64(); // last stable offset
      partitionReader.readInt64(); // log start offset
      const abortedTransactions = partitionReader.readArray((abortedReader) => ({
        producerId: abortedReader.readInt64(),
        firstOffset: abortedReader.readInt64(),
      }));
      partitionReader.readInt32(); // preferred read replica
      // COMPACT_RECORDS: length + 1, 0 for null.
      const size = partitionReader.readUnsignedVarInt() - 1;
      let records: Buffer | null = null;
      if (size > 0) {
        const start = partitionReader.position;
        records = partitionReader.buffer.slice(start, start + size);
        partitionReader.skip(size);
      }
      if (partitionError !== 0)
        errors[`/responses/${topicIndex}/partitions/${partitionIndex}`] = [partitionError, null];
      return { partition, errorCode: partitionError, highWatermark, abortedTransactions, records };
    }),
  }));
  // Thrown as the library throws it, so errors.ts maps it like any other answer with error codes.
  if (Object.keys(errors).length > 0) throw new ResponseError(apiKey, apiVersion, errors, topics);
  return topics;
}

const fetchRecordSets = createAPI<[maxWaitMs: number, topics: TopicToFetch[]], FetchedTopic[]>(
  FETCH,
  VERSION,
  (maxWaitMs: number, topics: TopicToFetch[]) =>
    Writer.create()
      .appendInt32(-1) // replica id: a consumer
      .appendInt32(maxWaitMs)
      .appendInt32(1) // min bytes
      .appendInt32(MAX_BYTES)
      .appendInt8(READ_COMMITTED)
      .appendInt32(0) // session id: no fetch session
      .appendInt32(-1) // session epoch: full fetch, no session
      .appendArray(topics, (topicWriter, topic) => {
        topicWriter.appendString(topic.topic).appendArray(topic.partitions, (partitionWriter, partition) => {
          partitionWriter
            .appendInt32(partition.partition)
            .appendInt32(-1) // current leader epoch: unknown
            .appendInt64(partition.fetchOffset)
            .appendInt32(-1) // last fetched epoch: unknown
            .appendInt64(-1n) // log start offset: only followers send it
            .appendInt32(partition.maxBytes);
        });
      })
      .appendArray([], () => undefined) // forgotten topics: none, no session
      .appendString('') // rack id
      .appendTaggedFields(),
  parseResponse,
);

/** Fetches record sets from brokers over connections of its own. */
export class RecordSetFetcher {
  readonly #kafka: KafkaConnection;
  readonly #pool: ConnectionPool;

  constructor(kafka: KafkaConnection) {
    this.#kafka = kafka;
    this.#pool = kafka.newConnectionPool();
  }

  async fetch(broker: Broker, maxWaitMs: number, topics: TopicToFetch[]): Promise<FetchedTopic[]> {
    const connection = await this.#pool.get(broker);
    return fetchRecordSets.async(connection, maxWaitMs, topics);
  }

  close(): Promise<void> {
    return this.#kafka.closeConnectionPool(this.#pool);
  }
}
