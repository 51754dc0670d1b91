// Which windows a record falls in, and when a window closes. ksqlDB leaves this to Kafka Streams, whose
// rules are kept here:
//   - TUMBLING (size) and HOPPING (size, advance): windows start at multiples of the advance (of the size
//     for tumbling), [start, start + size); a record is in every window covering its timestamp.
//   - SESSION (gap): a record's session is [ts, ts], merged with every session of its key that ends no
//     earlier than ts - gap and starts no later than ts + gap (sessions.ts does the merging).
//   - A window is closed once stream time (the largest timestamp seen) minus the grace period (and a
//     session's gap) has passed its end: records for it are dropped, and EMIT FINAL emits it. Without GRACE PERIOD the grace is 24
//     hours, Kafka Streams' old default that ksqlDB keeps (the qtt cases' late records depend on it).
import type { WindowBounds } from '../records.js';

export const DEFAULT_GRACE_MS = 24 * 60 * 60 * 1000;

export type WindowSpec =
  | {
      readonly type: 'TUMBLING';
      readonly sizeMs: number;
      readonly graceMs?: number;
      readonly retentionMs?: number;
    }
  | {
      readonly type: 'HOPPING';
      readonly sizeMs: number;
      readonly advanceMs: number;
      readonly graceMs?: number;
      readonly retentionMs?: number;
    }
  | {
      readonly type: 'SESSION';
      readonly gapMs: number;
      readonly graceMs?: number;
      readonly retentionMs?: number;
    };

export function graceOf(spec: WindowSpec): number {
  return spec.graceMs ?? DEFAULT_GRACE_MS;
}

/**
 * How long a window's state is kept, measured back from stream time: RETENTION, and by default (as
 * Kafka Streams) the window size or session gap plus the grace, the least that keeps open windows.
 * A time window is dropped once its start, a session once its end, is that far behind stream time
 * (Kafka Streams' window and session stores key them so).
 */
export function retentionOf(spec: WindowSpec): number {
  const size = spec.type === 'SESSION' ? spec.gapMs : spec.sizeMs;
  return Math.max(spec.retentionMs ?? 0, size + graceOf(spec));
}

/**
 * Kafka Streams' refusal of a RETENTION shorter than the window size (session gap) plus the grace,
 * which ksqlDB passes on, naming the store; undefined when the retention is long enough.
 */
export function retentionRefusal(spec: WindowSpec, storeName: string): string | undefined {
  if (spec.retentionMs === undefined) return undefined;
  const grace = graceOf(spec);
  const got = `grace=[${grace}], retention=[${spec.retentionMs}]`;
  if (spec.type === 'SESSION') {
    if (spec.gapMs + grace <= spec.retentionMs) return undefined;
    return (
      `The retention period of the session store ${storeName} must be no smaller than the session ` +
      `inactivity gap plus the grace period. Got gap=[${spec.gapMs}], ${got}`
    );
  }
  if (spec.sizeMs + grace <= spec.retentionMs) return undefined;
  return (
    `The retention period of the window store ${storeName} must be no smaller than its window size ` +
    `plus the grace period. Got size=[${spec.sizeMs}], ${got}`
  );
}

/** How far apart a time window's starts are: the advance of a hopping window, the size of a tumbling one. */
export function windowAdvance(spec: WindowSpec): number {
  if (spec.type === 'SESSION') throw new Error('session windows are found by merging, not by time');
  return spec.type === 'HOPPING' ? spec.advanceMs : spec.sizeMs;
}

/** The start of the earliest time window containing `timestamp`; the others follow every advance. */
export function firstWindowStart(timestamp: number, spec: WindowSpec & { readonly sizeMs: number }): number {
  const advance = windowAdvance(spec);
  return Math.floor(Math.max(0, timestamp - spec.sizeMs + advance) / advance) * advance;
}

/** The time windows (tumbling or hopping) that contain `timestamp`, earliest start first. */
export function timeWindowsFor(timestamp: number, spec: WindowSpec): WindowBounds[] {
  if (spec.type === 'SESSION') throw new Error('session windows are found by merging, not by time');
  const advance = windowAdvance(spec);
  const windows: WindowBounds[] = [];
  for (let start = firstWindowStart(timestamp, spec); start <= timestamp; start += advance) {
    windows.push({ start, end: start + spec.sizeMs });
  }
  return windows;
}

/**
 * Whether a window ending at `end` no longer takes records. Kafka Streams closes a time window when its
 * (exclusive) end is at or before stream time minus the grace period, and a session when its (inclusive)
 * end, its last record's timestamp, is before stream time minus the gap and the grace: until then a
 * record could still extend it.
 */
export function isClosed(end: number, streamTime: number, spec: WindowSpec): boolean {
  if (spec.type === 'SESSION') return end < streamTime - spec.gapMs - graceOf(spec);
  return end <= streamTime - graceOf(spec);
}
