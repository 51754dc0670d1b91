// The registry against a broker that goes away or freezes: it says so in /health and is healthy again
// within seconds of the broker's return, with no write needed to notice; a write that times out is
// answered as of unknown outcome, and its retry is safe. Uses the built CLI for a broker to freeze.
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningRegistry } from '../../src/registry/service.js';
import { freePort, spawnBroker, startTestBroker, temporaryDataDir } from '../helpers/broker.js';
import { avroRecord, call, startTestRegistry } from './helpers.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function healthStatus(registry: RunningRegistry): Promise<number> {
  return (await call(registry.url, 'GET', '/health')).status;
}

async function waitForHealth(registry: RunningRegistry, status: number, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  let last = await healthStatus(registry);
  while (last !== status) {
    if (Date.now() > deadline)
      throw new Error(`/health still ${last} after ${withinMs} ms, expected ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await healthStatus(registry);
  }
}

describe('health after a broker restart', () => {
  it('recovers within seconds of the broker coming back, without a write', async () => {
    const port = await freePort();
    const dataDir = temporaryDataDir('registry-restart');
    let broker = await startTestBroker({ port, dataDir });
    const registry = await startTestRegistry(broker.bootstrap);
    cleanups.push(() => registry.stop());
    cleanups.push(() => broker.stop());
    expect(await healthStatus(registry)).toBe(200);

    await broker.stop();
    await waitForHealth(registry, 503, 15_000);

    broker = await startTestBroker({ port, dataDir });
    await waitForHealth(registry, 200, 10_000);
  });
});

describe('a frozen broker', () => {
  it('answers a timed-out write as of unknown outcome, and the retry gets one version', async () => {
    const broker = await spawnBroker(temporaryDataDir('registry-frozen'), await freePort());
    cleanups.push(async () => {
      broker.child.kill('SIGCONT');
      broker.child.kill('SIGKILL');
      await broker.exited;
    });
    const registry = await startTestRegistry(broker.bootstrap, { writeTimeoutMs: 2_000 });
    cleanups.push(() => registry.stop());
    const subject = '/subjects/frozen-value/versions';
    const first = avroRecord('Frozen', [{ name: 'a', type: 'string' }]);
    const second = avroRecord('Frozen', [
      { name: 'a', type: 'string' },
      { name: 'b', type: 'string', default: '' },
    ]);
    expect((await call(registry.url, 'POST', subject, { schema: first })).status).toBe(200);

    broker.child.kill('SIGSTOP');
    const timedOut = await call<{ error_code: number; message: string }>(registry.url, 'POST', subject, {
      schema: second,
    });
    expect(timedOut.status).toBe(500);
    expect(timedOut.body.error_code).toBe(50002);
    expect(timedOut.body.message).toMatch(/whether it was stored is unknown/);
    expect(timedOut.body.message).toMatch(/Retrying the same request is safe/);

    broker.child.kill('SIGCONT');
    const deadline = Date.now() + 30_000;
    let retried = await call<{ id: number }>(registry.url, 'POST', subject, { schema: second });
    while (retried.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      retried = await call<{ id: number }>(registry.url, 'POST', subject, { schema: second });
    }
    expect(retried.status).toBe(200);
    expect((await call(registry.url, 'GET', subject)).body).toEqual([1, 2]);
    const stored = await call<{ id: number }>(registry.url, 'GET', `${subject}/2`);
    expect(stored.body.id).toBe(retried.body.id);
  });
});
