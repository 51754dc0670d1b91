// Telling the supervisor that a long stop is still getting somewhere: a log line with a `stopProgress`
// field whose value changes moves the supervisor's kill deadline on (docs/supervisor.md, "Stopping").
// Lines are throttled, so closing 10,000 partitions writes a handful of lines, not 10,000.
import type { Logger } from './logger.js';

export interface StopProgress {
  done: number;
  total: number;
}

/** Reports progress of one stop phase, at most once per `intervalMs`, and always the last step. */
export function stopProgressReporter(
  logger: Logger,
  phase: string,
  intervalMs = 1000,
  now: () => number = Date.now,
): (done: number, total: number) => void {
  let lastAt = -Infinity;
  return (done, total) => {
    const at = now();
    if (done < total && at - lastAt < intervalMs) return;
    lastAt = at;
    const stopProgress: StopProgress & { phase: string } = { phase, done, total };
    logger.info({ stopProgress }, `${phase}: ${done} of ${total}`);
  };
}
