// `venice produce --generate`: Avro records through the real registry and broker, read back and
// decoded; JSON at a target rate; Ctrl-C; and the errors bad input gets.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, type Kafka } from '../../src/client/index.js';
import type { RunningRegistry } from '../../src/registry/service.js';
import { Serdes, SchemaRegistryClient } from '../../src/serdes/index.js';
import { startTestBroker } from '../helpers/broker.js';
import { startTestRegistry, type TestBroker } from '../registry/helpers.js';
import { runVenice, startVenice } from './run-venice.js';

const ORDER_SCHEMA = path.resolve('templates/ecommerce/schemas/order.avsc');
let broker: TestBroker;
let registry: RunningRegistry;
let kafka: Kafka;
const addresses = () => ['--bootstrap-servers', broker.bootstrap, '--registry-url', registry.url];

beforeAll(async () => {
  broker = await startTestBroker();
  registry = await startTestRegistry(broker.bootstrap);
  kafka = openKafka({ bootstrapServers: broker.bootstrap, clientId: 'produce-generate-test' });
});

afterAll(async () => {
  await kafka?.close();
  await registry?.stop();
  await broker?.stop();
});

async function readAll(topic: string): Promise<{ key: string | null; value: Buffer }[]> {
  const records: { key: string | null; value: Buffer }[] = [];
  for await (const record of kafka.consume({ topic, from: { kind: 'beginning' }, stopAtEnd: true }))
    records.push({ key: record.key?.toString() ?? null, value: record.value! });
  return records;
}

function schemaFile(name: string, text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'venice-datagen-')), name);
  fs.writeFileSync(file, text);
  return file;
}

describe('venice produce --generate', { timeout: 180_000 }, () => {
  it('produces 500 Avro orders registered under <topic>-value, which decode through the registry', async () => {
    const produced = await runVenice(
      [
        'produce',
        'orders',
        '--generate',
        '--schema',
        ORDER_SCHEMA,
        '--count',
        '500',
        '--key-field',
        'order_id',
        '--seed',
        '42',
        '--json',
        ...addresses(),
      ],
      { timeoutMs: 60_000 },
    );
    expect(produced.code, produced.stderr).toBe(0);
    expect(JSON.parse(produced.stdout)).toMatchObject({
      topic: 'orders',
      records: 500,
      errors: 0,
      format: 'avro',
    });

    const serdes = new Serdes(new SchemaRegistryClient({ url: registry.url }));
    const latest = await serdes.client.getLatest('orders-value');
    const records = await readAll('orders');
    expect(records).toHaveLength(500);
    for (const record of records) {
      const decoded = await serdes.decode(record.value);
      expect(decoded.schemaId).toBe(latest.id);
      const order = decoded.value as Record<string, number | string>;
      expect(record.key).toBe(order.order_id);
      expect(order.order_id).toMatch(/^o-[0-9a-f]{12}$/);
      expect(order.customer_id).toMatch(/^c-\d\d$/);
      expect(order.seller_id).toMatch(/^s-\d$/);
      expect(order.product_id).toMatch(/^p-\d\d$/);
      expect(order.quantity).toBeGreaterThanOrEqual(1);
      expect(order.quantity).toBeLessThanOrEqual(5);
      expect(order.price_in_cents).toBeGreaterThanOrEqual(199);
      expect(Math.abs(Number(order.timestamp) - Date.now())).toBeLessThan(10 * 60_000);
    }
  });

  it('holds a target rate, loosely, writing plain JSON', async () => {
    const schema = schemaFile(
      'user.json',
      JSON.stringify({
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          email: { type: 'string', format: 'email' },
          age: { type: 'integer', minimum: 18, maximum: 99 },
        },
      }),
    );
    const produced = await runVenice([
      'produce',
      'users',
      '--generate',
      '--schema',
      schema,
      '--rate',
      '200',
      '--duration',
      '2s',
      '--bootstrap-servers',
      broker.bootstrap,
    ]);
    expect(produced.code, produced.stderr).toBe(0);
    const count = Number(/Produced (\d+) record/.exec(produced.stdout)?.[1]);
    // Loose on purpose: a loaded machine produces fewer in 2 s; the ceiling shows the rate is held.
    expect(count).toBeGreaterThanOrEqual(50);
    expect(count).toBeLessThanOrEqual(500);
    const records = await readAll('users');
    expect(records).toHaveLength(count);
    const user = JSON.parse(records[0].value.toString()) as { email: string; age: number };
    expect(user.email).toMatch(/@/);
    expect(user.age).toBeGreaterThanOrEqual(18);
  });

  it('stops cleanly on Ctrl-C, printing the total, with a progress line while it runs', async () => {
    const running = startVenice([
      'produce',
      'endless',
      '--generate',
      '--schema',
      ORDER_SCHEMA,
      '--format',
      'json',
      '--rate',
      '500',
      ...addresses(),
    ]);
    await running.waitForOutput(/sent [\d,]+ records · [\d,]+\/s · 0 errors/, 30_000);
    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
    const total = Number(/Produced (\d+) record/.exec(running.output())?.[1]);
    expect(total).toBeGreaterThan(0);
    expect(await readAll('endless')).toHaveLength(total);
  });

  it('refuses bad input with what to do', async () => {
    const notASchema = schemaFile(
      'bad.avsc',
      '{"type": "record", "name": "R", "fields": [{"name": "a", "type": "foo"}]}',
    );
    const bad = await runVenice(['produce', 't', '--generate', '--schema', notASchema, ...addresses()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a valid Avro schema.*foo/);
    const notJson = await runVenice([
      'produce',
      't',
      '--generate',
      '--schema',
      schemaFile('x.json', 'hello'),
      ...addresses(),
    ]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('is not JSON');
    const zeroRate = await runVenice([
      'produce',
      't',
      '--generate',
      '--schema',
      ORDER_SCHEMA,
      '--rate',
      '0',
      ...addresses(),
    ]);
    expect(zeroRate.code).not.toBe(0);
    expect(zeroRate.stderr).toContain('leave --rate out');
    const noSchema = await runVenice(['produce', 't', '--generate', ...addresses()]);
    expect(noSchema.stderr).toContain('--generate needs --schema');
    const noField = await runVenice([
      'produce',
      't',
      '--generate',
      '--schema',
      ORDER_SCHEMA,
      '--key-field',
      'nope',
      ...addresses(),
    ]);
    expect(noField.stderr).toMatch(/no such field; its fields are order_id, customer_id/);
    const avroFromJsonSchema = await runVenice([
      'produce',
      't',
      '--generate',
      '--schema',
      schemaFile('u.json', '{"type":"object","properties":{"a":{"type":"string"}}}'),
      '--format',
      'avro',
      ...addresses(),
    ]);
    expect(avroFromJsonSchema.stderr).toContain('use --format json with a JSON Schema');
    const noBroker = await runVenice([
      'produce',
      't',
      '--generate',
      '--schema',
      ORDER_SCHEMA,
      '--format',
      'json',
      '--count',
      '10',
      '--bootstrap-servers',
      '127.0.0.1:1',
    ]);
    expect(noBroker.code).toBe(3);
    expect(noBroker.stderr).toContain('10 generated record(s) were not produced');
    expect(noBroker.stderr).toContain('start the pipeline with `venice up`');
  });
});
