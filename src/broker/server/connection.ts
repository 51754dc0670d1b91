// One client connection: frames in, responses out in request order. Knows framing and ordering,
// nothing about APIs; the processor it is given decodes and answers each frame.
//
// Limits a single client cannot break: a large frame's memory is reserved from the broker-wide budget
// before it is read (reading pauses while the budget is spent), a frame that does not complete within
// the read timeout closes the connection, and so does a connection idle for longer than the idle timeout.
import type { Socket } from 'node:net';
import { FrameReader } from './frame-reader.js';
import type { RequestMemory } from './request-memory.js';
import { ANONYMOUS_PRINCIPAL, DEFAULT_LISTENER_NAME } from '../security/principal.js';
import type { SaslSession } from '../security/sasl-session.js';

/** The encoded response body (header included, size prefix excluded), or null when none is sent (acks=0). */
export type ResponseOut = Buffer[] | null;

export interface ConnectionInfo {
  readonly id: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Who the connection acts as ("User:alice"); User:ANONYMOUS until authentication says otherwise. */
  readonly principal: string;
  /** The name of the listener the connection arrived on. */
  readonly listenerName: string;
  /** The SASL authentication of a connection to a SASL_PLAINTEXT or SASL_SSL listener; null on others. */
  readonly sasl: SaslSession | null;
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
  /** The broker closed the connection for a limit (`kind`: 'idle' or 'read-timeout'). */
  onLimitClose(connection: Connection, kind: 'idle' | 'read-timeout', message: string): void;
}

export interface ConnectionLimits {
  /** Largest frame accepted (socket.request.max.bytes). */
  readonly maxRequestBytes: number;
  /** Close a connection with nothing in flight after this long without traffic (connections.max.idle.ms). */
  readonly connectionsMaxIdleMs: number;
  /** Close a connection whose started frame is not complete after this long. */
  readonly requestReadTimeoutMs: number;
}

interface PendingResponse {
  done: boolean;
  out: ResponseOut;
}

export class Connection implements ConnectionInfo {
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Set by authentication (SASL, a client certificate) once it succeeds. */
  principal: string = ANONYMOUS_PRINCIPAL;
  listenerName: string = DEFAULT_LISTENER_NAME;
  sasl: SaslSession | null = null;
  private readonly frames: FrameReader;
  /** Responses not yet written, oldest first; a slot fills when its request finishes. */
  private readonly queue: PendingResponse[] = [];
  private closed = false;
  /** Reading stops while the client does not read its responses... */
  private pausedForWrites = false;
  /** ...and while the memory budget cannot hold its next frame (cancels that wait). */
  private cancelMemoryWait: (() => void) | null = null;
  private readTimer: NodeJS.Timeout | null = null;
  private readonly unregisterReclaimer: () => void;

