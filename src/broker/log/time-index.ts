// Sparse time index of one segment: (timestamp int64, offset relative to the segment base int32).
// Each entry holds the largest timestamp seen so far in the segment and the base offset of the batch that
// carried it, so timestamps never decrease along the index. Persisted like the offset index.
import fs from 'node:fs';
import { readInt64, writeInt64 } from '../../protocol/records/batch-header.js';

const ENTRY_SIZE = 12;

export class TimeIndex {
  private timestamps: Float64Array;
  private relativeOffsets: Int32Array;
  private count = 0;
  private dirty = false;

  constructor(
    readonly path: string,
    readonly baseOffset: number,
    capacity = 64,
  ) {
    this.timestamps = new Float64Array(capacity);
    this.relativeOffsets = new Int32Array(capacity);
  }

  get entries(): number {
    return this.count;
  }

  get sizeBytes(): number {
    return this.count * ENTRY_SIZE;
  }

  /** Null when the file is missing or inconsistent; offsets must lie in [baseOffset, nextOffset). */
  static load(path: string, baseOffset: number, nextOffset: number): TimeIndex | null {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path);
    } catch {
      return null;
    }
    if (bytes.length % ENTRY_SIZE !== 0) return null;
    const index = new TimeIndex(path, baseOffset, Math.max(64, bytes.length / ENTRY_SIZE));
    let previousTimestamp = -Infinity;
    let previousOffset = -1;
    for (let at = 0; at < bytes.length; at += ENTRY_SIZE) {
      const timestamp = readInt64(bytes, at);
      const relative = bytes.readInt32BE(at + 8);
      if (timestamp < previousTimestamp || relative < previousOffset || baseOffset + relative >= nextOffset)
        return null;
      index.maybeAppend(timestamp, baseOffset + relative);
      previousTimestamp = timestamp;
      previousOffset = relative;
    }
    index.dirty = false;
    return index;
  }

  /** The last entry, if any: the largest timestamp indexed and the batch that carried it. */
  last(): { timestamp: number; offset: number } | null {
    if (this.count === 0) return null;
    return {
      timestamp: this.timestamps[this.count - 1],
      offset: this.baseOffset + this.relativeOffsets[this.count - 1],
    };
  }

  /** Adds an entry unless it would not raise the indexed maximum. */
  maybeAppend(timestamp: number, offset: number): void {
    if (this.count > 0 && timestamp <= this.timestamps[this.count - 1]) return;
    if (this.count === this.timestamps.length) {
      const timestamps = new Float64Array(this.count * 2);
      timestamps.set(this.timestamps);
      this.timestamps = timestamps;
      const offsets = new Int32Array(this.count * 2);
      offsets.set(this.relativeOffsets);
      this.relativeOffsets = offsets;
    }
    this.timestamps[this.count] = timestamp;
    this.relativeOffsets[this.count] = offset - this.baseOffset;
    this.count++;
    this.dirty = true;
  }

  /**
   * An offset from which scanning finds the first record with timestamp >= `timestamp`: the batch of the
   * last entry whose timestamp is still below it (every earlier batch is below it too), or null to scan from
   * the segment start.
   */
  lookup(timestamp: number): number | null {
    let low = 0;
    let high = this.count - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if (this.timestamps[mid] < timestamp) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found < 0 ? null : this.baseOffset + this.relativeOffsets[found];
  }

  /** Drops entries for offsets at or past `offset`. */
  truncateToOffset(offset: number): void {
    while (this.count > 0 && this.baseOffset + this.relativeOffsets[this.count - 1] >= offset) this.count--;
    this.dirty = true;
  }

  persist(): void {
    if (!this.dirty) return;
    const bytes = Buffer.allocUnsafe(this.count * ENTRY_SIZE);
    for (let i = 0; i < this.count; i++) {
      writeInt64(bytes, i * ENTRY_SIZE, this.timestamps[i]);
      bytes.writeInt32BE(this.relativeOffsets[i], i * ENTRY_SIZE + 8);
    }
    fs.writeFileSync(this.path, bytes, { mode: 0o600 });
    this.dirty = false;
  }
}
