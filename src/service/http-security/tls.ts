// HTTPS for the HTTP components: the certificate and key files read once at start, a server factory
// for fastify, and the URL a component announces (https:// when it serves TLS).
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tlsPairProblem, type HttpServerConfig } from '../../config/http.js';
import { ServiceStartError } from '../listen.js';

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

/** The certificate and key of http.tlsCert / http.tlsKey, or null without TLS. */
export function readTlsFiles(config: HttpServerConfig): TlsFiles | null {
  const problem = tlsPairProblem(config);
  if (problem) throw new ServiceStartError(problem.message, problem.hint ?? '');
  if (config.tlsCert === null || config.tlsKey === null) return null;
  const read = (file: string, what: string) => {
    try {
      return fs.readFileSync(file);
    } catch (error) {
      throw new ServiceStartError(
        `cannot read the HTTPS ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        'make a certificate with `venice certs create`, or fix http.tlsCert / http.tlsKey (docs/security.md)',
      );
    }
  };
  return { cert: read(config.tlsCert, 'certificate'), key: read(config.tlsKey, 'key') };
}

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

/** fastify's serverFactory: HTTPS with these files, or plain HTTP. */
export function serverFactoryFor(tls: TlsFiles | null): (handler: Handler) => http.Server {
  return (handler) => {
    const server = tls
      ? https.createServer({ cert: tls.cert, key: tls.key }, handler)
      : http.createServer(handler);
    // Keep-alive clients (serializers caching nothing) should not pay a handshake per lookup.
    server.keepAliveTimeout = 30_000;
    return server;
  };
}

/** The base URL of a component listening on host:port. */
export function serviceUrl(host: string, port: number, tls: TlsFiles | null | boolean): string {
  return `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
