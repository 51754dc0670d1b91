// What every aggregation strategy (unwindowed, time windows, sessions) shares: the group key of a
// record, the store key it is kept under, the live and changelog forms of one group or window, and the
// record an update emits.
import { NumericOverflowError } from '../../functions/aggregate/numbers.js';
import type { SqlValue } from '../../types/index.js';
import { QueryFailure, type OperatorContext, type StoreCodec } from '../operator.js';
import type { SqlRecord, WindowBounds } from '../records.js';
import type { AccumulatorSet, Accumulators } from './accumulators.js';
import type { RecordEvaluator } from './spec.js';

/**
 * One group's (or one window's) state, live: its accumulators and the largest timestamp so far. The
 * operator changes it in place and puts it again; the changelog gets its data form only when written.
 */
export interface GroupState {
  accumulators: Accumulators;
  timestamp: number;
}

export interface WindowState extends GroupState {
  readonly start: number;
  readonly end: number;
}

/** A windowed group: all the windows of one key, earliest start first (then earliest end). */
export interface WindowsState {
  windows: WindowState[];
}

/** The changelog data of a group: its accumulators' JSON form. */
interface GroupData {
  readonly accumulators: unknown[];
  readonly timestamp: number;
}

interface WindowData extends GroupData {
  readonly start: number;
  readonly end: number;
}

export function groupCodec(accumulators: AccumulatorSet): StoreCodec<GroupState> {
  return {
    toData: (group): GroupData => ({
      accumulators: accumulators.toJson(group.accumulators),
      timestamp: group.timestamp,
    }),
    fromData: (data) => {
      const group = data as GroupData;
      return { accumulators: accumulators.fromJson(group.accumulators), timestamp: group.timestamp };
    },
  };
}

export function windowsCodec(accumulators: AccumulatorSet): StoreCodec<WindowsState> {
  return {
    toData: (group): { windows: WindowData[] } => ({
      windows: group.windows.map((w) => ({
        start: w.start,
        end: w.end,
        timestamp: w.timestamp,
        accumulators: accumulators.toJson(w.accumulators),
      })),
    }),
    fromData: (data) => ({
      windows: (data as { windows: readonly WindowData[] }).windows.map((w) => ({
        start: w.start,
        end: w.end,
        timestamp: w.timestamp,
        accumulators: accumulators.fromJson(w.accumulators),
      })),
    }),
  };
}

/** The group key's values, or null (reported) when one of them is NULL: ksqlDB drops such rows. */
export function groupKeyOf(
  record: SqlRecord,
  groupBy: readonly RecordEvaluator[],
  context: OperatorContext,
): SqlValue[] | null {
  // Evaluated already by the repartition step (once per record, as ksqlDB's GroupBy step does).
  const key = record.groupKey?.slice() ?? groupBy.map((expression) => expression.evaluate(record));
  const nullAt = key.indexOf(null);
  if (nullAt < 0) return key;
  context.processingError({
    message: `Group-by column with index ${nullAt} resolved to null. The source row will be excluded from the table.`,
    record,
  });
  return null;
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
  const { partition, offset } = source;
  return window === undefined
    ? { key, value, previous, timestamp, partition, offset }
    : { key, value, previous, timestamp, partition, offset, window };
}

/**
 * Runs an accumulator update, reporting a function's failure (the record is then dropped); an overflow
 * stops the query, as in ksqlDB.
 */
export function tryUpdate<T>(context: OperatorContext, record: SqlRecord, update: () => T): T | undefined {
  try {
    return update();
  } catch (error) {
    if (error instanceof NumericOverflowError) throw new QueryFailure(error.message, { cause: error });
    const message = error instanceof Error ? error.message : String(error);
    context.processingError({ message: `Failed to aggregate: ${message}`, record, cause: error });
    return undefined;
  }
}

export type { AccumulatorSet };
