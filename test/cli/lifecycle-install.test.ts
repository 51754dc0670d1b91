// `venice install`: scaffolds the e-commerce project, refuses to overwrite, and the scaffolded project
// runs: its venice.yaml starts the pipeline with its demo, whose orders `topics show` sees.
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
} from './lifecycle-helpers.js';

const FILES = [
  '.gitignore',
  'README.md',
  'connectors/deals-sink.json',
  'connectors/inventory-sink.json',
  'connectors/seller-revenue-sink.json',
  'schemas/order.avsc',
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
      components: ['broker', 'registry', 'sql', 'connect', 'postgres', 'console', 'demo'],
      demo: { rate: 10 },
    });
    const sink = JSON.parse(fs.readFileSync(path.join(shop, 'connectors/inventory-sink.json'), 'utf8')) as {
      config: Record<string, string>;
    };
    expect(sink.config).toMatchObject({ topics: 'inventory', 'pk.mode': 'record_key' });
    expect(sink.config['connection.url']).toBeUndefined(); // the pipeline's PostgreSQL
    const sql = fs.readFileSync(path.join(shop, 'sql/pipeline.sql'), 'utf8');
    for (const topic of ['orders', 'inventory', 'seller_revenue_per_minute', 'deals_of_the_day'])
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

  it('the scaffolded project runs: up from its venice.yaml sets its pipeline up and produces orders', async () => {
    const ports = await pipelinePorts();
    const up = await runVenice(['up', ...ports.flags], { cwd: shop, timeoutMs: 180_000 });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain(path.join(shop, '.venice'));
    expect(up.stdout).toContain('demo');

    // The project's own SQL ran: its queries are there.
    const queries = await runVenice(['ksql', `http://127.0.0.1:${ports.sql}`, '-e', 'SHOW QUERIES;'], {
      cwd: shop,
    });
    expect(queries.stdout).toContain('CTAS_INVENTORY');
    // Its demo produces Avro orders, decoded through the registry.
    const orders = await runVenice(['consume', 'orders', '-d', '-n', '3', '--json'], { cwd: shop });
    expect(orders.code, orders.stderr).toBe(0);
    expect(orders.stdout.match(/customer_id/g)).toHaveLength(3);

    expect((await runVenice(['down'], { cwd: shop })).code).toBe(0);
    expect(processesMentioning(shop)).toEqual([]);
  });
});
