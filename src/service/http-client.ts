// How Venice's own clients (the CLI, the supervisor's probes, one component calling another) reach the
// HTTP components: a fetch that sends the configured user's Basic credentials and, when a CA is
// configured, trusts it for HTTPS (Node's global fetch cannot be given a CA). The credentials are
// only ever put in the Authorization header, never in a URL, so no error message or log can show them.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import type { HttpClientConfig } from '../config/http.js';
import { ServiceStartError } from './listen.js';

export type Fetch = typeof fetch;

/** The Authorization header for the configured user, or null without one. */
export function basicAuthorization(client: Pick<HttpClientConfig, 'user' | 'password'>): string | null {
  if (client.user === null) return null;
  return `Basic ${Buffer.from(`${client.user}:${client.password ?? ''}`).toString('base64')}`;
}

/** A fetch for Venice's clients; a header the caller sets itself (a forwarded Authorization) wins. */
export function clientFetch(client: HttpClientConfig | undefined): Fetch {
  if (client === undefined) return fetch;
  const authorization = basicAuthorization(client);
  const transport = client.ca === null ? fetch : fetchTrusting(readCa(client.ca));
  if (authorization === null) return transport;
  return (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    if (!headers.has('authorization')) headers.set('authorization', authorization);
    return transport(input, { ...init, headers });
  };
}

function readCa(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new ServiceStartError(
      `cannot read the CA certificate ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      'point http.ca (VENICE_HTTP_CA, --http-ca) at the ca.pem made by `venice certs create`',
    );
  }
}

/** fetch over node:http(s), trusting `ca` besides nothing else; the response body streams. */
function fetchTrusting(ca: Buffer): Fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
    return new Promise<Response>((resolve, reject) => {
      const transport = url.protocol === 'https:' ? https : http;
      const outgoing = transport.request(
        url,
        { method: request.method, headers: Object.fromEntries(request.headers), ca, signal: request.signal },
        (incoming) => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            for (const item of ([] as string[]).concat(value ?? [])) headers.append(name, item);
          }
          const status = incoming.statusCode ?? 502;
          const empty = [101, 204, 205, 304].includes(status) || request.method === 'HEAD';
          if (empty) incoming.resume();
          resolve(
            new Response(empty ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>), {
              status,
              statusText: incoming.statusMessage,
              headers,
            }),
          );
        },
      );
      // The same shape as the global fetch's failures: a TypeError whose cause says what happened.
      outgoing.on('error', (error) =>
        reject(request.signal.aborted ? error : new TypeError('fetch failed', { cause: error })),
      );
      outgoing.end(body);
    });
  };
}
