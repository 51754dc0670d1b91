// `venice up` starts connect beside the broker, not after it: a connect service started before its broker
// serves 503 `starting`, retries Kafka, and becomes ready once the broker answers.
import { afterAll, describe, expect, it } from 'vitest';
import { startConnect, type RunningConnect } from '../../../src/connect/service.js';
import { silentLogger } from '../../../src/service/index.js';
import { freePort, startTestBroker } from '../../helpers/broker.js';

let broker: Awaited<ReturnType<typeof startTestBroker>> | undefined;
let connect: RunningConnect | undefined;

afterAll(async () => {
  await connect?.stop().catch(() => {});
  await broker?.stop();
});

describe('a broker that starts after connect', () => {
  it('is waited for: the worker starts once the broker answers', async () => {
    const [kafkaPort, port] = [await freePort(), await freePort()];
    let started = false;
    const starting = startConnect({
      bootstrapServers: `127.0.0.1:${kafkaPort}`,
      port,
      logger: silentLogger(),
    }).then((running) => {
      started = true;
      return running;
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(started).toBe(false);
    const early = await fetch(`http://127.0.0.1:${port}/health`);
    expect(early.status).toBe(503);
    broker = await startTestBroker({ port: kafkaPort });
    connect = await starting;
    const ready = await fetch(`${connect.url}/health`);
    expect(ready.status).toBe(200);
    const connectors = await fetch(`${connect.url}/connectors`);
    expect(await connectors.json()).toEqual([]);
  }, 60_000);

  it('gives up after its start timeout when Kafka never answers', async () => {
    const [kafkaPort, port] = [await freePort(), await freePort()];
    const failing = startConnect({
      bootstrapServers: `127.0.0.1:${kafkaPort}`,
      port,
      logger: silentLogger(),
      startTimeoutMs: 500,
    });
    await expect(failing).rejects.toThrow(`cannot reach Kafka at 127.0.0.1:${kafkaPort}`);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  }, 60_000);
});
