// Issue #8, "ids and _schemas are sacred": each reproduction from the issue, against a real broker.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka } from '../../src/client/index.js';
import type { RunningRegistry } from '../../src/registry/service.js';
import { freePort } from '../helpers/broker.js';
import { apiOf, avroRecord, call, startBrokerAndRegistry, startTestRegistry } from './helpers.js';

let setup: Awaited<ReturnType<typeof startBrokerAndRegistry>>;
let api: ReturnType<typeof apiOf>;

beforeAll(async () => {
  setup = await startBrokerAndRegistry();
  api = apiOf(setup.registry);
});

afterAll(async () => {
  await setup?.stop();
});

describe('IMPORT ids', () => {
  it('refuses an id that does not fit the 4 bytes of the wire format, and new ids stay distinct', async () => {
    expect((await api('PUT', '/mode', { mode: 'IMPORT' })).status).toBe(200);
    for (const id of [9007199254740992, 2 ** 31, 0, -1]) {
      const refused = await api<{ error_code: number; message: string }>('POST', '/subjects/imp/versions', {
        schema: '"bytes"',
        id,
        version: 1,
      });
      expect(refused.status, `id ${id}`).toBe(422);
      expect(refused.body.error_code).toBe(42205);
      expect(refused.body.message).toContain('2147483647');
    }
    const highest = await api<{ id: number }>('POST', '/subjects/imp/versions', {
      schema: '"bytes"',
      id: 2 ** 31 - 1,
      version: 1,
    });
    expect(highest.body).toEqual({ id: 2 ** 31 - 1 });
    expect((await api('PUT', '/mode', { mode: 'READWRITE' })).status).toBe(200);

    const ids = new Set<number>([2 ** 31 - 1]);
    for (const name of ['A', 'B', 'C']) {
      const subject = `unrelated-${name}`;
      const schema = avroRecord(name, [{ name: 'field', type: 'string' }]);
      const registered = await api<{ id: number }>('POST', `/subjects/${subject}/versions`, { schema });
      expect(registered.status).toBe(200);
      expect(registered.body.id).toBeLessThanOrEqual(2 ** 31 - 1);
      expect(ids.has(registered.body.id)).toBe(false);
      ids.add(registered.body.id);
      const latest = await api<{ schema: string }>('GET', `/subjects/${subject}/versions/latest`);
      expect(JSON.parse(latest.body.schema)).toMatchObject({ name });
    }
  });
});

/** Sends raw HTTP (for what fetch would refuse to send) and returns the status line and the body. */
function rawRequest(port: number, request: string): Promise<{ statusLine: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head, body = ''] = received.split('\r\n\r\n');
      resolve({ statusLine: head.split('\r\n')[0], body });
    });
  });
}

describe('long subjects and HTTP-level errors', () => {
  it('serves a subject of 255 characters: a 249-character topic and -value', async () => {
    const subject = `${'t'.repeat(249)}-value`;
    const schema = avroRecord('Long', [{ name: 'field', type: 'string' }]);
    const registered = await api<{ id: number }>('POST', `/subjects/${subject}/versions`, { schema });
    expect(registered.status).toBe(200);
    const latest = await api<{ subject: string }>('GET', `/subjects/${subject}/versions/latest`);
    expect(latest.status).toBe(200);
    expect(latest.body.subject).toBe(subject);
  });

  it('answers a bad URL encoding in Confluent shape', async () => {
    const response = await api<{ error_code: number; message: string }>('GET', '/subjects/%E0%A4%A/versions');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error_code: 400, message: expect.any(String) });
  });

  it('answers an over-long path parameter in Confluent shape', async () => {
    const response = await api<{ error_code: number }>('GET', `/subjects/${'x'.repeat(5000)}/versions`);
    expect(response.status).toBe(414);
    expect(response.body).toEqual({ error_code: 414, message: expect.any(String) });
  });

  it('answers headers too large in Confluent shape', async () => {
    const { statusLine, body } = await rawRequest(
      setup.registry.port,
      `GET /subjects HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(JSON.parse(body)).toEqual({ error_code: 431, message: expect.any(String) });
  });
});

describe('secrets in --primary-url', () => {
  it('are redacted in /health and used as Basic auth to forward writes', async () => {
    const primary = new URL(setup.registry.url);
    primary.username = 'user';
    primary.password = 's3cret';
    const follower = await startTestRegistry(setup.broker.bootstrap, { primaryUrl: primary.toString() });
    try {
      const health = await call(follower.url, 'GET', '/health');
      expect(health.text).not.toContain('s3cret');
      expect(health.body).toMatchObject({ primary: expect.stringContaining('user:***@') });
      const schema = avroRecord('Forwarded', [{ name: 'field', type: 'string' }]);
      const forwarded = await call(follower.url, 'POST', '/subjects/forwarded-value/versions', { schema });
      expect(forwarded.status).toBe(200);
    } finally {
      await follower.stop();
    }
  });

  it('are redacted in the error body when the primary cannot be reached', async () => {
    const follower = await startTestRegistry(setup.broker.bootstrap, {
      primaryUrl: `http://user:s3cret@127.0.0.1:${await freePort()}`,
    });
    try {
      const schema = avroRecord('Unreached', [{ name: 'field', type: 'string' }]);
      const failed = await call(follower.url, 'POST', '/subjects/unreached-value/versions', { schema });
      expect(failed.status).toBe(500);
      expect(failed.body).toMatchObject({ error_code: 50003 });
      expect(failed.text).not.toContain('s3cret');
    } finally {
      await follower.stop();
    }
  });
});

