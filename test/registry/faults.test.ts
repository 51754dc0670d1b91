// The registry against a broker that goes away: it says so in /health, and is healthy again within
// seconds of the broker's return, with no write needed to notice.
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningRegistry } from '../../src/registry/service.js';
import { freePort, startTestBroker, temporaryDataDir } from '../helpers/broker.js';
import { call, startTestRegistry } from './helpers.js';

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
