// Screenshots of the console's main pages for the README, with realistic data: every component started
// on ephemeral ports (as the console's tests do), a small shop's topics, schemas, a SQL query, a group
// with lag and a PostgreSQL sink (127.0.0.1:5432, database `test`), while clicks keep arriving.
// Run by hand, not by the tests: `npx tsx tools/console-screenshots.ts` (needs /usr/bin/chromium).
// Writes docs/images/console-<page>.png at 1280x800.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openKafka, type Kafka } from '../src/client/index.js';
import { SchemaRegistryClient, Serdes } from '../src/serdes/index.js';
import { buildUi, withPage } from '../test/console/browser-helpers.js';
import { startFullStack, type FullStack } from '../test/console/helpers.js';

const OUT = path.resolve(import.meta.dirname, '../docs/images');
const SINK_TABLE = 'console_demo_orders';
const PAGES = ['home', 'products', 'cart', 'checkout', 'search'];
const CITIES = ['Venezia', 'Padova', 'Treviso', 'Verona', 'Vicenza'];

const orderSchema = (withCurrency: boolean) =>
  JSON.stringify({
    type: 'record',
    name: 'Order',
    namespace: 'shop',
    fields: [
      { name: 'id', type: 'int' },
      { name: 'customer', type: 'string' },
      { name: 'city', type: 'string' },
      { name: 'amount', type: 'double' },
      ...(withCurrency ? [{ name: 'currency', type: 'string', default: 'EUR' }] : []),
    ],
  });

