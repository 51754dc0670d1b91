// SELECT as an operator: computes the output key and value columns of each record. A tombstone (NULL
// value) stays one, with its key recomputed, so that deleted table rows are deleted downstream too.
import { isMissingKey, missingKey } from '../../formats/null-key.js';
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
      let key = new Array<SqlValue>(keyCount);
      for (let i = 0; i < keyCount; i++) key[i] = (keyColumns[i] as ColumnEvaluator)(record);
      // A record read without a key keeps having none (null bytes, not a record of nulls) when the
      // SELECT passes it on; checked only for an all-NULL key of several columns, so rarely.
      if (keyCount > 1 && key[0] === null && isMissingKey(record.key) && key.every((v) => v === null)) {
        key = missingKey(keyCount);
      }
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
