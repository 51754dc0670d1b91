// `venice connectors` as a user runs it: real CLI processes against a connect worker's REST API.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorStateInfo } from '../../src/connect/api/herder.js';
import { startTestBroker } from '../helpers/broker.js';
import { waitFor } from '../helpers/wait.js';
import { runVenice, startVenice, type VeniceProcess } from './run-venice.js';

const SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector';
const STRING = 'org.apache.kafka.connect.storage.StringConverter';
const POSTGRES_URL = process.env.VENICE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('venice connectors', { timeout: 120_000 }, () => {
  let broker: Awaited<ReturnType<typeof startTestBroker>>;
  let worker: VeniceProcess;
  let url: string;
  let folder: string;
  const venice = (args: string[], input?: string) =>
    runVenice([...args], { input, env: { VENICE_CONNECT_URL: url } });
  const stateOf = async (name: string) =>
    (await (await fetch(`${url}/connectors/${name}/status`)).json()) as ConnectorStateInfo;

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-connectors-'));
    broker = await startTestBroker();
    const producer = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic: 'orders', messages: [{ value: 'not json' }] });
    await producer.disconnect();
    // The real `venice connect`, as `venice up` runs it, on a port of its own choosing.
    worker = startVenice([
      'connect',
      '--port',
      '0',
      '--bootstrap-servers',
      broker.bootstrap,
      '--no-registry',
    ]);
    await worker.waitForOutput(/listening on http:\/\/127\.0\.0\.1:\d+/, 90_000);
    url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(worker.output())![1];
  }, 120_000);
  afterAll(async () => {
    worker?.child.kill('SIGTERM');
    await worker?.exited;
    await broker?.stop();
  });

  it('says there are none yet, then lists them with states, tasks and the first line of a failure', async () => {
    const empty = await venice(['connectors']);
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toContain('No connectors yet');

    const file = path.join(folder, 'files.json');
    const config = {
      'connector.class': SINK,
      'tasks.max': 2,
      topics: 'orders',
      file: path.join(folder, 'out.txt'),
    };
    fs.writeFileSync(
      file,
      JSON.stringify({ name: 'files', config: { ...config, 'value.converter': STRING } }),
    );
    const created = await venice(['connectors', 'new', '--file', file]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toBe(
      'Created sink connector files (2 tasks). Follow it with `venice connectors status files`.\n',
    );
    // The same sink reading the text record as JSON: its task fails on it.
    fs.writeFileSync(file, JSON.stringify({ ...config, name: 'strict', 'tasks.max': 1 }));
    expect((await venice(['connectors', 'new', '--file', file])).code).toBe(0);
    await waitFor(
      async () =>
        (await stateOf('files')).tasks.filter((task) => task.state === 'RUNNING').length === 2 &&
        (await stateOf('strict')).tasks[0]?.state === 'FAILED',
      { what: 'files to run and strict to fail', timeoutMs: 60_000 },
    );

    const table = await venice(['-c']);
    expect(table.stdout.split('\n')[0]).toMatch(/^CONNECTOR\s+TYPE\s+CLASS\s+STATE\s+TASKS\s+ERROR$/);
    expect(table.stdout).toMatch(/files\s+sink\s+FileStreamSinkConnector\s+RUNNING\s+2 RUNNING\s+-\n/);
    expect(table.stdout).toMatch(
      /strict\s+sink\s+FileStreamSinkConnector\s+RUNNING\s+1 FAILED\s+\S.*not valid JSON.*\n/,
    );
    expect(table.stdout.trimEnd().split('\n')).toHaveLength(3); // one line a connector: no stack trace

    const json = await venice(['connectors', 'list', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ name: 'files', type: 'sink', class: SINK, state: 'RUNNING', error: null }),
      expect.objectContaining({ name: 'strict', error: expect.stringContaining('not valid JSON') }),
    ]);
  });

  it('creates from flags, --dry-run prints the config without creating it', async () => {
    const dry = await venice([
      'connectors',
      'new',
      'orders-sink',
      '--topic',
      'orders',
      '--pk-fields',
      'order_id',
      '--value-converter',
      'avro',
      '--dry-run',
      '--json',
    ]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toEqual({
      name: 'orders-sink',
      config: {
        'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
        'tasks.max': '1',
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': 'io.confluent.connect.avro.AvroConverter',
        topics: 'orders',
        'table.name.format': 'orders',
        'insert.mode': 'upsert',
        'pk.mode': 'record_key',
        'pk.fields': 'order_id',
        'auto.create': 'true',
        'auto.evolve': 'true',
      },
    });
    expect((await venice(['connectors', '--json'])).stdout).not.toContain('orders-sink');

    const missing = await venice(['connectors', 'new', '--pk-fields', 'id']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('a sink connector needs --topic <topic>');
  });

  it('walks through the wizard, shows the config, and creates it', async () => {
    // Answers: type, topic, table, primary key from, key column, key converter, value converter, database, name, confirm.
    const answers =
      ['sink', 'payments', '', 'record_key', 'payment_id', 'string', 'json', '', 'pay', 'y'].join('\n') +
      '\n';
    const asFile = ['--class', SINK, '--set', `file=${path.join(folder, 'payments.txt')}`];
    const wizard = await venice(['connectors', 'new', '--interactive', ...asFile], answers);
    expect(wizard.code, wizard.stderr).toBe(0);
    expect(wizard.stderr).toContain('Topic to read');
    expect(wizard.stderr).toContain('"pk.fields": "payment_id"');
    expect(wizard.stderr).toContain('"value.converter.schemas.enable": "true"');
    expect(wizard.stderr).toContain('Create it? [Y/n]');
    expect(wizard.stdout).toContain('Created sink connector pay');
    const config = (await (await fetch(`${url}/connectors/pay/config`)).json()) as Record<string, string>;
    expect(config).toMatchObject({
      topics: 'payments',
      'table.name.format': 'payments',
      'pk.mode': 'record_key',
    });

    const declined = await venice(
      ['connectors', 'new', '--interactive', ...asFile],
      answers.replace('pay\ny', 'nope\nn'),
    );
    expect(declined.code).toBe(0);
    expect(declined.stderr).toContain('Nothing created.');
    const cut = await venice(['connectors', 'new', '--interactive'], 'sink\n');
    expect(cut.code).toBe(2);
    expect(cut.stderr).toContain('the input ended before the wizard was done');
  });

  it('creates a PostgreSQL sink from answers on a pipe, choices by number, and its rows arrive', async () => {
    const suffix = Math.random().toString(36).slice(2, 8);
    const topic = `wizard_orders_${suffix}`;
    const table = `wizard_table_${suffix}`;
    const producer = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [1, 2, 3].map((id) => ({
        key: `o${id}`,
        value: JSON.stringify({ order_id: id, total: id * 2.5 }),
      })),
    });
    await producer.disconnect();
    // Answers: type (by number), topic, table, primary key from (a wrong answer, then by name), its
    // field, key converter, value converter (by name), database, name (the default), confirm (the default).
    const answers = [
      '1',
      topic,
      table,
      'primary',
      'record_value',
      'order_id',
      'string',
      'json-schemaless',
      POSTGRES_URL,
      '',
      '',
    ];
    const wizard = await venice(['connectors', 'new', '--interactive'], answers.join('\n') + '\n');
    expect(wizard.code, wizard.stderr).toBe(0);
    expect(wizard.stderr).toContain('Connector type');
    expect(wizard.stderr).toContain('answer one of: record_key, record_value, kafka, none');
    // The config shown before it is created.
    const shown = JSON.parse(/\n(\{[\s\S]*\})\n\nCreate it\?/.exec(wizard.stderr)![1]) as {
      name: string;
      config: Record<string, string>;
    };
    expect(shown).toEqual({
      name: `${topic}-to-postgres`,
      config: expect.objectContaining({
        'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
        topics: topic,
        'table.name.format': table,
        'pk.mode': 'record_value',
        'pk.fields': 'order_id',
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter.schemas.enable': 'false',
        'connection.url': POSTGRES_URL,
      }),
    });
    expect(wizard.stdout).toContain(`Created sink connector ${topic}-to-postgres`);
    const stored = (await (await fetch(`${url}/connectors/${topic}-to-postgres/config`)).json()) as Record<
      string,
      string
    >;
    expect(stored).toEqual({ ...shown.config, name: shown.name });

    const database = new pg.Client({ connectionString: POSTGRES_URL });
    await database.connect();
    try {
      const rows = await waitFor(
        async () => {
          const result = await database.query<{ order_id: string; total: number }>(
            `SELECT order_id, total FROM "${table}" ORDER BY order_id`,
          );
          return result.rows.length === 3 ? result.rows : null;
        },
        { what: 'the three rows in PostgreSQL', timeoutMs: 60_000, intervalMs: 250 },
      );
      expect(rows.map((row) => [Number(row.order_id), Number(row.total)])).toEqual([
        [1, 2.5],
        [2, 5],
        [3, 7.5],
      ]);
    } finally {
      await venice(['connectors', 'delete', `${topic}-to-postgres`]);
      await database.query(`DROP TABLE IF EXISTS "${table}"`);
      await database.end();
    }
  });

  it('status, pause, resume, restart and delete', async () => {
    const status = await venice(['connectors', 'status', 'files']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/^files \(sink\)\n/);
    expect(status.stdout).toMatch(/task 1\s+RUNNING\s+127\.0\.0\.1:\d+/);

    expect((await venice(['connectors', 'pause', 'files'])).code).toBe(0);
    await waitFor(async () => (await stateOf('files')).connector.state === 'PAUSED', {
      what: 'files to pause',
    });
    expect((await venice(['connectors', 'resume', 'files'])).code).toBe(0);
    await waitFor(async () => (await stateOf('files')).connector.state === 'RUNNING', {
      what: 'files to resume',
    });

    const alone = await venice(['connectors', 'restart', 'files']);
    expect(alone.stdout).toBe('Restarted files.\n');
    const withTasks = await venice([
      'connectors',
      'restart',
      'strict',
      '--include-tasks',
      '--only-failed',
      '--json',
    ]);
    expect(JSON.parse(withTasks.stdout)).toMatchObject({
      name: 'strict',
      connector: { state: 'RUNNING' },
      tasks: [{ id: 0, state: 'RESTARTING' }],
    });

    expect((await venice(['connectors', 'delete', 'files'])).stdout).toBe('Deleted files.\n');
    const gone = await venice(['connectors', 'status', 'files']);
    expect(gone.code).toBe(4);
    expect(gone.stderr).toBe(
      'venice: Connector files not found\n  list the connectors with `venice connectors`\n',
    );
  });

  it('says to run venice up when no worker answers', async () => {
    const down = await runVenice(['connectors'], { env: { VENICE_CONNECT_URL: 'http://127.0.0.1:1' } });
    expect(down.code).toBe(3);
    expect(down.stderr).toContain('cannot reach the connect worker at http://127.0.0.1:1');
    expect(down.stderr).toContain('`venice up`');
    const flag = await runVenice(['connectors', 'status', 'x', '--connect-url', 'http://127.0.0.1:1']);
    expect(flag.code).toBe(3);
  });
});
