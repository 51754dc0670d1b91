// Vitest global setup: makes the embedded PostgreSQL's template (a fresh initdb, see
// src/postgres/database.ts) once, before any test, in both caches the tests use: the user's, which the
// `venice up` tests' processes use, and the tests' own, for PostgreSQL started in-process. Without it a
// fresh machine runs initdb in several files at once, each far slower under the others' load.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, templateCacheDir, templatePath } from '../../src/postgres/database.js';
import { silentLogger } from '../../src/service/index.js';
import { TEST_TEMPLATE_DIR } from '../postgres/helpers.js';
import { cleanEnvironment } from '../cli/lifecycle-helpers.js';

const hasTemplate = (cacheDir: string) => fs.existsSync(path.join(templatePath(cacheDir), 'PG_VERSION'));

export default async function warmPostgresTemplates(): Promise<void> {
  const caches = [...new Set([TEST_TEMPLATE_DIR, templateCacheDir(cleanEnvironment())])];
  const missing = caches.filter((cacheDir) => !hasTemplate(cacheDir));
  if (missing.length === 0) return;
  const [first, ...others] = missing as [string, ...string[]];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-template-'));
  try {
    const { db } = await openDatabase({ dataDir, logger: silentLogger(), templateDir: first });
    await db.close();
    for (const cacheDir of others) {
      // Copied under another name first, so no test sees half a template.
      const staging = `${templatePath(cacheDir)}.${process.pid}`;
      fs.cpSync(templatePath(first), staging, { recursive: true });
      if (hasTemplate(cacheDir)) fs.rmSync(staging, { recursive: true, force: true });
      else fs.renameSync(staging, templatePath(cacheDir));
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
