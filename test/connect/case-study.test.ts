// The case study's connector-init config, posted unchanged except for host names, through the real
// pieces: a broker, the Venice registry, the connect service's REST API, and PostgreSQL (the one at
// 127.0.0.1:5432, then the embedded one reached through the worker's default database URL). Avro values
// are produced in the Confluent wire format by src/serdes with string keys, as the case study does.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, type Kafka } from '../../src/client/index.js';
import { startConnect, type RunningConnect } from '../../src/connect/service.js';
import type { RunningPostgres } from '../../src/postgres/service.js';
import { SchemaRegistryClient, Serdes } from '../../src/serdes/index.js';
import { silentLogger } from '../../src/service/index.js';
import { waitFor } from '../helpers/wait.js';
import { startTestPostgres } from '../postgres/helpers.js';
import { startBrokerAndRegistry } from '../registry/helpers.js';
import { columnTypes, database, POSTGRES_URL, rows } from './postgres-sink/helpers.js';

const ORDER_V1 = JSON.stringify({
  type: 'record',
  name: 'Order',
  namespace: 'e2etest',
  fields: [
    { name: 'order_id', type: 'string' },
    { name: 'product', type: 'string' },
    { name: 'amount', type: 'double' },
  ],
});

// v2 adds an optional field: backward compatible, so the registry takes it under the same subject.
const ORDER_V2 = JSON.stringify({
  type: 'record',
  name: 'Order',
  namespace: 'e2etest',
  fields: [
    { name: 'order_id', type: 'string' },
    { name: 'product', type: 'string' },
    { name: 'amount', type: 'double' },
    { name: 'coupon', type: ['null', 'string'], default: null },
  ],
});

interface Order {
  order_id: string;
  product: string;
  amount: number;
  coupon?: string | null;
}

interface OrderRow extends Record<string, unknown> {
  order_id: string;
  product: string;
  amount: number;
  coupon?: string | null;
}

/** The case study's connector-init config; only the host names (and the test's own names) differ. */
function caseStudyConfig(options: {
  name: string;
  topic: string;
  table: string;
  registryUrl: string;
  connection?: Connection;
  extra?: Record<string, string>;
}): { name: string; config: Record<string, string> } {
  const config: Record<string, string> = {
    'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
    'tasks.max': '1',
    topics: options.topic,
    ...(options.connection === undefined
      ? {}
      : {
          'connection.url': options.connection.url,
          'connection.user': options.connection.user,
          'connection.password': options.connection.password,
        }),
    'table.name.format': options.table,
    'insert.mode': 'upsert',
    'pk.mode': 'record_key',
    'pk.fields': 'order_id',
    'auto.create': 'true',
    'auto.evolve': 'true',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'io.confluent.connect.avro.AvroConverter',
    'value.converter.schema.registry.url': options.registryUrl,
    ...options.extra,
  };
  return { name: options.name, config };
}

