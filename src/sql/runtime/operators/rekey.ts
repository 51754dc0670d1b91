// PARTITION BY as an operator: the key becomes the PARTITION BY expressions, and the old key columns
// join the value (after the value columns), so that the projection can still read them. Nothing stateful
// follows in the same query, so no repartition topic is needed: the sink's records are keyed by the new
// key and Kafka's partitioner places them.
import type { SqlValue } from '../../types/index.js';
import type { OperatorFactory } from '../operator.js';
import type { ColumnEvaluator } from './select.js';

export function rekeyOperator(keyColumns: readonly ColumnEvaluator[]): OperatorFactory {
  const keyCount = keyColumns.length;
  return (downstream) => ({
    process(record) {
      const key = new Array<SqlValue>(keyCount);
      for (let i = 0; i < keyCount; i++) key[i] = (keyColumns[i] as ColumnEvaluator)(record);
      const value = record.value === null ? null : [...record.value, ...record.key];
      downstream({ ...record, key, value });
    },
  });
}
