// Stream-stream join WITHIN (before, after) [GRACE PERIOD g], as ksqlDB runs it on Kafka Streams:
//
// - Each side keeps its records in a window store; a new record joins the other side's records of the
//   same key with timestamps in [t - before, t + after] (for a right record: [t - after, t + before]),
//   each giving a joined row stamped with the later of the two timestamps.
// - A side's store forgets records older than its own latest timestamp minus the retention
//   (before + after + grace); a late record still joins what the other side holds.
// - An outer side's record that matched nothing: without GRACE (ksqlDB's legacy windows, grace
//   24 h - 2 x before) its NULL-joined row is emitted at once. With GRACE it waits in a pending store
//   until its window closes (t + after + grace for a left record, t + before + grace for a right one,
//   against the join's stream time) and is dropped if a match arrives first; a record already past
//   its window when it arrives is emitted at once.
import type { MergeOperatorFactory } from '../../planner/plan.js';
import type { KeyValueStore, Operator } from '../operator.js';
import type { Emit, SqlRecord } from '../records.js';
import { windowedKeyString } from '../key-string.js';
import { combineRows, type JoinedRowLayout, type JoinRow } from './joined-row.js';

export interface StreamStreamJoinSpec {
  readonly type: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';
  readonly layout: JoinedRowLayout;
  readonly beforeMs: number;
  readonly afterMs: number;
  /** Absent: ksqlDB's legacy semantics (unmatched rows emitted at once). */
  readonly graceMs?: number;
  /** Prefix of the state stores' names (`-left`, `-right`, `-pending`, `-meta`), unique within the query. */
  readonly storeName: string;
}

/** Kafka Streams' old default: windows keep a day of records. */
const LEGACY_RETENTION_MS = 24 * 60 * 60 * 1000;

type Side = 'left' | 'right';

interface BufferedRecord {
  readonly key: string;
  readonly timestamp: number;
  readonly row: JoinRow;
}

interface PendingRecord {
  readonly side: Side;
  readonly key: string;
  readonly record: SqlRecord;
}

interface JoinMeta {
  streamTime: number;
  observed: Record<Side, number>;
  sequence: number;
}

const TIME_DIGITS = 16;
const pad = (n: number): string => String(Math.max(0, n)).padStart(TIME_DIGITS, '0');

export function streamStreamJoin(spec: StreamStreamJoinSpec): MergeOperatorFactory {
  return (downstream, context) => {
    const join = new StreamStreamJoin(spec, downstream, {
      left: context.store<BufferedRecord>(`${spec.storeName}-left`),
      right: context.store<BufferedRecord>(`${spec.storeName}-right`),
      pending: context.store<PendingRecord>(`${spec.storeName}-pending`),
      meta: context.store<JoinMeta>(`${spec.storeName}-meta`),
    });
    return {
      ports: [join.port('left'), join.port('right')],
      advance: (streamTime) => join.expire(streamTime),
    };
  };
}

interface Stores {
  readonly left: KeyValueStore<BufferedRecord>;
  readonly right: KeyValueStore<BufferedRecord>;
  readonly pending: KeyValueStore<PendingRecord>;
  readonly meta: KeyValueStore<JoinMeta>;
}

