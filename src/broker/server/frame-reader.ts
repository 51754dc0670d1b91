// Splits a TCP byte stream into Kafka frames (INT32 size, then that many bytes).
// Knows nothing of what is inside a frame.
//
// A frame that fits in one socket chunk is returned as a view into that chunk (no copy). A frame that
// spans chunks (every large produce request does) is assembled into a buffer of its exact size. Fresh
// megabyte-sized allocations cost far more than the copy itself (page faults on new memory: ~2 ms per
// MB against ~0.05 ms to copy into warm memory), so the caller may hand an assembled frame back with
// `recycle` once nothing refers to it, and the next large frame reuses that memory.

export class FrameTooLargeError extends Error {
  override name = 'FrameTooLargeError';
}

/** Frames at least this large are assembled into recyclable memory. */
const RECYCLE_THRESHOLD = 64 * 1024;

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
  /** Memory this reader allocated for large frames: only that is ever recycled. */
  private readonly owned = new WeakSet<ArrayBuffer>();

  constructor(private readonly maxFrameBytes: number) {}

  /** Feeds bytes from the socket; returns every frame now complete, without its size prefix. */
  push(chunk: Buffer): Buffer[] {
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
      this.partial = { buffer: this.frameBuffer(size), filled: 0 };
    }
    if (this.partial && this.partial.buffer.length === 0) {
      frames.push(this.partial.buffer);
      this.partial = null;
    }
    return frames;
  }

  /** Hands back an assembled frame that nothing refers to any more, so its memory can be reused. */
  recycle(frame: Buffer): void {
    if (frame.length < RECYCLE_THRESHOLD || frame.byteOffset !== 0) return;
    if (!this.spare || this.spare.byteLength < frame.buffer.byteLength)
      this.spare = frame.buffer as ArrayBuffer;
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

  private frameBuffer(size: number): Buffer {
    if (size < RECYCLE_THRESHOLD) return Buffer.allocUnsafe(size);
    if (this.spare && this.spare.byteLength >= size) {
      const memory = this.spare;
      this.spare = null;
      return Buffer.from(memory, 0, size);
    }
    // Its own memory (not Node's shared pool), so that recycling it cannot touch anything else.
    const memory = Buffer.allocUnsafeSlow(size).buffer as ArrayBuffer;
    this.owned.add(memory);
    return Buffer.from(memory, 0, size);
  }
}
