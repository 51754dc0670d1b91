// TUMBLING and HOPPING aggregation: a record updates every window covering its timestamp that is not
// closed yet, each emitting its new row. A key's windows are kept together in one store entry, ordered
// by start, and changed in place; windows whose start is past the retention are dropped from its front as
// the key is touched. Nothing is converted to the changelog's form per record (see StoreCodec), and a stored
// window keeps its objects, so the long-lived state does not churn through the garbage collector.
import { keyString } from '../key-string.js';
import type { SqlValue } from '../../types/index.js';
import type { KeyValueStore, Operator, OperatorContext } from '../operator.js';
import type { Emit, SqlRecord } from '../records.js';
import type { AccumulatorSet, Accumulators } from './accumulators.js';
import {
  groupKeyOf,
  outputRecord,
  tryUpdate,
  windowsCodec,
  type WindowState,
  type WindowsState,
} from './groups.js';
import type { AggregateSpec } from './spec.js';
import { firstWindowStart, isClosed, retentionOf, windowAdvance, type WindowSpec } from './windows.js';

/** One window's update, computed before any is applied so that a failing one leaves the key as it was. */
interface WindowUpdate {
  readonly start: number;
  /** The stored window, undefined for a new one. */
  readonly stored: WindowState | undefined;
  /** The stored window's row before the update. */
  readonly previous: SqlValue[] | null;
  readonly after: Accumulators;
}

type TimeWindowSpec = WindowSpec & { readonly type: 'TUMBLING' | 'HOPPING' };

export function timeWindowedAggregation(
  spec: AggregateSpec & { readonly window: TimeWindowSpec },
  accumulators: AccumulatorSet,
  emit: Emit,
  context: OperatorContext,
  streamTime: { value: number },
): Operator {
  const retention = retentionOf(spec.window);
  const store: KeyValueStore<WindowsState> = context.store(spec.storeName, windowsCodec(accumulators), {
    windowRetentionMs: retention,
  });
  const { sizeMs } = spec.window;
  const advance = windowAdvance(spec.window);

  /** The updates of the record's open windows, or undefined when one fails (the record is dropped). */
  const updatesFor = (record: SqlRecord, windows: readonly WindowState[]): WindowUpdate[] | undefined => {
    const args = accumulators.argumentsOf(record);
    const updates: WindowUpdate[] = [];
    const ts = record.timestamp;
    for (let start = firstWindowStart(ts, spec.window); start <= ts; start += advance) {
      // Kafka Streams drops a record for a closed window silently (a metric counts it).
      if (isClosed(start + sizeMs, streamTime.value, spec.window)) continue;
      const at = windows[indexOfStart(windows, start)];
      const stored = at?.start === start ? at : undefined;
      const before = stored?.accumulators;
      const after = tryUpdate(context, record, () =>
        accumulators.aggregate(before ?? accumulators.initialize(), args),
      );
      if (after === undefined) return undefined;
      const previous = before === undefined ? null : accumulators.results(before);
      updates.push({ start, stored, previous, after });
    }
    return updates;
  };

  return {
    process(record) {
      streamTime.value = Math.max(streamTime.value, record.timestamp);
      if (record.value === null) return;
      const key: SqlValue[] | null = groupKeyOf(record, spec.groupBy, context);
      if (key === null) return;
      const storeKey = keyString(key);
      const group = store.get(storeKey);
      const windows = group?.windows ?? [];
      const updates = updatesFor(record, windows);
      if (updates === undefined) return;

      // A window expires when its start is the retention behind stream time: a prefix of the start order.
      const horizon = streamTime.value - retention;
      let expired = 0;
      while (expired < windows.length && (windows[expired] as WindowState).start <= horizon) expired++;
      if (expired > 0) windows.splice(0, expired);
      else if (updates.length === 0) return;
      const changed: WindowState[] = [];
      for (const { start, stored, after } of updates) {
        if (stored === undefined) {
          const window = { start, end: start + sizeMs, timestamp: record.timestamp, accumulators: after };
          windows.splice(indexOfStart(windows, start), 0, window);
          changed.push(window);
        } else {
          accumulators.assign(stored.accumulators, after);
          stored.timestamp = Math.max(stored.timestamp, record.timestamp);
          changed.push(stored);
        }
      }
      if (windows.length > 0) store.put(storeKey, group ?? { windows });
      else if (group !== undefined) store.delete(storeKey);
      for (let i = 0; i < changed.length; i++) {
        const window = changed[i] as WindowState;
        const { previous, after } = updates[i] as WindowUpdate;
        const bounds = { start: window.start, end: window.end };
        emit(outputRecord(key, accumulators.results(after), previous, window.timestamp, record, bounds));
      }
    },
  };
}

/** The index of the first window starting at or after `start` (windows.length if none does). */
function indexOfStart(windows: readonly WindowState[], start: number): number {
  let hi = windows.length;
  // The newest window is the usual one: look there before searching.
  if (hi === 0 || (windows[hi - 1] as WindowState).start < start) return hi;
  let lo = 0;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((windows[mid] as WindowState).start < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
