// The console in real headless Chromium (Debian's /usr/bin/chromium driven by playwright-core): it opens
// the console, sees a topic in the list, opens it, and sees its Avro message decoded through the registry;
// it compares two schema versions and sets a compatibility level; it draws the pipeline map.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka } from '../../src/client/index.js';
import { SchemaRegistryClient, Serdes } from '../../src/serdes/index.js';
import { buildUi, hasChromium, withPage } from './browser-helpers.js';
import { startConsoleStack, type ConsoleStack } from './helpers.js';

describe.skipIf(!hasChromium)(
  `console in headless Chromium${hasChromium ? '' : ' (skipped: /usr/bin/chromium is missing; apt-get install -y chromium)'}`,
  { timeout: 180_000 },
  () => {
    let stack: ConsoleStack;
    let uiDir: string;

    beforeAll(async () => {
      uiDir = await buildUi();
      stack = await startConsoleStack({ uiDir });
      const serdes = new Serdes(new SchemaRegistryClient({ url: stack.registry.url }));
      const value = await serdes.serialize(
        'shipments',
        { id: 42, city: 'Venezia' },
        {
          schemaType: 'AVRO',
          schema: JSON.stringify({
            type: 'record',
            name: 'Shipment',
            fields: [
              { name: 'id', type: 'int' },
              { name: 'city', type: 'string' },
            ],
          }),
        },
      );
      const kafka = openKafka({ bootstrapServers: stack.broker.bootstrap });
      try {
        await kafka.topics.create({ name: 'shipments', partitions: 1 });
        await kafka.produce([{ topic: 'shipments', key: Buffer.from('s-42'), value }]);
      } finally {
        await kafka.close();
      }
    }, 180_000);

    afterAll(async () => {
      await stack?.stop();
      if (uiDir) fs.rmSync(uiDir, { recursive: true, force: true });
    });

    it('lists the topic, opens it, and shows its Avro message decoded', async () => {
      await withPage(async (page, failures) => {
        await page.goto(`${stack.console.url}/#/topics`);
        const link = page.getByRole('link', { name: 'shipments', exact: true });
        await link.waitFor({ timeout: 30_000 });
        await link.click();
        await page.getByRole('heading', { name: 'Topic shipments' }).waitFor();
        await page.getByRole('link', { name: 'Browse messages' }).click();
        const value = page.locator('table.messages td.value-cell');
        await value.first().waitFor({ timeout: 30_000 });
        const text = await value.first().innerText();
        expect(text).toContain('avro');
        expect(text).toContain('"city": "Venezia"');
        expect(await page.locator('table.messages').innerText()).toContain('s-42');
        expect(failures).toEqual([]);
      });
    });

    it('compares two schema versions and sets the compatibility level', async () => {
      const serdes = new Serdes(new SchemaRegistryClient({ url: stack.registry.url }));
      await serdes.serialize(
        'shipments',
        { id: 43, city: 'Chioggia', weight: 2 },
        {
          schemaType: 'AVRO',
          schema: JSON.stringify({
            type: 'record',
            name: 'Shipment',
            fields: [
              { name: 'id', type: 'int' },
              { name: 'city', type: 'string' },
              { name: 'weight', type: 'int', default: 0 },
            ],
          }),
        },
      );
      await withPage(async (page, failures) => {
        await page.goto(`${stack.console.url}/#/schemas/shipments-value`);
        const compare = page.getByRole('region', { name: 'Compare versions' });
        await compare.getByText('line(s) changed').waitFor({ timeout: 30_000 });
        expect(await compare.getByRole('combobox', { name: /^From version/ }).inputValue()).toBe('1');
        expect(await compare.getByRole('combobox', { name: /^To version/ }).inputValue()).toBe('2');
        const added = await compare.locator('.diff-added').allInnerTexts();
        expect(added.join('\n')).toContain('"name": "weight"');
        expect(await compare.locator('.diff-removed').count()).toBe(0);

        const level = page.getByRole('form', { name: 'Compatibility level' });
        await level.getByLabel('Compatibility').selectOption('FULL');
        await level.getByRole('button', { name: 'Set level' }).click();
        await level.getByText('Compatibility of shipments-value set to FULL.').waitFor();
        const config = await stack.api<{ compatibilityLevel: string }>(
          'GET',
          '/api/schemas/config/shipments-value',
        );
        expect(config.body.compatibilityLevel).toBe('FULL');
        expect(failures).toEqual([]);
      });
    });

    it('draws the pipeline map with the topic as a node that links to it', async () => {
      await withPage(async (page, failures) => {
        await page.goto(`${stack.console.url}/`);
        const navigation = page.getByRole('navigation', { name: 'Console sections' }).getByRole('link');
        expect(await navigation.first().innerText()).toBe('Pipeline');
        await navigation.first().click();
        await page.getByRole('heading', { name: 'Pipeline' }).waitFor();
        const node = page.locator('svg.pipeline a.node[data-id="topic:shipments"]');
        await node.waitFor({ timeout: 30_000 });
        // This stack runs without the SQL engine and the connect worker: the page says so.
        expect(await page.locator('main').innerText()).toMatch(/SQL engine is not configured/);
        await node.focus();
        await page.locator('.pipeline-detail', { hasText: 'topic shipments' }).waitFor();
        await node.press('Enter');
        await page.getByRole('heading', { name: 'Topic shipments' }).waitFor();
        expect(failures).toEqual([]);
      });
    });
  },
);
