// Headless Chromium for the console's browser tests: the UI built from the sources, and a page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);
const ROOT = path.resolve(import.meta.dirname, '../..');

/** Builds the UI from the sources into a folder of its own, so the test never sees a stale build. */
export async function buildUi(): Promise<string> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-console-ui-'));
  const { build } = await import('vite');
  await build({
    configFile: path.join(ROOT, 'src/console/ui/vite.config.ts'),
    build: { outDir, emptyOutDir: true },
    logLevel: 'error',
  });
  return outDir;
}

/** Opens a page in headless Chromium; `failures` collects the page's uncaught errors. */
export async function withPage(
  use: (page: Page, failures: string[]) => Promise<void>,
  viewport = { width: 1366, height: 768 },
): Promise<void> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport });
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await use(page, failures);
  } finally {
    await browser.close();
  }
}
