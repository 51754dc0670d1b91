// `venice connectors` as a user runs it: real CLI processes against a connect worker's REST API.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnect, type RunningConnect } from '../../src/connect/service.js';
import { silentLogger } from '../../src/service/index.js';
import { createMemoryWorker } from '../connect/rest/memory-worker.js';
import { runVenice } from './run-venice.js';

const SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector';

describe('venice connectors', () => {
  let connect: RunningConnect;
  const venice = (args: string[], input?: string) =>
    runVenice([...args], { input, env: { VENICE_CONNECT_URL: connect.url } });

  beforeAll(async () => {
    connect = await startConnect({
      bootstrapServers: '127.0.0.1:1',
      port: 0,
      logger: silentLogger(),
      createWorker: createMemoryWorker,
    });
  });
  afterAll(async () => connect?.stop());

  it('says there are none yet, then lists them with states, tasks and the first line of a failure', async () => {
    const empty = await venice(['connectors']);
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toContain('No connectors yet');

    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'venice-connectors-')), 'sink.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        name: 'files',
        config: { 'connector.class': SINK, 'tasks.max': 2, topics: 'orders' },
      }),
    );
    const created = await venice(['connectors', 'new', '--file', file]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toBe(
      'Created sink connector files (2 tasks). Follow it with `venice connectors status files`.\n',
    );

    const table = await venice(['-c']);
    expect(table.stdout.split('\n')[0]).toMatch(/^CONNECTOR\s+TYPE\s+CLASS\s+STATE\s+TASKS\s+ERROR$/);
    expect(table.stdout).toMatch(/files\s+sink\s+FileStreamSinkConnector\s+RUNNING\s+2 RUNNING\s+-/);

    const json = await venice(['connectors', 'list', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ name: 'files', type: 'sink', class: SINK, state: 'RUNNING', error: null }),
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
    const wizard = await venice(['connectors', 'new', '--interactive', '--class', SINK], answers);
    expect(wizard.code, wizard.stderr).toBe(0);
    expect(wizard.stderr).toContain('Topic to read');
    expect(wizard.stderr).toContain('"pk.fields": "payment_id"');
    expect(wizard.stderr).toContain('"value.converter.schemas.enable": "true"');
    expect(wizard.stderr).toContain('Create it? [Y/n]');
    expect(wizard.stdout).toContain('Created sink connector pay');
    const config = (await connect.worker.connectorConfig('pay')) as Record<string, string>;
    expect(config).toMatchObject({
      topics: 'payments',
      'table.name.format': 'payments',
      'pk.mode': 'record_key',
    });

    const declined = await venice(
      ['connectors', 'new', '--interactive', '--class', SINK],
      answers.replace('pay\ny', 'nope\nn'),
    );
    expect(declined.code).toBe(0);
    expect(declined.stderr).toContain('Nothing created.');
    const cut = await venice(['connectors', 'new', '--interactive'], 'sink\n');
    expect(cut.code).toBe(2);
    expect(cut.stderr).toContain('the input ended before the wizard was done');
  });

  it('status, pause, resume, restart and delete', async () => {
    const status = await venice(['connectors', 'status', 'files']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/^files \(sink\)\n/);
    expect(status.stdout).toMatch(/task 1\s+RUNNING\s+127\.0\.0\.1:\d+/);

    expect((await venice(['connectors', 'pause', 'files'])).code).toBe(0);
    expect((await connect.worker.connectorStatus('files')).connector.state).toBe('PAUSED');
    expect((await venice(['connectors', 'resume', 'files'])).code).toBe(0);
    expect((await connect.worker.connectorStatus('files')).connector.state).toBe('RUNNING');

    const alone = await venice(['connectors', 'restart', 'files']);
    expect(alone.stdout).toBe('Restarted files.\n');
    const withTasks = await venice([
      'connectors',
      'restart',
      'files',
      '--include-tasks',
      '--only-failed',
      '--json',
    ]);
    expect(JSON.parse(withTasks.stdout)).toMatchObject({ name: 'files', connector: { state: 'RUNNING' } });

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
