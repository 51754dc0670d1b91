// TUMBLING and HOPPING aggregation: a record updates every window covering its timestamp that is not
// closed yet, each emitting its new row. A key's windows are kept together in one store entry; windows
// past the retention are dropped from it as the key is touched.
import type { SqlValue } from '../../types/index.js';
import type { KeyValueStore, Operator, OperatorContext } from '../operator.js';
import type { Emit } from '../records.js';
import type { AccumulatorSet } from './accumulators.js';
import {
  groupKeyOf,
  outputRecord,
  storeKeyOf,
  tryUpdate,
  type StoredWindow,
  type StoredWindows,
} from './groups.js';
import type { AggregateSpec } from './spec.js';
import { isClosed, retentionOf, timeWindowsFor, type WindowSpec } from './windows.js';

export function timeWindowedAggregation(
  spec: AggregateSpec & { readonly window: WindowSpec },
  accumulators: AccumulatorSet,
  emit: Emit,
  context: OperatorContext,
  streamTime: { value: number },
): Operator {
  const store: KeyValueStore<StoredWindows> = context.store(spec.storeName);
  const retention = retentionOf(spec.window);

  return {
    process(record) {
      streamTime.value = Math.max(streamTime.value, record.timestamp);
      if (record.value === null) return;
      const key: SqlValue[] | null = groupKeyOf(record, spec.groupBy, context);
      if (key === null) return;
      const args = accumulators.argumentsOf(record);
      const storeKey = storeKeyOf(key);
      const kept = (store.get(storeKey)?.windows ?? []).filter((w) => w.end > streamTime.value - retention);
      const windows = new Map<number, StoredWindow>(kept.map((w) => [w.start, w]));
      const updates: [StoredWindow, SqlValue[], SqlValue[] | null][] = [];
      for (const bounds of timeWindowsFor(record.timestamp, spec.window)) {
        // Kafka Streams drops a record for a closed window silently (a metric counts it).
        if (isClosed(bounds.end, streamTime.value, spec.window)) continue;
        const stored = windows.get(bounds.start);
        const before =
          stored === undefined ? accumulators.initialize() : accumulators.fromJson(stored.accumulators);
        const after = tryUpdate(context, record, () => accumulators.aggregate(before, args));
        if (after === undefined) return;
        const timestamp = Math.max(stored?.timestamp ?? record.timestamp, record.timestamp);
        const window = { ...bounds, timestamp, accumulators: accumulators.toJson(after) };
        windows.set(bounds.start, window);
        updates.push([
          window,
          accumulators.results(after),
          stored === undefined ? null : accumulators.results(before),
        ]);
      }
      const sorted = [...windows.values()].sort((a, b) => a.start - b.start);
      if (sorted.length === 0) store.delete(storeKey);
      else store.put(storeKey, { windows: sorted });
      for (const [window, value, previous] of updates) {
        const bounds = { start: window.start, end: window.end };
        emit(outputRecord(key, value, previous, window.timestamp, record, bounds));
      }
    },
  };
}
