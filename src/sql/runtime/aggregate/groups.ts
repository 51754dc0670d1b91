// What every aggregation strategy (unwindowed, time windows, sessions) shares: the group key of a
// record, the store key it is kept under, the stored form of one group or window, and the record an
// update emits.
import { valueFromJson, valueToJson, type JsonData } from '../../functions/aggregate/values.js';
import type { SqlValue } from '../../types/index.js';
import type { OperatorContext } from '../operator.js';
import type { SqlRecord, WindowBounds } from '../records.js';
import type { AccumulatorSet } from './accumulators.js';
import type { RecordEvaluator } from './spec.js';

/** One group's (or one window's) state as stored: accumulators as JSON and the largest timestamp so far. */
export interface StoredAggregate {
  readonly accumulators: unknown[];
  readonly timestamp: number;
}

export interface StoredWindow extends StoredAggregate {
  readonly start: number;
  readonly end: number;
}

/** A windowed group: all the windows of one key, earliest start first. */
export interface StoredWindows {
  readonly windows: readonly StoredWindow[];
}

/** The group key's values, or null (reported) when one of them is NULL: ksqlDB drops such rows. */
export function groupKeyOf(
  record: SqlRecord,
  groupBy: readonly RecordEvaluator[],
  context: OperatorContext,
): SqlValue[] | null {
  const key = groupBy.map((expression) => expression.evaluate(record));
  const nullAt = key.indexOf(null);
  if (nullAt < 0) return key;
  context.processingError({
    message: `Group-by column with index ${nullAt} resolved to null. The source row will be excluded from the table.`,
    record,
  });
  return null;
}

/** The store key of a group: its values' lossless JSON, so equal keys give equal strings. */
export function storeKeyOf(key: readonly SqlValue[]): string {
  return JSON.stringify(key.map(valueToJson));
}

export function keyFromStoreKey(storeKey: string): SqlValue[] {
  return (JSON.parse(storeKey) as JsonData[]).map(valueFromJson);
}

/** The table row an update gives: key = the group key (and window), value = the aggregate results. */
export function outputRecord(
  key: readonly SqlValue[],
  value: readonly SqlValue[] | null,
  previous: readonly SqlValue[] | null,
  timestamp: number,
  source: SqlRecord,
  window?: WindowBounds,
): SqlRecord {
  return {
    key,
    value,
    previous,
    timestamp,
    partition: source.partition,
    offset: source.offset,
    ...(window === undefined ? {} : { window }),
  };
}

/** Runs an accumulator update, reporting a function's failure (the record is then dropped). */
export function tryUpdate<T>(context: OperatorContext, record: SqlRecord, update: () => T): T | undefined {
  try {
    return update();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    context.processingError({ message: `Failed to aggregate: ${message}`, record, cause: error });
    return undefined;
  }
}

export type { AccumulatorSet };
