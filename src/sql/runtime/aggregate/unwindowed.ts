// GROUP BY without a window. A stream row adds to its group. A table row (record.previous defined)
// first takes its previous value out of the group that value belonged to (undo), then adds the new
// value; when the row moved to another group, the old group's row is emitted first, then the new one's.
// A group stays at its zero (COUNT 0) rather than being deleted, as ksqlDB's outputs show.
import { keyString } from '../key-string.js';
import type { SqlValue } from '../../types/index.js';
import type { KeyValueStore, Operator, OperatorContext } from '../operator.js';
import type { Emit, SqlRecord } from '../records.js';
import type { AccumulatorSet, Accumulators } from './accumulators.js';
import { groupCodec, groupKeyOf, outputRecord, tryUpdate, type GroupState } from './groups.js';
import type { AggregateSpec } from './spec.js';

export function unwindowedAggregation(
  spec: AggregateSpec,
  accumulators: AccumulatorSet,
  emit: Emit,
  context: OperatorContext,
): Operator {
  const store: KeyValueStore<GroupState> = context.store(spec.storeName, groupCodec(accumulators));

  /** Applies `change` to the group's accumulators and emits the group's new row. */
  const update = (key: SqlValue[], record: SqlRecord, change: (acc: Accumulators) => Accumulators): void => {
    const storeKey = keyString(key);
    const stored = store.get(storeKey);
    const before = stored === undefined ? accumulators.initialize() : stored.accumulators;
    const after = tryUpdate(context, record, () => change(before));
    if (after === undefined) return;
    const timestamp = Math.max(stored?.timestamp ?? record.timestamp, record.timestamp);
    const previous = stored === undefined ? null : accumulators.results(before);
    if (stored === undefined) store.put(storeKey, { accumulators: after, timestamp });
    else {
      accumulators.assign(stored.accumulators, after);
      stored.timestamp = timestamp;
      store.put(storeKey, stored);
    }
    emit(outputRecord(key, accumulators.results(after), previous, timestamp, record));
  };

  const rowOf = (record: SqlRecord, value: readonly SqlValue[]): SqlRecord => ({ ...record, value });

  return {
    process(record) {
      if (record.previous === undefined) {
        if (record.value === null) return;
        const key = groupKeyOf(record, spec.groupBy, context);
        if (key === null) return;
        const args = accumulators.argumentsOf(record);
        update(key, record, (acc) => accumulators.aggregate(acc, args));
        return;
      }
      const oldRow = record.previous === null ? undefined : rowOf(record, record.previous);
      const newRow = record.value === null ? undefined : record;
      const oldKey = oldRow === undefined ? null : groupKeyOf(oldRow, spec.groupBy, context);
      const newKey = newRow === undefined ? null : groupKeyOf(newRow, spec.groupBy, context);
      const oldArgs = oldRow === undefined ? undefined : accumulators.argumentsOf(oldRow);
      const newArgs = newRow === undefined ? undefined : accumulators.argumentsOf(newRow);
      if (oldKey !== null && newKey !== null && keyString(oldKey) === keyString(newKey)) {
        update(newKey, record, (acc) =>
          accumulators.aggregate(accumulators.undo(acc, oldArgs ?? []), newArgs ?? []),
        );
        return;
      }
      if (oldKey !== null && oldArgs !== undefined)
        update(oldKey, record, (acc) => accumulators.undo(acc, oldArgs));
      if (newKey !== null && newArgs !== undefined)
        update(newKey, record, (acc) => accumulators.aggregate(acc, newArgs));
    },
  };
}
