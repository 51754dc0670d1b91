// Every route of the REST API through the real worker and a real broker: its status code and body
// shape, as Kafka Connect gives them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorStateInfo } from '../../../src/connect/api/herder.js';
import { startConnect, type RunningConnect } from '../../../src/connect/service.js';
import { createWorker } from '../../../src/connect/worker/index.js';
import { silentLogger } from '../../../src/service/index.js';
import { startTestBroker } from '../../helpers/broker.js';
import { waitFor } from '../../helpers/wait.js';

const SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector';
/** The records are plain text, so the sink reads them with the StringConverter (the worker's default is JSON). */
const AS_TEXT = { 'value.converter': 'org.apache.kafka.connect.storage.StringConverter' };

let broker: Awaited<ReturnType<typeof startTestBroker>>;
let connect: RunningConnect;
let folder: string;

async function call(method: string, path: string, body?: unknown, raw?: string) {
  const response = await fetch(`${connect.url}${path}`, {
    method,
    headers: body === undefined && raw === undefined ? {} : { 'content-type': 'application/json' },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
  };
}

async function stateOf(name: string): Promise<ConnectorStateInfo> {
  return (await call('GET', `/connectors/${name}/status`)).body as ConnectorStateInfo;
}

function running(name: string, tasks: number) {
  return waitFor(
    async () => {
      const status = await stateOf(name);
      return (
        status.connector.state === 'RUNNING' &&
        status.tasks.length === tasks &&
        status.tasks.every((task) => task.state === 'RUNNING') &&
        status
      );
    },
    { what: `${name} and its ${tasks} task(s) to run`, timeoutMs: 60_000 },
  );
}

beforeAll(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-rest-'));
  broker = await startTestBroker();
  connect = await startConnect({
    bootstrapServers: broker.bootstrap,
    port: 0,
    logger: silentLogger(),
    createWorker: (options) => createWorker(options, { sessionTimeoutMs: 6_000, refreshMs: 200 }),
  });
  const producer = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  await producer.send({ topic: 'orders', messages: [{ value: 'one' }, { value: 'two' }] });
  await producer.disconnect();
}, 120_000);
afterAll(async () => {
  await connect?.stop();
  await broker?.stop();
});

