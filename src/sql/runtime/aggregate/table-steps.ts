// The steps after an aggregation, on its table of rows: HAVING, which turns a row that stops matching
// into a tombstone (ksqlDB's table filter), and the SELECT projection of each row.
import type { SqlValue } from '../../types/index.js';
import type { OperatorFactory } from '../operator.js';
import type { SqlRecord } from '../records.js';
import type { RecordEvaluator } from './spec.js';

/**
 * Passes rows matching `predicate`. A row that does not match becomes a tombstone when its previous
 * version matched (or is unknown), so the key leaves the result; otherwise nothing is emitted.
 */
export function havingFilter(predicate: RecordEvaluator): OperatorFactory {
  return (downstream) => {
    const matches = (
      record: SqlRecord,
      value: readonly SqlValue[] | null | undefined,
    ): boolean | undefined =>
      value === undefined ? undefined : value !== null && predicate.evaluate({ ...record, value }) === true;
    return {
      process(record) {
        const previousMatched = matches(record, record.previous);
        if (matches(record, record.value) === true) downstream(record);
        else if (previousMatched !== false) downstream({ ...record, value: null });
      },
    };
  };
}

/** Computes each output value column from the aggregation's row; the key is left as it is. */
export function tableProjection(columns: readonly RecordEvaluator[]): OperatorFactory {
  return (downstream) => {
    const project = (record: SqlRecord, value: readonly SqlValue[] | null): SqlValue[] | null => {
      if (value === null) return null;
      const row: SqlRecord = { ...record, value };
      return columns.map((column) => column.evaluate(row));
    };
    return {
      process(record) {
        const value = project(record, record.value);
        downstream(
          record.previous === undefined
            ? { ...record, value }
            : { ...record, value, previous: project(record, record.previous) },
        );
      },
    };
  };
}