async function call(base: string, method: string, pathname: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${base}${pathname}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${pathname}: ${response.status} ${text}`);
  return text ? (JSON.parse(text) as unknown) : null;
}

async function seed(stack: FullStack, kafka: Kafka): Promise<void> {
  await kafka.topics.create({ name: 'orders', partitions: 3 });
  await kafka.topics.create({ name: 'customers', partitions: 1, configs: { 'cleanup.policy': 'compact' } });
  const serdes = new Serdes(new SchemaRegistryClient({ url: stack.registry.url }));
  // Version 1 of the schema is registered first, so the Schemas page has two versions to compare.
  await serdes.serialize(
    'orders',
    { id: 0, customer: 'c-0', city: CITIES[0], amount: 1 },
    { schemaType: 'AVRO', schema: orderSchema(false) },
  );
  const orders = [];
  for (let id = 1; id <= 240; id++) {
    const withCurrency = true;
    const value = await serdes.serialize(
      'orders',
      {
        id,
        customer: `c-${(id * 7) % 40}`,
        city: CITIES[id % CITIES.length],
        amount: Math.round((5 + ((id * 37) % 200)) * 100) / 100,
        ...(withCurrency ? { currency: 'EUR' } : {}),
      },
      { schemaType: 'AVRO', schema: orderSchema(withCurrency) },
    );
    orders.push({ topic: 'orders', key: Buffer.from(`o-${id}`), value });
  }
  await kafka.produce(orders);
  await kafka.produce(
    Array.from({ length: 40 }, (_, index) => ({
      topic: 'customers',
      key: Buffer.from(`c-${index}`),
      value: Buffer.from(JSON.stringify({ id: `c-${index}`, name: `Customer ${index}`, tier: index % 3 })),
    })),
  );
  // A group that has read part of the orders: it shows lag.
  await kafka.groups.resetOffsets({
    group: 'invoicing',
    topic: 'orders',
    to: { kind: 'offset', offset: 50n },
    execute: true,
  });

  const sql = (statement: string) =>
    call(stack.sql.url, 'POST', '/ksql', { ksql: statement, streamsProperties: {} });
  await sql(
    "CREATE STREAM clicks (user_id VARCHAR, page VARCHAR, duration_ms INT) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=2);",
  );
  await sql(
    'CREATE TABLE page_views AS SELECT page, COUNT(*) AS views FROM clicks GROUP BY page EMIT CHANGES;',
  );

  await call(stack.connect.url, 'POST', '/connectors', {
    name: 'orders-to-postgres',
    config: {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
      topics: 'orders',
      'connection.url': 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres',
      'auto.create': 'true',
      'auto.evolve': 'true',
      'table.name.format': SINK_TABLE,
      'value.converter': 'io.confluent.connect.avro.AvroConverter',
    },
  });
}

/** Clicks keep arriving while the pages are taken, so rates and live rows show. */
function startClicks(kafka: Kafka): () => void {
  let n = 0;
  const timer = setInterval(() => {
    const batch = Array.from({ length: 5 }, () => {
      n++;
      return {
        topic: 'clicks',
        key: Buffer.from(`u-${n % 17}`),
        value: Buffer.from(
          JSON.stringify({
            user_id: `u-${n % 17}`,
            page: PAGES[n % PAGES.length],
            duration_ms: 200 + ((n * 53) % 900),
          }),
        ),
      };
    });
    kafka.produce(batch).catch(() => {});
  }, 250);
  return () => clearInterval(timer);
}

function dropSinkTable(): void {
  try {
    execFileSync('psql', [
      '-h',
      '127.0.0.1',
      '-U',
      'postgres',
      '-d',
      'test',
      '-c',
      `DROP TABLE IF EXISTS ${SINK_TABLE}`,
    ]);
  } catch {
    console.log(`could not drop ${SINK_TABLE} in database test; drop it by hand`);
  }
}

async function main(): Promise<void> {
  dropSinkTable();
  const uiDir = await buildUi();
  const stack = await startFullStack('screenshots', { uiDir });
  const kafka = openKafka({ bootstrapServers: stack.broker.bootstrap });
  const stopClicks = startClicks(kafka);
  try {
    await seed(stack, kafka);
    await new Promise((resolve) => setTimeout(resolve, 5000));
    fs.mkdirSync(OUT, { recursive: true });
    await withPage(
      async (page) => {
        const shoot = async (name: string, hash: string, ready: () => Promise<unknown>) => {
          await page.goto(`${stack.console.url}/${hash}`);
          await ready();
          await page.waitForTimeout(1500);
          await page.screenshot({ path: path.join(OUT, `console-${name}.png`) });
          console.log(`docs/images/console-${name}.png`);
        };
        await shoot('pipeline', '#/pipeline', async () => {
          await page.locator('svg.pipeline a.node[data-id="connector:orders-to-postgres"]').waitFor();
          await page.waitForTimeout(4000); // two samples a few seconds apart give the rates
        });
        await shoot('overview', '#/', () => page.getByRole('heading', { name: 'Overview' }).waitFor());
        await shoot('topics', '#/topics', () =>
          page.getByRole('link', { name: 'orders', exact: true }).waitFor(),
        );
        await shoot('messages', '#/messages/orders', () =>
          page.locator('table.messages td.value-cell').first().waitFor(),
        );
        await shoot('groups', '#/groups', () => page.getByRole('link', { name: 'invoicing' }).waitFor());
        await shoot('schemas', '#/schemas/orders-value', async () => {
          const diff = page.getByRole('region', { name: 'Compare versions' });
          await diff.locator('.diff-added').first().waitFor();
          await diff.evaluate((element) => element.scrollIntoView({ block: 'center' }));
        });
        await shoot('connectors', '#/connectors', () => page.getByText('RUNNING').first().waitFor());
        await shoot('sql', '#/sql', async () => {
          await page.getByRole('table', { name: 'Streams' }).waitFor();
          await page
            .getByLabel(/^Statement/)
            .fill('SELECT user_id, page, duration_ms FROM clicks EMIT CHANGES;');
          await page.getByLabel(/^Queries read from the earliest offset/).uncheck();
          await page.getByRole('button', { name: 'Run', exact: true }).click();
          await page.getByRole('table', { name: 'Query rows' }).locator('tbody tr').nth(12).waitFor();
        });
      },
      { width: 1280, height: 800 },
    );
  } finally {
    stopClicks();
    await kafka.close();
    await stack.stop();
    fs.rmSync(uiDir, { recursive: true, force: true });
    dropSinkTable();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
