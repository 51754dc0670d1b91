// `--format table|json|yaml` and its alias `--json`, on listings and descriptions of every noun, run
// through the built CLI against a real broker and registry. JSON and YAML carry the same values.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { RunningRegistry } from '../../src/registry/service.js';
import { startTestBroker, temporaryDataDir } from '../helpers/broker.js';
import { startTestRegistry, type TestBroker } from '../registry/helpers.js';
import { runVenice } from './run-venice.js';

let broker: TestBroker;
let registry: RunningRegistry;

beforeAll(async () => {
  broker = await startTestBroker();
  registry = await startTestRegistry(broker.bootstrap);
});
afterAll(async () => {
  await registry?.stop();
  await broker?.stop();
});

const venice = async (...args: string[]) => {
  const result = await runVenice(args, {
    env: { VENICE_BOOTSTRAP_SERVERS: broker.bootstrap, VENICE_REGISTRY_URL: registry.url },
  });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
};

describe('output formats', { timeout: 180_000 }, () => {
  it('prints topics as a table, JSON (--json or --format json) and YAML with the same values', async () => {
    await venice('topics', 'create', 'formats', '-p', '2');
    await runVenice(['produce', 'formats', '-p', '1', '--quiet', '--bootstrap-servers', broker.bootstrap], {
      input: 'a\nb\nc\n',
    });

    expect(await venice('topics', 'list', '--format', 'table')).toMatch(/NAME\s+PARTITIONS\s+REPLICAS/);
    const viaJson = JSON.parse(await venice('topics', '--json')) as unknown;
    expect(JSON.parse(await venice('topics', 'list', '--format', 'json'))).toEqual(viaJson);
    expect(parseYaml(await venice('topics', '--format', 'yaml'))).toEqual(viaJson);

    const described = await venice('topics', 'describe', 'formats', '--format', 'yaml');
    expect(described).toMatch(/^name: formats$/m);
    const fromYaml = parseYaml(described) as { messages: string; partitions: { highOffset: string }[] };
    // Offsets are strings in YAML as in JSON, so 64-bit values survive either.
    expect(fromYaml).toMatchObject({ messages: '3', partitions: [{ highOffset: '0' }, { highOffset: '3' }] });
    expect(parseYaml(described)).toEqual(JSON.parse(await venice('topics', 'describe', 'formats', '--json')));
  });

  it('prints groups and schemas in YAML too', async () => {
    await venice('consume', 'formats', '-g', 'formats-group', '-e');
    expect(parseYaml(await venice('groups', '--format', 'yaml'))).toContainEqual(
      expect.objectContaining({ id: 'formats-group' }),
    );
    expect(parseYaml(await venice('groups', 'describe', 'formats-group', '--format', 'yaml'))).toMatchObject({
      id: 'formats-group',
      totalLag: '0',
      lagByTopic: [{ topic: 'formats', lag: '0' }],
    });

    const file = path.join(temporaryDataDir('formats-cli'), 'item.avsc');
    fs.writeFileSync(file, JSON.stringify({ type: 'record', name: 'Item', fields: [] }));
    await venice('schemas', 'register', 'items-value', file);
    expect(parseYaml(await venice('schemas', '--format', 'yaml'))).toEqual([
      expect.objectContaining({ subject: 'items-value', latestVersion: 1, schemaType: 'AVRO' }),
    ]);
    expect(parseYaml(await venice('schemas', 'show', 'items-value', '--format', 'yaml'))).toMatchObject({
      subject: 'items-value',
      version: 1,
      versions: [1],
    });
    expect(parseYaml(await venice('schemas', 'config', '--format', 'yaml'))).toEqual({
      subject: null,
      compatibility: 'BACKWARD',
    });
  });

  it('refuses --json with --format, and an unknown format, as usage errors', async () => {
    const both = await runVenice(['topics', '--json', '--format', 'yaml']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--json.*cannot be used with.*--format/);
    const unknown = await runVenice(['groups', 'list', '--format', 'xml']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/table, json, yaml/);
  });
});
