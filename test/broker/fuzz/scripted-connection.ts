// A connection the security fuzz drives one step at a time: write, wait for the answer (decoded if
// asked), and see whether and when the broker hung up. Over TLS it can also write below TLS, on the
// TCP socket underneath, to break the record layer of an established session.
import net from 'node:net';
import tls from 'node:tls';
import { Reader } from '../../../src/protocol/primitives.js';
import { responseHeaderVersion } from '../../../src/protocol/api-headers.js';
import { readResponseHeader } from '../../../src/protocol/generated/response-header.js';
import {
  readResponseBody,
  type ApiKeyNumber,
  type ResponseTypes,
} from '../../../src/protocol/generated/apis.js';
import { ResponseSplitter } from './wire-client.js';

export class ScriptedConnection {
  private readonly splitter = new ResponseSplitter();
  private readonly frames: Buffer[] = [];
  private wake: (() => void) | null = null;
  private destroyedByUs = false;
  closedByBroker = false;
  closedAt: number | null = null;
  /** A socket error other than the reset a closing broker may cause. */
  error: string | null = null;
  framesReceived = 0;
  private framesAtMark = 0;

  private constructor(
    private readonly socket: net.Socket,
    /** The TCP socket under a TLS one (the same socket for plain TCP). */
    private readonly raw: net.Socket,
  ) {
    socket.on('data', (chunk: Buffer) =>
      this.splitter.push(chunk, (frame) => {
        this.framesReceived++;
        this.frames.push(Buffer.from(frame));
        this.notify();
      }),
    );
    const closed = () => {
      if (!this.destroyedByUs && !this.closedByBroker) {
        this.closedByBroker = true;
        this.closedAt = Date.now();
      }
      this.notify();
    };
    socket.on('end', closed);
    socket.on('close', closed);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset, or a TLS alert from a broker refusing what it was sent, is a close, not a fault.
      const code = error.code ?? '';
      if (!['ECONNRESET', 'EPIPE'].includes(code) && !code.startsWith('ERR_SSL_')) this.error = error.message;
      closed();
    });
    if (raw !== socket) raw.on('error', () => {});
  }

  /** Plain TCP: also how the fuzz speaks to a TLS listener before (or instead of) a handshake. */
  static tcp(port: number): Promise<ScriptedConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new ScriptedConnection(socket, socket));
      });
      socket.once('error', reject);
    });
  }

  /** A completed TLS handshake over a TCP socket the script can still write to directly. */
  static tls(port: number, options: tls.ConnectionOptions): Promise<ScriptedConnection> {
    return new Promise((resolve, reject) => {
      const raw = net.connect({ port, host: '127.0.0.1', noDelay: true });
      raw.once('error', reject);
      const socket = tls.connect({ ...options, socket: raw });
      socket.once('secureConnect', () => {
        socket.off('error', reject);
        raw.off('error', reject);
        resolve(new ScriptedConnection(socket, raw));
      });
      socket.once('error', reject);
    });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  get open(): boolean {
    return !this.closedByBroker && !this.destroyedByUs;
  }

  write(bytes: Buffer): void {
    if (this.open) this.socket.write(bytes);
  }

  /** Starts counting answers anew: those to the bytes the script is about to send. */
  mark(): void {
    this.framesAtMark = this.framesReceived;
    this.frames.length = 0;
  }

  /** Answers that arrived since `mark()`. */
  get framesSinceMark(): number {
    return this.framesReceived - this.framesAtMark;
  }

  /** Bytes on the TCP socket under TLS: garbage in the record layer of a live session. */
  writeBelowTls(bytes: Buffer): void {
    if (this.open) this.raw.write(bytes);
  }

  /** The next answer frame (size prefix removed), or null when the broker closed or `timeoutMs` passed. */
  async next(timeoutMs: number): Promise<Buffer | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0 && this.open && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.frames.shift() ?? null;
  }

  /** The next answer decoded as `apiKey` v`version`, or null (closed, silent, or not decodable). */
  async response<K extends ApiKeyNumber>(
    apiKey: K,
    version: number,
    timeoutMs: number,
  ): Promise<ResponseTypes[K] | null> {
    const frame = await this.next(timeoutMs);
    if (frame === null) return null;
    try {
      const reader = new Reader(frame);
      readResponseHeader(reader, responseHeaderVersion(apiKey, version));
      return readResponseBody(apiKey, version, reader);
    } catch {
      return null;
    }
  }

  /** Whether the broker closed within `timeoutMs` (answers meanwhile are counted and dropped). */
  async closedWithin(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.open && Date.now() < deadline) {
      await this.next(deadline - Date.now());
      this.frames.length = 0;
    }
    return this.closedByBroker;
  }

  destroy(): void {
    this.destroyedByUs = true;
    this.socket.destroy();
    this.raw.destroy();
  }
}

/** Null when the broker answered (since the mark) or closed within `ms`; else what it failed to do. */
export async function answeredOrClosed(
  connection: ScriptedConnection,
  ms: number,
  what: string,
): Promise<string | null> {
  if (connection.framesSinceMark > 0 || connection.closedByBroker) return null;
  await connection.next(ms);
  if (connection.framesSinceMark > 0 || connection.closedByBroker) return null;
  return `neither answered nor closed ${ms} ms after ${what}`;
}

/** Null when the broker closed within `ms`; else what it failed to do. */
export async function closedWithin(
  connection: ScriptedConnection,
  ms: number,
  what: string,
): Promise<string | null> {
  if (await connection.closedWithin(ms)) return null;
  return `still open ${ms} ms after ${what}`;
}
