// Splits a TCP byte stream into Kafka frames (INT32 size, then that many bytes).
// Knows nothing of what is inside a frame.

export class FrameTooLargeError extends Error {
  override name = 'FrameTooLargeError';
}

export class FrameReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes the partial frame in `pending` needs before it is worth joining; 0 when unknown. */
  private pendingNeed = 0;

  constructor(private readonly maxFrameBytes: number) {}

  /** Feeds bytes from the socket; returns every frame now complete, without its size prefix. */
  push(chunk: Buffer): Buffer[] {
    let data: Buffer;
    if (this.pendingBytes === 0) {
      data = chunk;
    } else {
      // Large frames arrive in many chunks: join them once, when the whole frame is here.
      if (this.pendingNeed > 0 && this.pendingBytes + chunk.length < this.pendingNeed) {
        this.pending.push(chunk);
        this.pendingBytes += chunk.length;
        return [];
      }
      this.pending.push(chunk);
      data = Buffer.concat(this.pending, this.pendingBytes + chunk.length);
      this.pending = [];
      this.pendingBytes = 0;
      this.pendingNeed = 0;
    }

    const frames: Buffer[] = [];
    let at = 0;
    while (data.length - at >= 4) {
      const size = data.readInt32BE(at);
      if (size < 0 || size > this.maxFrameBytes) {
        throw new FrameTooLargeError(
          `request of ${size} bytes is outside 0..${this.maxFrameBytes} (socket.request.max.bytes); ` +
            'the client is probably not speaking the Kafka protocol',
        );
      }
      if (data.length - at - 4 < size) break;
      frames.push(data.subarray(at + 4, at + 4 + size));
      at += 4 + size;
    }
    if (at < data.length) {
      const rest = data.subarray(at);
      this.pending.push(rest);
      this.pendingBytes = rest.length;
      this.pendingNeed = rest.length >= 4 ? 4 + rest.readInt32BE(0) : 0;
    }
    return frames;
  }
}
