// The health endpoint: 200 while ready, 503 otherwise, 404 elsewhere; a taken port is explained.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ServiceStartError,
  startHealthServer,
  type HealthReport,
  type HealthServer,
} from '../../src/service/index.js';

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((server) => server.close()));
});

async function start(report: () => HealthReport, port = 0): Promise<HealthServer> {
  const server = await startHealthServer(
    { host: '127.0.0.1', port, setting: { setting: 'brokerHealth' } },
    report,
  );
  opened.push(server);
  return server;
}

describe('startHealthServer', () => {
  it('answers 200 with the report while the component is ok, 503 when it is not', async () => {
    let status: HealthReport['status'] = 'starting';
    const server = await start(() => ({ status, component: 'test', detail: 7 }));
    const url = `http://127.0.0.1:${server.port}/health`;

    const starting = await fetch(url);
    expect(starting.status).toBe(503);
    expect(await starting.json()).toEqual({ status: 'starting', component: 'test', detail: 7 });

    status = 'ok';
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'ok' });

    status = 'failing';
    expect((await fetch(url)).status).toBe(503);
  });

  it('answers 404 with a hint on other paths', async () => {
    const server = await start(() => ({ status: 'ok', component: 'test' }));
    const response = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'not found: use GET /health' });
  });

  it('explains a taken port instead of failing with EADDRINUSE', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    opened.push({ close: () => new Promise<void>((resolve) => holder.close(() => resolve())) });
    const port = (holder.address() as net.AddressInfo).port;
    const failure = await start(() => ({ status: 'ok', component: 'test' }), port).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ServiceStartError);
    expect((failure as Error).message).toContain(`port ${port} (broker health)`);
  });
});
