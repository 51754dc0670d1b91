// One group's accumulators (one per aggregate call) and the operations on all of them at once, with
// their stored (JSON) form: the state store and its changelog hold JSON data, not live accumulators.
import type { AggregateFunction } from '../../functions/aggregate/index.js';
import type { SqlValue } from '../../types/index.js';
import type { SqlRecord } from '../records.js';
import type { AggregateCall } from './spec.js';

export type Accumulators = unknown[];

export class AccumulatorSet {
  private readonly functions: readonly AggregateFunction[];

  constructor(private readonly calls: readonly AggregateCall[]) {
    this.functions = calls.map((call) => call.aggregate.create());
  }

  initialize(): Accumulators {
    return this.functions.map((fn) => fn.initialize());
  }

  /** Each call's row arguments, evaluated once per record. */
  argumentsOf(record: SqlRecord): SqlValue[][] {
    return this.calls.map((call) => call.args.map((arg) => arg.evaluate(record)));
  }

  /** Throws what a function throws (a DECIMAL overflow): the caller drops the record. */
  aggregate(accumulators: Accumulators, args: readonly SqlValue[][]): Accumulators {
    return this.functions.map((fn, i) => fn.aggregate(args[i] ?? [], accumulators[i]));
  }

  undo(accumulators: Accumulators, args: readonly SqlValue[][]): Accumulators {
    return this.functions.map((fn, i) => fn.undo?.(args[i] ?? [], accumulators[i]) ?? accumulators[i]);
  }

  /**
   * Makes `target` hold `source`'s values: a stored group keeps its one array, so that a long-lived
   * object is not replaced per record (for COUNT, nothing at all is allocated for the store).
   */
  assign(target: Accumulators, source: Accumulators): void {
    for (let i = 0; i < source.length; i++) target[i] = source[i];
  }

  merge(left: Accumulators, right: Accumulators): Accumulators {
    return this.functions.map((fn, i) => fn.merge(left[i], right[i]));
  }

  results(accumulators: Accumulators): SqlValue[] {
    return this.functions.map((fn, i) => fn.result(accumulators[i]));
  }

  toJson(accumulators: Accumulators): unknown[] {
    return this.functions.map((fn, i) => fn.toJson(accumulators[i]));
  }

  fromJson(data: readonly unknown[]): Accumulators {
    return this.functions.map((fn, i) => fn.fromJson(data[i]));
  }
}
