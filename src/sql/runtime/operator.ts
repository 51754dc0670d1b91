// An operator is one step of a running query: it takes records one at a time and emits zero or more
// downstream. A query is a chain (a tree for joins) of operators built from the plan, driven by the
// query runner, which reads the input topics and writes what reaches the sink.
import type { Emit, SqlRecord } from './records.js';

export interface Operator {
  process(record: SqlRecord): void;
  /**
   * Stream time (the largest timestamp seen so far by this query) moved forward: the moment to expire
   * join windows. (An aggregation closes windows on its own stream time, as records reach it.)
   */
  advance?(streamTime: number): void;
}

/** Builds an operator that sends its output to `downstream`; `context` gives it its state. */
export type OperatorFactory = (downstream: Emit, context: OperatorContext) => Operator;

/** What a store tells about itself beyond its values. */
export interface StoreOptions {
  /**
   * A windowed store's retention (ms): what it holds expires with stream time, so its changelog topic
   * is deleted by time as well as compacted (see StoreChangelogs).
   */
  readonly windowRetentionMs?: number;
}

/** What a running query offers its operators. */
export interface OperatorContext {
  /** The query's id, e.g. CTAS_COUNTS_3. */
  readonly queryId: string;
  /**
   * A named state store of this query, restored from its changelog before the first record. With a
   * codec the store holds live values (changed in place, then put again) and the codec gives their
   * changelog data only when the changelog is written; without one, values are their own data.
   */
  store<V>(name: string, codec?: StoreCodec<V>, options?: StoreOptions): KeyValueStore<V>;
  /** Reports a record that failed (deserialize, evaluate) to the processing log; the query goes on. */
  processingError(error: ProcessingError): void;
}

/**
 * An error that stops the query instead of going to the processing log, as an exception out of a Kafka
 * Streams processor stops ksqlDB's (an aggregate function's overflow).
 */
export class QueryFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QueryFailure';
  }
}

export interface ProcessingError {
  readonly message: string;
  readonly record?: SqlRecord;
  readonly cause?: unknown;
  /** What failed, as the processing log tells them apart; a record's evaluation when absent. */
  readonly type?: 'DESERIALIZATION_ERROR' | 'SERIALIZATION_ERROR';
  /** The topic a record that failed to (de)serialize was read from or written to. */
  readonly topic?: string;
  /** The bytes that could not be read (key and value), logged when ksql.logging.processing.rows.include is true. */
  readonly bytes?: { readonly key: Uint8Array | null; readonly value: Uint8Array | null };
}

/** A store value's changelog data (JSON with changelog.ts's tags) and back. */
export interface StoreCodec<V> {
  toData(value: V): unknown;
  fromData(data: unknown): V;
}

/**
 * A query's state, keyed by a string the operator derives from its key columns (and window). Writes
 * go to the store's changelog topic too (each key's latest value, once per batch of input records);
 * the store is the changelog's materialized view.
 */
export interface KeyValueStore<V> {
  get(key: string): V | undefined;
  put(key: string, value: V): void;
  delete(key: string): void;
  /** Every entry, in key order; the range form for windowed keys sharing a prefix. */
  entries(fromKey?: string, toKey?: string): IterableIterator<[string, V]>;
  readonly size: number;
}
