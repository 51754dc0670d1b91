// Idempotent producer state of one partition: per producer id, its epoch and the last five batches it wrote,
// so a retried batch is recognised (answered with its original offsets) and a gap in sequence numbers refused.
// Follows Kafka's rules: an older epoch is INVALID_PRODUCER_EPOCH; a newer epoch must start at sequence 0;
// a producer the partition has no state for (new, or whose records were all deleted) may start anywhere.
import fs from 'node:fs';
import { ErrorCode, type ErrorCodeValue } from '../../protocol/error-codes.js';
import { writeFileAtomic } from './files.js';

/** How many recent batches per producer are remembered for duplicate detection (the client's in-flight limit). */
export const BATCHES_PER_PRODUCER = 5;
const INT32_MAX = 2 ** 31 - 1;

export interface BatchMetadata {
  firstSeq: number;
  lastSeq: number;
  firstOffset: number;
  lastOffset: number;
  timestamp: number;
}

export interface ProducerEntry {
  producerId: number;
  epoch: number;
  /** Oldest first, at most BATCHES_PER_PRODUCER. */
  batches: BatchMetadata[];
  /** Broker time of the last write, for expiry. */
  lastUpdateMs: number;
}

export type SequenceCheck =
  | { kind: 'ok' }
  | { kind: 'duplicate'; firstOffset: number; lastOffset: number }
  | { kind: 'error'; code: ErrorCodeValue; message: string };

/** The sequence number of the last record of a batch, wrapping after int32 max like Kafka's. */
export function lastSequence(baseSequence: number, lastOffsetDelta: number): number {
  const last = baseSequence + lastOffsetDelta;
  return last > INT32_MAX ? last - INT32_MAX - 1 : last;
}

function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === INT32_MAX);
}

function copyEntry(entry: ProducerEntry): ProducerEntry {
  return { ...entry, batches: entry.batches.slice() };
}

function record(entry: ProducerEntry, epoch: number, batch: BatchMetadata, nowMs: number): void {
  if (epoch !== entry.epoch) {
    entry.epoch = epoch;
    entry.batches = [];
  }
  entry.batches.push(batch);
  if (entry.batches.length > BATCHES_PER_PRODUCER) entry.batches.shift();
  entry.lastUpdateMs = nowMs;
}

interface Snapshot {
  version: 1;
  /** The state covers every batch below this offset. */
  offset: number;
  producers: ProducerEntry[];
  /** The attachment's state (absent in snapshots written before there was one). */
  attached?: unknown;
}

/**
 * State of another module saved in the same snapshot file, so that both are written with one fsync and can
 * never disagree on the offset they cover (the partition's open transactions).
 */
export interface SnapshotAttachment {
  save(): unknown;
  /** Restores what `save` returned (undefined for an older snapshot); false when it is unusable. */
  restore(saved: unknown): boolean;
}

export class ProducerStateManager {
  private readonly producers = new Map<number, ProducerEntry>();

  constructor(
    readonly snapshotPath: string,
    private readonly attachment?: SnapshotAttachment,
  ) {}

  get size(): number {
    return this.producers.size;
  }

  entry(producerId: number): ProducerEntry | undefined {
    return this.producers.get(producerId);
  }

  /** Every producer known to the partition (DescribeProducers). */
  entries(): ProducerEntry[] {
    return [...this.producers.values()];
  }

  /** Starts checking the batches of one append; nothing changes until `commit`. */
  begin(nowMs: number): ProducerAppend {
    return new ProducerAppend(this.producers, nowMs);
  }

  /** Replays a batch already in the log (recovery): no checks, the log is the truth. */
  observe(
    producerId: number,
    epoch: number,
    baseSequence: number,
    firstOffset: number,
    lastOffset: number,
    timestamp: number,
  ): void {
    let entry = this.producers.get(producerId);
    if (!entry) {
      entry = { producerId, epoch, batches: [], lastUpdateMs: timestamp };
      this.producers.set(producerId, entry);
    }
    if (epoch < entry.epoch) return;
    const batch = {
      firstSeq: baseSequence,
      lastSeq: lastSequence(baseSequence, lastOffset - firstOffset),
      firstOffset,
      lastOffset,
      timestamp,
    };
    record(entry, epoch, batch, Math.max(entry.lastUpdateMs, timestamp));
  }

  /**
   * A transaction marker of the producer was written (or replayed): a newer epoch replaces the old one (KIP-890
   * coordinators bump the epoch when a transaction ends, and the next batch then starts at sequence 0).
   */
  observeMarker(producerId: number, epoch: number, nowMs: number): void {
    const entry = this.producers.get(producerId);
    if (!entry) {
      this.producers.set(producerId, { producerId, epoch, batches: [], lastUpdateMs: nowMs });
      return;
    }
    if (epoch > entry.epoch) {
      entry.epoch = epoch;
      entry.batches = [];
    }
    entry.lastUpdateMs = Math.max(entry.lastUpdateMs, nowMs);
  }

