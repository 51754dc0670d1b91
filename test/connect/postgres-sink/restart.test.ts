// PostgreSQL stopped in the middle of a stream and started again: a PostgreSQL sink runs through the
// worker while records keep arriving, the database goes down (cleanly, and abruptly) and comes back on
// the same port with the same data, and every row is there exactly once. The task retries while the
// database is down (RetriableError after retry.backoff.ms) and commits offsets only after the database
// commits. Against the embedded PostgreSQL (`venice postgres` as its own process: SIGTERM and SIGKILL)
// and a private real PostgreSQL from Debian's binaries (pg_ctl stop -m fast and -m immediate); the
// machine's shared server at 127.0.0.1:5432 is left alone.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kafka } from '../../../src/client/index.js';
import type { ConnectWorker } from '../../../src/connect/api/worker.js';
import { sinkGroupId } from '../../../src/connect/defaults.js';
import { startTestBroker, temporaryDataDir } from '../../helpers/broker.js';
import { waitFor } from '../../helpers/wait.js';
import { spawnPostgres, type PostgresProcess } from '../../postgres/helpers.js';
import { allRunning, kafkaFor, startWorker, waitForState } from '../worker/helpers.js';
import { privatePostgresMissing, startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';

const RECORDS = 1500;
const PARTITIONS = 3;

let broker: Awaited<ReturnType<typeof startTestBroker>>;
let kafka: Kafka;
let worker: ConnectWorker;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = kafkaFor(broker.bootstrap);
  worker = startWorker({ bootstrap: broker.bootstrap, groupId: 'pg-restart', prefix: 'pg-restart' }, 'w1');
  await worker.start();
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await kafka?.close();
  await broker?.stop();
});

/** How many rows, and how many distinct ones, the table has; null while the database cannot answer. */
async function countRows(url: string, table: string): Promise<{ n: number; distinct: number } | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const result = await client.query<{ n: number; distinct: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT n)::int AS distinct FROM "${table}"`,
    );
    return result.rows[0]!;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Produces keyed records (k<from>, ...) up to `to`, a few at a time, as a steady stream. */
async function stream(topic: string, from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += 15) {
    const count = Math.min(15, to - start);
    await kafka.produce(
      Array.from({ length: count }, (_, index) => ({
        topic,
        partition: (start + index) % PARTITIONS,
        key: Buffer.from(`k${start + index}`),
        value: Buffer.from(JSON.stringify({ n: start + index, note: `row ${start + index}` })),
      })),
    );
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
}

interface Outage {
  /** Where the sink writes (and the test counts). */
  readonly url: () => string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

async function streamThroughOutage(label: string, outage: Outage): Promise<void> {
  const topic = `pg_restart_${label}_${randomBytes(3).toString('hex')}`;
  const connector = `restart-${label}`;
  await kafka.topics.create({ name: topic, partitions: PARTITIONS });
  await worker.putConnectorConfig(
    connector,
    {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
      topics: topic,
      'connection.url': outage.url(),
      'insert.mode': 'upsert',
      'pk.mode': 'record_key',
      'pk.fields': 'id',
      'auto.create': 'true',
      // Retries enough to outlast the outage on a slow machine (the JDBC sink's default: 10 x 3 s).
      'max.retries': '10000',
      'retry.backoff.ms': '200',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
    },
    false,
  );
  await waitForState(worker, connector, allRunning, `${connector} to run`);
  const half = RECORDS / 2;
  const firstHalf = stream(topic, 0, half);
  await waitFor(async () => ((await countRows(outage.url(), topic))?.n ?? 0) >= 150, {
    what: 'the first rows to arrive',
    timeoutMs: 60_000,
    intervalMs: 100,
  });
  await outage.stop();
  // The second half comes while the database is down: the task retries its batch meanwhile.
  await Promise.all([stream(topic, half, RECORDS), new Promise((resolve) => setTimeout(resolve, 1_500))]);
  await outage.start();
  await firstHalf;
  const counted = await waitFor(
    async () => {
      const now = await countRows(outage.url(), topic);
      return now !== null && now.n >= RECORDS ? now : null;
    },
    { what: `all ${RECORDS} rows after the restart`, timeoutMs: 120_000, intervalMs: 250 },
  );
  expect(counted).toEqual({ n: RECORDS, distinct: RECORDS });
  // The task lived through it, and its committed offsets reach the end of every partition.
  const status = await worker.connectorStatus(connector);
  expect(status.tasks.map((task) => task.state)).toEqual(['RUNNING']);
  await waitFor(
    async () => {
      const { offsets } = await kafka.groups.describe(sinkGroupId(connector));
      const committed = offsets.reduce((sum, entry) => sum + Number(entry.committedOffset), 0);
      return committed === RECORDS;
    },
    { what: 'the offsets committed up to the last record', timeoutMs: 30_000 },
  );
  await worker.deleteConnector(connector);
}

describe('the embedded PostgreSQL stopped in the middle of a stream', () => {
  const dataDir = temporaryDataDir('pg-restart-embedded');
  let running: PostgresProcess | undefined;
  let port = 0;
  let url = '';

  beforeAll(async () => {
    running = await spawnPostgres(dataDir);
    url = running.url;
    port = Number(new URL(url).port);
  }, 180_000);

  afterAll(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGTERM');
      await running.exited;
    }
  });

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`loses and repeats no row when the postgres component gets ${signal} and starts again`, async () => {
      await streamThroughOutage(`embedded_${signal.toLowerCase()}`, {
        url: () => url,
        stop: async () => {
          running!.child.kill(signal);
          await running!.exited;
        },
        start: async () => {
          running = await spawnPostgres(dataDir, 180_000, port);
        },
      });
    }, 400_000);
  }
});

const missing = privatePostgresMissing();

describe.skipIf(missing !== null)('a real PostgreSQL stopped in the middle of a stream', () => {
  let server: PrivatePostgres | undefined;

  beforeAll(async () => {
    server = await startPrivatePostgres();
  }, 180_000);

  afterAll(async () => {
    await server?.destroy();
  });

  for (const mode of ['fast', 'immediate'] as const) {
    it(`loses and repeats no row after pg_ctl stop -m ${mode} and a start`, async () => {
      await streamThroughOutage(`real_${mode}`, {
        url: () => server!.url,
        stop: () => server!.stop(mode),
        start: () => server!.start(),
      });
    }, 400_000);
  }
});

if (missing !== null) {
  describe('a real PostgreSQL stopped in the middle of a stream', () => {
    it.skip(`needs a private server: ${missing}`, () => undefined);
  });
}
