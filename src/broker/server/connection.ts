// One client connection: frames in, responses out in request order. Knows framing and ordering,
// nothing about APIs; the processor it is given decodes and answers each frame.
import type { Socket } from 'node:net';
import { FrameReader } from './frame-reader.js';

/** The encoded response body (header included, size prefix excluded), or null when none is sent (acks=0). */
export type ResponseOut = Buffer[] | null;

export interface ConnectionInfo {
  readonly id: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
}

export interface RequestProcessor {
  /** Throws to reject the frame: the connection is then closed, as Kafka does with garbage. */
  process(frame: Buffer, connection: ConnectionInfo): ResponseOut | Promise<ResponseOut>;
  /**
   * True when, once `process` has returned, nothing refers to the frame's bytes any more (its request
   * kept no views into them), so the connection may reuse the frame's memory.
   */
  releasesFrame(frame: Buffer): boolean;
}

export interface ConnectionEvents {
  onClose(connection: Connection): void;
  onProtocolError(connection: Connection, error: Error): void;
}

interface PendingResponse {
  done: boolean;
  out: ResponseOut;
}

export class Connection implements ConnectionInfo {
  readonly remoteAddress: string;
  readonly remotePort: number;
  private readonly frames: FrameReader;
  /** Responses not yet written, oldest first; a slot fills when its request finishes. */
  private readonly queue: PendingResponse[] = [];
  private closed = false;

  constructor(
    readonly id: number,
    private readonly socket: Socket,
    private readonly processor: RequestProcessor,
    private readonly events: ConnectionEvents,
    maxRequestBytes: number,
  ) {
    this.remoteAddress = socket.remoteAddress ?? 'unknown';
    this.remotePort = socket.remotePort ?? 0;
    this.frames = new FrameReader(maxRequestBytes);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => socket.resume());
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.frames.push(chunk);
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    if (frames.length === 0) return;
    // Answers to a burst of pipelined requests go out in one write.
    this.socket.cork();
    for (const frame of frames) {
      if (this.closed) break;
      this.handleFrame(frame);
    }
    process.nextTick(() => this.socket.uncork());
  }

  private handleFrame(frame: Buffer): void {
    let result: ResponseOut | Promise<ResponseOut>;
    try {
      result = this.processor.process(frame, this);
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    if (this.processor.releasesFrame(frame)) this.frames.recycle(frame);
    if (!(result instanceof Promise)) {
      if (this.queue.length === 0) this.write(result);
      else this.queue.push({ done: true, out: result });
      return;
    }
    const slot: PendingResponse = { done: false, out: null };
    this.queue.push(slot);
    result.then(
      (out) => {
        slot.done = true;
        slot.out = out;
        this.drainQueue();
      },
      (error: unknown) => this.fail(error as Error),
    );
  }

  private drainQueue(): void {
    while (this.queue.length > 0 && this.queue[0].done) {
      const slot = this.queue.shift()!;
      this.write(slot.out);
    }
  }

  private write(out: ResponseOut): void {
    if (out === null || this.closed) return;
    let size = 0;
    for (const part of out) size += part.length;
    const prefix = Buffer.allocUnsafe(4);
    prefix.writeInt32BE(size, 0);
    this.socket.write(prefix);
    let flowing = true;
    for (const part of out) flowing = this.socket.write(part);
    // A slow reader must not make the broker buffer without bound: stop reading its requests until it drains.
    if (!flowing) this.socket.pause();
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.events.onProtocolError(this, error);
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.socket.destroy();
    this.events.onClose(this);
  }
}
