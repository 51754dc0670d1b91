// End to end through the worker: rows in a PostgreSQL table become Avro records on a topic (the value
// converter registers the schema in a real Venice registry), their offsets land in connect-offsets in
// Kafka Connect JDBC's shape, and after a worker restart only the new rows are sent.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kafka } from '../../../src/client/index.js';
import type { ConnectWorker } from '../../../src/connect/api/worker.js';
import { findConverterPlugin } from '../../../src/connect/converters/index.js';
import { startBrokerAndRegistry } from '../../registry/helpers.js';
import { waitFor } from '../../helpers/wait.js';
import { allRunning, kafkaFor, readTopic, startWorker, waitForState } from '../worker/helpers.js';

let stack: Awaited<ReturnType<typeof startBrokerAndRegistry>>;
let kafka: Kafka;
let admin: pg.Client;
const running: ConnectWorker[] = [];

beforeAll(async () => {
  stack = await startBrokerAndRegistry();
  kafka = kafkaFor(stack.broker.bootstrap);
  admin = new pg.Client({ host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres' });
  await admin.connect();
  await admin.query('DROP TABLE IF EXISTS srctest_e2e');
  await admin.query(
    'CREATE TABLE srctest_e2e (id serial PRIMARY KEY, name text NOT NULL, price numeric(8,2))',
  );
});
afterAll(async () => {
  for (const worker of running) await worker.stop().catch(() => undefined);
  await admin?.query('DROP TABLE IF EXISTS srctest_e2e').catch(() => undefined);
  await admin?.end();
  await kafka?.close();
  await stack?.stop();
});

async function launch(): Promise<ConnectWorker> {
  const worker = startWorker(
    { bootstrap: stack.broker.bootstrap, groupId: 'srctest', prefix: 'srctest' },
    'worker-a:8083',
  );
  running.push(worker);
  await worker.start();
  return worker;
}

async function stopWorker(worker: ConnectWorker): Promise<void> {
  await worker.stop();
  running.splice(running.indexOf(worker), 1);
}

describe('the PostgreSQL source through the worker', () => {
  it('copies rows to a topic as Avro, and resumes from connect-offsets after a restart', async () => {
    await admin.query(
      "INSERT INTO srctest_e2e (name, price) VALUES ('one', 1.10), ('two', 2.20), ('three', NULL)",
    );
    let worker = await launch();
    await worker.putConnectorConfig(
      'pg-source',
      {
        'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
        'connection.url': 'jdbc:postgresql://127.0.0.1:5432/test',
        'connection.user': 'postgres',
        mode: 'incrementing',
        'incrementing.column.name': 'id',
        'table.whitelist': 'srctest_e2e',
        'topic.prefix': 'e2e-',
        'poll.interval.ms': '200',
        'value.converter': 'io.confluent.connect.avro.AvroConverter',
        'value.converter.schema.registry.url': stack.registry.url,
      },
      false,
    );
    await waitForState(worker, 'pg-source', allRunning, 'the source to run');
    await waitFor(
      async () =>
        JSON.stringify((await worker.offsets('pg-source')).offsets) ===
        JSON.stringify([
          { partition: { protocol: '1', table: 'public.srctest_e2e' }, offset: { incrementing: 3 } },
        ]),
      { what: 'the offset after three rows' },
    );
    await stopWorker(worker);

    await admin.query("INSERT INTO srctest_e2e (name, price) VALUES ('four', 4.40)");
    worker = await launch();
    await waitForState(worker, 'pg-source', allRunning, 'the resumed source');
    const records = await readTopic(kafka, 'e2e-srctest_e2e', 4);
    const avro = findConverterPlugin('AvroConverter')?.create(
      { 'schema.registry.url': stack.registry.url },
      false,
      {},
    );
    const values = [];
    for (const record of records)
      values.push((await avro?.toConnectData('e2e-srctest_e2e', record.value ?? null, []))?.value);
    expect(values).toEqual([
      { id: 1, name: 'one', price: '1.10' },
      { id: 2, name: 'two', price: '2.20' },
      { id: 3, name: 'three', price: null },
      { id: 4, name: 'four', price: '4.40' },
    ]);
    // Nothing more arrives: the first three rows were not sent again.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const described = await kafka.topics.describe('e2e-srctest_e2e');
    expect(described.partitions.reduce((sum, partition) => sum + partition.messages, 0n)).toBe(4n);
    await stopWorker(worker);
  });
});
