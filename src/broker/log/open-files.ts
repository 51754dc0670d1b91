// Segment files are opened on first use and kept open in a bounded least-recently-used set, so the number
// of partitions is not bounded by the process's file descriptor limit (each partition has at least one
// segment file). The set is process-wide because the descriptor limit is: every log of every broker in the
// process draws from it. A partition being written keeps its active segment at the front of the set, so
// appending costs one comparison; only files unused for a while are closed and reopened on demand.
// Closing a file with unflushed writes loses nothing: an fsync through a later descriptor flushes the
// file's pages whoever wrote them. (A write-back error that happens while no descriptor is open is the one
// thing a later fsync may not report.)
import fs from 'node:fs';

/** Kept open at most, unless the descriptor limit is lower (see effectiveCapacity). */
export const DEFAULT_MAX_OPEN_SEGMENT_FILES = 4096;
/** Share of the soft descriptor limit the set may take: the rest is for sockets and short-lived files. */
const SHARE_OF_FD_LIMIT = 0.5;
const MIN_CAPACITY = 8;

/** A file opened lazily through the set; `fd()` reopens it (read-write) after the set closed it. */
export class LazyFile {
  /** Open descriptor, or -1 while closed. */
  private descriptor = -1;
  /** Async operations (fsync) using the descriptor: it is not closed under them. */
  private pins = 0;
  private retired = false;
  /** Neighbours in the set's recency list; newer is toward the head. */
  newer: LazyFile | null = null;
  older: LazyFile | null = null;

  constructor(
    private readonly set: OpenFiles,
    /** Where the file is now (a file built aside is renamed to its final name). */
    public path: string,
  ) {}

  get isOpen(): boolean {
    return this.descriptor >= 0;
  }

  get isPinned(): boolean {
    return this.pins > 0;
  }

  /** The descriptor, opening the file if the set closed it; marks the file as most recently used. */
  fd(): number {
    if (this.descriptor >= 0) {
      if (this.set.head !== this) this.set.touch(this);
      return this.descriptor;
    }
    if (this.retired) throw new Error(`${this.path} was closed for good and cannot be used again`);
    this.descriptor = this.set.open(this.path, 'r+');
    this.set.add(this);
    return this.descriptor;
  }

  /** Creates or truncates the file and keeps it open (a new segment is usually written next). */
  create(): void {
    this.descriptor = this.set.open(this.path, 'w+');
    this.set.add(this);
  }

  /** Keeps the descriptor open until `unpin`, for an async call that uses it. */
  pin(): number {
    const fd = this.fd();
    this.pins++;
    return fd;
  }

  unpin(): void {
    this.pins--;
    if (this.pins > 0) return;
    if (this.retired) this.release();
    // Pinned files may have taken the set past its bound: back under it now that one is free.
    else this.set.trim();
  }

  /** Closes the file for good (the segment is closed or deleted); waits for pinned calls to finish. */
  close(): void {
    this.retired = true;
    if (this.pins === 0) this.release();
  }

  /** @internal Closes the descriptor (the set evicts it, or the file is retired). */
  release(): void {
    if (this.descriptor < 0) return;
    this.set.remove(this);
    const fd = this.descriptor;
    this.descriptor = -1;
    fs.closeSync(fd);
  }
}

/** The bounded set of open segment files, most recently used first. */
export class OpenFiles {
  /** Most recently used. */
  head: LazyFile | null = null;
  private tail: LazyFile | null = null;
  private count = 0;
  private limit: number;
  /** Opens and reopens: a working set larger than the capacity shows as a rising count. */
  private opened = 0;

  constructor(capacity = DEFAULT_MAX_OPEN_SEGMENT_FILES) {
    this.limit = effectiveCapacity(capacity);
  }

  get capacity(): number {
    return this.limit;
  }

  get openCount(): number {
    return this.count;
  }

  get openedTotal(): number {
    return this.opened;
  }

  /** Sets the bound (clamped to the descriptor limit) and closes files beyond it. Returns the bound used. */
  setCapacity(wanted: number): number {
    this.limit = effectiveCapacity(wanted);
    this.evictDownTo(this.limit);
    return this.limit;
  }

  /** @internal Opens a file, closing the least recently used ones when the process runs out of descriptors. */
  open(path: string, flags: 'r+' | 'w+'): number {
    this.evictDownTo(this.limit - 1);
    let fd: number;
    try {
      fd = fs.openSync(path, flags, 0o600);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'EMFILE' && code !== 'ENFILE') || this.count === 0) throw error;
      // Sockets and other files took descriptors the set counted on: give half of ours back, retry once.
      this.evictDownTo(Math.floor(this.count / 2));
      fd = fs.openSync(path, flags, 0o600);
    }
    this.opened++;
    return fd;
  }

  /** @internal */
  add(file: LazyFile): void {
    this.count++;
    file.older = this.head;
    file.newer = null;
    if (this.head) this.head.newer = file;
    this.head = file;
    if (!this.tail) this.tail = file;
  }

  /** @internal Moves a file to the front. */
  touch(file: LazyFile): void {
    this.unlink(file);
    this.add(file);
  }

  /** @internal */
  remove(file: LazyFile): void {
    this.unlink(file);
  }

  private unlink(file: LazyFile): void {
    if (file.newer) file.newer.older = file.older;
    else this.head = file.older;
    if (file.older) file.older.newer = file.newer;
    else this.tail = file.newer;
    file.newer = null;
    file.older = null;
    this.count--;
  }

  /** @internal Closes files beyond the bound (some were pinned when the bound was reached). */
  trim(): void {
    if (this.count > this.limit) this.evictDownTo(this.limit);
  }

  /** Closes least recently used files until at most `target` are open; pinned files are skipped. */
  private evictDownTo(target: number): void {
    let candidate = this.tail;
    while (this.count > target && candidate) {
      const next = candidate.newer;
      if (!candidate.isPinned) candidate.release();
      candidate = next;
    }
  }
}

/**
 * `wanted`, lowered to a share of the soft RLIMIT_NOFILE when that is known (Linux), so that a broker
 * started under a low `ulimit -n` still has descriptors for its connections.
 */
export function effectiveCapacity(wanted: number): number {
  const fdLimit = softDescriptorLimit();
  const bound = fdLimit === null ? wanted : Math.min(wanted, Math.floor(fdLimit * SHARE_OF_FD_LIMIT));
  return Math.max(MIN_CAPACITY, bound);
}

function softDescriptorLimit(): number | null {
  try {
    const limits = fs.readFileSync('/proc/self/limits', 'utf8');
    const match = /^Max open files\s+(\d+|unlimited)\s/m.exec(limits);
    if (!match || match[1] === 'unlimited') return null;
    return Number(match[1]);
  } catch {
    return null;
  }
}

/** The process's set: every partition log uses it. */
export const openSegmentFiles = new OpenFiles();
