// The clock and timers the coordinator runs on. Injectable so tests or an embedding process can drive time.

export interface Timers {
  now(): number;
  /** Runs `callback` after `delayMs`; the returned function cancels it. */
  schedule(delayMs: number, callback: () => void): () => void;
}

// setTimeout overflows (and fires at once) beyond a signed 32-bit delay; Kafka timeouts can reach that range.
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export const realTimers: Timers = {
  now: () => Date.now(),
  schedule(delayMs, callback) {
    const handle = setTimeout(callback, Math.min(Math.max(delayMs, 0), MAX_TIMER_DELAY_MS));
    // Group timers must never keep a stopping broker alive.
    handle.unref();
    return () => clearTimeout(handle);
  },
};
