// `venice install`: scaffolds the e-commerce project, refuses to overwrite, and the scaffolded project
// runs: its venice.yaml starts the pipeline and its example producer writes orders that `topics show` sees.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  pipelinePorts,
  processesMentioning,
  runVenice,
  tearDown,
  temporaryProject,
  cleanEnvironment,
} from './lifecycle-helpers.js';

const FILES = [
  '.gitignore',
  'README.md',
  'connectors/postgres-sink.json',
  'package.json',
  'producer.mjs',
  'sql/pipeline.sql',
  'venice.yaml',
];

describe('venice install', { timeout: 180_000 }, () => {
  let workspace: string;
  let shop: string;
  beforeAll(() => {
    workspace = temporaryProject('install');
    shop = path.join(workspace, 'shop');
  });
  afterAll(async () => tearDown(shop), 120_000);

  it('scaffolds the ecommerce template into a new directory', async () => {
    const install = await runVenice(['install', 'shop'], { cwd: workspace });
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain(`Created a "ecommerce" pipeline project in ${shop}`);
    for (const file of FILES) expect(fs.existsSync(path.join(shop, file)), file).toBe(true);
    expect(fs.existsSync(path.join(shop, 'template.json'))).toBe(false);
    expect(install.stdout).toContain('cd shop');

    const yaml = parse(fs.readFileSync(path.join(shop, 'venice.yaml'), 'utf8')) as Record<string, unknown>;
    expect(yaml).toMatchObject({
      dataDir: './.venice',
      ports: {
        kafka: 9092,
        brokerHealth: 9644,
        registry: 8081,
        sql: 8088,
        connect: 8083,
        postgres: 5433,
        console: 9000,
      },
      retention: 'forever',
      components: ['broker', 'registry', 'sql', 'connect', 'postgres', 'console'],
    });
    const sink = JSON.parse(fs.readFileSync(path.join(shop, 'connectors/postgres-sink.json'), 'utf8')) as {
      config: Record<string, string>;
    };
    expect(sink.config).toMatchObject({ topics: 'orders_enriched', 'pk.mode': 'record_key' });
    const sql = fs.readFileSync(path.join(shop, 'sql/pipeline.sql'), 'utf8');
    for (const topic of ['orders', 'customers', 'products'])
      expect(sql).toContain(`KAFKA_TOPIC = '${topic}'`);
  });

  it('refuses to overwrite unless --force, and knows its templates', async () => {
    const again = await runVenice(['-i', 'shop'], { cwd: workspace });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exist');
    expect(again.stderr).toContain('venice.yaml');
    expect(again.stderr).toContain('--force');

    fs.writeFileSync(path.join(shop, 'venice.yaml'), 'logLevel: debug\n');
    const forced = await runVenice(['install', 'shop', '--force'], { cwd: workspace });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('venice.yaml  (overwritten)');
    expect(fs.readFileSync(path.join(shop, 'venice.yaml'), 'utf8')).toContain('components:');

    const unknown = await runVenice(['install', 'other', '--template', 'bank'], { cwd: workspace });
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain('there is no template named "bank"');
    expect(unknown.stderr).toContain('ecommerce');
    const list = await runVenice(['install', '--list', '--json'], { cwd: workspace });
    expect(JSON.parse(list.stdout)).toEqual([
      { name: 'ecommerce', description: expect.stringContaining('orders') },
    ]);
  });

  it('the scaffolded project runs: up from its venice.yaml, the producer writes orders, topics show sees them', async () => {
    const ports = await pipelinePorts();
    const up = await runVenice(['up', ...ports.flags], { cwd: shop });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain(path.join(shop, '.venice'));

    // The example producer's one dependency, kafkajs, from this repository instead of `npm install`.
    fs.symlinkSync(path.resolve('node_modules'), path.join(shop, 'node_modules'));
    const producer = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, ['producer.mjs'], {
        cwd: shop,
        env: cleanEnvironment({
          KAFKA_BOOTSTRAP_SERVERS: `127.0.0.1:${ports.kafka}`,
          ORDERS: '5',
          INTERVAL_MS: '0',
        }),
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => resolve({ code, output }));
    });
    expect(producer.code, producer.output).toBe(0);
    expect(producer.output).toContain('wrote 5 products and 3 customers');

    const orders = await runVenice(['topics', 'show', 'orders', '--json'], { cwd: shop });
    expect(orders.code, orders.stderr).toBe(0);
    expect(orders.stdout.match(/customer_id/g)).toHaveLength(5);
    const customers = await runVenice(['topics', 'show', 'customers'], { cwd: shop });
    expect(customers.stdout).toContain('Grace Hopper');

    expect((await runVenice(['down'], { cwd: shop })).code).toBe(0);
    expect(processesMentioning(shop)).toEqual([]);
  });
});
