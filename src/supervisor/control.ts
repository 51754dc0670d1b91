// The control channel: a small HTTP server on 127.0.0.1 (a random port, recorded in the state file)
// that the lifecycle commands use to ask the running supervisor for its status, a restart or a stop.
// Requests carry the token from the state file, which only the owner can read.
import http from 'node:http';
import type { SupervisorState } from './state.js';

export interface ControlHandlers {
  status(): SupervisorState;
  /** Starts stopping everything; the supervisor exits when done. */
  stop(): void;
  /** Restarts the named components (all when empty) and resolves when they are ready again. */
  restart(components: string[]): Promise<void>;
}

export class ControlRequestError extends Error {
  override name = 'ControlRequestError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface ControlServer {
  port: number;
  close(): Promise<void>;
}

export function startControlServer(token: string, handlers: ControlHandlers): Promise<ControlServer> {
  const server = http.createServer((request, response) => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.headers.authorization !== `Bearer ${token}`)
      return reply(401, { error: 'bad or missing token' });
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      const route = `${request.method} ${request.url}`;
      if (route === 'GET /status') return reply(200, handlers.status());
      if (route === 'POST /stop') {
        reply(202, { stopping: true });
        handlers.stop();
        return;
      }
      if (route === 'POST /restart') {
        let components: string[] = [];
        try {
          const body = text ? (JSON.parse(text) as { components?: unknown }) : {};
          if (Array.isArray(body.components)) components = body.components.map(String);
        } catch {
          return reply(400, { error: 'body must be JSON: {"components": [...]}' });
        }
        handlers.restart(components).then(
          () => reply(200, handlers.status()),
          (error: unknown) =>
            reply(error instanceof ControlRequestError ? error.status : 500, {
              error: error instanceof Error ? error.message : String(error),
            }),
        );
        return;
      }
      reply(404, { error: `no such request: ${route}` });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : 0,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** A request to the supervisor; throws ControlRequestError on an error answer, Error when unreachable. */
export function controlRequest<T>(
  state: Pick<SupervisorState, 'controlPort' | 'token'>,
  method: 'GET' | 'POST',
  pathname: string,
  body?: unknown,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = http.request(
      {
        host: '127.0.0.1',
        port: state.controlPort,
        method,
        path: pathname,
        agent: false,
        timeout: timeoutMs,
        headers: {
          authorization: `Bearer ${state.token}`,
          ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          const parsed = parseJson(text);
          if ((response.statusCode ?? 500) >= 400) {
            const message = (parsed as { error?: string } | null)?.error ?? `HTTP ${response.statusCode}`;
            reject(new ControlRequestError(message, response.statusCode ?? 500));
          } else {
            resolve(parsed as T);
          }
        });
      },
    );
    request.on('timeout', () =>
      request.destroy(new Error(`the supervisor did not answer within ${timeoutMs} ms`)),
    );
    request.on('error', reject);
    request.end(payload);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
