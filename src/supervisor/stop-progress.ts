// Stop progress: a component that needs long to stop (a broker closing 6,000 partitions) says it is
// still getting somewhere by logging a line with a `stopProgress` field (any JSON value: a count, a
// fraction, a phase name). Each new value moves the stop deadline on; the same value again does not, so
// a component stuck in a loop still gets killed.
import type { StopSettings } from './components.js';
import { fileSize, readRange } from './log-tail.js';

/** Reads what a component appends to its log from now on and tells whether it reported new progress. */
export class StopProgressWatcher {
  private offset: number;
  private partial = '';
  private lastValue: string | null = null;

  constructor(private readonly logFile: string) {
    this.offset = fileSize(logFile);
  }

  /** Whether a line with a new `stopProgress` value was written since the last call. */
  progressed(): boolean {
    const size = fileSize(this.logFile);
    if (size < this.offset) this.offset = 0; // rotated meanwhile
    if (size === this.offset) return false;
    const text = this.partial + readRange(this.logFile, this.offset, size);
    this.offset = size;
    const lastNewline = text.lastIndexOf('\n');
    this.partial = text.slice(lastNewline + 1);
    let progressed = false;
    for (const line of text.slice(0, lastNewline + 1).split('\n')) {
      if (!line.includes('"stopProgress"')) continue;
      try {
        const value = JSON.stringify((JSON.parse(line) as { stopProgress?: unknown }).stopProgress);
        if (value !== undefined && value !== this.lastValue) {
          this.lastValue = value;
          progressed = true;
        }
      } catch {
        // not a JSON line after all
      }
    }
    return progressed;
  }
}

/** The stop deadline, moved on by progress: never past `maxMs` after the stop began. */
export class StopDeadline {
  private deadline: number;
  private readonly limit: number;

  constructor(
    private readonly settings: StopSettings,
    readonly began = Date.now(),
  ) {
    this.limit = began + settings.maxMs;
    this.deadline = Math.min(began + settings.graceMs, this.limit);
  }

  get at(): number {
    return this.deadline;
  }

  /** Progress was reported now: the component gets another progress window. */
  extend(now = Date.now()): void {
    this.deadline = Math.min(Math.max(this.deadline, now + this.settings.progressWindowMs), this.limit);
  }

  passed(now = Date.now()): boolean {
    return now >= this.deadline;
  }
}

/**
 * Waits until `isGone()` or the deadline (moved on by progress in the log) passes; resolves whether the
 * process went. `onExtended` is told each new deadline.
 */
export async function waitForStop(options: {
  isGone: () => boolean;
  logFile: string;
  settings: StopSettings;
  onExtended?: (deadline: number) => void;
  pollMs?: number;
}): Promise<boolean> {
  const watcher = new StopProgressWatcher(options.logFile);
  const deadline = new StopDeadline(options.settings);
  for (;;) {
    if (options.isGone()) return true;
    if (watcher.progressed()) {
      const before = deadline.at;
      deadline.extend();
      if (deadline.at !== before) options.onExtended?.(deadline.at);
    }
    if (deadline.passed()) return options.isGone();
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
  }
}
