// The contract of an aggregate function (UDAF): an accumulator is started, fed each row's arguments,
// and read out. Table aggregations also take a row's old contribution away (`undo`) when the row changes
// or is deleted; session windows merge the accumulators of two sessions that a record joins up.
import type { SqlType, SqlValue } from '../../types/index.js';

/**
 * `aggregate`, `undo` and `merge` return a new accumulator and leave the ones given as they were: the
 * operators keep accumulators live between records and emit the result before a change beside the one after.
 */
export interface AggregateFunction<A = unknown> {
  initialize(): A;
  aggregate(args: readonly SqlValue[], accumulator: A): A;
  /** Present when the function can run on a table (COUNT, SUM, ...); absent ones are refused there. */
  undo?(args: readonly SqlValue[], accumulator: A): A;
  merge(left: A, right: A): A;
  result(accumulator: A): SqlValue;
  /** The accumulator as JSON-able data for the changelog topic, and back. */
  toJson(accumulator: A): unknown;
  fromJson(data: unknown): A;
}

/** An aggregate call bound to its argument types, e.g. SUM(DOUBLE) or TOPK(INTEGER, 3). */
export interface ResolvedAggregate {
  readonly name: string;
  readonly returnType: SqlType;
  /**
   * The type of the accumulator as ksqlDB stores it (AVG's STRUCT of sum and count): the aggregation's
   * state is written in the input's value format, so that format must be able to hold it.
   */
  readonly intermediateType: SqlType;
  /** Arguments after the first that must be literals (TOPK's k), already evaluated. */
  readonly create: () => AggregateFunction;
}
