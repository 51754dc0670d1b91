// Which leading segments of a log may be deleted: those entirely below the log start offset (always), and
// with the delete policy those past retention.ms (newest timestamp too old) or beyond retention.bytes.
// Deletion is always a prefix of the log, oldest first, as in Kafka.
import type { LogConfig } from './log-config.js';

export interface RetentionSegment {
  readonly baseOffset: number;
  readonly size: number;
  readonly maxTimestamp: number;
}

export type RetentionReason = 'log-start-offset' | 'retention.ms' | 'retention.bytes';

export interface RetentionPlan {
  /** How many segments, from the oldest, to delete. May include the active (last) one. */
  count: number;
  reason: RetentionReason | null;
}

/**
 * Plans deletion. `segments` are oldest first, the last one active. The active segment only counts for the
 * time and size limits, and only when it is not empty (the log then rolls before deleting it). Empty inactive
 * segments (compacted to nothing) never hold retention back.
 */
export function planRetention(
  segments: readonly RetentionSegment[],
  logStartOffset: number,
  config: LogConfig,
  nowMs: number,
): RetentionPlan {
  const belowStart = countWhile(
    segments,
    (_segment, next) => next !== undefined && next.baseOffset <= logStartOffset,
  );
  if (belowStart > 0) return { count: belowStart, reason: 'log-start-offset' };
  if (!config.delete) return { count: 0, reason: null };
  if (config.retentionMs >= 0) {
    const expired = countWhile(segments, (segment, next) =>
      segment.size === 0 ? next !== undefined : nowMs - segment.maxTimestamp > config.retentionMs,
    );
    if (expired > 0) return { count: expired, reason: 'retention.ms' };
  }
  if (config.retentionBytes >= 0) {
    let excess = segments.reduce((total, segment) => total + segment.size, 0) - config.retentionBytes;
    const oversize = countWhile(segments, (segment, next) => {
      if (segment.size === 0) return next !== undefined;
      if (excess - segment.size < 0) return false;
      excess -= segment.size;
      return true;
    });
    if (oversize > 0) return { count: oversize, reason: 'retention.bytes' };
  }
  return { count: 0, reason: null };
}

function countWhile(
  segments: readonly RetentionSegment[],
  deletable: (segment: RetentionSegment, next: RetentionSegment | undefined) => boolean,
): number {
  let count = 0;
  while (count < segments.length && deletable(segments[count], segments[count + 1])) count++;
  return count;
}
