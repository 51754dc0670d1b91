// `venice schemas` and `venice registry` driven through the built CLI (`npm run build` first), as a
// user would run them.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRegistry } from '../../src/registry/service.js';
import { freePort, startTestBroker, temporaryDataDir } from '../helpers/broker.js';
import { startTestRegistry, type TestBroker } from '../registry/helpers.js';
import { runVenice, startVenice } from './run-venice.js';

let broker: TestBroker;
let registry: RunningRegistry;
let files: string;

beforeAll(async () => {
  broker = await startTestBroker();
  registry = await startTestRegistry(broker.bootstrap);
  files = temporaryDataDir('schemas-cli');
});

afterAll(async () => {
  await registry?.stop();
  await broker?.stop();
});

const schemas = (...args: string[]) =>
  runVenice(['schemas', ...args], { env: { VENICE_REGISTRY_URL: registry.url } });

function file(name: string, content: unknown): string {
  const target = path.join(files, name);
  fs.writeFileSync(target, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return target;
}

const order = (fields: object[]) => ({ type: 'record', name: 'Order', namespace: 'shop', fields });

// Each test runs several CLI processes; on a loaded machine one start takes seconds.
describe('venice schemas', { timeout: 180_000 }, () => {
  it('lists nothing at first, then what was registered, as a table and as JSON', async () => {
    const empty = await schemas();
    expect(empty.code).toBe(0);
    expect(empty.stdout).toMatch(/No schemas yet/);

    const v1 = file('order-v1.avsc', order([{ name: 'id', type: 'string' }]));
    const registered = await schemas('register', 'orders-value', v1);
    expect(registered.code, registered.stderr).toBe(0);
    expect(registered.stdout).toMatch(/Registered orders-value version 1 \(id \d+, AVRO\)/);

    const listed = await runVenice(['-s'], { env: { VENICE_REGISTRY_URL: registry.url } });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/SUBJECT\s+VERSION\s+ID\s+TYPE\s+COMPATIBILITY/);
    expect(listed.stdout).toMatch(/orders-value\s+1\s+\d+\s+AVRO\s+BACKWARD/);

    const json = await schemas('list', '--json', '--registry-url', registry.url);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({
        subject: 'orders-value',
        latestVersion: 1,
        schemaType: 'AVRO',
        compatibility: 'BACKWARD',
      }),
    ]);
  });

  it('check: compatible exits 0, incompatible exits 1 with the reasons', async () => {
    const compatible = file(
      'order-v2.avsc',
      order([
        { name: 'id', type: 'string' },
        { name: 'total', type: 'double', default: 0 },
      ]),
    );
    const ok = await schemas('check', 'orders-value', compatible);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Compatible/);

    const incompatible = file('order-bad.avsc', order([{ name: 'id', type: 'int' }]));
    const bad = await schemas('check', 'orders-value', incompatible);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/Incompatible with orders-value under BACKWARD/);
    expect(bad.stdout).toMatch(/id/);
    const badJson = await schemas('check', 'orders-value', incompatible, '--json');
    expect(badJson.code).toBe(1);
    expect(JSON.parse(badJson.stdout)).toMatchObject({ is_compatible: false, compatibility: 'BACKWARD' });

    const registered = await schemas('register', 'orders-value', compatible, '--json');
    expect(JSON.parse(registered.stdout)).toMatchObject({ subject: 'orders-value', version: 2 });
    const refused = await schemas('register', 'orders-value', incompatible);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/incompatible/i);
  });

  it('show prints a version with its schema', async () => {
    const latest = await schemas('show', 'orders-value');
    expect(latest.code).toBe(0);
    expect(latest.stdout).toMatch(/Version:\s+2 \(of 1, 2\)/);
    expect(latest.stdout).toMatch(/"name": "total"/);
    const first = await schemas('show', 'orders-value', '--version', '1', '--json');
    expect(JSON.parse(first.stdout)).toMatchObject({
      subject: 'orders-value',
      version: 1,
      schemaType: 'AVRO',
    });
  });

  it('config shows and sets the level, globally and per subject', async () => {
    expect((await schemas('config')).stdout).toMatch(/Compatibility of global: BACKWARD/);
    const set = await schemas('config', 'orders-value', '--level', 'full');
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(/Compatibility of orders-value set to FULL/);
    expect(JSON.parse((await schemas('config', 'orders-value', '--json')).stdout)).toEqual({
      subject: 'orders-value',
      compatibility: 'FULL',
    });
    const badLevel = await schemas('config', '--level', 'SIDEWAYS');
    expect(badLevel.code).toBe(2);
  });

  it('registers Protobuf and JSON Schema files, with references', async () => {
    const address = file(
      'address.proto',
      'syntax = "proto3";\npackage shop;\n\nmessage Address {\n  string city = 1;\n}\n',
    );
    expect((await schemas('register', 'address.proto', address)).stdout).toMatch(/PROTOBUF/);
    const customer = file(
      'customer.proto',
      'syntax = "proto3";\npackage shop;\nimport "address.proto";\n\nmessage Customer {\n  Address address = 1;\n}\n',
    );
    const withReference = await schemas(
      'register',
      'customers-value',
      customer,
      '--reference',
      'address.proto=address.proto:1',
    );
    expect(withReference.code, withReference.stderr).toBe(0);
    expect((await schemas('show', 'customers-value')).stdout).toMatch(
      /References:\s+address.proto=address.proto:1/,
    );

    const jsonSchema = file('item.json', { type: 'object', properties: { sku: { type: 'string' } } });
    expect((await schemas('register', 'items-value', jsonSchema)).stdout).toMatch(/JSON\)/);
    const forced = file('item-as-avro.txt', order([{ name: 'sku', type: 'string' }]));
    expect((await schemas('register', 'forced-value', forced, '--type', 'AVRO')).stdout).toMatch(/AVRO\)/);
  });

  it('delete: soft, then permanent, for a version and a subject', async () => {
    const version = await schemas('delete', 'orders-value', '--version', '1');
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/Soft-deleted orders-value version\(s\) 1/);
    const subject = await schemas('delete', 'orders-value');
    expect(subject.stdout).toMatch(/Soft-deleted orders-value version\(s\) 2/);
    const permanent = await schemas('delete', 'orders-value', '--permanent', '--json');
    expect(JSON.parse(permanent.stdout)).toEqual({
      subject: 'orders-value',
      versions: [1, 2],
      permanent: true,
    });
    expect((await schemas('list')).stdout).not.toMatch(/orders-value/);
  });

  it('exit codes: 4 for an unknown subject, 2 for bad arguments, 3 with a hint when unreachable', async () => {
    const missing = await schemas('show', 'nope-value');
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/Subject 'nope-value' not found/);

    expect((await schemas('register', 'x', 'file.avsc', '--type', 'XML')).code).toBe(2);
    expect((await schemas('show', 'x', '--version', 'zero')).code).toBe(2);
    expect((await schemas('register', 'x', path.join(files, 'missing.avsc'))).code).toBe(2);

    const port = await freePort();
    const unreachable = await runVenice(['schemas', '--registry-url', `http://127.0.0.1:${port}`]);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toMatch(/cannot reach the schema registry/);
    expect(unreachable.stderr).toMatch(/venice up/);
  });
});

describe('venice registry', { timeout: 180_000 }, () => {
  it('runs the service in the foreground, healthy on /health, and stops on SIGTERM', async () => {
    // Port 0: the service binds a free port itself and logs its URL, so no other process can take it first.
    const service = startVenice([
      'registry',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--bootstrap-servers',
      broker.bootstrap,
    ]);
    try {
      await service.waitForOutput(/schema registry listening on http:\/\/[^:\s]+:\d+/);
      const url = /schema registry listening on (http:\/\/[^:\s]+:\d+)/.exec(service.output())![1];
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', component: 'registry' });
      // It serves what the in-process registry wrote to the same topic.
      const subjects = await fetch(`${url}/subjects`);
      expect(await subjects.json()).toContain('customers-value');
    } finally {
      service.child.kill('SIGTERM');
    }
    expect(await service.exited).toBe(0);
  });

  it('exits 3 with a hint when Kafka cannot be reached', async () => {
    const kafkaPort = await freePort();
    const result = await runVenice(
      ['registry', '--port', '0', '--bootstrap-servers', `127.0.0.1:${kafkaPort}`, '--start-timeout', '1000'],
      { timeoutMs: 60_000 },
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/cannot reach Kafka/);
  });
});
