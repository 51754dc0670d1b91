// The WINDOW clause as the aggregation operator's WindowSpec, and the WindowInfo of the resulting table.
import type { Duration, WindowExpression } from '../../parser/index.js';
import { retentionOf, type WindowSpec } from '../../runtime/aggregate/index.js';
import type { WindowInfo } from '../data-source.js';

const UNIT_MS: Readonly<Record<Duration['unit'], number>> = {
  MILLISECONDS: 1,
  SECONDS: 1000,
  MINUTES: 60_000,
  HOURS: 3_600_000,
  DAYS: 86_400_000,
};

export function durationMs(duration: Duration): number {
  return duration.value * UNIT_MS[duration.unit];
}

export function windowSpecOf(window: WindowExpression): WindowSpec {
  const options = {
    ...(window.grace === undefined ? {} : { graceMs: durationMs(window.grace) }),
    ...(window.retention === undefined ? {} : { retentionMs: durationMs(window.retention) }),
  };
  switch (window.kind) {
    case 'TumblingWindow':
      return { type: 'TUMBLING', sizeMs: durationMs(window.size), ...options };
    case 'HoppingWindow':
      return {
        type: 'HOPPING',
        sizeMs: durationMs(window.size),
        advanceMs: durationMs(window.advance),
        ...options,
      };
    case 'SessionWindow':
      return { type: 'SESSION', gapMs: durationMs(window.gap), ...options };
  }
}

export function windowInfoOf(spec: WindowSpec): WindowInfo {
  const retentionMs = retentionOf(spec);
  return spec.type === 'SESSION'
    ? { type: 'SESSION', retentionMs }
    : { type: spec.type, sizeMs: spec.sizeMs, retentionMs };
}
