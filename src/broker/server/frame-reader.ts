// Splits a TCP byte stream into Kafka frames (INT32 size, then that many bytes).
// Knows nothing of what is inside a frame.
//
// A frame that fits in one socket chunk is returned as a view into that chunk (no copy). A frame that
// spans chunks (every large produce request does) is assembled into a buffer of its exact size. Fresh
// megabyte-sized allocations cost far more than the copy itself (page faults on new memory: ~2 ms per
// MB against ~0.05 ms to copy into warm memory), so the caller may hand an assembled frame back with
// `recycle` once nothing refers to it, and the next large frame reuses that memory.
//
// Assembled memory is counted against a broker-wide budget (queued.max.request.bytes): before
// allocating a large frame the reader reserves its size, and when the budget says no it stops with the
// rest of the chunk kept aside (`waitingForBytes`) until the caller reports the reservation `granted`.

export class FrameTooLargeError extends Error {
  override name = 'FrameTooLargeError';
}

/** Frames at least this large are assembled into recyclable memory. */
const RECYCLE_THRESHOLD = 64 * 1024;

/** Where assembled frames' bytes are counted; see RequestMemory. */
export interface FrameMemory {
  tryReserve(bytes: number): boolean;
  release(bytes: number): void;
}

const UNLIMITED: FrameMemory = { tryReserve: () => true, release: () => {} };

interface PartialFrame {
  buffer: Buffer;
  filled: number;
}

export class FrameReader {
  /** Bytes of a size prefix split across chunks (fewer than 4). */
  private prefix: Buffer | null = null;
  private partial: PartialFrame | null = null;
  /** Memory of a recycled large frame, ready for the next one. */
  private spare: ArrayBuffer | null = null;
  /** Memory this reader allocated for large frames and holds a reservation for: only that is recycled. */
  private readonly owned = new WeakSet<ArrayBuffer>();
  /** Size of the frame whose memory the budget refused, and the bytes received after its prefix. */
  private waiting: { size: number; rest: Buffer } | null = null;

  constructor(
    private readonly maxFrameBytes: number,
    private readonly memory: FrameMemory = UNLIMITED,
  ) {}

  /** Bytes the reader waits to be granted before it can go on, or null when it is not waiting. */
  get waitingForBytes(): number | null {
    return this.waiting?.size ?? null;
  }

  /** True while a frame (or its size prefix) has started but not completed. */
  get midFrame(): boolean {
    return this.prefix !== null || this.partial !== null || this.waiting !== null;
  }

  /** Feeds bytes from the socket; returns every frame now complete, without its size prefix. */
  push(chunk: Buffer): Buffer[] {
    if (this.waiting) {
      this.waiting.rest = Buffer.concat([this.waiting.rest, chunk]);
      return [];
    }
    const frames: Buffer[] = [];
    let at = 0;
    const end = chunk.length;
    while (at < end) {
      if (this.partial) {
        const { buffer } = this.partial;
        const take = Math.min(buffer.length - this.partial.filled, end - at);
        chunk.copy(buffer, this.partial.filled, at, at + take);
        this.partial.filled += take;
        at += take;
        if (this.partial.filled < buffer.length) break;
        frames.push(buffer);
        this.partial = null;
        continue;
      }
      let size: number;
      if (this.prefix || end - at < 4) {
        // The size prefix itself is split across chunks: gather its 4 bytes first.
        const have = this.prefix ?? Buffer.alloc(0);
        const take = Math.min(4 - have.length, end - at);
        const gathered = Buffer.concat([have, chunk.subarray(at, at + take)]);
        at += take;
        if (gathered.length < 4) {
          this.prefix = gathered;
          break;
        }
        this.prefix = null;
        size = this.checkedSize(gathered.readInt32BE(0));
      } else {
        size = this.checkedSize(chunk.readInt32BE(at));
        at += 4;
        if (end - at >= size) {
          frames.push(chunk.subarray(at, at + size));
          at += size;
          continue;
        }
      }
      const buffer = this.frameBuffer(size);
      if (!buffer) {
        this.waiting = { size, rest: chunk.subarray(at) };
        return frames;
      }
      this.partial = { buffer, filled: 0 };
    }
    if (this.partial && this.partial.buffer.length === 0) {
      frames.push(this.partial.buffer);
      this.partial = null;
    }
    return frames;
  }

  /**
   * The budget has reserved `waitingForBytes` for this reader (the caller asked it to, after `push`
   * stopped): allocates the frame with that reservation and goes on with the bytes kept aside.
   */
  granted(): Buffer[] {
    const waiting = this.waiting;
    if (!waiting) return [];
    this.waiting = null;
    this.partial = { buffer: this.ownedBuffer(waiting.size), filled: 0 };
    return this.push(waiting.rest);
  }

  /** Hands back an assembled frame that nothing refers to any more, so its memory can be reused. */
  recycle(frame: Buffer): void {
    const memory = frame.buffer as ArrayBuffer;
    if (!this.owned.has(memory) || frame.byteOffset !== 0) return;
    if (this.spare && this.spare.byteLength >= memory.byteLength) {
      this.discard(frame);
      return;
    }
    this.dropSpare();
    // Still owned: its reservation now keeps the spare.
    this.spare = memory;
  }

  /** A frame is done and not recycled: its assembled memory, if any, no longer counts as held. */
  discard(frame: Buffer): void {
    const memory = frame.buffer as ArrayBuffer;
    if (!this.owned.has(memory)) return;
    this.owned.delete(memory);
    this.memory.release(memory.byteLength);
  }

  /** Gives the memory kept for reuse back to the budget (another connection needs it). */
  dropSpare(): void {
    if (!this.spare) return;
    this.owned.delete(this.spare);
    this.memory.release(this.spare.byteLength);
    this.spare = null;
  }

  /** The connection is gone: releases the frame being assembled and the spare. */
  close(): void {
    if (this.partial) this.discard(this.partial.buffer);
    this.partial = null;
    this.waiting = null;
    this.dropSpare();
  }

  private checkedSize(size: number): number {
    if (size < 0 || size > this.maxFrameBytes) {
      throw new FrameTooLargeError(
        `request of ${size} bytes is outside 0..${this.maxFrameBytes} (socket.request.max.bytes); ` +
          'the client is probably not speaking the Kafka protocol',
      );
    }
    return size;
  }

  /** Memory for a frame that spans chunks, or null when the budget cannot reserve it now. */
  private frameBuffer(size: number): Buffer | null {
    if (size < RECYCLE_THRESHOLD) return Buffer.allocUnsafe(size);
    if (this.spare && this.spare.byteLength >= size) {
      // Already reserved: the spare's reservation passes to the frame.
      const memory = this.spare;
      this.spare = null;
      return Buffer.from(memory, 0, size);
    }
    this.dropSpare();
    if (!this.memory.tryReserve(size)) return null;
    return this.ownedBuffer(size);
  }

  /** Fresh memory for a frame whose size is already reserved. */
  private ownedBuffer(size: number): Buffer {
    // Its own memory (not Node's shared pool), so that recycling it cannot touch anything else.
    const memory = Buffer.allocUnsafeSlow(size).buffer as ArrayBuffer;
    this.owned.add(memory);
    return Buffer.from(memory, 0, size);
  }
}