async function rest(connect: RunningConnect, method: string, path: string, body?: unknown) {
  const response = await fetch(connect.url + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

interface Connection {
  readonly url: string;
  readonly user: string;
  readonly password: string;
}

/** The jdbc: form the case study uses, with the user and password apart, as it gives them. */
function jdbcConnectionOf(url: string): Connection {
  const parsed = new URL(url);
  return {
    url: `jdbc:postgresql://${parsed.host}${parsed.pathname}`,
    user: decodeURIComponent(parsed.username) || 'postgres',
    password: decodeURIComponent(parsed.password),
  };
}

function uniqueName(what: string): string {
  return `e2etest-${what}-${randomBytes(3).toString('hex')}`;
}

interface Target {
  readonly label: string;
  /** The database the test reads, and (for the embedded one) the worker's default. */
  url(): string;
  /** connection.* for the config; undefined leaves them out so the worker's default is used. */
  connection(): Connection | undefined;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

function caseStudySuite(target: Target): void {
  describe(`the case study's connector-init config (${target.label})`, () => {
    let stack: Awaited<ReturnType<typeof startBrokerAndRegistry>>;
    let kafka: Kafka;
    let serdes: Serdes;
    let connect: RunningConnect | undefined;
    let client: pg.Client;
    const tables: string[] = [];

    const startWorker = async () =>
      startConnect({
        bootstrapServers: stack.broker.bootstrap,
        registryUrl: stack.registry.url,
        port: 0,
        postgresUrl: target.url(),
        logger: silentLogger(),
      });

    beforeAll(async () => {
      await target.start?.();
      stack = await startBrokerAndRegistry();
      kafka = openKafka({ bootstrapServers: stack.broker.bootstrap, clientId: 'e2etest-producer' });
      serdes = new Serdes(new SchemaRegistryClient({ url: stack.registry.url }));
      client = await database(target.url());
      connect = await startWorker();
    }, 180_000);

    afterAll(async () => {
      await connect?.stop();
      for (const table of tables) await client?.query(`DROP TABLE IF EXISTS "${table}"`).catch(() => {});
      await client?.end();
      await kafka?.close();
      await stack?.stop();
      await target.stop?.();
    }, 60_000);

    async function freshTable(name: string): Promise<string> {
      await client.query(`DROP TABLE IF EXISTS "${name}"`);
      tables.push(name);
      return name;
    }

    async function createTopic(): Promise<string> {
      const topic = uniqueName('orders');
      await kafka.topics.create({ name: topic, partitions: 1 });
      return topic;
    }

    async function produce(topic: string, schema: string, orders: readonly (Order | string)[]) {
      const records = [];
      for (const order of orders) {
        // A bare string is a tombstone for that key.
        if (typeof order === 'string') {
          records.push({ topic, key: Buffer.from(order), value: null });
          continue;
        }
        const value = await serdes.serialize(topic, order, { schema });
        records.push({ topic, key: Buffer.from(order.order_id), value });
      }
      await kafka.produce(records);
    }

    async function createConnector(body: { name: string; config: Record<string, string> }) {
      const created = await rest(connect!, 'POST', '/connectors', body);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      await waitFor(
        async () => {
          const status = await rest(connect!, 'GET', `/connectors/${body.name}/status`);
          const state = status.body as { connector: { state: string }; tasks: { state: string }[] };
          return (
            status.status === 200 &&
            state.connector.state === 'RUNNING' &&
            state.tasks.length === 1 &&
            state.tasks[0]!.state === 'RUNNING'
          );
        },
        { what: `${body.name} to run its task`, timeoutMs: 60_000, intervalMs: 200 },
      );
    }

    async function waitForRows(table: string, accept: (found: OrderRow[]) => boolean, what: string) {
      return waitFor(
        async () => {
          const found = await rows<OrderRow>(client, `SELECT * FROM "${table}" ORDER BY order_id`);
          return accept(found) ? found : null;
        },
        { what, timeoutMs: 60_000, intervalMs: 250 },
      );
    }

    async function columnsOf(table: string): Promise<string[]> {
      const found = await rows<{ column_name: string }>(
        client,
        `SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`,
        [table],
      );
      return found.map((row) => row.column_name);
    }

    it('creates the table, upserts by the string key, and adds the column of a v2 schema', async () => {
      const table = await freshTable('e2etest_orders');
      const topic = await createTopic();
      const name = uniqueName('orders-sink');
      await createConnector(
        caseStudyConfig({
          name,
          topic,
          table,
          registryUrl: stack.registry.url,
          connection: target.connection(),
        }),
      );

      await produce(topic, ORDER_V1, [
        { order_id: 'o-1', product: 'kettle', amount: 30 },
        { order_id: 'o-2', product: 'teapot', amount: 12.5 },
      ]);
      await waitForRows(table, (found) => found.length === 2, 'two orders in the table');

      // A second value for o-1 updates its row.
      await produce(topic, ORDER_V1, [{ order_id: 'o-1', product: 'kettle', amount: 27 }]);
      const updated = await waitForRows(
        table,
        (found) => found.find((row) => row.order_id === 'o-1')?.amount === 27,
        'the upsert of o-1',
      );
      expect(updated).toEqual([
        { order_id: 'o-1', product: 'kettle', amount: 27 },
        { order_id: 'o-2', product: 'teapot', amount: 12.5 },
      ]);
      expect(await columnsOf(table)).toEqual(['order_id', 'product', 'amount']);

      // Without delete.enabled (the case study leaves it out) a tombstone is skipped: o-2 stays.
      await produce(topic, ORDER_V1, ['o-2']);

      // v2 with a new optional field: auto.evolve adds the column, older rows read NULL there.
      await produce(topic, ORDER_V2, [{ order_id: 'o-3', product: 'cups', amount: 8, coupon: 'WINTER' }]);
      const evolved = await waitForRows(table, (found) => found.length === 3, 'the v2 order');
      expect(await columnsOf(table)).toEqual(['order_id', 'product', 'amount', 'coupon']);
      expect(await columnTypes(client, table)).toMatchObject({ amount: 'double precision', coupon: 'text' });
      const primaryKey = await rows<{ column: string }>(
        client,
        `SELECT a.attname AS column FROM pg_index i
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
         WHERE i.indrelid = to_regclass($1) AND i.indisprimary`,
        [`"${table}"`],
      );
      expect(primaryKey).toEqual([{ column: 'order_id' }]);
      expect(evolved).toEqual([
        { order_id: 'o-1', product: 'kettle', amount: 27, coupon: null },
        { order_id: 'o-2', product: 'teapot', amount: 12.5, coupon: null },
        { order_id: 'o-3', product: 'cups', amount: 8, coupon: 'WINTER' },
      ]);

      const status = await rest(connect!, 'GET', `/connectors/${name}/status`);
      expect(status.body).toMatchObject({ connector: { state: 'RUNNING' }, tasks: [{ state: 'RUNNING' }] });
      expect((await rest(connect!, 'DELETE', `/connectors/${name}`)).status).toBe(204);
    }, 120_000);

    it('with delete.enabled=true, a tombstone deletes the row of its key', async () => {
      const table = await freshTable('e2etest_orders_delete');
      const topic = await createTopic();
      const name = uniqueName('delete-sink');
      await createConnector(
        caseStudyConfig({
          name,
          topic,
          table,
          registryUrl: stack.registry.url,
          connection: target.connection(),
          extra: { 'delete.enabled': 'true' },
        }),
      );
      await produce(topic, ORDER_V1, [
        { order_id: 'o-1', product: 'kettle', amount: 30 },
        { order_id: 'o-2', product: 'teapot', amount: 12.5 },
      ]);
      await waitForRows(table, (found) => found.length === 2, 'two orders in the table');
      await produce(topic, ORDER_V1, ['o-1', { order_id: 'o-4', product: 'saucer', amount: 3 }]);
      const remaining = await waitForRows(
        table,
        (found) => found.some((row) => row.order_id === 'o-4'),
        'the order after the tombstone',
      );
      expect(remaining.map((row) => row.order_id)).toEqual(['o-2', 'o-4']);
      expect((await rest(connect!, 'DELETE', `/connectors/${name}`)).status).toBe(204);
    }, 120_000);

    it('after a restart of the connect service, the connector resumes and every row is there once', async () => {
      const table = await freshTable('e2etest_orders_restart');
      const topic = await createTopic();
      const name = uniqueName('restart-sink');
      // insert mode, so a replayed record would show as a duplicate key error or a second row.
      const config = caseStudyConfig({
        name,
        topic,
        table,
        registryUrl: stack.registry.url,
        connection: target.connection(),
        extra: { 'insert.mode': 'insert', 'pk.mode': 'none', 'pk.fields': '' },
      });
      await createConnector(config);
      const batch = (from: number, count: number): Order[] =>
        Array.from({ length: count }, (_, index) => ({
          order_id: `o-${String(from + index).padStart(3, '0')}`,
          product: 'widget',
          amount: from + index,
        }));
      await produce(topic, ORDER_V1, batch(0, 20));
      await waitForRows(table, (found) => found.length === 20, 'the first 20 orders');

      await connect!.stop();
      connect = undefined;
      await produce(topic, ORDER_V1, batch(20, 20));
      connect = await startWorker();

      const listed = await rest(connect, 'GET', '/connectors');
      expect(listed.body).toContain(name);
      // The case study's init script posts its config again on every start: Kafka Connect's 409, no change.
      const again = await rest(connect, 'POST', '/connectors', config);
      expect(again.status).toBe(409);
      const found = await waitForRows(table, (all) => all.length >= 40, 'all 40 orders after the restart');
      // A little longer: a replay would arrive after the first 40 rows.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const all = await rows<OrderRow>(client, `SELECT * FROM "${table}" ORDER BY order_id`);
      expect(all).toEqual(found);
      expect(all.map((row) => row.order_id)).toEqual(batch(0, 40).map((order) => order.order_id));
      expect((await rest(connect, 'DELETE', `/connectors/${name}`)).status).toBe(204);
    }, 180_000);
  });
}

caseStudySuite({
  label: 'PostgreSQL at 127.0.0.1:5432',
  url: () => POSTGRES_URL,
  connection: () => jdbcConnectionOf(POSTGRES_URL),
});

let embedded: RunningPostgres | undefined;
caseStudySuite({
  label: 'the embedded PostgreSQL, as the worker default',
  url: () => embedded!.url,
  connection: () => undefined,
  start: async () => {
    embedded = await startTestPostgres();
  },
  stop: async () => {
    await embedded?.stop();
  },
});
