// The transactions open on one partition (KIP-98): per producer, the offset of the first record of its
// ongoing transaction. The first of these bounds the last stable offset (LSO), below which read_committed
// consumers may read. A control batch (commit or abort marker) ends the producer's transaction; an abort
// also goes to the aborted-transaction index. The open transactions are saved inside the producer-state
// snapshot (one file, one fsync, the same offset) and the rest is replayed from the log, so they survive
// restarts and crashes.
import { ErrorCode, type ErrorCodeValue } from '../../protocol/error-codes.js';
import { ControlRecordType, readControlRecordType } from '../../protocol/records/control-record.js';
import { decodeBatch } from '../../protocol/records/record-codec.js';
import type { AbortedTxnIndex } from './aborted-txn-index.js';
import type { SnapshotAttachment } from './producer-state.js';

export interface OngoingTxn {
  producerId: number;
  producerEpoch: number;
  /** Offset of the transaction's first record in this partition. */
  firstOffset: number;
  /** Offset of its latest record so far. */
  lastOffset: number;
}

/** What a marker did: the transaction it ended (null when the producer had none open here). */
export interface CompletedTxn {
  producerId: number;
  firstOffset: number;
  lastOffset: number;
  aborted: boolean;
}

/** Whether a control batch is a commit or an abort marker; null when it is neither or does not decode. */
export function markerTypeOf(batch: Buffer): 'commit' | 'abort' | null {
  let key: Buffer | null;
  try {
    const records = decodeBatch(batch, { verifyCrc: false }).records;
    key = records.length === 1 ? records[0].key : null;
  } catch {
    return null;
  }
  const type = readControlRecordType(key);
  if (type === ControlRecordType.commit) return 'commit';
  if (type === ControlRecordType.abort) return 'abort';
  return null;
}

export class TransactionState implements SnapshotAttachment {
  private readonly ongoing = new Map<number, OngoingTxn>();
  /** Cached smallest first offset of the ongoing transactions (Infinity when none). */
  private firstUnstable = Infinity;

  constructor(private readonly abortedIndex: AbortedTxnIndex) {}

  get size(): number {
    return this.ongoing.size;
  }

  /** LSO: the first offset of the oldest open transaction (not below the log start), or the high watermark. */
  lastStableOffset(highWatermark: number, logStartOffset: number): number {
    if (this.firstUnstable === Infinity) return highWatermark;
    return Math.min(highWatermark, Math.max(this.firstUnstable, logStartOffset));
  }

  has(producerId: number): boolean {
    return this.ongoing.has(producerId);
  }

  list(): OngoingTxn[] {
    return [...this.ongoing.values()].sort((a, b) => a.firstOffset - b.firstOffset);
  }

  /**
   * Refusals for one batch before it is written. `currentEpoch` is the producer's epoch in the idempotence
   * state (undefined when the partition knows nothing of it).
   */
  check(
    batch: Buffer,
    producerId: number,
    epoch: number,
    transactional: boolean,
    control: boolean,
    currentEpoch: number | undefined,
  ): { code: ErrorCodeValue; message: string } | null {
    const open = this.ongoing.get(producerId);
    if (control) {
      if (producerId < 0 || !transactional || markerTypeOf(batch) === null)
        return {
          code: ErrorCode.INVALID_RECORD,
          message:
            'a control batch must be one transactional commit or abort marker that names its producer id',
        };
      // A marker from an older epoch comes from a coordinator acting for a fenced producer (Kafka answers
      // INVALID_PRODUCER_EPOCH, KIP-588). A newer one is fine: KIP-890 coordinators bump the epoch at the end.
      const known = Math.max(currentEpoch ?? -1, open?.producerEpoch ?? -1);
      if (epoch < known)
        return {
          code: ErrorCode.INVALID_PRODUCER_EPOCH,
          message: `transaction marker for producer ${producerId} has epoch ${epoch}, older than its current epoch ${known}`,
        };
      return null;
    }
    if (!transactional && open && producerId >= 0)
      return {
        code: ErrorCode.INVALID_TXN_STATE,
        message: `producer ${producerId} sent a non-transactional batch while its transaction from offset ${open.firstOffset} is open`,
      };
    return null;
  }

  /** A transactional data batch was appended at [firstOffset, lastOffset]: opens or extends the transaction. */
  onData(producerId: number, epoch: number, firstOffset: number, lastOffset: number): void {
    const open = this.ongoing.get(producerId);
    if (open) {
      open.lastOffset = lastOffset;
      open.producerEpoch = Math.max(open.producerEpoch, epoch);
      return;
    }
    this.ongoing.set(producerId, { producerId, producerEpoch: epoch, firstOffset, lastOffset });
    if (firstOffset < this.firstUnstable) this.firstUnstable = firstOffset;
  }

  /** A marker was appended at `offset`: ends the producer's transaction; an abort is indexed. */
  onMarker(producerId: number, offset: number, type: 'commit' | 'abort'): CompletedTxn | null {
    const open = this.ongoing.get(producerId);
    if (!open) return null;
    this.ongoing.delete(producerId);
    if (open.firstOffset === this.firstUnstable) this.recomputeFirstUnstable();
    const completed = {
      producerId,
      firstOffset: open.firstOffset,
      lastOffset: offset,
      aborted: type === 'abort',
    };
    if (completed.aborted)
      this.abortedIndex.append({ producerId, firstOffset: open.firstOffset, lastOffset: offset });
    return completed;
  }

  clear(): void {
    this.ongoing.clear();
    this.firstUnstable = Infinity;
  }

  /** The open transactions, for the producer-state snapshot. */
  save(): OngoingTxn[] {
    return this.list();
  }

  /** A snapshot written before transactions existed has none: none were open. */
  restore(saved: unknown): boolean {
    this.clear();
    if (saved === undefined) return true;
    if (!Array.isArray(saved)) return false;
    for (const txn of saved as OngoingTxn[]) {
      if (typeof txn?.producerId !== 'number' || typeof txn.firstOffset !== 'number') return false;
      this.ongoing.set(txn.producerId, { ...txn });
    }
    this.recomputeFirstUnstable();
    return true;
  }

  private recomputeFirstUnstable(): void {
    let first = Infinity;
    for (const txn of this.ongoing.values()) if (txn.firstOffset < first) first = txn.firstOffset;
    this.firstUnstable = first;
  }
}