  constructor(
    readonly id: number,
    private readonly socket: Socket,
    private readonly processor: RequestProcessor,
    private readonly events: ConnectionEvents,
    private readonly limits: ConnectionLimits,
    private readonly memory: RequestMemory,
  ) {
    this.remoteAddress = socket.remoteAddress ?? 'unknown';
    this.remotePort = socket.remotePort ?? 0;
    this.frames = new FrameReader(limits.maxRequestBytes, memory);
    // Memory kept only for reuse goes back when another connection needs it.
    this.unregisterReclaimer = memory.addReclaimer(() => this.frames.dropSpare());
    socket.setNoDelay(true);
    socket.setTimeout(limits.connectionsMaxIdleMs);
    socket.on('timeout', () => this.onIdle());
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => {
      this.pausedForWrites = false;
      this.updateReading();
    });
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
    this.handleFrames(frames);
    this.afterRead();
  }

  /** The budget reserved the bytes this connection waited for: go on reading. */
  private onMemoryGranted(bytes: number): void {
    if (this.closed) {
      this.memory.release(bytes);
      return;
    }
    this.cancelMemoryWait = null;
    let frames: Buffer[];
    try {
      frames = this.frames.granted();
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    this.handleFrames(frames);
    this.afterRead();
  }

  /** Waits for memory if the reader needs it, and keeps the read timeout running only mid-frame. */
  private afterRead(): void {
    if (this.closed) return;
    const wanted = this.frames.waitingForBytes;
    if (wanted !== null && !this.cancelMemoryWait) {
      // Granted from inside another connection's release: go on in a fresh tick, not nested in it.
      this.cancelMemoryWait = this.memory.reserveLater(wanted, () =>
        process.nextTick(() => this.onMemoryGranted(wanted)),
      );
    }
    // Time spent waiting for the budget is the broker's doing, not the client's.
    const reading = this.frames.midFrame && wanted === null;
    if (reading && !this.readTimer) {
      this.readTimer = setTimeout(() => this.onReadTimeout(), this.limits.requestReadTimeoutMs);
      this.readTimer.unref();
    } else if (!reading && this.readTimer) {
      clearTimeout(this.readTimer);
      this.readTimer = null;
    }
    this.updateReading();
  }

  private updateReading(): void {
    if (this.closed) return;
    if (this.pausedForWrites || this.cancelMemoryWait) this.socket.pause();
    else this.socket.resume();
  }

  private onReadTimeout(): void {
    this.readTimer = null;
    this.closeForLimit(
      'read-timeout',
      `a request was not complete ${this.limits.requestReadTimeoutMs} ms after it started (request.read.timeout.ms)`,
    );
  }

  private onIdle(): void {
    // A request still being answered (a long-polling fetch) is not idleness.
    if (this.queue.length > 0 || this.readTimer) {
      this.socket.setTimeout(this.limits.connectionsMaxIdleMs);
      return;
    }
    this.closeForLimit('idle', `idle for ${this.limits.connectionsMaxIdleMs} ms (connections.max.idle.ms)`);
  }

  private closeForLimit(kind: 'idle' | 'read-timeout', message: string): void {
    if (this.closed) return;
    this.events.onLimitClose(this, kind, message);
    this.close();
  }

  private handleFrames(frames: Buffer[]): void {
    if (frames.length === 0) return;
    // Answers to a burst of pipelined requests go out in one write.
    this.socket.cork();
    for (const frame of frames) {
      if (this.closed) this.frames.discard(frame);
      else this.handleFrame(frame);
    }
    process.nextTick(() => this.socket.uncork());
  }

  private handleFrame(frame: Buffer): void {
    let result: ResponseOut | Promise<ResponseOut>;
    try {
      result = this.processor.process(frame, this);
    } catch (error) {
      this.frames.discard(frame);
      this.fail(error as Error);
      return;
    }
    // The frame's memory stops counting as held once nothing refers to it.
    const recycled = this.processor.releasesFrame(frame);
    if (recycled) this.frames.recycle(frame);
    else if (!(result instanceof Promise)) this.frames.discard(frame);
    if (!(result instanceof Promise)) {
      if (this.queue.length === 0) this.write(result);
      else this.queue.push({ done: true, out: result });
      return;
    }
    const slot: PendingResponse = { done: false, out: null };
    this.queue.push(slot);
    result.then(
      (out) => {
        if (!recycled) this.frames.discard(frame);
        slot.done = true;
        slot.out = out;
        this.drainQueue();
      },
      (error: unknown) => {
        if (!recycled) this.frames.discard(frame);
        this.fail(error as Error);
      },
    );
  }

  private drainQueue(): void {
    this.socket.cork();
    while (this.queue.length > 0 && this.queue[0].done) {
      const slot = this.queue.shift()!;
      this.write(slot.out);
    }
    this.socket.uncork();
  }

  private write(out: ResponseOut): void {
    if (out === null || this.closed) return;
    let size = 0;
    for (const part of out) size += part.length;
    const prefix = Buffer.allocUnsafe(4);
    prefix.writeInt32BE(size, 0);
    // Corked, a response answered later (a long-polled fetch, an acks=all produce) leaves in one
    // system call; uncorked, its 4-byte size went out alone first, as its own TCP segment with Nagle
    // off, waking the client twice. Inside handleFrames' cork this only nests.
    this.socket.cork();
    this.socket.write(prefix);
    let flowing = true;
    for (const part of out) flowing = this.socket.write(part);
    this.socket.uncork();
    // A slow reader must not make the broker buffer without bound: stop reading its requests until it drains.
    if (!flowing) {
      this.pausedForWrites = true;
      this.socket.pause();
    }
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
    if (this.readTimer) clearTimeout(this.readTimer);
    this.readTimer = null;
    this.cancelMemoryWait?.();
    this.cancelMemoryWait = null;
    this.unregisterReclaimer();
    this.frames.close();
    this.socket.destroy();
    this.events.onClose(this);
  }
}
