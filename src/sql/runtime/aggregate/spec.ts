// What an aggregation step is told by its planner: how to compute the group key, which aggregate calls
// to run on which arguments, the window, and whether to emit every change or each window once.
import type { ResolvedAggregate } from '../../functions/aggregate/index.js';
import type { SqlValue } from '../../types/index.js';
import type { SqlRecord } from '../records.js';
import type { WindowSpec } from './windows.js';

/** An evaluated expression over an input record (a CompiledExpression fits). */
export interface RecordEvaluator {
  evaluate(record: SqlRecord): SqlValue;
}

export interface AggregateCall {
  readonly aggregate: ResolvedAggregate;
  /** The arguments evaluated on every row (the literal parameters are already bound in `aggregate`). */
  readonly args: readonly RecordEvaluator[];
}

export interface AggregateSpec {
  /** The state store's name, e.g. `Aggregate-Aggregate-Materialize` as ksqlDB names it. */
  readonly storeName: string;
  /** One evaluator for each GROUP BY expression: the output key columns, in order. */
  readonly groupBy: readonly RecordEvaluator[];
  /** The output value columns, in order. */
  readonly aggregates: readonly AggregateCall[];
  readonly window?: WindowSpec;
  /** FINAL: a window's row is emitted once, when it closes (windowed aggregations only). */
  readonly emit?: 'CHANGES' | 'FINAL';
}
