// External mode: `venice up --bootstrap-servers` starts no broker of its own; the other services run
// against the given cluster (here a broker started on its own, standing in for an external Kafka).
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka } from '../../src/client/index.js';
import { freePort, spawnBroker, temporaryDataDir, type BrokerProcess } from '../helpers/broker.js';
import { runVenice, statusJson, tearDown, temporaryProject, waitFor } from './lifecycle-helpers.js';

describe('venice up against an external Kafka cluster', { timeout: 180_000 }, () => {
  let external: BrokerProcess;
  let project: string;
  let registryPort: number;
  let sqlPort: number;
  let connectPort: number;
  let consolePort: number;

  beforeAll(async () => {
    external = await spawnBroker(temporaryDataDir('external-kafka'), await freePort());
    project = temporaryProject('external');
    registryPort = await freePort();
    sqlPort = await freePort();
    connectPort = await freePort();
    consolePort = await freePort();
  });
  afterAll(async () => {
    await tearDown(project);
    external?.child.kill('SIGKILL');
  }, 120_000);

  it('starts only the registry, sql and connect, pointed at the given Kafka cluster (which then holds its _schemas topic) and the given PostgreSQL', async () => {
    const up = await runVenice(
      [
        'up',
        '--bootstrap-servers',
        external.bootstrap,
        '--registry-port',
        String(registryPort),
        '--sql-port',
        String(sqlPort),
        '--connect-port',
        String(connectPort),
        '--console-port',
        String(consolePort),
        '--postgres-url',
        'postgres://postgres@127.0.0.1:5432/test',
      ],
      { cwd: project },
    );
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/broker\s+not started: using the external Kafka cluster at 127\.0\.0\.1:\d+/);
    expect(up.stdout).toMatch(
      /postgres\s+not started: using the external PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:5432\/test/,
    );

    const { status } = await statusJson(project);
    expect(status.bootstrapServers).toBe(external.bootstrap);
    expect(status.components.map((component) => component.name)).toEqual([
      'registry',
      'sql',
      'connect',
      'console',
    ]);

    const registered = await fetch(`http://127.0.0.1:${registryPort}/subjects/orders-value/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schema: JSON.stringify({ type: 'record', name: 'Order', fields: [] }) }),
    });
    expect(registered.status).toBe(200);

    const topics = await runVenice(['topics', '--json'], { cwd: project });
    expect(topics.code, topics.stderr).toBe(0);
    expect(topics.stdout).toContain('_schemas');
  });

  it('describes the external cluster in `venice status`, and warns of its internal topics with one replica', async () => {
    const status = await runVenice(['status'], { cwd: project });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/Kafka cluster \S+: controller \d+, 1 broker\(s\): \d+@127\.0\.0\.1:\d+/);
    expect(status.stdout).toMatch(/warning: \d+ internal topic\(s\) have replication factor 1 .*_schemas/);
    const json = await statusJson(project);
    expect(json.status).toMatchObject({ cluster: { reachable: true, brokers: [{ host: '127.0.0.1' }] } });
  });

  it('sinks into the external PostgreSQL given with --postgres-url, which `venice psql` reaches too', async () => {
    const table = `external_pg_${randomBytes(3).toString('hex')}`;
    const kafka = openKafka({ bootstrapServers: external.bootstrap });
    const database = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
    await database.connect();
    try {
      await kafka.produce(
        Array.from({ length: 20 }, (_, index) => ({
          topic: table,
          key: Buffer.from(`k${index}`),
          value: Buffer.from(JSON.stringify({ n: index })),
        })),
      );
      // No connection.url: the worker's default is the PostgreSQL `venice up` was given.
      const created = await fetch(`http://127.0.0.1:${connectPort}/connectors`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: table,
          config: {
            'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
            topics: table,
            'insert.mode': 'upsert',
            'pk.mode': 'record_key',
            'pk.fields': 'id',
            'auto.create': 'true',
            'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
            'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
            'value.converter.schemas.enable': 'false',
          },
        }),
      });
      expect(created.status, await created.text()).toBe(201);
      await waitFor('20 rows in the external PostgreSQL', async () => {
        const rows = await database.query(`SELECT count(*)::int AS n FROM "${table}"`).catch(() => null);
        return rows?.rows[0]?.n === 20 ? true : undefined;
      });
      const psql = await runVenice(['psql', '--builtin', '-c', `SELECT count(*) AS n FROM "${table}"`], {
        cwd: project,
        env: { VENICE_POSTGRES_URL: 'postgres://postgres@127.0.0.1:5432/test' },
      });
      expect(psql.code, psql.stderr).toBe(0);
      expect(psql.stdout).toMatch(/\b20\b/);
    } finally {
      await database.query(`DROP TABLE IF EXISTS "${table}"`).catch(() => undefined);
      await database.end();
      await kafka.close();
    }
  });
});
