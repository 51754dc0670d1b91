// EMIT FINAL: a windowed aggregation's rows are held back, the latest row per window replacing the
// one before, and emitted once the window closes (stream time minus grace reaches its end; see isClosed), in order of
// window end. A tombstone for a session that was never emitted just clears it; one for a session already
// emitted (a late record merged it into a newer one) is passed on when it closes.
// A time window that has fallen out of the store's retention when it closes is dropped, not emitted:
// Kafka Streams' emit-on-window-close reads closed windows back from its window store, which hides
// those starting more than the retention (size plus grace by default) before the latest window start
// it has stored. So a jump in stream time that closes several windows at once emits only the recent ones.
// Kafka Streams keeps the close time of its last emission across restarts, and never reads windows that
// closed by then again; the buffer keeps it too (one entry, written when windows close), so that after a
// restart, when stream time starts over, a late record does not bring back a time window already closed.
// The held rows are indexed by window end, so that a record that closes nothing costs one comparison.
import { keyString } from '../key-string.js';
import { valueFromJson, valueToJson, type JsonData } from '../../functions/aggregate/values.js';
import type { KeyValueStore, OperatorContext, StoreCodec } from '../operator.js';
import type { Emit, SqlRecord, WindowBounds } from '../records.js';
import { graceOf, isClosed, retentionOf, type WindowSpec } from './windows.js';

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

/** The close time of the last time windows emitted, kept under CLOSED_KEY. */
interface ClosedMark {
  readonly closedUpTo: number;
}

type HeldEntry = HeldRow | ClosedMark;

/** Held rows' keys all have an '@'. */
const CLOSED_KEY = 'closed';

const isMark = (entry: HeldEntry): entry is ClosedMark => 'closedUpTo' in entry;

const heldRowCodec: StoreCodec<HeldRow> = {
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

const heldCodec: StoreCodec<HeldEntry> = {
  toData: (entry) => (isMark(entry) ? { closedUpTo: entry.closedUpTo } : heldRowCodec.toData(entry)),
  fromData: (data) => {
    const mark = data as Partial<ClosedMark>;
    return typeof mark.closedUpTo === 'number'
      ? { closedUpTo: mark.closedUpTo }
      : heldRowCodec.fromData(data);
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
  const held: KeyValueStore<HeldEntry> = context.store(name, heldCodec);
  const index = new EndIndex();
  let sequence = 0;
  // Sessions are not read back by start or by close time: these rules are for time windows only.
  const timeWindows = spec.type !== 'SESSION';
  const retention = timeWindows ? retentionOf(spec) : Number.POSITIVE_INFINITY;
  let closedUpTo = Number.NEGATIVE_INFINITY;
  // The latest window start held. Restored from the rows still held: a window updated after the
  // latest one emitted is open, so it starts within the retention of every start seen before.
  let latestStart = Number.NEGATIVE_INFINITY;
  for (const [heldKey, entry] of held.entries()) {
    if (isMark(entry)) {
      closedUpTo = entry.closedUpTo;
      continue;
    }
    sequence = Math.max(sequence, entry.sequence + 1);
    latestStart = Math.max(latestStart, entry.record.window.start);
    index.add(entry.record.window.end, heldKey);
  }
  const rowAt = (heldKey: string): HeldRow | undefined => {
    const entry = held.get(heldKey);
    return entry === undefined || isMark(entry) ? undefined : entry;
  };

  return {
    emit(record) {
      const window = record.window;
      if (window === undefined) throw new Error('EMIT FINAL needs a windowed aggregation');
      if (timeWindows && window.end <= closedUpTo) return;
      const heldKey = `${keyString(record.key)}@${window.start}@${window.end}`;
      const existing = rowAt(heldKey);
      if (record.value === null && existing !== undefined && existing.record.value !== null) {
        held.delete(heldKey);
        index.remove(window.end, heldKey);
        return;
      }
      if (window.start > latestStart) latestStart = window.start;
      const { key, value, timestamp, partition, offset } = record;
      held.put(heldKey, {
        record: { key, value, timestamp, partition, offset, window },
        sequence: sequence++,
      });
      if (existing === undefined) index.add(window.end, heldKey);
    },
    flush(streamTime) {
      const first = index.first();
      if (first === undefined || !isClosed(first, streamTime, spec)) return;
      if (timeWindows) {
        closedUpTo = streamTime - graceOf(spec);
        held.put(CLOSED_KEY, { closedUpTo });
      }
      for (let end = index.first(); end !== undefined; end = index.first()) {
        if (!isClosed(end, streamTime, spec)) return;
        const rows: [string, HeldRow][] = [];
        for (const heldKey of index.takeFirst()) {
          const row = rowAt(heldKey);
          if (row !== undefined) rows.push([heldKey, row]);
        }
        rows.sort(([, a], [, b]) => a.sequence - b.sequence);
        const expiredBefore = latestStart - retention;
        for (const [heldKey, row] of rows) {
          held.delete(heldKey);
          if (row.record.window.start >= expiredBefore) downstream(row.record);
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
