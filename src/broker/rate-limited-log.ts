// Warnings a client can cause (garbage connections, refused connections, timeouts) must not let it fill
// the disk with the broker's log: each kind prints at most a few lines per interval, and the rest are
// counted and summed up in one line when the interval ends.

export interface RateLimit {
  /** Lines of one kind printed per interval before the rest are only counted. */
  linesPerInterval: number;
  intervalMs: number;
}

export const DEFAULT_WARNING_RATE_LIMIT: RateLimit = { linesPerInterval: 10, intervalMs: 60_000 };

interface Window {
  printed: number;
  suppressed: number;
  timer: NodeJS.Timeout;
}

export class RateLimitedLog {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly warn: (message: string) => void,
    private readonly limit: RateLimit = DEFAULT_WARNING_RATE_LIMIT,
  ) {}

  /** Prints `message` unless `kind` already printed its share in the current interval. */
  warning(kind: string, message: string): void {
    let window = this.windows.get(kind);
    if (!window) {
      const timer = setTimeout(() => this.endWindow(kind), this.limit.intervalMs);
      // A pending summary must not keep the process alive.
      timer.unref();
      window = { printed: 0, suppressed: 0, timer };
      this.windows.set(kind, window);
    }
    if (window.printed < this.limit.linesPerInterval) {
      window.printed++;
      this.warn(message);
    } else {
      window.suppressed++;
    }
  }

  /** Prints the pending summaries now (the broker is stopping). */
  flush(): void {
    for (const kind of [...this.windows.keys()]) this.endWindow(kind);
  }

  private endWindow(kind: string): void {
    const window = this.windows.get(kind);
    if (!window) return;
    clearTimeout(window.timer);
    this.windows.delete(kind);
    if (window.suppressed > 0) {
      const seconds = this.limit.intervalMs / 1000;
      this.warn(
        `suppressed ${window.suppressed} similar warnings (${kind}) in the last ${seconds} s ` +
          `(at most ${this.limit.linesPerInterval} printed per ${seconds} s)`,
      );
    }
  }
}
