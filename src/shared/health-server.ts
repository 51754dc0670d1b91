// A component's health endpoint: GET /health answers 200 with a JSON status while the component is
// ready, 503 otherwise. The supervisor's readiness probe and `venice status` read it.
import http from 'node:http';

export interface HealthReport {
  status: 'ok' | 'starting' | 'failing';
  component: string;
  [detail: string]: unknown;
}

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

export function startHealthServer(
  host: string,
  port: number,
  report: () => HealthReport,
): Promise<HealthServer> {
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
  return new Promise((resolve, reject) => {
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
}
