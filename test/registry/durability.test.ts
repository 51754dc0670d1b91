// What the `_schemas` log guarantees: one id for concurrent registrations of one schema, ids and
// versions that survive a restart, and a second instance that follows the first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka } from '../../src/client/index.js';
import { decodeRecord } from '../../src/registry/store/log-records.js';
import type { RunningRegistry } from '../../src/registry/service.js';
import { startTestBroker } from '../helpers/broker.js';
import { waitFor } from '../helpers/wait.js';
import { apiOf, avroRecord, call, startTestRegistry, type TestBroker } from './helpers.js';

let broker: TestBroker;
const running: RunningRegistry[] = [];

beforeAll(async () => {
  broker = await startTestBroker();
});

afterAll(async () => {
  for (const registry of running) await registry.stop();
  await broker?.stop();
});

async function registryOn(topic: string, primaryUrl?: string): Promise<RunningRegistry> {
  const registry = await startTestRegistry(broker.bootstrap, { topic, primaryUrl });
  running.push(registry);
  return registry;
}

describe('concurrency', () => {
  it('20 parallel registrations of one schema get one id and one version', async () => {
    const registry = await registryOn('_schemas_concurrent');
    const api = apiOf(registry);
    const schema = avroRecord('Concurrent', [{ name: 'a', type: 'string' }]);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        api<{ id: number }>('POST', '/subjects/concurrent-value/versions', { schema }),
      ),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect((await api('GET', '/subjects/concurrent-value/versions')).body).toEqual([1]);
  });

  it('parallel registrations of distinct schemas get distinct, dense ids', async () => {
    const registry = await registryOn('_schemas_distinct');
    const api = apiOf(registry);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        api<{ id: number }>('POST', `/subjects/distinct-${index}/versions`, {
          schema: avroRecord(`Distinct${index}`, [{ name: 'a', type: 'string' }]),
        }),
      ),
    );
    expect(answers.map((answer) => answer.body.id).sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
  });
});

describe('restart', () => {
  it('a new instance on the same topic keeps ids, versions, configs, modes and deletes', async () => {
    const topic = '_schemas_restart';
    const first = await registryOn(topic);
    const api = apiOf(first);
    const ids: number[] = [];
    for (let version = 1; version <= 3; version++) {
      const fields = Array.from({ length: version }, (_, index) => ({
        name: `f${index}`,
        type: 'string',
        default: '',
      }));
      const answer = await api<{ id: number }>('POST', '/subjects/restart-value/versions', {
        schema: avroRecord('Restart', fields),
      });
      ids.push(answer.body.id);
    }
    await api('POST', '/subjects/restart-gone/versions', {
      schema: avroRecord('Gone', [{ name: 'g', type: 'int' }]),
    });
    await api('DELETE', '/subjects/restart-gone');
    await api('DELETE', '/subjects/restart-value/versions/2');
    await api('PUT', '/config/restart-value', { compatibility: 'FULL' });
    await api('PUT', '/mode/restart-value', { mode: 'READONLY' });
    const before = {
      latest: (await api('GET', '/subjects/restart-value/versions/latest')).body,
      versions: (await api('GET', '/subjects/restart-value/versions?deleted=true')).body,
      subjects: (await api('GET', '/subjects?deleted=true')).body,
    };
    await first.stop();

    const second = await registryOn(topic);
    const again = apiOf(second);
    expect((await again('GET', '/subjects/restart-value/versions/latest')).body).toEqual(before.latest);
    expect((await again('GET', '/subjects/restart-value/versions?deleted=true')).body).toEqual(
      before.versions,
    );
    expect((await again('GET', '/subjects/restart-value/versions')).body).toEqual([1, 3]);
    expect((await again('GET', '/subjects?deleted=true')).body).toEqual(before.subjects);
    expect((await again('GET', '/subjects')).body).not.toContain('restart-gone');
    for (const [index, id] of ids.entries())
      expect((await again('GET', `/schemas/ids/${id}/versions?deleted=true`)).body).toEqual([
        { subject: 'restart-value', version: index + 1 },
      ]);
    expect((await again('GET', '/config/restart-value')).body).toEqual({ compatibilityLevel: 'FULL' });
    expect((await again('GET', '/mode/restart-value')).body).toEqual({ mode: 'READONLY' });
    // The next id continues after the highest one before the restart.
    const next = await again<{ id: number }>('POST', '/subjects/restart-next/versions', {
      schema: avroRecord('Next', [{ name: 'n', type: 'int' }]),
    });
    expect(next.body.id).toBe(Math.max(...ids) + 2);
  });

  it('writes Confluent-layout records to the topic', async () => {
    const topic = '_schemas_layout';
    const registry = await registryOn(topic);
    const schema = avroRecord('Layout', [{ name: 'l', type: 'string' }]);
    await call(registry.url, 'POST', '/subjects/layout-value/versions', { schema });
    await call(registry.url, 'PUT', '/config/layout-value', { compatibility: 'NONE' });
    const kafka = openKafka({ bootstrapServers: broker.bootstrap });
    try {
      const described = await kafka.topics.describe(topic);
      expect(described.partitions).toHaveLength(1);
      expect(described.configs.find((config) => config.name === 'cleanup.policy')?.value).toBe('compact');
      const records = [];
      for await (const record of kafka.consume({ topic, from: { kind: 'beginning' }, stopAtEnd: true }))
        records.push(record);
      const keys = records.map((record) => JSON.parse(record.key?.toString() ?? 'null'));
      expect(keys).toContainEqual({ keytype: 'SCHEMA', subject: 'layout-value', version: 1, magic: 1 });
      expect(keys).toContainEqual({ keytype: 'CONFIG', subject: 'layout-value', magic: 0 });
      const schemaRecord = records.find((record) => record.key?.toString().includes('"SCHEMA"'));
      expect(JSON.parse(schemaRecord?.value?.toString() ?? '{}')).toEqual({
        subject: 'layout-value',
        version: 1,
        id: 1,
        schema,
        deleted: false,
      });
      expect(decodeRecord(schemaRecord?.key ?? null, schemaRecord?.value ?? null)).toMatchObject({
        kind: 'schema',
        subject: 'layout-value',
      });
    } finally {
      await kafka.close();
    }
  });
});

