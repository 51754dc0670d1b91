// The server side of RFC 6455 (WebSocket), as much as ksqlDB's WebSocket query endpoint needs: the
// opening handshake over an HTTP/1.1 upgrade, text frames out, close / ping / pong in, and the closing
// handshake. Written here rather than taken from a package: Venice's dependencies have no WebSocket
// server (no `ws`, no @fastify/websocket), Node 20 has none built in, and the part needed is small.
//
// Client frames are masked and may be fragmented; the server reads only control frames from them (a
// ksqlDB query socket carries the request in its URL, and clients send nothing else that matters),
// so data frames are skipped whatever their size.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** A control frame's payload is at most 125 bytes (RFC 6455 5.5); anything bigger is a protocol error. */
const MAX_CONTROL_PAYLOAD = 125;
/** Data frames are skipped, but whole: one past this size is refused rather than buffered. */
const MAX_DATA_PAYLOAD = 1024 * 1024;
/** How long the closing handshake may take before the connection is cut. */
const CLOSE_TIMEOUT_MS = 2000;

const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** Close codes of RFC 6455 7.4.1 that ksqlDB's endpoint uses. */
export const CLOSE_CODES = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  unsupportedData: 1003,
  internalError: 1011,
} as const;

/** Whether an HTTP request asks to become a WebSocket (RFC 6455 4.2.1). */
export function isWebSocketUpgrade(request: IncomingMessage): boolean {
  return (
    request.method === 'GET' &&
    (request.headers.upgrade ?? '').toLowerCase() === 'websocket' &&
    typeof request.headers['sec-websocket-key'] === 'string'
  );
}

export interface WebSocketConnection {
  /** Sends one text message; resolves when the socket can take more. */
  send(text: string): Promise<void>;
  /** Starts the closing handshake; later sends are dropped. */
  close(code: number, reason: string): void;
  /** Called once, when the connection is gone (closed by either side, or broken). */
  onClose(listener: () => void): void;
  readonly closed: boolean;
}

/**
 * Answers the opening handshake on `socket` (what an http.Server's 'upgrade' event gives) and returns
 * the connection, or writes a 400 and returns undefined when the request is not a valid one.
 */
export function acceptWebSocket(
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): WebSocketConnection | undefined {
  const key = request.headers['sec-websocket-key'];
  const version = request.headers['sec-websocket-version'];
  if (typeof key !== 'string' || Buffer.from(key, 'base64').length !== 16 || version !== '13') {
    socket.end(
      'HTTP/1.1 400 Bad Request\r\nSec-WebSocket-Version: 13\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
    );
    return undefined;
  }
  const accept = createHash('sha1')
    .update(key + HANDSHAKE_GUID)
    .digest('base64');
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
  return new ServerWebSocket(socket, head);
}

class ServerWebSocket implements WebSocketConnection {
  #closed = false;
  #closeSent = false;
  #pending: Buffer = Buffer.alloc(0);
  readonly #listeners: (() => void)[] = [];

  constructor(
    private readonly socket: Duplex,
    head: Buffer,
  ) {
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('close', () => this.#gone());
    socket.on('error', () => this.#gone());
    socket.on('end', () => socket.end());
    if (head.length > 0) this.#receive(head);
  }

  get closed(): boolean {
    return this.#closed || this.#closeSent;
  }

  onClose(listener: () => void): void {
    if (this.#closed) listener();
    else this.#listeners.push(listener);
  }

  send(text: string): Promise<void> {
    if (this.closed) return Promise.resolve();
    const ready = this.socket.write(frame(OPCODE.text, Buffer.from(text, 'utf8')));
    if (ready) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.#closeSent = true;
    this.socket.write(frame(OPCODE.close, closePayload(code, reason)));
    // The client answers with its own close frame, after which the connection ends; one that does not
    // answer is cut.
    setTimeout(() => this.socket.destroy(), CLOSE_TIMEOUT_MS).unref();
  }

  #gone(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const listener of this.#listeners.splice(0)) listener();
  }

  #receive(chunk: Buffer): void {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    for (;;) {
      const parsed = readFrame(this.#pending);
      if (parsed === undefined) return;
      if (parsed === 'invalid') {
        this.#failProtocol();
        return;
      }
      this.#pending = this.#pending.subarray(parsed.size);
      this.#onFrame(parsed.opcode, parsed.payload);
    }
  }

  #onFrame(opcode: number, payload: Buffer): void {
    switch (opcode) {
      case OPCODE.close:
        if (!this.#closeSent) {
          this.#closeSent = true;
          // Echo the client's code, as RFC 6455 5.5.1 suggests.
          this.socket.write(frame(OPCODE.close, payload.subarray(0, 2)));
        }
        this.socket.end();
        return;
      case OPCODE.ping:
        if (!this.closed) this.socket.write(frame(OPCODE.pong, payload));
        return;
      default:
        // pong, text, binary and continuation frames: nothing for this endpoint to do.
        return;
    }
  }

  #failProtocol(): void {
    this.close(CLOSE_CODES.protocolError, 'malformed frame');
    this.#pending = Buffer.alloc(0);
  }
}

/** A close frame's payload: the code (2 bytes) and a UTF-8 reason cut to fit in 125 bytes. */
function closePayload(code: number, reason: string): Buffer {
  let text = Buffer.from(reason, 'utf8');
  if (text.length > MAX_CONTROL_PAYLOAD - 2) {
    // Cut on a character boundary and mark the cut, as ksqlDB does.
    let cut = reason;
    while (Buffer.byteLength(cut) > MAX_CONTROL_PAYLOAD - 5) cut = cut.slice(0, -1);
    text = Buffer.from(`${cut}...`, 'utf8');
  }
  const payload = Buffer.alloc(2 + text.length);
  payload.writeUInt16BE(code, 0);
  text.copy(payload, 2);
  return payload;
}

/** One unmasked, unfragmented server frame. */
function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.alloc(2) : length < 0x10000 ? Buffer.alloc(4) : Buffer.alloc(10);
  header[0] = 0x80 | opcode;
  if (length < 126) header[1] = length;
  else if (length < 0x10000) {
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

/**
 * The first complete frame of `data` (its opcode, its unmasked payload, and its size in bytes), undefined
 * when more bytes are needed, 'invalid' when the frame breaks the protocol. A data frame's payload is
 * not unmasked (it is not read).
 */
export function readFrame(
  data: Buffer,
): { opcode: number; payload: Buffer; size: number } | 'invalid' | undefined {
  if (data.length < 2) return undefined;
  const opcode = data[0] & 0x0f;
  const masked = (data[1] & 0x80) !== 0;
  let length = data[1] & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (data.length < 4) return undefined;
    length = data.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (data.length < 10) return undefined;
    const long = data.readBigUInt64BE(2);
    if (long > BigInt(Number.MAX_SAFE_INTEGER)) return 'invalid';
    length = Number(long);
    offset = 10;
  }
  const control = (opcode & 0x08) !== 0;
  // Clients must mask (RFC 6455 5.1); control frames are short and never fragmented.
  if (!masked || (control && (length > MAX_CONTROL_PAYLOAD || (data[0] & 0x80) === 0))) return 'invalid';
  if (length > MAX_DATA_PAYLOAD) return 'invalid';
  const maskAt = offset;
  offset += 4;
  if (data.length < offset + length) return undefined;
  if (!control) return { opcode, payload: Buffer.alloc(0), size: offset + length };
  const payload = Buffer.alloc(length);
  for (let i = 0; i < length; i++) payload[i] = data[offset + i] ^ data[maskAt + (i % 4)];
  return { opcode, payload, size: offset + length };
}
