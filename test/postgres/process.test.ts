// `venice postgres` run as a process, as the supervisor runs it: readiness is a real SELECT 1 (the
// component's own probe), a SIGKILL loses no committed row, a SIGTERM stops it cleanly, and
// `venice psql -c` works through the system psql and through the built-in prompt.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { probePostgres } from '../../src/postgres/probe.js';
import { COMPONENT_CATALOG, componentNamed } from '../../src/supervisor/components.js';
import { runHealthCheck } from '../../src/supervisor/health.js';
import { freePort, temporaryDataDir } from '../helpers/broker.js';
import { requireTool } from '../helpers/system-tools.js';
import { runVenice } from '../cli/run-venice.js';
import { PSQL, spawnPostgres, type PostgresProcess } from './helpers.js';

const started: PostgresProcess[] = [];
afterAll(() => {
  for (const process of started) if (process.child.exitCode === null) process.child.kill('SIGKILL');
});

async function start(dataDir: string): Promise<PostgresProcess> {
  const running = await spawnPostgres(dataDir);
  started.push(running);
  return running;
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

describe('venice postgres as a process', () => {
  const dataDir = temporaryDataDir('postgres-process');

  it('loses no committed row to a SIGKILL, and drops the uncommitted ones', async () => {
    const first = await start(dataDir);
    const uncommitted = new pg.Client({ connectionString: first.url });
    uncommitted.on('error', () => {});
    await withClient(first.url, async (client) => {
      await client.query('CREATE TABLE kill_test (id int PRIMARY KEY, note text)');
      for (let id = 1; id <= 50; id++)
        await client.query('INSERT INTO kill_test VALUES ($1, $2)', [id, `row ${id}`]);
      await client.query('BEGIN');
      await client.query("INSERT INTO kill_test SELECT g, 'batch' FROM generate_series(51, 100) g");
      await client.query('COMMIT');
    });
    await uncommitted.connect();
    await uncommitted.query('BEGIN');
    await uncommitted.query("INSERT INTO kill_test VALUES (1000, 'never committed')");
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await start(dataDir);
    const rows = await withClient(second.url, (client) =>
      client.query<{ n: number; max: number }>('SELECT count(*)::int AS n, max(id) AS max FROM kill_test'),
    );
    expect(rows.rows[0]).toEqual({ n: 100, max: 100 });
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });

  it('stops cleanly on SIGTERM with clients connected, and starts again with the data', async () => {
    const running = await start(dataDir);
    const idle = new pg.Client({ connectionString: running.url });
    idle.on('error', () => {});
    await idle.connect();
    await withClient(running.url, (client) =>
      client.query("INSERT INTO kill_test VALUES (101, 'before stop')"),
    );
    const inTransaction = new pg.Client({ connectionString: running.url });
    inTransaction.on('error', () => {});
    await inTransaction.connect();
    await inTransaction.query('BEGIN');
    await inTransaction.query("INSERT INTO kill_test VALUES (102, 'rolled back')");
    running.child.kill('SIGTERM');
    expect((await running.exited).code).toBe(0);
    expect(running.output()).toContain('postgres stopped');

    const again = await start(dataDir);
    expect(again.output()).toMatch(/"origin":"existing"/);
    const ids = await withClient(again.url, (client) =>
      client.query<{ id: number }>('SELECT id FROM kill_test WHERE id > 100 ORDER BY id'),
    );
    expect(ids.rows).toEqual([{ id: 101 }]);
    again.child.kill('SIGTERM');
    await again.exited;
  });

  it('is ready by its SELECT 1 probe only once it answers queries', async () => {
    const port = await freePort();
    const project = temporaryDataDir('postgres-probe-project');
    const config = loadConfig({
      cwd: project,
      env: { VENICE_POSTGRES_PORT: String(port) },
      catalog: COMPONENT_CATALOG,
    });
    const component = componentNamed('postgres')!;
    const check = component.healthCheck(config);
    expect(check.kind).toBe('custom');
    const before = await runHealthCheck(check, 2000);
    expect(before.ok).toBe(false);
    expect(before.error).toBeTruthy();

    const running = await start(temporaryDataDir('postgres-probe'));
    const probed = await probePostgres(running.url, 5000);
    expect(probed).toEqual({ ok: true });
    running.child.kill('SIGTERM');
    await running.exited;
  });
});

describe('venice psql -c', () => {
  let running: PostgresProcess;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-psql-home-'));

  it('runs SQL through the system psql', async () => {
    requireTool(PSQL);
    running = await start(temporaryDataDir('postgres-psql'));
    const created = await runVenice(
      ['psql', '--postgres-url', running.url, '-c', 'CREATE TABLE psql_test (id int, name text)'],
      { env: { HOME: home } },
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('CREATE TABLE');
    const inserted = await runVenice(['psql', '-c', "INSERT INTO psql_test VALUES (1, 'one'), (2, 'two')"], {
      env: { HOME: home, VENICE_POSTGRES_URL: running.url },
    });
    expect(inserted.stdout).toContain('INSERT 0 2');
    const selected = await runVenice(
      ['psql', '--postgres-url', running.url, '-c', 'SELECT * FROM psql_test ORDER BY id'],
      {
        env: { HOME: home },
      },
    );
    expect(selected.stdout).toMatch(
      / id \| name\s*\n----\+------\n\s+1 \| one\s*\n\s+2 \| two\s*\n\(2 rows\)/,
    );
  });

  it('runs SQL through the built-in prompt, with the same table', async () => {
    running ??= await start(temporaryDataDir('postgres-psql'));
    await runVenice([
      'psql',
      '--builtin',
      '--postgres-url',
      running.url,
      '-c',
      'CREATE TABLE IF NOT EXISTS psql_test (id int, name text)',
    ]);
    await runVenice([
      'psql',
      '--builtin',
      '--postgres-url',
      running.url,
      '-c',
      "INSERT INTO psql_test VALUES (3, 'three')",
    ]);
    const selected = await runVenice([
      'psql',
      '--builtin',
      '--postgres-url',
      running.url,
      '-c',
      'SELECT id, name FROM psql_test WHERE id = 3',
    ]);
    expect(selected.code, selected.stderr).toBe(0);
    expect(selected.stdout).toBe(' id | name\n----+-------\n  3 | three\n(1 row)\n\n');
    const failed = await runVenice(['psql', '--builtin', '--postgres-url', running.url, '-c', 'SELECT nope']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('ERROR:  column "nope" does not exist');
  });

  it('reads statements from its input in the built-in prompt until \\q', async () => {
    const result = await runVenice(['psql', '--builtin', '--postgres-url', running.url], {
      input:
        "CREATE TABLE prompt_test (v text);\nINSERT INTO prompt_test\n  VALUES ('a'), ('b');\nSELECT count(*) AS n FROM prompt_test;\n\\q\nSELECT 'not run';\n",
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('CREATE TABLE\nINSERT 0 2\n n\n---\n 2\n(1 row)\n\n');
  });

  it('says how to start PostgreSQL when nothing answers', async () => {
    const port = await freePort();
    const result = await runVenice([
      'psql',
      '--builtin',
      '--postgres-url',
      `postgres://postgres@127.0.0.1:${port}/postgres`,
      '-c',
      'SELECT 1',
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('venice up');
    running.child.kill('SIGTERM');
    await running.exited;
  });
});
