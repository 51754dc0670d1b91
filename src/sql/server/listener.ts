// One port, two protocols: HTTP/1.1 (curl, ksqlDB's CLI, /query) and cleartext HTTP/2 with prior
// knowledge (ksqlDB's newer clients, for /query-stream and /inserts-stream). A connection's first bytes
// tell them apart: HTTP/2 opens with the fixed preface "PRI * HTTP/2.0". Both protocols hand their
// requests to the same fastify handler, whose compatibility objects look alike to it. With TLS the
// protocol is chosen by ALPN during the handshake instead ("h2" or "http/1.1").
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import type { TlsFiles } from '../../service/http-security/index.js';

const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0');

type RequestHandler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

export interface DualProtocolListener {
  /** The HTTP/1.1 server fastify is built on (its serverFactory's answer); never bound itself. */
  readonly http1: http.Server;
  listen(host: string, port: number): Promise<number>;
  /** Stops accepting, ends idle HTTP/1.1 connections and HTTP/2 sessions, and waits for the rest. */
  close(): Promise<void>;
}

export function createDualProtocolListener(
  keepAliveTimeoutMs = 30_000,
  /** Serve HTTPS (HTTP/1.1 and HTTP/2 by ALPN) with this certificate. */
  tlsFiles: TlsFiles | null = null,
): {
  listener: DualProtocolListener;
  serverFactory: (handler: RequestHandler) => http.Server;
} {
  const http1 = http.createServer();
  http1.keepAliveTimeout = keepAliveTimeoutMs;
  const h2 = http2.createServer();
  const sessions = new Set<http2.Http2Session>();
  h2.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const secure = (socket: tls.TLSSocket) => {
    track(socket);
    (socket.alpnProtocol === 'h2' ? h2 : http1).emit('connection', socket);
  };
  const tcp = tlsFiles
    ? tls.createServer({ cert: tlsFiles.cert, key: tlsFiles.key, ALPNProtocols: ['h2', 'http/1.1'] }, secure)
    : net.createServer((socket) => {
        track(socket);
        socket.once('data', (first: Buffer) => {
          socket.pause();
          socket.unshift(first);
          const isHttp2 = first.subarray(0, HTTP2_PREFACE.length).equals(HTTP2_PREFACE);
          (isHttp2 ? h2 : http1).emit('connection', socket);
          if (!isHttp2) socket.resume();
        });
      });

  const serverFactory = (handler: RequestHandler): http.Server => {
    http1.on('request', handler);
    // fastify's handler reads method, url, headers and writes through writeHead/write/end: the
    // HTTP/2 compatibility API offers the same.
    h2.on(
      'request',
      handler as unknown as (request: http2.Http2ServerRequest, response: http2.Http2ServerResponse) => void,
    );
    return http1;
  };

  const listener: DualProtocolListener = {
    http1,
    listen: (host, port) =>
      new Promise((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen({ host, port }, () => {
          tcp.off('error', reject);
          const address = tcp.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (!tcp.listening) return resolve();
        tcp.close(() => resolve());
        http1.closeIdleConnections();
        for (const session of sessions) session.close();
        // Streams still open (a push query being read) are ended by the server before this; whatever
        // is left after a grace period is cut.
        setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, 2000).unref();
      }),
  };
  return { listener, serverFactory };
}
