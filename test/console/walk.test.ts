// The end-to-end walk through the console in headless Chromium, against every real component (broker,
// registry, SQL engine, connect worker, PostgreSQL at 127.0.0.1:5432): create a topic, produce an Avro
// message and see it decoded, see a consumer group's lag, create a PostgreSQL sink from the form and
// see it RUNNING, pause and resume it, run a push query and watch its rows arrive, then stop it;
// terminate a persistent query.
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, type Kafka } from '../../src/client/index.js';
import { buildUi, hasChromium, withPage } from './browser-helpers.js';
import { startFullStack, type FullStack } from './helpers.js';

const PAYMENT_SCHEMA = JSON.stringify({
  type: 'record',
  name: 'Payment',
  fields: [
    { name: 'id', type: 'int' },
    { name: 'amount', type: 'double' },
  ],
});
/** The sink's table, this run's own; the sink's topic stays empty, so the table is never created. */
const TABLE = `console_walk_${process.pid}`;

async function createTopic(page: Page, name: string): Promise<void> {
  await page.goto(`${stack.console.url}/#/topics`);
  const form = page.getByRole('form', { name: 'Create a topic' });
  await form.getByLabel('Name').fill(name);
  await form.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('link', { name, exact: true }).waitFor({ timeout: 30_000 });
}

let stack: FullStack;
let uiDir: string;
let kafka: Kafka;

describe.skipIf(!hasChromium)('console walk in headless Chromium', { timeout: 240_000 }, () => {
  beforeAll(async () => {
    uiDir = await buildUi();
    stack = await startFullStack('console-walk', { uiDir });
    kafka = openKafka({ bootstrapServers: stack.broker.bootstrap });
  }, 240_000);

  afterAll(async () => {
    await kafka?.close();
    await stack?.stop();
    if (uiDir) fs.rmSync(uiDir, { recursive: true, force: true });
  });

  it('creates a topic, produces Avro, shows lag, creates a sink from the form, streams a push query', async () => {
    await withPage(async (page, failures) => {
      // A topic, created from the Topics page.
      await createTopic(page, 'payments');

      // An Avro message produced from the Messages page (its schema registered), shown decoded.
      await page.goto(`${stack.console.url}/#/messages/payments`);
      const produce = page.getByRole('form', { name: 'Produce a message' });
      await produce.getByLabel('Key (empty for none)').fill('p-1');
      await produce.getByLabel('Value as').selectOption('schema');
      await produce.getByLabel('Value', { exact: true }).fill('{"id": 1, "amount": 9.5}');
      await produce.getByLabel("Schema (empty: the subject's latest version)").fill(PAYMENT_SCHEMA);
      await produce.getByRole('button', { name: 'Produce' }).click();
      await page.getByText('Message produced at partition 0, offset 0').waitFor({ timeout: 30_000 });
      const value = page.locator('table.messages td.value-cell').first();
      await value.waitFor({ timeout: 30_000 });
      expect(await value.innerText()).toMatch(/avro[\s\S]*"amount": 9.5/);

      // A consumer group that has read nothing of the topic's two messages: lag 2.
      await kafka.produce([{ topic: 'payments', value: Buffer.from('not avro') }]);
      await kafka.groups.resetOffsets({
        group: 'billing',
        topic: 'payments',
        to: { kind: 'offset', offset: 0n },
        execute: true,
      });
      await page.goto(`${stack.console.url}/#/groups`);
      const groupRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'billing' }) });
      await groupRow.waitFor({ timeout: 30_000 });
      expect(await groupRow.innerText()).toMatch(/payments\s+2$/m);

      // A PostgreSQL sink, created from the form, RUNNING. It reads a topic of Avro messages only.
      await createTopic(page, 'orders');
      await page.goto(`${stack.console.url}/#/connectors`);
      const form = page.getByRole('form', { name: 'Create a connector from a form' });
      await form
        .getByLabel('Plugin', { exact: true })
        .selectOption('io.confluent.connect.jdbc.JdbcSinkConnector');
      await form.getByLabel('Name', { exact: true }).fill('orders-to-postgres');
      await form.getByLabel('Topics (comma-separated)').fill('orders');
      await form.getByLabel('Connection URL').fill('jdbc:postgresql://127.0.0.1:5432/test?user=postgres');
      await form
        .getByLabel('Other settings (one name=value a line)')
        .fill(
          `auto.create=true\ntable.name.format=${TABLE}\nvalue.converter=io.confluent.connect.avro.AvroConverter`,
        );
      await form.getByRole('button', { name: 'Create connector' }).click();
      await page.getByText('Connector orders-to-postgres created.').waitFor({ timeout: 30_000 });
      const connectorRow = page.getByRole('row').filter({ hasText: 'orders-to-postgres' });
      await expect
        .poll(
          async () => {
            await page.getByRole('button', { name: 'Refresh', exact: true }).click();
            return connectorRow.innerText();
          },
          { timeout: 60_000, interval: 1000 },
        )
        .toMatch(/RUNNING[\s\S]*#0\s+RUNNING/);

      // Pause and resume it from its row's buttons.
      const connectorState = async () => {
        await page.getByRole('button', { name: 'Refresh', exact: true }).click();
        return connectorRow.innerText();
      };
      await page.getByRole('button', { name: 'Pause orders-to-postgres' }).click();
      await expect.poll(connectorState, { timeout: 30_000, interval: 1000 }).toMatch(/PAUSED/);
      await page.getByRole('button', { name: 'Resume orders-to-postgres' }).click();
      await expect
        .poll(connectorState, { timeout: 30_000, interval: 1000 })
        .toMatch(/^(?![\s\S]*PAUSED)[\s\S]*RUNNING/);

      // A push query on the SQL page: its rows appear while they are produced; Stop closes it.
      await page.goto(`${stack.console.url}/#/sql`);
      const editor = page.getByLabel(/^Statement/);
      await editor.fill(
        "CREATE STREAM clicks (id INT, page VARCHAR) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=1);",
      );
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      const streams = page.getByRole('table', { name: 'Streams' });
      await streams.getByRole('cell', { name: 'CLICKS', exact: true }).waitFor({ timeout: 30_000 });
      await streams.getByRole('button', { name: 'Write a push query over CLICKS' }).click();
      expect(await editor.inputValue()).toBe('SELECT * FROM CLICKS EMIT CHANGES;');
      await editor.press('Control+Enter');
      const rows = page.getByRole('table', { name: 'Query rows' });
      await rows.getByRole('columnheader', { name: 'PAGE' }).waitFor({ timeout: 30_000 });
      for (const id of [1, 2, 3]) {
        await kafka.produce([
          { topic: 'clicks', value: Buffer.from(JSON.stringify({ id, page: `p${id}` })) },
        ]);
        await rows.getByRole('cell', { name: `p${id}`, exact: true }).waitFor({ timeout: 30_000 });
      }
      await page.getByRole('button', { name: 'Stop' }).click();
      await page.getByText('Stopped after 3 row(s)').waitFor();

      // A persistent query, listed with a Terminate button (after a confirmation) that ends it.
      await editor.fill('CREATE STREAM busy_clicks AS SELECT * FROM clicks EMIT CHANGES;');
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      const queries = page.getByRole('table', { name: 'Persistent queries' });
      await queries.getByText('BUSY_CLICKS').first().waitFor({ timeout: 30_000 });
      page.once('dialog', (dialog) => void dialog.accept());
      await queries.getByRole('button', { name: /^Terminate / }).click();
      await page.getByText('No persistent queries.').waitFor({ timeout: 30_000 });
      expect(failures).toEqual([]);
    });
  });
});