describe('the connect REST API over the real worker', { timeout: 120_000 }, () => {
  it('GET / and GET /health', async () => {
    expect(await call('GET', '/')).toMatchObject({
      status: 200,
      body: { version: expect.any(String), commit: expect.any(String), kafka_cluster_id: expect.any(String) },
    });
    expect(await call('GET', '/health')).toMatchObject({
      status: 200,
      body: { status: 'ok', component: 'connect', workerId: `127.0.0.1:${connect.port}` },
    });
    expect(connect.workerId).toBe(`127.0.0.1:${connect.port}`);
  });

  it('creates a connector: 201 with its info and Location, then 409 for the same name', async () => {
    const file = path.join(folder, 'files.txt');
    const created = await call('POST', '/connectors', {
      name: 'files',
      config: { 'connector.class': SINK, 'tasks.max': 2, topics: 'orders', file, ...AS_TEXT },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.headers.get('location')).toBe(`${connect.url}/connectors/files`);
    expect(created.body).toEqual({
      name: 'files',
      config: {
        'connector.class': SINK,
        'tasks.max': '2',
        topics: 'orders',
        file,
        ...AS_TEXT,
        name: 'files',
      },
      tasks: [
        { connector: 'files', task: 0 },
        { connector: 'files', task: 1 },
      ],
      type: 'sink',
    });
    const again = await call('POST', '/connectors', {
      name: 'files',
      config: { 'connector.class': SINK, topics: 'orders', file },
    });
    expect(again).toMatchObject({
      status: 409,
      body: { error_code: 409, message: 'Connector files already exists' },
    });
    await running('files', 2);
    await waitFor(() => fs.existsSync(file) && fs.readFileSync(file, 'utf8') === 'one\ntwo\n', {
      what: 'the sink to write both records',
      timeoutMs: 60_000,
    });
  });

  it('refuses a bad create with 400 and a message that says what to send', async () => {
    const mismatch = await call('POST', '/connectors', {
      name: 'a',
      config: { name: 'b', 'connector.class': SINK },
    });
    expect(mismatch).toMatchObject({
      status: 400,
      body: {
        error_code: 400,
        message: expect.stringContaining(
          "Connector name configuration (b) doesn't match connector name in the URL (a)",
        ),
      },
    });
    const noConfig = await call('POST', '/connectors', { name: 'a' });
    expect(noConfig).toMatchObject({
      status: 400,
      body: { error_code: 400, message: expect.stringContaining('"config" is missing') },
    });
    const noName = await call('POST', '/connectors', { config: {} });
    expect(noName).toMatchObject({ status: 400, body: { message: expect.stringContaining('needs a name') } });
    const nested = await call('POST', '/connectors', { name: 'a', config: { topics: ['x'] } });
    expect(nested).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('"topics" must be a string') },
    });
    const badJson = await call('POST', '/connectors', undefined, '{"name": "a",');
    expect(badJson).toMatchObject({
      status: 400,
      body: { error_code: 400, message: expect.stringContaining('not valid JSON') },
    });
    const unknownClass = await call('POST', '/connectors', {
      name: 'a',
      config: { 'connector.class': 'Nope' },
    });
    expect(unknownClass).toMatchObject({
      status: 400,
      body: {
        error_code: 400,
        message: expect.stringContaining('Failed to find any class that implements Connector'),
      },
    });
    const badConfig = await call('POST', '/connectors', {
      name: 'a',
      config: { 'connector.class': SINK, topics: 'x' },
    });
    expect(badConfig).toMatchObject({
      status: 400,
      body: { error_code: 400, message: expect.stringContaining('file') },
    });
    expect(await call('GET', '/connectors')).toMatchObject({ body: ['files'] });
  });

  it('lists connectors, with ?expand=status, ?expand=info and both', async () => {
    expect(await call('GET', '/connectors')).toMatchObject({ status: 200, body: ['files'] });
    const status = await call('GET', '/connectors?expand=status');
    expect(status.body).toEqual({
      files: {
        status: {
          name: 'files',
          connector: { state: 'RUNNING', worker_id: connect.workerId },
          tasks: [
            { id: 0, state: 'RUNNING', worker_id: connect.workerId },
            { id: 1, state: 'RUNNING', worker_id: connect.workerId },
          ],
          type: 'sink',
        },
      },
    });
    const info = await call('GET', '/connectors?expand=info');
    expect(info.body).toEqual({ files: { info: expect.objectContaining({ name: 'files', type: 'sink' }) } });
    const both = await call('GET', '/connectors?expand=status&expand=info');
    expect(Object.keys((both.body as { files: object }).files).sort()).toEqual(['info', 'status']);
    expect((await call('GET', '/connectors?expand=nothing')).body).toEqual({ files: {} });
  });

  it('reads a connector, its config, status, tasks and task status; 404 for an unknown one', async () => {
    expect(await call('GET', '/connectors/files')).toMatchObject({
      status: 200,
      body: { name: 'files', type: 'sink' },
    });
    expect(await call('GET', '/connectors/files/config')).toMatchObject({
      status: 200,
      body: { topics: 'orders', name: 'files' },
    });
    expect(await call('GET', '/connectors/files/status')).toMatchObject({
      status: 200,
      body: { name: 'files' },
    });
    const tasks = await call('GET', '/connectors/files/tasks');
    expect(tasks.status).toBe(200);
    expect(tasks.body).toEqual([
      { id: { connector: 'files', task: 0 }, config: expect.objectContaining({ topics: 'orders' }) },
      { id: { connector: 'files', task: 1 }, config: expect.objectContaining({ topics: 'orders' }) },
    ]);
    expect(await call('GET', '/connectors/files/tasks/1/status')).toMatchObject({
      status: 200,
      body: { id: 1, state: 'RUNNING', worker_id: connect.workerId },
    });
    for (const route of [
      '/connectors/nope',
      '/connectors/nope/config',
      '/connectors/nope/status',
      '/connectors/nope/tasks',
    ])
      expect(await call('GET', route), route).toMatchObject({
        status: 404,
        body: { error_code: 404, message: 'Connector nope not found' },
      });
    expect(await call('GET', '/connectors/files/tasks/7/status')).toMatchObject({
      status: 404,
      body: { error_code: 404 },
    });
    expect(await call('GET', '/connectors/files/tasks/x/status')).toMatchObject({
      status: 404,
      body: { error_code: 404 },
    });
  });

  it('PUT config creates (201) or replaces (200); PATCH changes and removes keys', async () => {
    const file = path.join(folder, 'second.txt');
    const created = await call('PUT', '/connectors/second/config', {
      'connector.class': SINK,
      topics: 'orders',
      file,
      ...AS_TEXT,
    });
    expect(created).toMatchObject({ status: 201, body: { name: 'second', config: { name: 'second' } } });
    const replaced = await call('PUT', '/connectors/second/config', {
      'connector.class': SINK,
      topics: 'orders',
      file,
      ...AS_TEXT,
      'tasks.max': '2',
    });
    expect(replaced).toMatchObject({
      status: 200,
      body: { config: { 'tasks.max': '2' }, tasks: [{ task: 0 }, { task: 1 }] },
    });
    const mismatch = await call('PUT', '/connectors/second/config', {
      name: 'other',
      'connector.class': SINK,
      file,
    });
    expect(mismatch).toMatchObject({ status: 400, body: { error_code: 400 } });
    const patched = await call('PATCH', '/connectors/second/config', { 'tasks.max': '1', unused: null });
    expect(patched).toMatchObject({
      status: 200,
      body: { config: { 'tasks.max': '1' }, tasks: [{ task: 0 }] },
    });
    const removed = await call('PATCH', '/connectors/second/config', { 'tasks.max': null });
    expect((removed.body as { config: object }).config).not.toHaveProperty('tasks.max');
    expect(await call('PATCH', '/connectors/nope/config', { a: 'b' })).toMatchObject({ status: 404 });
    expect(await call('PUT', '/connectors/second/config', undefined, '[1]')).toMatchObject({ status: 400 });
  });

  it('restart: 204 for the connector alone, 202 with the state when tasks are included', async () => {
    expect(await call('POST', '/connectors/files/restart')).toMatchObject({ status: 204, body: undefined });
    const withTasks = await call('POST', '/connectors/files/restart?includeTasks=true');
    expect(withTasks).toMatchObject({
      status: 202,
      body: {
        name: 'files',
        connector: { state: 'RESTARTING' },
        tasks: [{ state: 'RESTARTING' }, { state: 'RESTARTING' }],
      },
    });
    const onlyFailed = await call('POST', '/connectors/files/restart?includeTasks=true&onlyFailed=true');
    expect(onlyFailed).toMatchObject({ status: 202, body: { name: 'files' } });
    expect(await call('POST', '/connectors/files/tasks/0/restart')).toMatchObject({
      status: 204,
      body: undefined,
    });
    expect(await call('POST', '/connectors/nope/restart')).toMatchObject({ status: 404 });
    await running('files', 2);
  });

  it('pause and resume answer 202, stop 204; offsets change only when stopped', async () => {
    expect(await call('PUT', '/connectors/files/pause')).toMatchObject({ status: 202, body: undefined });
    await waitFor(async () => (await stateOf('files')).connector.state === 'PAUSED', {
      what: 'files to pause',
    });
    expect(await call('PUT', '/connectors/files/resume')).toMatchObject({ status: 202, body: undefined });
    await running('files', 2);
    const offsets = {
      offsets: [{ partition: { kafka_topic: 'orders', kafka_partition: 0 }, offset: { kafka_offset: 1 } }],
    };
    expect(await call('PATCH', '/connectors/files/offsets', offsets)).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('STOPPED') },
    });
    expect(await call('PUT', '/connectors/files/stop')).toMatchObject({ status: 204, body: undefined });
    await waitFor(async () => (await stateOf('files')).connector.state === 'STOPPED', {
      what: 'files to stop',
    });
    expect(await call('GET', '/connectors/files/offsets')).toMatchObject({
      status: 200,
      body: {
        offsets: [{ partition: { kafka_topic: 'orders', kafka_partition: 0 }, offset: { kafka_offset: 2 } }],
      },
    });
    expect(await call('PATCH', '/connectors/files/offsets', offsets)).toMatchObject({
      status: 200,
      body: { message: 'The offsets for this connector have been altered successfully' },
    });
    expect(await call('GET', '/connectors/files/offsets')).toMatchObject({ body: offsets });
    expect(await call('PATCH', '/connectors/files/offsets', { offsets: [] })).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('Partitions / offsets need to be provided') },
    });
    expect(await call('DELETE', '/connectors/files/offsets')).toMatchObject({
      status: 200,
      body: { message: 'The offsets for this connector have been reset successfully' },
    });
    expect(await call('GET', '/connectors/files/offsets')).toMatchObject({
      status: 200,
      body: { offsets: [] },
    });
    expect(await call('PUT', '/connectors/nope/pause')).toMatchObject({ status: 404 });
  });

  it('topics and topics/reset', async () => {
    expect(await call('GET', '/connectors/files/topics')).toMatchObject({
      status: 200,
      body: { files: { topics: ['orders'] } },
    });
    expect(await call('PUT', '/connectors/files/topics/reset')).toMatchObject({
      status: 202,
      body: undefined,
    });
    expect(await call('GET', '/connectors/files/topics')).toMatchObject({
      status: 200,
      body: { files: { topics: [] } },
    });
    expect(await call('GET', '/connectors/nope/topics')).toMatchObject({ status: 404 });
  });

  it('connector plugins, and validating a config', async () => {
    const plugins = await call('GET', '/connector-plugins');
    expect(plugins.status).toBe(200);
    expect(plugins.body).toContainEqual({ class: SINK, type: 'sink', version: expect.any(String) });
    expect((plugins.body as { type: string }[]).every((plugin) => plugin.type !== 'converter')).toBe(true);
    const all = await call('GET', '/connector-plugins?connectorsOnly=false');
    expect((all.body as { type: string }[]).map((plugin) => plugin.type)).toContain('converter');
    const validated = await call('PUT', '/connector-plugins/FileStreamSinkConnector/config/validate', {
      topics: 'x',
    });
    expect(validated).toMatchObject({
      status: 200,
      body: {
        name: expect.any(String),
        error_count: expect.any(Number),
        groups: expect.any(Array),
        configs: expect.any(Array),
      },
    });
    const file = (
      validated.body as { configs: { value: { name: string; errors: string[] } }[] }
    ).configs.find((config) => config.value.name === 'file');
    expect(file?.value.errors).toEqual([expect.stringContaining('file')]);
    const other = await call('PUT', '/connector-plugins/FileStreamSink/config/validate', {
      'connector.class': 'org.example.JdbcSinkConnector',
    });
    expect(other).toMatchObject({
      status: 400,
      body: {
        message: expect.stringContaining(
          'Included connector type org.example.JdbcSinkConnector does not match request type FileStreamSink',
        ),
      },
    });
    expect(await call('PUT', '/connector-plugins/Nope/config/validate', {})).toMatchObject({ status: 400 });
  });

  it('deletes: 204, then 404', async () => {
    expect(await call('DELETE', '/connectors/second')).toMatchObject({ status: 204, body: undefined });
    expect(await call('DELETE', '/connectors/second')).toMatchObject({
      status: 404,
      body: { error_code: 404, message: 'Connector second not found' },
    });
  });

  it('an unknown path is 404, a known path with another method 405, as Kafka Connect says them', async () => {
    expect(await call('GET', '/nothing')).toMatchObject({
      status: 404,
      body: { error_code: 404, message: 'HTTP 404 Not Found' },
    });
    expect(await call('DELETE', '/connectors')).toMatchObject({
      status: 405,
      body: { error_code: 405, message: 'HTTP 405 Method Not Allowed' },
    });
    expect(await call('POST', '/connectors/files/status')).toMatchObject({ status: 405 });
    expect(await call('GET', '/connectors/')).toMatchObject({ status: 200 });
  });
});
