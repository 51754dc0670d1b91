// A read-only user in the console, with real components sharing the same users (as `venice up` runs
// them): the page learns it is read-only (GET /api/session), every read is answered (topics, SQL SHOW
// and SELECT, a schema lookup), and every write is refused with a message saying why: the console's
// own (topics, groups) at its guard, SQL statements and compatibility tests by the component, which
// gets the caller's credentials.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuthConfig } from '../helpers/http-users.js';
import { startConsole, type RunningConsole } from '../../src/console/service.js';
import type { RunningRegistry } from '../../src/registry/service.js';
import { silentLogger } from '../../src/service/index.js';
import { startSql, type RunningSql } from '../../src/sql/service.js';
import { startTestBroker, temporaryDataDir } from '../helpers/broker.js';
import { startTestRegistry } from '../registry/helpers.js';
import { buildUi, CHROMIUM, hasChromium } from './browser-helpers.js';

const ADMIN_PASSWORD = 'console-Admin-Secret-8';
const VIEWER_PASSWORD = 'console-Viewer-Secret-9';
const SCHEMA = JSON.stringify({ type: 'record', name: 'Order', fields: [{ name: 'id', type: 'long' }] });

describe('the console for a read-only user', { timeout: 120_000 }, () => {
  let broker: Awaited<ReturnType<typeof startTestBroker>>;
  let registry: RunningRegistry;
  let sql: RunningSql;
  let consoleService: RunningConsole;
  let uiDir: string | undefined;
  const http = basicAuthConfig({
    admin: { name: 'admin', password: ADMIN_PASSWORD },
    readOnly: { name: 'viewer', password: VIEWER_PASSWORD },
  });

  beforeAll(async () => {
    broker = await startTestBroker();
    registry = await startTestRegistry(broker.bootstrap, { http });
    sql = await startSql({
      bootstrapServers: broker.bootstrap,
      port: 0,
      dataDir: temporaryDataDir('console-read-only-sql'),
      logger: silentLogger(),
      http,
    });
    uiDir = hasChromium ? await buildUi() : undefined;
    consoleService = await startConsole({
      uiDir,
      bootstrapServers: broker.bootstrap,
      urls: { registry: registry.url, sql: sql.url, connect: null },
      port: 0,
      logger: silentLogger(),
      http,
      // The console's own user, for what it asks by itself (decoding records).
      httpClient: { user: 'admin', password: ADMIN_PASSWORD, ca: null },
    });
  }, 120_000);
  afterAll(async () => {
    await consoleService?.stop();
    await sql?.stop();
    await registry?.stop();
    await broker?.stop();
    if (uiDir) fs.rmSync(uiDir, { recursive: true, force: true });
  });

  async function api(user: 'admin' | 'viewer', method: string, path: string, body?: unknown) {
    const password = user === 'admin' ? ADMIN_PASSWORD : VIEWER_PASSWORD;
    const response = await fetch(`${consoleService.url}${path}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
  }

  it('tells the page who is logged in and whether it may change anything', async () => {
    expect((await api('viewer', 'GET', '/api/session')).body).toEqual({ user: 'viewer', readOnly: true });
    expect((await api('admin', 'GET', '/api/session')).body).toEqual({ user: 'admin', readOnly: false });
  });

  it("answers a read-only user's reads and refuses its writes, saying it is read-only", async () => {
    expect((await api('admin', 'POST', '/api/topics', { name: 'ro-orders', partitions: 1 })).status).toBe(
      201,
    );
    expect((await api('viewer', 'GET', '/api/topics')).status).toBe(200);
    const create = await api('viewer', 'POST', '/api/topics', { name: 'ro-other', partitions: 1 });
    expect(create.status).toBe(403);
    expect(create.body.error).toBe(
      'user viewer is read-only: log in as a user with a role outside http.readOnlyRoles to change anything',
    );
    expect((await api('viewer', 'DELETE', '/api/topics/ro-orders')).status).toBe(403);
    expect((await api('viewer', 'POST', '/api/groups/g/reset', {})).status).toBe(403);
  });

  it('runs SHOW and SELECT for a read-only user and refuses CREATE with the engine’s reason', async () => {
    const show = await api('viewer', 'POST', '/api/sql', { sql: 'SHOW STREAMS;' });
    expect(show.status, JSON.stringify(show.body)).toBe(200);
    const created = await api('viewer', 'POST', '/api/sql', {
      sql: "CREATE STREAM ro_s (id INT) WITH (kafka_topic='ro-orders', value_format='JSON');",
    });
    expect(created.status).toBe(403);
    expect(created.body.error).toContain('user viewer is read-only and may not run CREATE STREAM');
    const byAdmin = await api('admin', 'POST', '/api/sql', {
      sql: "CREATE STREAM ro_s (id INT) WITH (kafka_topic='ro-orders', value_format='JSON');",
    });
    expect(byAdmin.status, JSON.stringify(byAdmin.body)).toBe(200);
    const select = await api('viewer', 'POST', '/api/sql', {
      sql: 'SELECT * FROM ro_s EMIT CHANGES;',
      timeoutMs: 300,
    });
    expect(select.status, JSON.stringify(select.body)).toBe(200);
    expect(select.body.kind).toBe('query');
  });

  it('lets a read-only user look a schema up, not register it or test its compatibility', async () => {
    const schema = { schema: SCHEMA };
    expect((await api('admin', 'POST', '/api/schemas/subjects/ro-value/versions', schema)).status).toBe(200);
    expect((await api('viewer', 'POST', '/api/schemas/subjects/ro-value', schema)).status).toBe(200);
    const register = await api('viewer', 'POST', '/api/schemas/subjects/ro-value/versions', schema);
    expect(register.status).toBe(403);
    const check = await api(
      'viewer',
      'POST',
      '/api/schemas/compatibility/subjects/ro-value/versions/latest',
      schema,
    );
    expect(check.status).toBe(403);
  });

  it.skipIf(!hasChromium)('shows the page without its write actions to a read-only user', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox'],
    });
    try {
      const visit = async (user: 'admin' | 'viewer') => {
        const password = user === 'admin' ? ADMIN_PASSWORD : VIEWER_PASSWORD;
        const context = await browser.newContext({ httpCredentials: { username: user, password } });
        const page = await context.newPage();
        await page.goto(`${consoleService.url}/#/topics`);
        await page.getByRole('link', { name: 'ro-orders', exact: true }).waitFor({ timeout: 30_000 });
        return page;
      };
      const viewer = await visit('viewer');
      await viewer.getByText('Logged in as viewer, a read-only user').waitFor({ timeout: 10_000 });
      expect(await viewer.getByRole('form', { name: 'Create a topic' }).count()).toBe(0);
      expect(await viewer.getByRole('button', { name: 'Delete topic ro-orders' }).count()).toBe(0);
      const admin = await visit('admin');
      await admin.getByRole('form', { name: 'Create a topic' }).waitFor({ timeout: 10_000 });
      expect(await admin.getByRole('button', { name: 'Delete topic ro-orders' }).count()).toBe(1);
      expect(await admin.getByText('a read-only user').count()).toBe(0);
    } finally {
      await browser.close();
    }
  });
});
