// The connect service's lifecycle: the REST port opens first (the worker id names it) and answers 503
// until the worker has read its topics; a port in use says which and how to change it; stop closes both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnect, type RunningConnect } from '../../../src/connect/service.js';
import { createWorker } from '../../../src/connect/worker/index.js';
import { ServiceStartError, silentLogger } from '../../../src/service/index.js';
import { freePort, startTestBroker } from '../../helpers/broker.js';
import { waitFor } from '../../helpers/wait.js';

let broker: Awaited<ReturnType<typeof startTestBroker>>;

beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => broker?.stop());

describe('startConnect', { timeout: 120_000 }, () => {
  it('answers 503 while the worker starts, then 200, and frees the port on stop', async () => {
    const port = await freePort();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const starting = startConnect({
      bootstrapServers: broker.bootstrap,
      port,
      logger: silentLogger(),
      createWorker: (options) => {
        const worker = createWorker(options);
        const start = worker.start.bind(worker);
        // Held back until the test has seen the starting answers.
        return Object.assign(worker, { start: async () => gate.then(start) });
      },
    });
    const url = `http://127.0.0.1:${port}`;
    const health = await waitFor(
      async () => {
        const response = await fetch(`${url}/health`);
        return response.status === 503 && ((await response.json()) as Record<string, unknown>);
      },
      { what: 'the port to open while the worker starts' },
    );
    expect(health).toMatchObject({ status: 'starting', component: 'connect', workerId: `127.0.0.1:${port}` });
    const early = await fetch(`${url}/connectors`);
    expect(early.status).toBe(503);
    expect(await early.json()).toEqual({
      error_code: 503,
      message: 'The worker is still starting up; try again in a moment',
    });

    release();
    const connect: RunningConnect = await starting;
    expect(connect.url).toBe(url);
    const ready = await fetch(`${url}/health`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      message: 'Worker has completed startup and is ready to handle requests.',
      kafka: broker.bootstrap,
    });

    const taken = startConnect({ bootstrapServers: broker.bootstrap, port, logger: silentLogger() });
    await expect(taken).rejects.toBeInstanceOf(ServiceStartError);
    await expect(taken).rejects.toThrow(`port ${port} (Kafka Connect) on 127.0.0.1 is already in use`);

    await connect.stop();
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it('closes the port again when the worker cannot start', async () => {
    const port = await freePort();
    const failing = startConnect({
      bootstrapServers: broker.bootstrap,
      port,
      logger: silentLogger(),
      createWorker: (options) =>
        Object.assign(createWorker(options), {
          start: async () => {
            throw new Error('no storage topics');
          },
        }),
    });
    await expect(failing).rejects.toThrow('no storage topics');
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });
});
