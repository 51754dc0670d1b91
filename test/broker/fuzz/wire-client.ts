// Raw TCP conversations with the broker: send a burst of frames, collect whatever comes back, and
// note whether (and when) the broker closed the connection.
import net from 'node:net';
import tls from 'node:tls';
import { Reader, Writer } from '../../../src/protocol/primitives.js';
import { requestHeaderVersion, responseHeaderVersion } from '../../../src/protocol/api-headers.js';
import { writeRequestHeader } from '../../../src/protocol/generated/request-header.js';
import { readResponseHeader } from '../../../src/protocol/generated/response-header.js';
import {
  readResponseBody,
  writeRequestBody,
  type ApiKeyNumber,
  type RequestTypes,
  type ResponseTypes,
} from '../../../src/protocol/generated/apis.js';

export interface ConversationResult {
  /** Response bodies (size prefix removed), in arrival order, when asked to keep them. */
  responses: Buffer[];
  responseCount: number;
  /** The broker closed or ended the connection (rather than us giving up). */
  closedByBroker: boolean;
  /** Milliseconds from the last write until the broker closed, when it did. */
  closeDelayMs: number | null;
  /** A socket error other than the reset a closing broker may cause. */
  error: string | null;
}

export interface ConversationOptions {
  /** Stop once this many responses arrived. */
  expectedResponses: number;
  /** Give up when nothing arrives for this long after the last write. */
  idleMs: number;
  /** Keep the bytes of each response (otherwise only counted). */
  keepResponses?: boolean;
}

/** Where to connect: a plain TCP port, or a TLS listener with the options to reach it. */
export type Endpoint = number | { port: number; tls: tls.ConnectionOptions };

export function connect(endpoint: Endpoint): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket =
      typeof endpoint === 'number'
        ? net.connect({ port: endpoint, host: '127.0.0.1', noDelay: true })
        : tls.connect({ ...endpoint.tls, port: endpoint.port, host: '127.0.0.1' });
    socket.once(typeof endpoint === 'number' ? 'connect' : 'secureConnect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Splits the response stream into frames. */
export class ResponseSplitter {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer, onFrame: (frame: Buffer) => void): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let at = 0;
    while (this.pending.length - at >= 4) {
      const size = this.pending.readInt32BE(at);
      if (this.pending.length - at - 4 < size) break;
      onFrame(this.pending.subarray(at + 4, at + 4 + size));
      at += 4 + size;
    }
    this.pending = this.pending.subarray(at);
  }
}

/** Writes `chunks` on a new connection and waits for the responses, a close, or silence. */
export async function converse(
  port: Endpoint,
  chunks: readonly Buffer[],
  options: ConversationOptions,
): Promise<ConversationResult> {
  const socket = await connect(port);
  const result: ConversationResult = {
    responses: [],
    responseCount: 0,
    closedByBroker: false,
    closeDelayMs: null,
    error: null,
  };
  let writtenAt = Date.now();
  return new Promise((resolve) => {
    let idleTimer: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      if (idleTimer) clearTimeout(idleTimer);
      socket.destroy();
      resolve(result);
    };
    const armIdle = () => {
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = setTimeout(finish, options.idleMs);
    };
    const brokerClosed = () => {
      if (!finished && !result.closedByBroker) {
        result.closedByBroker = true;
        result.closeDelayMs = Date.now() - writtenAt;
      }
      finish();
    };
    const splitter = new ResponseSplitter();
    socket.on('data', (chunk: Buffer) => {
      splitter.push(chunk, (frame) => {
        result.responseCount++;
        if (options.keepResponses) result.responses.push(Buffer.from(frame));
      });
      armIdle();
      if (result.responseCount >= options.expectedResponses) finish();
    });
    socket.on('end', brokerClosed);
    socket.on('close', brokerClosed);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') result.error = error.message;
      brokerClosed();
    });
    // One write per chunk: many frames each, so the per-frame cost stays small.
    let index = 0;
    const writeNext = (): void => {
      while (index < chunks.length && !finished) {
        const flowing = socket.write(chunks[index++]);
        if (!flowing) {
          socket.once('drain', writeNext);
          return;
        }
      }
      writtenAt = Date.now();
      if (result.responseCount >= options.expectedResponses) finish();
      else armIdle();
    };
    writeNext();
  });
}

/** Joins frames into chunks of roughly `chunkBytes`, for few large writes. */
export function chunkFrames(frames: readonly Buffer[], chunkBytes = 64 * 1024): Buffer[] {
  const chunks: Buffer[] = [];
  let batch: Buffer[] = [];
  let size = 0;
  for (const frame of frames) {
    batch.push(frame);
    size += frame.length;
    if (size >= chunkBytes) {
      chunks.push(Buffer.concat(batch, size));
      batch = [];
      size = 0;
    }
  }
  if (batch.length > 0) chunks.push(Buffer.concat(batch, size));
  return chunks;
}

/** One request/response exchange on its own connection, decoded with the generated codecs. */
export class WireClient {
  private nextCorrelationId = 1;
  private readonly splitter = new ResponseSplitter();
  private readonly waiting = new Map<number, (frame: Buffer) => void>();
  private failure: Error | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) =>
      this.splitter.push(chunk, (frame) => {
        const correlationId = frame.readInt32BE(0);
        const callback = this.waiting.get(correlationId);
        this.waiting.delete(correlationId);
        callback?.(frame);
      }),
    );
    const fail = (error: Error) => {
      this.failure = error;
      for (const callback of this.waiting.values()) callback(Buffer.alloc(0));
      this.waiting.clear();
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed by the broker')));
  }

  static async open(port: Endpoint): Promise<WireClient> {
    return new WireClient(await connect(port));
  }

  async request<K extends ApiKeyNumber>(
    apiKey: K,
    version: number,
    body: RequestTypes[K],
    timeoutMs = 20_000,
  ): Promise<ResponseTypes[K]> {
    if (this.failure) throw this.failure;
    const correlationId = this.nextCorrelationId++;
    const writer = new Writer();
    const setSize = writer.reserveInt32();
    writeRequestHeader(writer, requestHeaderVersion(apiKey, version), {
      requestApiKey: apiKey,
      requestApiVersion: version,
      correlationId,
      clientId: 'venice-fuzz-canary',
    });
    writeRequestBody(apiKey, version, writer, body);
    setSize(writer.length - 4);
    const frame = await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(correlationId);
        reject(new Error(`no answer to api ${apiKey} v${version} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(correlationId, (response) => {
        clearTimeout(timer);
        resolve(response);
      });
      this.socket.write(writer.toBuffer());
    });
    if (this.failure) throw this.failure;
    const reader = new Reader(frame);
    readResponseHeader(reader, responseHeaderVersion(apiKey, version));
    return readResponseBody(apiKey, version, reader);
  }

  close(): void {
    this.socket.destroy();
  }
}
