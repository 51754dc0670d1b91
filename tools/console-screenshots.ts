// Screenshots of the console's main pages for the README, taken on the pipeline the README's quick start
// runs: `venice up --demo` (orders in, three SQL tables, three PostgreSQL sinks) in a temporary project
// on free ports, with orders flowing while the pages are taken.
// Run by hand, not by the tests: `npm run build && npx tsx tools/console-screenshots.ts` (needs
// /usr/bin/chromium). Writes docs/images/console-<page>.png at 1280x800.
import fs from 'node:fs';
import path from 'node:path';
import { withPage } from '../test/console/browser-helpers.js';
import {
  pipelinePorts,
  startVenice,
  tearDown,
  temporaryProject,
  waitFor,
  waitForOutput,
} from '../test/cli/lifecycle-helpers.js';

const OUT = path.resolve(import.meta.dirname, '../docs/images');
const CONNECTORS = ['inventory-sink', 'seller-revenue-sink', 'deals-of-the-day-sink'];

async function json(url: string): Promise<unknown> {
  const response = await fetch(url);
  return response.ok ? ((await response.json()) as unknown) : undefined;
}

/** Waits until the three sinks run and the demo has produced enough orders for the pages to show. */
async function waitForDemo(connectUrl: string): Promise<void> {
  await waitFor(
    'the demo connectors to run',
    async () => {
      for (const name of CONNECTORS) {
        const status = (await json(`${connectUrl}/connectors/${name}/status`)) as
          { connector?: { state?: string } } | undefined;
        if (status?.connector?.state !== 'RUNNING') return undefined;
      }
      return true;
    },
    180_000,
  );
  // Two pipeline samples a few seconds apart give the rates on the arrows; a minute of orders fills
  // the first revenue window.
  await new Promise((resolve) => setTimeout(resolve, 20_000));
}

async function main(): Promise<void> {
  const project = temporaryProject('screenshots');
  const ports = await pipelinePorts();
  const up = startVenice(['up', '--demo', '--foreground', '--demo-rate', '20', ...ports.flags], {
    cwd: project,
  });
  const consoleUrl = `http://127.0.0.1:${ports.console}`;
  try {
    await waitForOutput(up, 'Press Ctrl-C to stop.');
    await waitForDemo(`http://127.0.0.1:${ports.connect}`);
    fs.mkdirSync(OUT, { recursive: true });
    await withPage(
      async (page) => {
        const shoot = async (name: string, hash: string, ready: () => Promise<unknown>) => {
          await page.goto(`${consoleUrl}/${hash}`);
          await ready();
          await page.waitForTimeout(1500);
          await page.screenshot({ path: path.join(OUT, `console-${name}.png`) });
          console.log(`docs/images/console-${name}.png`);
        };
        await shoot('pipeline', '#/pipeline', async () => {
          await page.locator('svg.pipeline a.node[data-id="connector:inventory-sink"]').waitFor();
          await page.waitForTimeout(4000); // two samples a few seconds apart give the rates
        });
        await shoot('overview', '#/', async () => {
          await page.getByRole('heading', { name: 'Overview' }).waitFor();
          await page.waitForTimeout(16_000); // the rate chart samples every 5 s
        });
        await shoot('topics', '#/topics', () =>
          page.getByRole('link', { name: 'orders', exact: true }).waitFor(),
        );
        await shoot('messages', '#/messages/orders', () =>
          page.locator('table.messages td.value-cell').first().waitFor(),
        );
        await shoot('groups', '#/groups', () => page.getByRole('link', { name: /inventory-sink/ }).waitFor());
        await shoot('schemas', '#/schemas/orders-value', () =>
          page.getByText('price_in_cents').first().waitFor(),
        );
        await shoot('connectors', '#/connectors', () => page.getByText('RUNNING').first().waitFor());
        await shoot('sql', '#/sql', async () => {
          await page.getByRole('table', { name: 'Streams' }).waitFor();
          await page
            .getByLabel(/^Statement/)
            .fill(
              'SELECT order_id, seller_id, product_id, quantity, price_in_cents FROM orders EMIT CHANGES;',
            );
          await page.getByLabel(/^Queries read from the earliest offset/).uncheck();
          await page.getByRole('button', { name: 'Run', exact: true }).click();
          await page.getByRole('table', { name: 'Query rows' }).locator('tbody tr').nth(12).waitFor();
        });
      },
      { width: 1280, height: 800 },
    );
  } finally {
    await tearDown(project);
    await up.exited;
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
