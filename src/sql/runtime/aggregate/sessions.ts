// SESSION aggregation as Kafka Streams does it. A record at ts joins every session of its key that ends
// no earlier than ts - gap and starts no later than ts + gap; the merged session spans them all and the
// record. Unless the merged session is the record's own [ts, ts], the sessions merged into it are deleted
// (a tombstone for each old session key, stamped with its end) before the merged row is emitted,
// stamped with its end. A merged session that ends before stream time minus the grace is dropped.
import { keyString } from '../key-string.js';
import type { SqlValue } from '../../types/index.js';
import type { KeyValueStore, Operator, OperatorContext } from '../operator.js';
import type { Emit } from '../records.js';
import type { AccumulatorSet } from './accumulators.js';
import {
  groupKeyOf,
  outputRecord,
  tryUpdate,
  windowsCodec,
  type WindowState,
  type WindowsState,
} from './groups.js';
import type { AggregateSpec } from './spec.js';
import { isClosed, retentionOf, type WindowSpec } from './windows.js';

export function sessionAggregation(
  spec: AggregateSpec & { readonly window: WindowSpec & { readonly type: 'SESSION' } },
  accumulators: AccumulatorSet,
  emit: Emit,
  context: OperatorContext,
  streamTime: { value: number },
): Operator {
  const { gapMs } = spec.window;
  const retention = retentionOf(spec.window);
  const store: KeyValueStore<WindowsState> = context.store(spec.storeName, windowsCodec(accumulators), {
    windowRetentionMs: retention,
  });

  return {
    process(record) {
      streamTime.value = Math.max(streamTime.value, record.timestamp);
      if (record.value === null) return;
      const key: SqlValue[] | null = groupKeyOf(record, spec.groupBy, context);
      if (key === null) return;
      const ts = record.timestamp;
      const storeKey = keyString(key);
      const sessions = (store.get(storeKey)?.windows ?? []).filter(
        (s) => s.end > streamTime.value - retention,
      );
      const merging = sessions.filter((s) => s.end >= ts - gapMs && s.start <= ts + gapMs);
      const start = Math.min(ts, ...merging.map((s) => s.start));
      const end = Math.max(ts, ...merging.map((s) => s.end));
      if (isClosed(end, streamTime.value, spec.window)) return;

      const args = accumulators.argumentsOf(record);
      const after = tryUpdate(context, record, () => {
        const merged = merging.reduce(
          (acc, s) => accumulators.merge(acc, s.accumulators),
          accumulators.initialize(),
        );
        return accumulators.aggregate(merged, args);
      });
      if (after === undefined) return;

      const ownWindow = start === ts && end === ts;
      const replaced = merging.find((s) => s.start === start && s.end === end);
      const session: WindowState = { start, end, timestamp: end, accumulators: after };
      const kept = sessions.filter((s) => !merging.includes(s));
      store.put(storeKey, { windows: [...kept, session].sort((a, b) => a.start - b.start || a.end - b.end) });

      if (!ownWindow) {
        for (const old of merging) {
          const previous = accumulators.results(old.accumulators);
          emit(outputRecord(key, null, previous, old.end, record, { start: old.start, end: old.end }));
        }
      }
      const previous =
        ownWindow && replaced !== undefined ? accumulators.results(replaced.accumulators) : null;
      emit(outputRecord(key, accumulators.results(after), previous, end, record, { start, end }));
    },
  };
}
