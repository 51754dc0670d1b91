// Pacing for a target rate: how many records are due now, from the time since the start, so a slow
// moment is made up for afterwards and the average holds over the run.

export class RatePacer {
  readonly #startedAt: number;
  #released = 0;

  constructor(
    readonly recordsPerSecond: number | undefined,
    readonly now: () => number = () => performance.now(),
  ) {
    this.#startedAt = now();
  }

  /** Records that may go now (at most `limit`); all of `limit` without a rate. */
  take(limit: number): number {
    if (this.recordsPerSecond === undefined) return limit;
    const due = Math.floor(((this.now() - this.#startedAt) / 1000) * this.recordsPerSecond) - this.#released;
    const taken = Math.max(0, Math.min(limit, due));
    this.#released += taken;
    return taken;
  }

  /** Milliseconds until the next record is due (0 without a rate). */
  waitMs(): number {
    if (this.recordsPerSecond === undefined) return 0;
    const nextAt = this.#startedAt + ((this.#released + 1) / this.recordsPerSecond) * 1000;
    return Math.max(0, nextAt - this.now());
  }
}
