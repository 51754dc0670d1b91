// A clock for the group coordinator that moves only when a test advances it, so session timeouts and
// rebalance delays are exercised exactly (to the millisecond) and without waiting for real time.
import type { Timers } from '../../src/broker/groups/timers.js';
import { settle } from './wait.js';

interface PendingTimer {
  dueAtMs: number;
  /** Timers due at the same instant fire in the order they were scheduled, like setTimeout. */
  sequence: number;
  callback: () => void;
}

export class ManualClock implements Timers {
  private currentMs: number;
  private nextSequence = 0;
  private readonly pending = new Set<PendingTimer>();

  /** Starts at a fixed instant so that timestamps the coordinator records are reproducible. */
  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.currentMs = startMs;
  }

  now(): number {
    return this.currentMs;
  }

  schedule(delayMs: number, callback: () => void): () => void {
    const timer: PendingTimer = {
      dueAtMs: this.currentMs + Math.max(delayMs, 0),
      sequence: this.nextSequence++,
      callback,
    };
    this.pending.add(timer);
    return () => this.pending.delete(timer);
  }

  /** How many timers are scheduled and not yet fired or cancelled. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way in due order (including
   * timers scheduled by those that fire). Pending promise chains settle before and after each timer,
   * so the coordinator's follow-up work (store writes, answered joins) is done when this resolves.
   */
  async advance(ms: number): Promise<void> {
    if (ms < 0) throw new Error(`a clock cannot go back (advance by ${ms} ms)`);
    const targetMs = this.currentMs + ms;
    await settle();
    for (let due = this.earliestDue(); due && due.dueAtMs <= targetMs; due = this.earliestDue()) {
      this.pending.delete(due);
      this.currentMs = due.dueAtMs;
      due.callback();
      await settle();
    }
    this.currentMs = targetMs;
  }

  private earliestDue(): PendingTimer | undefined {
    let earliest: PendingTimer | undefined;
    for (const timer of this.pending) {
      if (
        !earliest ||
        timer.dueAtMs < earliest.dueAtMs ||
        (timer.dueAtMs === earliest.dueAtMs && timer.sequence < earliest.sequence)
      ) {
        earliest = timer;
      }
    }
    return earliest;
  }
}
