// One log segment: `<base>.log` holding whole batches back to back, with its sparse offset and time indexes.
// All I/O is synchronous (page-cache speed, one thread); only fsync is async. The log file is opened on
// first use and may be closed again by the process's bounded set of open files (open-files.ts); the index
// files are only read whole at load and written whole when the segment is sealed.
import fs from 'node:fs';
import path from 'node:path';
import {
  BATCH_HEADER_SIZE,
  baseOffsetOf,
  batchSize,
  lastOffsetOf,
  maxTimestampOf,
} from '../../protocol/records/batch-header.js';
import { OffsetIndex } from './offset-index.js';
import { LazyFile, openSegmentFiles } from './open-files.js';
import { TimeIndex } from './time-index.js';

/** Smallest read when walking batch headers, so a scan is not one syscall per batch. */
const MIN_CHUNK = 64 * 1024;
/** Read size when visiting whole batches of a segment (cleaner). */
const SCAN_CHUNK = 4 * 1024 * 1024;

export function segmentFileName(baseOffset: number, suffix: string): string {
  return baseOffset.toString().padStart(20, '0') + suffix;
}

export interface BatchLocation {
  position: number;
  size: number;
  baseOffset: number;
  lastOffset: number;
}

const EMPTY = Buffer.alloc(0);

export interface SegmentRead {
  /** Whole batches, one contiguous slice. */
  data: Buffer;
  /** Offset after the last returned batch. */
  nextOffset: number;
  /** File position after the last returned batch. */
  endPosition: number;
}

export class Segment {
  readonly indexPath: string;
  readonly timeIndexPath: string;
  /** Bytes of whole batches in the file. */
  size = 0;
  /** One past the last offset stored (the base offset while empty). */
  nextOffset: number;
  /** Largest batch maxTimestamp, -1 while empty. */
  maxTimestamp = -1;
  /** Base offset of the batch that carried maxTimestamp. */
  maxTimestampBatchOffset = -1;
  /** maxTimestamp of the first batch, for segment.ms rolling. */
  firstBatchTimestamp = -1;
  /** fsync has covered everything below this size. */
  flushedSize = 0;
  deleted = false;
  private bytesSinceIndexEntry = 0;
  /** Position the next `track` call describes when none is given. */
  private nextPositionForTracking = 0;
  private offsetIndexCache: OffsetIndex | null = null;
  private timeIndexCache: TimeIndex | null = null;

  private constructor(
    readonly dir: string,
    readonly baseOffset: number,
    private readonly file: LazyFile,
    private indexIntervalBytes: number,
  ) {
    this.indexPath = path.join(dir, segmentFileName(baseOffset, '.index'));
    this.timeIndexPath = path.join(dir, segmentFileName(baseOffset, '.timeindex'));
    this.nextOffset = baseOffset;
  }

  /**
   * A new empty segment (stale files at its name are replaced). `logFile` overrides the log file path for a
   * segment built aside (the cleaner's); its index files are only written once it takes its final name.
   */
  static create(dir: string, baseOffset: number, indexIntervalBytes: number, logFile?: string): Segment {
    const logPath = logFile ?? path.join(dir, segmentFileName(baseOffset, '.log'));
    const file = new LazyFile(openSegmentFiles, logPath);
    file.create();
    const segment = new Segment(dir, baseOffset, file, indexIntervalBytes);
    segment.offsetIndexCache = new OffsetIndex(segment.indexPath, baseOffset);
    segment.timeIndexCache = new TimeIndex(segment.timeIndexPath, baseOffset);
    if (!logFile) {
      fs.rmSync(segment.indexPath, { force: true });
      fs.rmSync(segment.timeIndexPath, { force: true });
    }
    return segment;
  }

  /** The first segment of a new log, whose empty file was just created (and nothing else is there). */
  static adoptEmpty(dir: string, indexIntervalBytes: number): Segment {
    const file = new LazyFile(openSegmentFiles, path.join(dir, segmentFileName(0, '.log')));
    const segment = new Segment(dir, 0, file, indexIntervalBytes);
    segment.offsetIndexCache = new OffsetIndex(segment.indexPath, 0);
    segment.timeIndexCache = new TimeIndex(segment.timeIndexPath, 0);
    return segment;
  }

  /** Where the log file lives now (a cleaner-built segment starts under a temporary name). */
  get logPath(): string {
    return this.file.path;
  }

