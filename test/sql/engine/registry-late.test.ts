// `venice up` starts the sql engine beside the schema registry: an engine whose command topic holds an AVRO
// query retries the registry while it starts, and a statement run while the registry is down says so.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, type Kafka } from '../../../src/client/index.js';
import { createSqlEngine, type SqlEngine } from '../../../src/sql/engine/index.js';
import type { RunningRegistry } from '../../../src/registry/service.js';
import { silentLogger } from '../../../src/service/index.js';
import { startTestBroker, temporaryDataDir } from '../../helpers/broker.js';
import { waitFor } from '../../helpers/wait.js';
import { startTestRegistry } from '../../registry/helpers.js';

let broker: Awaited<ReturnType<typeof startTestBroker>>;
let kafka: Kafka;
const engines: SqlEngine[] = [];
const registries: RunningRegistry[] = [];

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = openKafka({ bootstrapServers: broker.bootstrap });
}, 60_000);

afterAll(async () => {
  for (const engine of engines) await engine.stop().catch(() => {});
  for (const registry of registries) await registry.stop().catch(() => {});
  await kafka?.close();
  await broker?.stop();
});

/** A port nothing listens on now, for a registry started later. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRegistryOn(port: number): Promise<RunningRegistry> {
  const registry = await startTestRegistry(broker.bootstrap, { port });
  registries.push(registry);
  return registry;
}

function engineFor(serviceId: string, registryUrl: string): SqlEngine {
  const engine = createSqlEngine({
    kafka: { bootstrapServers: broker.bootstrap },
    schemaRegistryUrl: registryUrl,
    serviceId,
    stateDir: temporaryDataDir('sql-state'),
    logger: silentLogger(),
    properties: { 'ksql.streams.auto.offset.reset': 'earliest' },
  });
  engines.push(engine);
  return engine;
}

async function countIn(topic: string): Promise<number> {
  let count = 0;
  for await (const record of kafka.consume({ topic, from: { kind: 'beginning' }, stopAtEnd: true })) {
    if (record.value !== null) count += 1;
  }
  return count;
}

describe('a schema registry that starts after the sql engine', () => {
  it('restarts an AVRO query replayed from the command topic once the registry answers', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // Fill the command topic with an AVRO source and an AVRO CSAS, then take everything down.
    const first = engineFor('late_', url);
    const registry = await startRegistryOn(port);
    await first.start();
    await first.execute({
      sql:
        "CREATE STREAM late_in (id INT KEY, v STRING) WITH (kafka_topic='late_in', value_format='AVRO', partitions=1);" +
        "CREATE STREAM late_out WITH (kafka_topic='late_out', value_format='AVRO') AS SELECT id, UCASE(v) AS v FROM late_in;",
    });
    await first.stop();
    await registry.stop();

    // The new engine starts while the registry is down; the registry follows a few seconds later.
    const second = engineFor('late_', url);
    const starting = second.start();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await startRegistryOn(port);
    await starting;
    expect(second.health().detail.persistentQueries).toBe(1);

    await second.execute({ sql: "INSERT INTO late_in (id, v) VALUES (1, 'a');" });
    await waitFor(async () => (await countIn('late_out')) >= 1, {
      what: 'the restarted AVRO query to write late_out',
      timeoutMs: 30_000,
      intervalMs: 500,
    });
  }, 90_000);

  it('tells a statement run while the registry is down where it is and to check venice status', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const engine = engineFor('down_', url);
    await engine.start();
    await expect(
      engine.execute({
        sql: "CREATE STREAM down_in WITH (kafka_topic='down_in', value_format='AVRO', partitions=1);",
      }),
    ).rejects.toThrow(new RegExp(`schema registry at ${url}.*not reachable.*venice status`));
  }, 60_000);
});
