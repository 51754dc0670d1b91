// The aborted-transaction index of one partition (Kafka's .txnindex): for every aborted transaction, the
// producer, the offset of its first record and the offset of its abort marker. A read_committed fetch returns
// the entries that overlap the fetched range, and the client drops those producers' records itself.
//
// One file per partition rather than one per segment: aborts are rare, so the file stays small, and
// retention prunes it by rewriting it whole (entries whose marker lies below the log start offset go).
// Each entry is 24 bytes (three int64) appended in marker order. The file is not the truth: the log is.
// After a crash, entries from the replay point on are cut and rebuilt from the control batches in the log,
// so a torn tail or a marker lost with the log's tail cannot leave an entry behind.
import fs from 'node:fs';
import { readInt64, writeInt64 } from '../../protocol/records/batch-header.js';
import { writeFileAtomic } from './files.js';

const ENTRY_SIZE = 24;

export interface AbortedTxn {
  producerId: number;
  /** Offset of the transaction's first record in this partition. */
  firstOffset: number;
  /** Offset of the abort marker. */
  lastOffset: number;
}

export class AbortedTxnIndex {
  /** Ordered by lastOffset (marker order). */
  private entries: AbortedTxn[] = [];
  private unsynced = false;
  /** An append the disk refused (or cut short): the file no longer matches `entries` until rewritten. */
  private stale = false;
  private writeError: unknown = null;

  constructor(readonly file: string) {}

  get size(): number {
    return this.entries.length;
  }

  /** Reads the file; a torn last entry (crash mid-write) is ignored and cut on the next rewrite. */
  load(): void {
    let data: Buffer;
    try {
      data = fs.readFileSync(this.file);
    } catch {
      this.entries = [];
      return;
    }
    const entries: AbortedTxn[] = [];
    for (let at = 0; at + ENTRY_SIZE <= data.length; at += ENTRY_SIZE) {
      entries.push({
        producerId: readInt64(data, at),
        firstOffset: readInt64(data, at + 8),
        lastOffset: readInt64(data, at + 16),
      });
    }
    this.entries = entries;
    if (data.length % ENTRY_SIZE !== 0) this.rewrite();
  }

  append(entry: AbortedTxn): void {
    this.entries.push(entry);
    const buf = Buffer.allocUnsafe(ENTRY_SIZE);
    encode(buf, 0, entry);
    this.unsynced = true;
    if (this.stale) return; // sync() rewrites the whole file
    try {
      fs.appendFileSync(this.file, buf, { mode: 0o600 });
    } catch (error) {
      // Not thrown: the caller's state changes around this entry must all happen. See takeWriteError.
      this.stale = true;
      this.writeError = error;
    }
  }

  /** The error of an append the disk refused since the last call, for the caller to report; else null. */
  takeWriteError(): unknown {
    const error = this.writeError;
    this.writeError = null;
    return error;
  }

  /** Entries that overlap [fromOffset, upToOffset): marker at or after `fromOffset`, first record before `upToOffset`. */
  overlapping(fromOffset: number, upToOffset: number): AbortedTxn[] {
    const found: AbortedTxn[] = [];
    const entries = this.entries;
    for (let i = firstWithLastOffsetAtLeast(entries, fromOffset); i < entries.length; i++) {
      if (entries[i].firstOffset < upToOffset) found.push(entries[i]);
    }
    return found;
  }

  /** Whether the producer's batch at `offset` belongs to an aborted transaction. */
  isAborted(producerId: number, offset: number): boolean {
    const entries = this.entries;
    for (let i = firstWithLastOffsetAtLeast(entries, offset); i < entries.length; i++) {
      const entry = entries[i];
      if (entry.producerId === producerId && entry.firstOffset <= offset) return true;
    }
    return false;
  }

  /** Drops the entries whose marker lies at or after `offset` (recovery rebuilds them from the log). */
  truncateFrom(offset: number): void {
    const keep = firstWithLastOffsetAtLeast(this.entries, offset);
    if (keep === this.entries.length) return;
    this.entries = this.entries.slice(0, keep);
    this.rewrite();
  }

  /** Drops the entries whose marker lies below the log start offset (retention, DeleteRecords). */
  dropBefore(logStartOffset: number): void {
    const first = firstWithLastOffsetAtLeast(this.entries, logStartOffset);
    if (first === 0) return;
    this.entries = this.entries.slice(first);
    this.rewrite();
  }

  /** fsyncs appended entries (with the producer snapshot, so the snapshot never covers a lost entry). */
  sync(): void {
    if (this.stale) return this.rewrite();
    if (!this.unsynced) return;
    const fd = fs.openSync(this.file, 'a', 0o600);
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    this.unsynced = false;
  }

  private rewrite(): void {
    const buf = Buffer.allocUnsafe(this.entries.length * ENTRY_SIZE);
    this.entries.forEach((entry, i) => encode(buf, i * ENTRY_SIZE, entry));
    writeFileAtomic(this.file, buf);
    this.unsynced = false;
    this.stale = false;
  }
}

function encode(buf: Buffer, at: number, entry: AbortedTxn): void {
  writeInt64(buf, at, entry.producerId);
  writeInt64(buf, at + 8, entry.firstOffset);
  writeInt64(buf, at + 16, entry.lastOffset);
}

function firstWithLastOffsetAtLeast(entries: readonly AbortedTxn[], offset: number): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (entries[mid].lastOffset < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}