  /** The log file was renamed to the segment's standard name. */
  adoptStandardName(): void {
    this.file.path = path.join(this.dir, segmentFileName(this.baseOffset, '.log'));
  }

  /**
   * An existing segment file, not opened yet (its size comes from stat); its metadata is filled in by
   * `loadClean` or by recovery.
   */
  static open(dir: string, baseOffset: number, indexIntervalBytes: number): Segment {
    const file = new LazyFile(openSegmentFiles, path.join(dir, segmentFileName(baseOffset, '.log')));
    const segment = new Segment(dir, baseOffset, file, indexIntervalBytes);
    segment.size = fs.statSync(file.path).size;
    segment.flushedSize = segment.size;
    return segment;
  }

  setIndexInterval(bytes: number): void {
    this.indexIntervalBytes = bytes;
  }

  /**
   * Fills in metadata of a segment closed cleanly, from its indexes; the exact next offset comes from
   * walking the batches after the last index entry. Returns false when the files disagree (a missing or
   * damaged index, or bytes after the last whole batch): the caller must then recover the segment,
   * which checks every batch, instead of trusting it.
   */
  loadClean(nextSegmentBase: number | null): boolean {
    const offsetIndex = OffsetIndex.load(this.indexPath, this.baseOffset, this.size);
    const upperBound = nextSegmentBase ?? Number.MAX_SAFE_INTEGER;
    const timeIndex = offsetIndex ? TimeIndex.load(this.timeIndexPath, this.baseOffset, upperBound) : null;
    if (!offsetIndex || !timeIndex) return false;
    this.offsetIndexCache = offsetIndex;
    this.timeIndexCache = timeIndex;
    const lastTime = timeIndex.last();
    if (this.size > 0 && !lastTime) return false;
    if (lastTime) {
      this.maxTimestamp = lastTime.timestamp;
      this.maxTimestampBatchOffset = lastTime.offset;
    }
    // The next offset and first timestamp come from the batches themselves: walk headers from the last entry.
    let position = offsetIndex.lookup(Number.MAX_SAFE_INTEGER);
    let lastOffset = this.baseOffset - 1;
    let bytesSince = 0;
    this.walkHeaders(position, (header, at, size) => {
      lastOffset = lastOffsetOf(header, at);
      bytesSince += size;
      position += size;
      return true;
    });
    if (position !== this.size) return false;
    this.bytesSinceIndexEntry = bytesSince;
    this.nextOffset = this.size === 0 ? this.baseOffset : lastOffset + 1;
    if (this.size > 0) {
      const first = this.readAt(0, BATCH_HEADER_SIZE);
      this.firstBatchTimestamp = maxTimestampOf(first, 0);
    }
    return true;
  }

  /** Rebuilds both indexes and all metadata from batch headers (the file is trusted up to `size`). */
  rebuildIndexes(): void {
    this.resetMetadata();
    this.walkHeaders(0, (header, at) => {
      this.track(header, at);
      return true;
    });
    this.persistIndexes();
  }

  /** Clears indexes and metadata before they are rebuilt batch by batch with `track`. */
  resetMetadata(): void {
    this.offsetIndexCache = new OffsetIndex(this.indexPath, this.baseOffset);
    this.timeIndexCache = new TimeIndex(this.timeIndexPath, this.baseOffset);
    this.nextOffset = this.baseOffset;
    this.maxTimestamp = -1;
    this.maxTimestampBatchOffset = -1;
    this.firstBatchTimestamp = -1;
    this.bytesSinceIndexEntry = 0;
    this.nextPositionForTracking = 0;
  }

  /** Records one batch (already in the file at the tracked position) in the indexes and metadata. */
  track(batch: Buffer, at: number, position = this.nextPositionForTracking): void {
    const size = batchSize(batch, at);
    const baseOffset = baseOffsetOf(batch, at);
    const timestamp = maxTimestampOf(batch, at);
    if (this.bytesSinceIndexEntry >= this.indexIntervalBytes && position > 0) {
      this.offsetIndex().append(baseOffset, position);
      if (this.maxTimestamp >= 0)
        this.timeIndex().maybeAppend(this.maxTimestamp, this.maxTimestampBatchOffset);
      this.bytesSinceIndexEntry = 0;
    }
    this.bytesSinceIndexEntry += size;
    if (this.firstBatchTimestamp < 0 && position === 0) this.firstBatchTimestamp = timestamp;
    if (timestamp > this.maxTimestamp) {
      this.maxTimestamp = timestamp;
      this.maxTimestampBatchOffset = baseOffset;
    }
    this.nextOffset = lastOffsetOf(batch, at) + 1;
    this.nextPositionForTracking = position + size;
  }

