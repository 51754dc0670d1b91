// A minimal RFC 6455 client for the tests, over node:net: Node 20 has no global WebSocket and Venice
// depends on no WebSocket package. It checks the server's handshake answer, reads (unmasked) server
// frames, and sends masked close and ping frames as a browser would.
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';

export interface WebSocketTranscript {
  /** The HTTP status of the handshake answer (101 when upgraded). */
  status: number;
  messages: string[];
  /** The server's close frame, when it sent one. */
  close?: { code: number; reason: string };
  pongs: string[];
}

export interface TestWebSocket {
  readonly transcript: WebSocketTranscript;
  /** Resolves once `until` holds (or the connection ends). */
  waitFor(until: (transcript: WebSocketTranscript) => boolean): Promise<WebSocketTranscript>;
  sendClose(code?: number): void;
  sendPing(text: string): void;
  /** Resolves when the TCP connection is closed. */
  readonly ended: Promise<void>;
  destroy(): void;
}

export function openWebSocket(baseUrl: string, pathAndQuery: string): Promise<TestWebSocket> {
  const url = new URL(baseUrl);
  const key = randomBytes(16).toString('base64');
  const expectedAccept = createHash('sha1')
    .update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
    .digest('base64');
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const transcript: WebSocketTranscript = { status: 0, messages: [], pongs: [] };
    const waiters: {
      until: (t: WebSocketTranscript) => boolean;
      resolve: (t: WebSocketTranscript) => void;
    }[] = [];
    let buffer = Buffer.alloc(0);
    let handshakeDone = false;
    let endedResolve: () => void = () => {};
    const ended = new Promise<void>((done) => (endedResolve = done));
    const notify = (all = false) => {
      for (const waiter of [...waiters])
        if (all || waiter.until(transcript)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(transcript);
        }
    };
    const write = (opcode: number, payload: Buffer) => {
      if (socket.destroyed) return;
      const mask = randomBytes(4);
      const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
      socket.write(Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, masked]));
    };
    const client: TestWebSocket = {
      transcript,
      waitFor: (until) =>
        until(transcript) || socket.destroyed
          ? Promise.resolve(transcript)
          : new Promise((done) => waiters.push({ until, resolve: done })),
      sendClose: (code = 1000) => {
        const payload = Buffer.alloc(2);
        payload.writeUInt16BE(code);
        write(0x8, payload);
      },
      sendPing: (text) => write(0x9, Buffer.from(text)),
      ended,
      destroy: () => socket.destroy(),
    };
    socket.on('connect', () => {
      socket.write(
        `GET ${pathAndQuery} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!handshakeDone) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.subarray(0, end).toString('latin1');
        buffer = buffer.subarray(end + 4);
        handshakeDone = true;
        transcript.status = Number(head.split(' ')[1]);
        const accept = /sec-websocket-accept: *(\S+)/i.exec(head)?.[1];
        if (transcript.status === 101 && accept !== expectedAccept) {
          reject(new Error(`bad Sec-WebSocket-Accept: ${accept}`));
          socket.destroy();
          return;
        }
        resolve(client);
      }
      for (;;) {
        if (buffer.length < 2) break;
        let length = buffer[1] & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffer.length < 4) break;
          length = buffer.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffer.length < 10) break;
          length = Number(buffer.readBigUInt64BE(2));
          offset = 10;
        }
        if (buffer.length < offset + length) break;
        const opcode = buffer[0] & 0x0f;
        const payload = buffer.subarray(offset, offset + length);
        buffer = buffer.subarray(offset + length);
        if (opcode === 0x1) transcript.messages.push(payload.toString('utf8'));
        else if (opcode === 0xa) transcript.pongs.push(payload.toString('utf8'));
        else if (opcode === 0x8) {
          transcript.close = {
            code: payload.length >= 2 ? payload.readUInt16BE(0) : 1005,
            reason: payload.subarray(2).toString('utf8'),
          };
          client.sendClose(transcript.close.code);
        }
      }
      notify();
    });
    socket.on('error', reject);
    socket.on('close', () => {
      endedResolve();
      notify(true);
    });
  });
}
