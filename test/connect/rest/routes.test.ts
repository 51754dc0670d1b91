// Every route of the REST API: its status code and body shape, as Kafka Connect gives them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/service/index.js';
import { startConnect, type RunningConnect } from '../../../src/connect/service.js';
import { createMemoryWorker } from './memory-worker.js';

const SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector';

let connect: RunningConnect;

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

beforeAll(async () => {
  connect = await startConnect({
    bootstrapServers: '127.0.0.1:1',
    port: 0,
    logger: silentLogger(),
    createWorker: createMemoryWorker,
  });
});
afterAll(async () => connect?.stop());

describe('the connect REST API', () => {
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
    const created = await call('POST', '/connectors', {
      name: 'files',
      config: { 'connector.class': SINK, 'tasks.max': 2, topics: 'orders', file: '/tmp/out' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${connect.url}/connectors/files`);
    expect(created.body).toEqual({
      name: 'files',
      config: {
        'connector.class': SINK,
        'tasks.max': '2',
        topics: 'orders',
        file: '/tmp/out',
        name: 'files',
      },
      tasks: [
        { connector: 'files', task: 0 },
        { connector: 'files', task: 1 },
      ],
      type: 'sink',
    });
    const again = await call('POST', '/connectors', { name: 'files', config: { 'connector.class': SINK } });
    expect(again).toEqual({
      status: 409,
      headers: again.headers,
      body: { error_code: 409, message: 'Connector files already exists' },
    });
  });

  it('refuses a bad create with 400 and a message that says what to send', async () => {
    const mismatch = await call('POST', '/connectors', {
      name: 'a',
      config: { name: 'b', 'connector.class': SINK },
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body).toMatchObject({
      error_code: 400,
      message: expect.stringContaining(
        "Connector name configuration (b) doesn't match connector name in the URL (a)",
      ),
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
    expect(unknownClass).toMatchObject({ status: 400, body: { error_code: 400 } });
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
    expect(Object.keys((info.body as { files: object }).files)).toEqual(['info']);
    const both = await call('GET', '/connectors?expand=status&expand=info');
    expect(Object.keys((both.body as { files: object }).files).sort()).toEqual(['info', 'status']);
    const unknown = await call('GET', '/connectors?expand=nothing');
    expect(unknown.body).toEqual({ files: {} });
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
    expect((tasks.body as { id: unknown }[])[1].id).toEqual({ connector: 'files', task: 1 });
    expect(await call('GET', '/connectors/files/tasks/1/status')).toEqual({
      status: 200,
      headers: expect.anything(),
      body: { id: 1, state: 'RUNNING', worker_id: connect.workerId },
    });
    for (const path of [
      '/connectors/nope',
      '/connectors/nope/config',
      '/connectors/nope/status',
      '/connectors/nope/tasks',
    ])
      expect(await call('GET', path), path).toMatchObject({
        status: 404,
        body: { error_code: 404, message: 'Connector nope not found' },
      });
    expect(await call('GET', '/connectors/files/tasks/x/status')).toMatchObject({
      status: 404,
      body: { error_code: 404 },
    });
  });

  it('PUT config creates (201) or replaces (200); PATCH changes and removes keys', async () => {
    const created = await call('PUT', '/connectors/second/config', { 'connector.class': SINK, topics: 'a' });
    expect(created).toMatchObject({ status: 201, body: { name: 'second', config: { name: 'second' } } });
    const replaced = await call('PUT', '/connectors/second/config', { 'connector.class': SINK, topics: 'b' });
    expect(replaced).toMatchObject({ status: 200, body: { config: { topics: 'b' } } });
    const mismatch = await call('PUT', '/connectors/second/config', {
      name: 'other',
      'connector.class': SINK,
    });
    expect(mismatch).toMatchObject({ status: 400, body: { error_code: 400 } });
    const patched = await call('PATCH', '/connectors/second/config', {
      topics: 'c',
      file: '/tmp/x',
      unused: null,
    });
    expect(patched).toMatchObject({ status: 200, body: { config: { topics: 'c', file: '/tmp/x' } } });
    const removed = await call('PATCH', '/connectors/second/config', { file: null });
    expect((removed.body as { config: object }).config).not.toHaveProperty('file');
    expect(await call('PATCH', '/connectors/nope/config', { a: 'b' })).toMatchObject({ status: 404 });
    expect(await call('PUT', '/connectors/second/config', undefined, '[1]')).toMatchObject({ status: 400 });
  });

  it('restart: 204 for the connector alone, 202 with the state when tasks are included', async () => {
    expect(await call('POST', '/connectors/files/restart')).toMatchObject({ status: 204, body: undefined });
    const withTasks = await call('POST', '/connectors/files/restart?includeTasks=true');
    expect(withTasks).toMatchObject({
      status: 202,
      body: { name: 'files', tasks: [{ state: 'RESTARTING' }, { state: 'RESTARTING' }] },
    });
    expect(await call('POST', '/connectors/files/restart?includeTasks=true&onlyFailed=true')).toMatchObject({
      status: 202,
    });
    expect(await call('POST', '/connectors/files/tasks/0/restart')).toMatchObject({
      status: 204,
      body: undefined,
    });
    expect(await call('POST', '/connectors/nope/restart')).toMatchObject({ status: 404 });
  });

  it('pause and resume answer 202, stop 204; offsets change only when stopped', async () => {
    expect(await call('PUT', '/connectors/files/pause')).toMatchObject({ status: 202, body: undefined });
    expect(await call('GET', '/connectors/files/status')).toMatchObject({
      body: { connector: { state: 'PAUSED' } },
    });
    expect(await call('PUT', '/connectors/files/resume')).toMatchObject({ status: 202, body: undefined });
    const offsets = {
      offsets: [{ partition: { kafka_topic: 'orders', kafka_partition: 0 }, offset: { kafka_offset: 5 } }],
    };
    expect(await call('PATCH', '/connectors/files/offsets', offsets)).toMatchObject({ status: 400 });
    expect(await call('PUT', '/connectors/files/stop')).toMatchObject({ status: 204, body: undefined });
    expect(await call('GET', '/connectors/files/offsets')).toMatchObject({
      status: 200,
      body: { offsets: [] },
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
    expect(await call('PUT', '/connectors/nope/pause')).toMatchObject({ status: 404 });
  });

  it('topics and topics/reset', async () => {
    expect(await call('GET', '/connectors/second/topics')).toMatchObject({
      status: 200,
      body: { second: { topics: ['c'] } },
    });
    expect(await call('PUT', '/connectors/second/topics/reset')).toMatchObject({
      status: 202,
      body: undefined,
    });
    expect(await call('GET', '/connectors/nope/topics')).toMatchObject({ status: 404 });
  });

  it('connector plugins, and validating a config', async () => {
    expect(await call('GET', '/connector-plugins')).toMatchObject({
      status: 200,
      body: [{ class: SINK, type: 'sink' }],
    });
    const all = await call('GET', '/connector-plugins?connectorsOnly=false');
    expect((all.body as { type: string }[]).map((plugin) => plugin.type)).toContain('converter');
    const validated = await call('PUT', '/connector-plugins/FileStreamSinkConnector/config/validate', {
      topics: 'x',
    });
    expect(validated).toMatchObject({
      status: 200,
      body: {
        name: 'FileStreamSinkConnector',
        error_count: 1,
        configs: [{ value: { name: 'file', errors: [expect.any(String)] } }],
      },
    });
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