  /** Appends whole batches (offsets already assigned) with one writev, then indexes them. */
  append(batches: readonly Buffer[], totalBytes: number): void {
    writeAllSync(this.file.fd(), batches, this.size, totalBytes);
    let position = this.size;
    for (const batch of batches) {
      this.track(batch, 0, position);
      position += batch.length;
    }
    this.size = position;
  }

  /** Appends already-indexed raw bytes (used by the cleaner while building a new segment). */
  appendRaw(data: Buffer): void {
    writeAllSync(this.file.fd(), [data], this.size, data.length);
    let at = 0;
    while (at < data.length) {
      this.track(data, at, this.size + at);
      at += batchSize(data, at);
    }
    this.size += data.length;
  }

  offsetIndex(): OffsetIndex {
    if (!this.offsetIndexCache) this.rebuildIndexes();
    return this.offsetIndexCache as OffsetIndex;
  }

  timeIndex(): TimeIndex {
    if (!this.timeIndexCache) this.rebuildIndexes();
    return this.timeIndexCache as TimeIndex;
  }

  /** Marks the segment read-only: the time index gets a final entry with the segment's largest timestamp. */
  seal(): void {
    if (this.maxTimestamp >= 0) this.timeIndex().maybeAppend(this.maxTimestamp, this.maxTimestampBatchOffset);
    this.persistIndexes();
  }

  persistIndexes(): void {
    this.offsetIndexCache?.persist();
    this.timeIndexCache?.persist();
  }

  readAt(position: number, length: number): Buffer {
    const buf = Buffer.allocUnsafe(length);
    const fd = this.file.fd();
    let done = 0;
    while (done < length) {
      const n = fs.readSync(fd, buf, done, length - done, position + done);
      if (n === 0) return buf.subarray(0, done);
      done += n;
    }
    return buf;
  }

  /**
   * Calls `visit(buffer, at, size)` for each whole batch header from `position` to the end of the file,
   * reading in chunks. Stops when `visit` returns false or at a header that does not fit (torn tail).
   */
  walkHeaders(position: number, visit: (buf: Buffer, at: number, size: number) => boolean): void {
    const end = this.size;
    let chunk: Buffer = Buffer.alloc(0);
    let chunkStart = position;
    while (position + BATCH_HEADER_SIZE <= end) {
      if (position + BATCH_HEADER_SIZE > chunkStart + chunk.length) {
        chunkStart = position;
        chunk = this.readAt(position, Math.min(end - position, MIN_CHUNK));
      }
      const at = position - chunkStart;
      const size = batchSize(chunk, at);
      if (size < BATCH_HEADER_SIZE || position + size > end) return;
      if (!visit(chunk, at, size)) return;
      position += size;
    }
  }

  /** Calls `visit` with each whole batch (a slice of a shared chunk, valid during the call) from the start. */
  forEachBatch(visit: (batch: Buffer, position: number) => void): void {
    const end = this.size;
    let position = 0;
    let chunk: Buffer = Buffer.alloc(0);
    let chunkStart = 0;
    while (position + BATCH_HEADER_SIZE <= end) {
      let at = position - chunkStart;
      if (at + BATCH_HEADER_SIZE > chunk.length) {
        chunkStart = position;
        chunk = this.readAt(position, Math.min(end - position, SCAN_CHUNK));
        at = 0;
      }
      const size = batchSize(chunk, at);
      if (size < BATCH_HEADER_SIZE || position + size > end) return;
      if (at + size > chunk.length) {
        chunkStart = position;
        chunk = this.readAt(position, Math.min(end - position, Math.max(size, SCAN_CHUNK)));
        at = 0;
      }
      visit(chunk.subarray(at, at + size), position);
      position += size;
    }
  }

  /** The batch containing `offset` or the first one after it, scanning from `position`. */
  locate(offset: number, position: number): BatchLocation | null {
    let found: BatchLocation | null = null;
    this.walkHeaders(position, (header, at, size) => {
      const lastOffset = lastOffsetOf(header, at);
      if (lastOffset < offset) {
        position += size;
        return true;
      }
      found = { position, size, baseOffset: baseOffsetOf(header, at), lastOffset };
      return false;
    });
    return found;
  }

