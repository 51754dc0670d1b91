// The broker-wide budget for bytes held by requests being read or processed (queued.max.request.bytes).
// A connection reserves a large frame's size before it allocates memory for it; when the budget is spent
// it stops reading its socket and waits, first in first served, until finished requests give bytes back.

type Grant = () => void;

interface Waiter {
  bytes: number;
  grant: Grant;
}

export class RequestMemory {
  private held = 0;
  private readonly waiters: Waiter[] = [];
  /** Called when a reservation cannot be granted: each may give back memory it keeps only as a cache. */
  private readonly reclaimers = new Set<() => void>();

  constructor(readonly capacityBytes: number) {}

  get heldBytes(): number {
    return this.held;
  }

  /**
   * Reserves `bytes` now if the budget allows, else returns false. A frame larger than the whole budget
   * is still admitted when nothing else is held, so that a legal request can always go through.
   */
  tryReserve(bytes: number): boolean {
    if (this.waiters.length === 0 && this.fits(bytes)) {
      this.held += bytes;
      return true;
    }
    for (const reclaim of this.reclaimers) reclaim();
    if (this.waiters.length === 0 && this.fits(bytes)) {
      this.held += bytes;
      return true;
    }
    return false;
  }

  /** Queues a reservation; `grant` runs once the bytes are reserved. Returns a cancel function. */
  reserveLater(bytes: number, grant: Grant): () => void {
    const waiter: Waiter = { bytes, grant };
    this.waiters.push(waiter);
    return () => {
      const index = this.waiters.indexOf(waiter);
      if (index >= 0) this.waiters.splice(index, 1);
      // The head leaving may let the next one in.
      if (index === 0) this.grantWaiting();
    };
  }

  release(bytes: number): void {
    this.held -= bytes;
    this.grantWaiting();
  }

  /** Registers a hook that gives back cached memory under pressure; returns an unregister function. */
  addReclaimer(reclaim: () => void): () => void {
    this.reclaimers.add(reclaim);
    return () => this.reclaimers.delete(reclaim);
  }

  private fits(bytes: number): boolean {
    return this.held === 0 || this.held + bytes <= this.capacityBytes;
  }

  private grantWaiting(): void {
    while (this.waiters.length > 0 && this.fits(this.waiters[0].bytes)) {
      const waiter = this.waiters.shift()!;
      this.held += waiter.bytes;
      waiter.grant();
    }
  }
}