describe('second instance', () => {
  it('a follower answers reads from the topic and forwards writes to the primary', async () => {
    const topic = '_schemas_follower';
    const primary = await registryOn(topic);
    const follower = await registryOn(topic, primary.url);
    const toPrimary = apiOf(primary);
    const toFollower = apiOf(follower);
    expect((await toFollower('GET', '/health')).body).toMatchObject({
      role: 'follower',
      primary: primary.url,
    });

    // A write on the primary shows up on the follower.
    const schema = avroRecord('Followed', [{ name: 'f', type: 'string' }]);
    const registered = await toPrimary<{ id: number }>('POST', '/subjects/followed-value/versions', {
      schema,
    });
    const seen = await waitFor(
      async () => {
        const latest = await toFollower<{ id: number }>('GET', '/subjects/followed-value/versions/latest');
        return latest.status === 200 && latest;
      },
      { what: 'the follower to read the schema registered on the primary', intervalMs: 100 },
    );
    expect(seen.body).toMatchObject({ id: registered.body.id, version: 1 });

    // A write on the follower goes to the primary and is readable on both at once.
    const v2 = avroRecord('Followed', [
      { name: 'f', type: 'string' },
      { name: 'g', type: 'string', default: '' },
    ]);
    const forwarded = await toFollower<{ id: number }>('POST', '/subjects/followed-value/versions', {
      schema: v2,
    });
    expect(forwarded.status).toBe(200);
    expect((await toFollower('GET', '/subjects/followed-value/versions/2')).body).toMatchObject({
      id: forwarded.body.id,
    });
    expect((await toPrimary('GET', '/subjects/followed-value/versions/2')).body).toMatchObject({
      id: forwarded.body.id,
    });
    // Errors come back from the primary as they are.
    const incompatible = await toFollower('POST', '/subjects/followed-value/versions', {
      schema: avroRecord('Followed', [{ name: 'f', type: 'int' }]),
    });
    expect(incompatible.status).toBe(409);
    const config = await toFollower('PUT', '/config/followed-value', { compatibility: 'NONE' });
    expect(config.body).toEqual({ compatibility: 'NONE' });
    expect((await toFollower('GET', '/config/followed-value')).body).toEqual({ compatibilityLevel: 'NONE' });

    // With the primary gone, reads still work and writes fail with 50003 naming the primary.
    await primary.stop();
    expect((await toFollower('GET', '/subjects/followed-value/versions')).body).toEqual([1, 2]);
    const refused = await toFollower<{ error_code: number; message: string }>(
      'POST',
      '/subjects/followed-value/versions',
      { schema: avroRecord('Another', [{ name: 'x', type: 'string' }]) },
    );
    expect(refused.status).toBe(500);
    expect(refused.body.error_code).toBe(50003);
    expect(refused.body.message).toContain(primary.url);
  });
});
