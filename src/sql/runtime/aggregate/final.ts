// EMIT FINAL: a windowed aggregation's rows are held back, the latest row per window replacing the
// one before, and emitted once the window closes (stream time minus grace reaches its end; see isClosed), in order of
// window end. A tombstone for a session that was never emitted just clears it; one for a session already
// emitted (a late record merged it into a newer one) is passed on when it closes.
// The held rows are indexed by window end, so that a record that closes nothing costs one comparison.
import { keyString } from '../key-string.js';
import { valueFromJson, valueToJson, type JsonData } from '../../functions/aggregate/values.js';
import type { KeyValueStore, OperatorContext, StoreCodec } from '../operator.js';
import type { Emit, SqlRecord, WindowBounds } from '../records.js';
import { isClosed, type WindowSpec } from './windows.js';

/** A held row: the record to emit (without `previous`) and its arrival order. */
interface HeldRow {
  readonly record: SqlRecord & { readonly window: WindowBounds };
  readonly sequence: number;
}

/** A held row's changelog data. */
interface HeldData {
  readonly key: JsonData[];
  readonly value: JsonData[] | null;
  readonly timestamp: number;
  readonly partition: number;
  readonly offset: number;
  readonly start: number;
  readonly end: number;
  readonly sequence: number;
}

const heldCodec: StoreCodec<HeldRow> = {
  toData: ({ record, sequence }): HeldData => ({
    key: record.key.map(valueToJson),
    value: record.value === null ? null : record.value.map(valueToJson),
    timestamp: record.timestamp,
    partition: record.partition,
    offset: record.offset,
    start: record.window.start,
    end: record.window.end,
    sequence,
  }),
  fromData: (data) => {
    const held = data as HeldData;
    return {
      record: {
        key: held.key.map(valueFromJson),
        value: held.value === null ? null : held.value.map(valueFromJson),
        timestamp: held.timestamp,
        partition: held.partition,
        offset: held.offset,
        window: { start: held.start, end: held.end },
      },
      sequence: held.sequence,
    };
  },
};

export interface FinalBuffer {
  readonly emit: Emit;
  /** Emits the windows that closed by `streamTime`. */
  flush(streamTime: number): void;
}

/** The held rows' keys by window end, the ends in ascending order. */
class EndIndex {
  readonly #keysByEnd = new Map<number, Set<string>>();
  readonly #ends: number[] = [];

  add(end: number, heldKey: string): void {
    let keys = this.#keysByEnd.get(end);
    if (keys === undefined) {
      keys = new Set();
      this.#keysByEnd.set(end, keys);
      this.#ends.splice(upperBound(this.#ends, end), 0, end);
    }
    keys.add(heldKey);
  }

  remove(end: number, heldKey: string): void {
    const keys = this.#keysByEnd.get(end);
    if (keys === undefined || !keys.delete(heldKey) || keys.size > 0) return;
    this.#keysByEnd.delete(end);
    this.#ends.splice(upperBound(this.#ends, end) - 1, 1);
  }

  /** The earliest end with held rows. */
  first(): number | undefined {
    return this.#ends[0];
  }

  /** Takes the earliest end's keys out of the index. */
  takeFirst(): Set<string> {
    const end = this.#ends.shift();
    const keys = end === undefined ? undefined : this.#keysByEnd.get(end);
    if (end !== undefined) this.#keysByEnd.delete(end);
    return keys ?? new Set();
  }
}

export function finalBuffer(
  downstream: Emit,
  context: OperatorContext,
  name: string,
  spec: WindowSpec,
): FinalBuffer {
  const held: KeyValueStore<HeldRow> = context.store(name, heldCodec);
  const index = new EndIndex();
  let sequence = 0;
  for (const [heldKey, row] of held.entries()) {
    sequence = Math.max(sequence, row.sequence + 1);
    index.add(row.record.window.end, heldKey);
  }

  return {
    emit(record) {
      const window = record.window;
      if (window === undefined) throw new Error('EMIT FINAL needs a windowed aggregation');
      const heldKey = `${keyString(record.key)}@${window.start}@${window.end}`;
      const existing = held.get(heldKey);
      if (record.value === null && existing !== undefined && existing.record.value !== null) {
        held.delete(heldKey);
        index.remove(window.end, heldKey);
        return;
      }
      const { key, value, timestamp, partition, offset } = record;
      held.put(heldKey, {
        record: { key, value, timestamp, partition, offset, window },
        sequence: sequence++,
      });
      if (existing === undefined) index.add(window.end, heldKey);
    },
    flush(streamTime) {
      for (let end = index.first(); end !== undefined; end = index.first()) {
        if (!isClosed(end, streamTime, spec)) return;
        const rows: [string, HeldRow][] = [];
        for (const heldKey of index.takeFirst()) {
          const row = held.get(heldKey);
          if (row !== undefined) rows.push([heldKey, row]);
        }
        rows.sort(([, a], [, b]) => a.sequence - b.sequence);
        for (const [heldKey, row] of rows) {
          held.delete(heldKey);
          downstream(row.record);
        }
      }
    },
  };
}

/** The index of the first element greater than `value`. */
function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
