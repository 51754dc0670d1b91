// `venice up` starts the sql engine beside the broker, not after it: an engine started before its broker
// retries Kafka while it creates its command topic, and starts once the broker answers.
import { afterAll, describe, expect, it } from 'vitest';
import { createSqlEngine, type SqlEngine } from '../../../src/sql/engine/index.js';
import { silentLogger } from '../../../src/service/index.js';
import { freePort, startTestBroker, temporaryDataDir } from '../../helpers/broker.js';

let broker: Awaited<ReturnType<typeof startTestBroker>> | undefined;
let engine: SqlEngine | undefined;

afterAll(async () => {
  await engine?.stop().catch(() => {});
  await broker?.stop();
});

describe('a broker that starts after the sql engine', () => {
  it('is waited for: the engine starts once the broker answers', async () => {
    const port = await freePort();
    engine = createSqlEngine({
      kafka: { bootstrapServers: `127.0.0.1:${port}` },
      serviceId: 'kafka_late_',
      stateDir: temporaryDataDir('sql-state'),
      logger: silentLogger(),
    });
    let started = false;
    const starting = engine.start().then(() => (started = true));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(started).toBe(false);
    broker = await startTestBroker({ port });
    await starting;
    const [answer] = await engine.execute({
      sql: "CREATE STREAM LATE (V INT) WITH (KAFKA_TOPIC='late', VALUE_FORMAT='JSON', PARTITIONS=1);",
    });
    expect(answer).toMatchObject({ '@type': 'currentStatus', commandStatus: { status: 'SUCCESS' } });
  }, 60_000);
});
