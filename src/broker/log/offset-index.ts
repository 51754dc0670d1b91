// Sparse offset index of one segment: (offset relative to the segment base int32, file position int32),
// one entry every index.interval.bytes of log. Kept in memory; written whole when the segment rolls or the
// log closes, because an unclean shutdown rebuilds the index of every segment it re-verifies anyway.
import fs from 'node:fs';

const ENTRY_SIZE = 8;

export class OffsetIndex {
  private relativeOffsets: Int32Array;
  private positions: Int32Array;
  private count = 0;
  private dirty = false;

  constructor(
    readonly path: string,
    readonly baseOffset: number,
    capacity = 64,
  ) {
    this.relativeOffsets = new Int32Array(capacity);
    this.positions = new Int32Array(capacity);
  }

  get entries(): number {
    return this.count;
  }

  get sizeBytes(): number {
    return this.count * ENTRY_SIZE;
  }

  /**
   * Loads the index file, or returns null when it is missing or inconsistent with a log of `logSize` bytes
   * (then the caller rebuilds it from the log).
   */
  static load(path: string, baseOffset: number, logSize: number): OffsetIndex | null {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path);
    } catch {
      return null;
    }
    if (bytes.length % ENTRY_SIZE !== 0) return null;
    const index = new OffsetIndex(path, baseOffset, Math.max(64, bytes.length / ENTRY_SIZE));
    let previousOffset = -1;
    let previousPosition = -1;
    for (let at = 0; at < bytes.length; at += ENTRY_SIZE) {
      const relative = bytes.readInt32BE(at);
      const position = bytes.readInt32BE(at + 4);
      if (relative <= previousOffset || position <= previousPosition || position >= logSize) return null;
      index.append(baseOffset + relative, position);
      previousOffset = relative;
      previousPosition = position;
    }
    index.dirty = false;
    return index;
  }

  append(offset: number, position: number): void {
    if (this.count === this.relativeOffsets.length) {
      this.relativeOffsets = grow(this.relativeOffsets);
      this.positions = grow(this.positions);
    }
    this.relativeOffsets[this.count] = offset - this.baseOffset;
    this.positions[this.count] = position;
    this.count++;
    this.dirty = true;
  }

  /** File position of the last indexed batch starting at or before `offset` (0 when none is). */
  lookup(offset: number): number {
    const target = offset - this.baseOffset;
    let low = 0;
    let high = this.count - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if (this.relativeOffsets[mid] <= target) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found < 0 ? 0 : this.positions[found];
  }

  /** Drops entries pointing at or past `position` (the log was truncated there). */
  truncateToPosition(position: number): void {
    while (this.count > 0 && this.positions[this.count - 1] >= position) this.count--;
    this.dirty = true;
  }

  persist(): void {
    if (!this.dirty) return;
    const bytes = Buffer.allocUnsafe(this.count * ENTRY_SIZE);
    for (let i = 0; i < this.count; i++) {
      bytes.writeInt32BE(this.relativeOffsets[i], i * ENTRY_SIZE);
      bytes.writeInt32BE(this.positions[i], i * ENTRY_SIZE + 4);
    }
    fs.writeFileSync(this.path, bytes, { mode: 0o600 });
    this.dirty = false;
  }
}

function grow(array: Int32Array): Int32Array {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