describe('_schemas deleted or recreated under the registry', () => {
  async function registryWithOneSchema(topic: string): Promise<{ registry: RunningRegistry; id: number }> {
    const registry = await startTestRegistry(setup.broker.bootstrap, { topic });
    const schema = avroRecord('Kept', [{ name: 'field', type: 'string' }]);
    const registered = await call<{ id: number }>(registry.url, 'POST', '/subjects/kept-value/versions', {
      schema,
    });
    expect(registered.status).toBe(200);
    return { registry, id: registered.body.id };
  }

  async function withKafka<T>(work: (kafka: ReturnType<typeof openKafka>) => Promise<T>): Promise<T> {
    const kafka = openKafka({ bootstrapServers: setup.broker.bootstrap, clientId: 'integrity-test' });
    try {
      return await work(kafka);
    } finally {
      await kafka.close();
    }
  }

  async function expectWritesRefused(registry: RunningRegistry): Promise<void> {
    const schema = avroRecord('After', [{ name: 'field', type: 'string' }]);
    const refused = await call<{ error_code: number; message: string }>(
      registry.url,
      'POST',
      '/subjects/after-value/versions',
      { schema },
    );
    expect(refused.status).toBe(500);
    expect(refused.body.error_code).toBe(50002);
    expect(refused.body.message).toContain('is no longer the log this registry was built from');
  }

  async function waitForFailingHealth(registry: RunningRegistry): Promise<{ error: string }> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const health = await call<{ status: string; error: string }>(registry.url, 'GET', '/health');
      if (health.status === 503 && health.body.error?.includes('no longer the log')) return health.body;
      if (Date.now() > deadline) throw new Error(`/health did not report the lost topic: ${health.text}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('a write right after the delete is refused, not acknowledged into a new empty topic', async () => {
    const topic = '_schemas_deleted_then_written';
    const { registry, id } = await registryWithOneSchema(topic);
    try {
      await withKafka((kafka) => kafka.topics.delete([topic]));
      await expectWritesRefused(registry);
      await waitForFailingHealth(registry);
      // What was read is still served.
      expect((await call(registry.url, 'GET', `/schemas/ids/${id}`)).status).toBe(200);
    } finally {
      await registry.stop();
    }
  });

  it('a topic recreated under the same name is noticed by its topic id', async () => {
    const topic = '_schemas_recreated';
    const { registry } = await registryWithOneSchema(topic);
    try {
      await withKafka(async (kafka) => {
        await kafka.topics.delete([topic]);
        await kafka.topics.create({ name: topic, partitions: 1, configs: { 'cleanup.policy': 'compact' } });
      });
      const health = await waitForFailingHealth(registry);
      expect(health.error).toMatch(/deleted/);
      await expectWritesRefused(registry);
    } finally {
      await registry.stop();
    }
  });
});
