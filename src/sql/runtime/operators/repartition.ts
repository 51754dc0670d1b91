// The repartition marker the planner puts where a query re-keys before stateful work. Run as it is
// (push and pull queries, which hold every partition) it passes records on; a persistent query's pipeline
// cuts the operator chain there and goes through the repartition topic instead (runtime/repartition.ts).
import type {
  RepartitionKeyFormat,
  RepartitionMarker,
  RepartitionPoint,
  RepartitionedRecord,
} from '../../planner/plan.js';
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
 *
 * `readAfter` lists the value columns the aggregation reads after the cut (its calls' arguments), when
 * the planner could tell: the others go through the topic as NULL, as ksqlDB repartitions only the
 * columns its aggregation needs. Encoding and decoding the whole input row for each record was the
 * largest cost of a GROUP BY query. A row whose group key has a NULL part is kept whole: the aggregation
 * reports it to the processing log.
 */
export function groupByRepartition(
  groupBy: readonly KeyEvaluator[],
  readAfter?: readonly number[],
): RepartitionPoint {
  const groupKeyOf = (record: SqlRecord, value: readonly SqlValue[]): SqlValue[] => {
    const row = value === record.value ? record : { ...record, value };
    return groupBy.map((expression) => expression.evaluate(row));
  };
  // A key with a NULL part is not partitioned by: the aggregation reports and drops the row.
  const partitionKey = (key: readonly SqlValue[]) => (key.includes(null) ? null : key);
  const keep = readAfter === undefined ? undefined : new Set(readAfter);
  const pruned = (row: readonly SqlValue[]): SqlValue[] =>
    row.map((value, index) => (keep?.has(index) ? value : null));
  const keyed = (record: SqlRecord, groupKey: readonly SqlValue[]): RepartitionedRecord => {
    const key = partitionKey(groupKey);
    if (keep === undefined || key === null) return { key, record: { ...record, groupKey } };
    const { value, previous } = record;
    return {
      key,
      record: {
        ...record,
        value: value === null ? null : pruned(value),
        ...(previous == null ? {} : { previous: pruned(previous) }),
        groupKey,
      },
    };
  };
  return {
    name: 'Aggregate-GroupBy',
    keyFormat: 'sink',
    split(record): readonly RepartitionedRecord[] {
      const newKey = record.value === null ? undefined : groupKeyOf(record, record.value);
      const oldKey = record.previous == null ? undefined : groupKeyOf(record, record.previous);
      if (oldKey === undefined)
        return newKey === undefined ? [{ key: null, record }] : [keyed(record, newKey)];
      if (newKey === undefined || sameKey(oldKey, newKey)) return [keyed(record, oldKey)];
      return [keyed({ ...record, value: null }, oldKey), keyed({ ...record, previous: null }, newKey)];
    },
  };
}

function sameKey(a: readonly SqlValue[], b: readonly SqlValue[]): boolean {
  return keyString(a) === keyString(b);
}

/**
 * The repartition of a join side whose key is not the join key: the side's join step has already made
 * the join key the record's key (join/join-side.ts), so each record goes under its key. `step` names it
 * as ksqlDB does (`Join-left`, `Join-right`, `Join` for a stream-table join's stream, `L_` before each
 * for the joins nested on the left), read when the query is built, once every JOIN is planned.
 */
export function joinRepartition(
  step: { readonly name: string },
  keyFormat: RepartitionKeyFormat,
): RepartitionPoint {
  return {
    get name() {
      return step.name;
    },
    keyFormat,
    split: (record) => [{ key: record.key, record }],
  };
}
