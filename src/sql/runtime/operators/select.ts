// SELECT as an operator: computes the output key and value columns of each record. A tombstone (NULL
// value) stays one, with its key recomputed, so that deleted table rows are deleted downstream too.
import type { SqlValue } from '../../types/index.js';
import type { OperatorFactory } from '../operator.js';
import type { SqlRecord } from '../records.js';

export type ColumnEvaluator = (record: SqlRecord) => SqlValue;

export function selectOperator(
  keyColumns: readonly ColumnEvaluator[],
  valueColumns: readonly ColumnEvaluator[],
): OperatorFactory {
  const keyCount = keyColumns.length;
  const valueCount = valueColumns.length;
  return (downstream) => ({
    process(record) {
      const key = new Array<SqlValue>(keyCount);
      for (let i = 0; i < keyCount; i++) key[i] = (keyColumns[i] as ColumnEvaluator)(record);
      let value: SqlValue[] | null = null;
      if (record.value !== null) {
        value = new Array<SqlValue>(valueCount);
        for (let i = 0; i < valueCount; i++) value[i] = (valueColumns[i] as ColumnEvaluator)(record);
      }
      let previous: SqlValue[] | null | undefined = record.previous === undefined ? undefined : null;
      if (record.previous !== undefined && record.previous !== null) {
        const before: SqlRecord = { ...record, value: record.previous };
        previous = new Array<SqlValue>(valueCount);
        for (let i = 0; i < valueCount; i++) previous[i] = (valueColumns[i] as ColumnEvaluator)(before);
      }
      downstream(previous === undefined ? { ...record, key, value } : { ...record, key, value, previous });
    },
  });
}
