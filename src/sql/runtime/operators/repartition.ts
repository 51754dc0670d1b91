// The repartition marker the planner puts where a query re-keys before stateful work. Run as it is
// (push and pull queries, which hold every partition) it passes records on; a persistent query's pipeline
// cuts the operator chain there and goes through the repartition topic instead (runtime/repartition.ts).
import type { RepartitionMarker, RepartitionPoint, RepartitionedRecord } from '../../planner/plan.js';
import type { SqlValue } from '../../types/index.js';
import { keyString } from '../key-string.js';
import type { SqlRecord } from '../records.js';

export function repartitionMarker(point: RepartitionPoint): RepartitionMarker {
  const factory = (downstream: (record: SqlRecord) => void) => ({ process: downstream });
  return Object.assign(factory, { repartition: point });
}

/** An evaluated key expression over a record (a CompiledExpression fits). */
interface KeyEvaluator {
  evaluate(record: SqlRecord): SqlValue;
}

/**
 * The split of an aggregation's GROUP BY repartition: a stream record under its group key; a table
 * change under its old and new rows' group keys, as two records when they differ (the old row's
 * retraction, then the new row), so that each group's partition sees its part.
 */
export function groupByRepartition(groupBy: readonly KeyEvaluator[]): RepartitionPoint {
  const keyOf = (record: SqlRecord, value: readonly SqlValue[] | null): SqlValue[] | null => {
    if (value === null) return null;
    const row = value === record.value ? record : { ...record, value };
    const key = groupBy.map((expression) => expression.evaluate(row));
    return key.includes(null) ? null : key;
  };
  return {
    name: 'Aggregate-GroupBy',
    sinkKeyed: true,
    split(record): readonly RepartitionedRecord[] {
      const newKey = keyOf(record, record.value);
      if (record.previous === undefined || record.previous === null) return [{ key: newKey, record }];
      const oldKey = keyOf(record, record.previous);
      if (record.value === null || sameKey(oldKey, newKey)) return [{ key: oldKey ?? newKey, record }];
      return [
        { key: oldKey, record: { ...record, value: null } },
        { key: newKey, record: { ...record, previous: null } },
      ];
    },
  };
}

function sameKey(a: readonly SqlValue[] | null, b: readonly SqlValue[] | null): boolean {
  if (a === null || b === null) return a === b;
  return keyString(a) === keyString(b);
}