  /**
   * Whole batches from the one holding `fetchOffset` (searched from `position`), up to `maxBytes`; at least
   * one with `minOneBatch`, otherwise empty data when the first batch alone exceeds `maxBytes`. Null when no
   * batch at or after `fetchOffset` is in this segment.
   */
  read(fetchOffset: number, position: number, maxBytes: number, minOneBatch = true): SegmentRead | null {
    const end = this.size;
    if (position >= end) return null;
    // One read usually covers both the search and the answer: a tailing reader starts at an exact position.
    let chunkStart = position;
    let chunk = this.readAt(position, Math.min(end - position, Math.max(maxBytes, MIN_CHUNK)));
    let start = position;
    for (;;) {
      if (start + BATCH_HEADER_SIZE > chunkStart + chunk.length) {
        if (start + BATCH_HEADER_SIZE > end) return null;
        chunkStart = start;
        chunk = this.readAt(start, Math.min(end - start, Math.max(maxBytes, MIN_CHUNK)));
      }
      const at = start - chunkStart;
      if (lastOffsetOf(chunk, at) >= fetchOffset) break;
      start += batchSize(chunk, at);
    }
    const wanted = Math.min(end - start, maxBytes);
    if (start + Math.max(wanted, BATCH_HEADER_SIZE) > chunkStart + chunk.length) {
      chunkStart = start;
      chunk = this.readAt(start, Math.min(end - start, Math.max(maxBytes, BATCH_HEADER_SIZE)));
    }
    let stop = start;
    let nextOffset = fetchOffset;
    const chunkEnd = chunkStart + chunk.length;
    while (stop + BATCH_HEADER_SIZE <= chunkEnd) {
      const at = stop - chunkStart;
      const size = batchSize(chunk, at);
      if (stop + size > chunkEnd || stop + size - start > maxBytes) break;
      nextOffset = lastOffsetOf(chunk, at) + 1;
      stop += size;
    }
    if (stop === start) {
      // The first batch alone exceeds maxBytes: return it whole anyway when asked to (KIP-74).
      if (!minOneBatch) return { data: EMPTY, nextOffset: fetchOffset, endPosition: start };
      const size = batchSize(chunk, start - chunkStart);
      const data = this.readAt(start, size);
      return { data, nextOffset: lastOffsetOf(data, 0) + 1, endPosition: start + size };
    }
    return { data: chunk.subarray(start - chunkStart, stop - chunkStart), nextOffset, endPosition: stop };
  }

  /** Cuts the file at `position` (a batch boundary) and drops index entries past it. */
  truncateTo(position: number): void {
    fs.ftruncateSync(this.file.fd(), position);
    this.size = position;
    this.flushedSize = Math.min(this.flushedSize, position);
  }

  flush(): Promise<void> {
    const target = this.size;
    if (this.flushedSize >= target || this.deleted) return Promise.resolve();
    // Pinned: the set must not close (and the process reuse) the descriptor while the fsync runs.
    const fd = this.file.pin();
    return new Promise((resolve, reject) => {
      fs.fsync(fd, (error) => {
        this.file.unpin();
        if (error && !this.deleted) reject(error);
        else {
          this.flushedSize = Math.max(this.flushedSize, target);
          resolve();
        }
      });
    });
  }

  flushSync(): void {
    if (this.flushedSize >= this.size || this.deleted) return;
    fs.fsyncSync(this.file.fd());
    this.flushedSize = this.size;
  }

  /** Closes the log file for good (an fsync still running keeps it open until it ends). */
  close(): void {
    this.file.close();
  }

  /** Closes and removes the segment's files. */
  delete(): void {
    this.deleted = true;
    this.close();
    for (const file of [this.logPath, this.indexPath, this.timeIndexPath]) fs.rmSync(file, { force: true });
  }
}

/** writev that finishes short writes, so a batch is never half written by our own hand. */
export function writeAllSync(
  fd: number,
  buffers: readonly Buffer[],
  position: number,
  totalBytes: number,
): void {
  let written = fs.writevSync(fd, buffers as Buffer[], position);
  if (written === totalBytes) return;
  let skip = written;
  for (const buffer of buffers) {
    if (skip >= buffer.length) {
      skip -= buffer.length;
      continue;
    }
    let at = skip;
    skip = 0;
    while (at < buffer.length) {
      const n = fs.writeSync(fd, buffer, at, buffer.length - at, position + written);
      at += n;
      written += n;
    }
  }
}