  /**
   * Forgets producers whose every batch lies below the log start offset (their records are gone), except
   * those `keep` names (a producer with an open transaction must still be fenced by its epoch).
   */
  evictBefore(logStartOffset: number, keep?: (producerId: number) => boolean): void {
    for (const [id, entry] of this.producers) {
      const last = entry.batches[entry.batches.length - 1];
      if ((!last || last.lastOffset < logStartOffset) && !keep?.(id)) this.producers.delete(id);
    }
  }

  /**
   * Forgets producers idle for longer than `maxIdleMs` (Kafka's producer.id.expiration.ms), except those
   * `keep` names: a producer whose transaction is open is never expired, or its marker would find nothing.
   */
  expire(nowMs: number, maxIdleMs: number, keep?: (producerId: number) => boolean): void {
    for (const [id, entry] of this.producers) {
      if (nowMs - entry.lastUpdateMs > maxIdleMs && !keep?.(id)) this.producers.delete(id);
    }
  }

  clear(): void {
    this.producers.clear();
  }

  writeSnapshot(offset: number): void {
    const snapshot: Snapshot = {
      version: 1,
      offset,
      producers: [...this.producers.values()],
      attached: this.attachment?.save(),
    };
    writeFileAtomic(this.snapshotPath, JSON.stringify(snapshot));
  }

  /**
   * Loads the snapshot (and the attachment's part) and returns the offset it covers up to, or null when there
   * is none usable.
   */
  loadSnapshot(): number | null {
    let text: string;
    try {
      text = fs.readFileSync(this.snapshotPath, 'utf8');
    } catch {
      return null;
    }
    try {
      const snapshot = JSON.parse(text) as Snapshot;
      if (snapshot.version !== 1 || !Array.isArray(snapshot.producers) || typeof snapshot.offset !== 'number')
        return null;
      if (this.attachment && !this.attachment.restore(snapshot.attached)) return null;
      this.producers.clear();
      for (const entry of snapshot.producers) this.producers.set(entry.producerId, entry);
      return snapshot.offset;
    } catch {
      return null;
    }
  }
}

/** The producer-state changes of one append, applied only when every batch passed. */
export class ProducerAppend {
  private readonly touched = new Map<number, ProducerEntry>();

  constructor(
    private readonly producers: Map<number, ProducerEntry>,
    private readonly nowMs: number,
  ) {}

  /** Checks one batch that would take offsets [firstOffset, lastOffset], and stages it when acceptable. */
  check(
    producerId: number,
    epoch: number,
    baseSequence: number,
    firstOffset: number,
    lastOffset: number,
    timestamp: number,
  ): SequenceCheck {
    const current = this.touched.get(producerId) ?? this.producers.get(producerId);
    const lastSeq = lastSequence(baseSequence, lastOffset - firstOffset);
    if (current && epoch === current.epoch) {
      const duplicate = current.batches.find(
        (batch) => batch.firstSeq === baseSequence && batch.lastSeq === lastSeq,
      );
      if (duplicate)
        return { kind: 'duplicate', firstOffset: duplicate.firstOffset, lastOffset: duplicate.lastOffset };
    }
    if (current) {
      if (epoch < current.epoch) {
        return {
          kind: 'error',
          code: ErrorCode.INVALID_PRODUCER_EPOCH,
          message: `producer ${producerId} has epoch ${epoch}, older than the current epoch ${current.epoch}`,
        };
      }
      if (epoch > current.epoch) {
        if (baseSequence !== 0) {
          return {
            kind: 'error',
            code: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
            message: `producer ${producerId} starts epoch ${epoch} at sequence ${baseSequence}; a new epoch starts at 0`,
          };
        }
      } else {
        const last = current.batches[current.batches.length - 1];
        if (last && !inSequence(last.lastSeq, baseSequence)) {
          return {
            kind: 'error',
            code: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
            message: `producer ${producerId} sent sequence ${baseSequence}, expected ${last.lastSeq === INT32_MAX ? 0 : last.lastSeq + 1}`,
          };
        }
      }
    }
    const staged = current
      ? copyEntry(current)
      : { producerId, epoch, batches: [], lastUpdateMs: this.nowMs };
    record(
      staged,
      epoch,
      { firstSeq: baseSequence, lastSeq, firstOffset, lastOffset, timestamp },
      this.nowMs,
    );
    this.touched.set(producerId, staged);
    return { kind: 'ok' };
  }

  commit(): void {
    for (const [id, entry] of this.touched) this.producers.set(id, entry);
  }
}
