// `venice ksql` as users run it (the built CLI, spawned) against a REST server with a scripted engine:
// -e, -f, --output json, exit codes, and the prompt driven through a piped stdin, Ctrl-C included.
// ksql-real.test.ts runs the shell against the real engine.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/service/index.js';
import { startSql, type RunningSql } from '../../src/sql/service.js';
import { SqlDecimal } from '../../src/sql/types/index.js';
import { temporaryDataDir } from '../helpers/broker.js';
import { ScriptedEngine } from '../sql/server/scripted-engine.js';
import { runVenice } from './run-venice.js';

const CLI = path.resolve('bin/venice.js');
const engine = new ScriptedEngine();
let sql: RunningSql;
let home: string;

const orders = {
  type: 'STREAM' as const,
  name: 'ORDERS',
  topic: 'orders',
  keyFormat: 'KAFKA',
  valueFormat: 'JSON',
  isWindowed: false,
};

beforeAll(async () => {
  engine.statements.set('SHOW STREAMS;', [
    { '@type': 'streams', statementText: 'SHOW STREAMS;', warnings: [], streams: [orders] },
  ]);
  engine.queries.set('SELECT * FROM ORDERS EMIT CHANGES LIMIT 2;', {
    columns: [
      { name: 'ID', type: 'STRING' },
      { name: 'TOTAL', type: 'BIGINT' },
      { name: 'PRICE', type: 'DECIMAL(4, 2)' },
    ],
    isPullQuery: false,
    rows: [{ values: ['a', 9223372036854775807n, new SqlDecimal(110n, 2)] }, { values: ['b', 2n, null] }],
  });
  engine.queries.set('SELECT ID FROM ORDERS EMIT CHANGES;', {
    columns: [{ name: 'ID', type: 'STRING' }],
    isPullQuery: false,
    rows: [{ values: ['first'] }],
    endless: true,
  });
  sql = await startSql({
    bootstrapServers: '127.0.0.1:1',
    port: 0,
    dataDir: temporaryDataDir('ksql-cli'),
    logger: silentLogger(),
    createEngine: () => engine,
  });
  home = temporaryDataDir('ksql-home');
});

afterAll(async () => {
  await sql?.stop();
});

const ksql = (args: string[], input?: string) =>
  runVenice(['ksql', sql.url, ...args], { input, env: { HOME: home }, timeoutMs: 60_000 });

describe('venice ksql -e and -f', () => {
  it('-e runs statements and queries, printing tables with exact numbers', async () => {
    const result = await ksql(['-e', 'SHOW STREAMS; SELECT * FROM ORDERS EMIT CHANGES LIMIT 2;']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/STREAM NAME\s+KAFKA TOPIC\s+KEY FORMAT\s+VALUE FORMAT\s+WINDOWED/);
    expect(result.stdout).toMatch(/ORDERS\s+orders\s+KAFKA\s+JSON\s+false/);
    expect(result.stdout).toMatch(/\| a +\| 9223372036854775807 +\| 1\.10 +\|/);
    expect(result.stdout).toMatch(/\| b +\| 2 +\| null +\|/);
  });

  it('-f runs a file: statements over several lines, comments, the last without its ;', async () => {
    const file = path.join(home, 'script.sql');
    fs.writeFileSync(
      file,
      '-- the streams\nSHOW\n  STREAMS;\n/* then rows */ SELECT * FROM ORDERS\n  EMIT CHANGES LIMIT 2\n',
    );
    const result = await ksql(['-f', file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('ORDERS');
    expect(result.stdout).toMatch(/\| a +\| 9223372036854775807/);
  });

  it('--output json prints entities as JSON and rows as the server sent them', async () => {
    const result = await ksql([
      '--output',
      'json',
      '-e',
      'SHOW STREAMS; SELECT * FROM ORDERS EMIT CHANGES LIMIT 2;',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const [entities, ...rest] = result.stdout.split(/\n(?=\{"queryId")/);
    expect(JSON.parse(entities)).toEqual([expect.objectContaining({ '@type': 'streams' })]);
    const lines = rest.join('\n').trim().split('\n');
    expect(JSON.parse(lines[0])).toMatchObject({ columnNames: ['ID', 'TOTAL', 'PRICE'] });
    expect(lines.slice(1)).toEqual(['["a",9223372036854775807,1.10]', '["b",2,null]']);
  });

  it('a failing statement prints the server message and exits 1, stopping the script there', async () => {
    const result = await ksql(['-e', 'SHOW STREAMZ; SHOW STREAMS;']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("mismatched input 'SHOW'");
    expect(result.stdout).not.toContain('ORDERS');
  });

  it('a server that cannot be reached is exit code 3 with what to do', async () => {
    const result = await runVenice(['ksql', 'http://127.0.0.1:1', '-e', 'SHOW STREAMS;'], {
      env: { HOME: home },
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('cannot reach the SQL engine at http://127.0.0.1:1');
    expect(result.stderr).toContain('venice up');
  });

  it('VENICE_SQL_URL says where the server is when no URL is given', async () => {
    const result = await runVenice(['ksql', '-e', 'SHOW STREAMS;'], {
      env: { HOME: home, VENICE_SQL_URL: sql.url },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('ORDERS');
  });
});

describe('venice ksql prompt (stdin piped)', () => {
  it('reads statements over several lines, answers help, keeps history, leaves on exit', async () => {
    const historyFile = path.join(home, 'history-1');
    const result = await ksql(
      ['--history-file', historyFile],
      'SHOW\n  STREAMS;\nhelp\nexit\nSHOW STREAMS;\n',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('ksql> ');
    expect(result.stdout).toMatch(/ORDERS\s+orders/);
    expect(result.stdout).toContain("Statements end with ';'");
    expect(fs.readFileSync(historyFile, 'utf8')).toBe('SHOW STREAMS;\n');
  });

  it('a bad statement prints its error and the prompt goes on', async () => {
    const result = await ksql(
      ['--history-file', path.join(home, 'history-2')],
      'SHOW STREAMZ;\nSHOW STREAMS;\n',
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("mismatched input 'SHOW'");
    expect(result.stdout).toContain('ORDERS');
  });

  it('Ctrl-C ends a running push query, closes it on the server, and the prompt comes back', async () => {
    const child = spawn(
      process.execPath,
      [CLI, 'ksql', sql.url, '--history-file', path.join(home, 'history-3')],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, HOME: home },
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.stdin.write('SELECT ID FROM ORDERS EMIT CHANGES;\n');
    await expect.poll(() => output, { timeout: 30_000 }).toMatch(/\| first +\|/);
    const closedBefore = engine.closed.length;
    child.kill('SIGINT');
    await expect.poll(() => output, { timeout: 30_000 }).toContain('Query terminated');
    await expect.poll(() => engine.closed.length, { timeout: 30_000 }).toBeGreaterThan(closedBefore);
    child.stdin.write('SHOW STREAMS;\nexit\n');
    expect(await exited).toBe(0);
    expect(output.slice(output.indexOf('Query terminated'))).toMatch(/ORDERS\s+orders/);
  });
});