class StreamStreamJoin {
  private readonly meta: JoinMeta;
  private readonly retentionMs: number;
  private lastPurge = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly spec: StreamStreamJoinSpec,
    private readonly downstream: Emit,
    private readonly stores: Stores,
  ) {
    this.meta = stores.meta.get('meta') ?? {
      streamTime: Number.NEGATIVE_INFINITY,
      observed: { left: Number.NEGATIVE_INFINITY, right: Number.NEGATIVE_INFINITY },
      sequence: 0,
    };
    const window = spec.beforeMs + spec.afterMs;
    this.retentionMs =
      spec.graceMs === undefined
        ? window + Math.max(LEGACY_RETENTION_MS - 2 * spec.beforeMs, 0)
        : window + spec.graceMs;
  }

  port(side: Side): Operator {
    return { process: (record) => this.process(side, record) };
  }

  private outer(side: Side): boolean {
    const type = this.spec.type;
    return type === 'FULL' || (type === 'LEFT' && side === 'left') || (type === 'RIGHT' && side === 'right');
  }

  private process(side: Side, record: SqlRecord): void {
    if (record.value === null) return;
    const other: Side = side === 'left' ? 'right' : 'left';
    const key = windowedKeyString(record.key, record.window);
    const t = record.timestamp;
    this.buffer(side, key, t, record.value);
    this.meta.streamTime = Math.max(this.meta.streamTime, t);
    if (this.spec.graceMs !== undefined && t === this.meta.streamTime) this.emitClosedPending();

    const [lookBack, lookAhead] =
      side === 'left' ? [this.spec.beforeMs, this.spec.afterMs] : [this.spec.afterMs, this.spec.beforeMs];
    const from = Math.max(t - lookBack, this.meta.observed[other] - this.retentionMs + 1);
    const to = t + lookAhead;
    let matched = false;
    for (const buffered of this.fetch(other, key, from, to)) {
      matched = true;
      if (this.spec.graceMs !== undefined) this.dropPending(other, key, buffered.timestamp);
      const value =
        side === 'left'
          ? combineRows(this.spec.layout, record.value, buffered.row)
          : combineRows(this.spec.layout, buffered.row, record.value);
      this.downstream({ ...record, value, timestamp: Math.max(t, buffered.timestamp) });
    }
    if (!matched && this.outer(side)) {
      if (this.spec.graceMs === undefined || to < this.meta.streamTime) this.emitUnmatched(side, record);
      else this.addPending(side, key, record);
    }
    this.stores.meta.put('meta', this.meta);
  }

  /** Adds a record to its side's window store, unless its side has already moved past its retention. */
  private buffer(side: Side, key: string, timestamp: number, row: JoinRow): void {
    this.meta.observed[side] = Math.max(this.meta.observed[side], timestamp);
    if (timestamp <= this.meta.observed[side] - this.retentionMs) return;
    this.meta.sequence += 1;
    this.stores[side].put(`${key}|${pad(timestamp)}|${pad(this.meta.sequence)}`, { key, timestamp, row });
  }

  private *fetch(side: Side, key: string, from: number, to: number): Generator<BufferedRecord> {
    if (from > to) return;
    for (const [, buffered] of this.stores[side].entries(`${key}|${pad(from)}`, `${key}|${pad(to)}~`)) {
      if (buffered.key === key && buffered.timestamp >= from && buffered.timestamp <= to) yield buffered;
    }
  }

  private emitUnmatched(side: Side, record: SqlRecord): void {
    const value =
      side === 'left'
        ? combineRows(this.spec.layout, record.value, null)
        : combineRows(this.spec.layout, null, record.value);
    this.downstream({ ...record, value });
  }

  // Pending rows sort by timestamp, then right before left, as Kafka Streams' outer-join store orders them.
  private pendingKey(side: Side, key: string, timestamp: number): string {
    return `${pad(timestamp)}|${side === 'right' ? 0 : 1}|${key}|`;
  }

  private addPending(side: Side, key: string, record: SqlRecord): void {
    this.meta.sequence += 1;
    const pendingKey = `${this.pendingKey(side, key, record.timestamp)}${pad(this.meta.sequence)}`;
    this.stores.pending.put(pendingKey, { side, key, record });
  }

  private dropPending(side: Side, key: string, timestamp: number): void {
    const prefix = this.pendingKey(side, key, timestamp);
    const matches = [...this.stores.pending.entries(prefix, `${prefix}~`)].filter(([k]) =>
      k.startsWith(prefix),
    );
    for (const [pendingKey] of matches) this.stores.pending.delete(pendingKey);
  }

  private emitClosedPending(): void {
    const grace = this.spec.graceMs ?? 0;
    const closed: [string, PendingRecord][] = [];
    for (const entry of this.stores.pending.entries()) {
      const { side, record } = entry[1];
      const lookAhead = side === 'left' ? this.spec.afterMs : this.spec.beforeMs;
      if (record.timestamp + lookAhead + grace >= this.meta.streamTime) continue;
      closed.push(entry);
    }
    for (const [pendingKey, { side, record }] of closed) {
      this.stores.pending.delete(pendingKey);
      this.emitUnmatched(side, record);
    }
  }

  /** Forgets buffered records no fetch can return any more (at most every half retention). */
  expire(streamTime: number): void {
    if (streamTime - this.lastPurge < this.retentionMs / 2) return;
    this.lastPurge = streamTime;
    for (const side of ['left', 'right'] as const) {
      const horizon = this.meta.observed[side] - this.retentionMs;
      const expired = [...this.stores[side].entries()].filter(([, b]) => b.timestamp <= horizon);
      for (const [storeKey] of expired) this.stores[side].delete(storeKey);
    }
  }
}
