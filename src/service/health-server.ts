// A component's health endpoint: GET /health answers 200 with a JSON status while the component is
// ready, 503 otherwise. The supervisor's readiness probe and `venice status` read it.
import http from 'node:http';
import { listenOrExplain, type ListenSetting } from './listen.js';

export interface HealthReport {
  status: 'ok' | 'starting' | 'failing';
  component: string;
  [detail: string]: unknown;
}

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Serves GET /health; a port that cannot be bound fails with a ServiceStartError that says why. */
export function startHealthServer(
  where: { host: string; port: number; setting: ListenSetting },
  report: () => HealthReport,
): Promise<HealthServer> {
  const { host, port } = where;
  const server = http.createServer((request, response) => {
    if (request.method !== 'GET' || (request.url !== '/health' && request.url !== '/')) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'not found: use GET /health' }));
      return;
    }
    const body = report();
    response.writeHead(body.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  const bind = () =>
    new Promise<HealthServer>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port }, () => {
        server.off('error', reject);
        const address = server.address();
        resolve({
          port: typeof address === 'object' && address ? address.port : port,
          close: () => new Promise<void>((done) => server.close(() => done())),
        });
      });
    });
  return listenOrExplain(where, bind);
}
