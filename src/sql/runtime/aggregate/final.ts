// EMIT FINAL: a windowed aggregation's rows are held back, the latest row per window replacing the
// one before, and emitted once the window closes (stream time minus grace reaches its end; see isClosed), in order of
// window end. A tombstone for a session that was never emitted just clears it; one for a session already
// emitted (a late record merged it into a newer one) is passed on when it closes.
import { valueFromJson, valueToJson, type JsonData } from '../../functions/aggregate/values.js';
import type { KeyValueStore, OperatorContext } from '../operator.js';
import type { Emit, SqlRecord } from '../records.js';
import { storeKeyOf } from './groups.js';
import { isClosed, type WindowSpec } from './windows.js';

interface HeldRecord {
  readonly key: JsonData[];
  readonly value: JsonData[] | null;
  readonly timestamp: number;
  readonly partition: number;
  readonly offset: number;
  readonly start: number;
  readonly end: number;
  readonly sequence: number;
}

export interface FinalBuffer {
  readonly emit: Emit;
  /** Emits the windows that closed by `streamTime`. */
  flush(streamTime: number): void;
}

export function finalBuffer(
  downstream: Emit,
  context: OperatorContext,
  name: string,
  spec: WindowSpec,
): FinalBuffer {
  const held: KeyValueStore<HeldRecord> = context.store(name);
  let sequence = 0;
  for (const [, record] of held.entries()) sequence = Math.max(sequence, record.sequence + 1);

  return {
    emit(record) {
      const window = record.window;
      if (window === undefined) throw new Error('EMIT FINAL needs a windowed aggregation');
      const heldKey = `${storeKeyOf(record.key)}@${window.start}@${window.end}`;
      const existing = held.get(heldKey);
      if (record.value === null && existing !== undefined && existing.value !== null) {
        held.delete(heldKey);
        return;
      }
      held.put(heldKey, {
        key: record.key.map(valueToJson),
        value: record.value === null ? null : record.value.map(valueToJson),
        timestamp: record.timestamp,
        partition: record.partition,
        offset: record.offset,
        start: window.start,
        end: window.end,
        sequence: sequence++,
      });
    },
    flush(streamTime) {
      const closed = [...held.entries()].filter(([, r]) => isClosed(r.end, streamTime, spec));
      closed.sort(([, a], [, b]) => a.end - b.end || a.sequence - b.sequence);
      for (const [heldKey, r] of closed) {
        held.delete(heldKey);
        const record: SqlRecord = {
          key: r.key.map(valueFromJson),
          value: r.value === null ? null : r.value.map(valueFromJson),
          timestamp: r.timestamp,
          partition: r.partition,
          offset: r.offset,
          window: { start: r.start, end: r.end },
        };
        downstream(record);
      }
    },
  };
}
