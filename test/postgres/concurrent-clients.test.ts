// Many clients on the embedded PostgreSQL at once, over the wire with `pg` and psql: each client's
// transactions and extended-protocol batches run whole (never interleaved with another's), an idle
// session does not hold the others up, a client that leaves mid-transaction is rolled back, and each
// client's prepared statement names are its own.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { requireTool } from '../helpers/system-tools.js';
import type { RunningPostgres } from '../../src/postgres/service.js';
import { PSQL, startTestPostgres } from './helpers.js';

describe('the embedded PostgreSQL with concurrent clients', () => {
  let postgres: RunningPostgres;
  const clients: pg.Client[] = [];
  const connect = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: postgres.url });
    client.on('error', () => {});
    await client.connect();
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    postgres = await startTestPostgres();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.end().catch(() => {})));
    await postgres?.stop();
  });

  it('runs interleaved transactions of a pool of clients, each whole and isolated', async () => {
    const setup = await connect();
    await setup.query('CREATE TABLE pg_concurrent (worker int, step int, note text)');
    const pool = new pg.Pool({ connectionString: postgres.url, max: 8 });
    const pause = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    const worker = async (id: number) => {
      const client = await pool.connect();
      try {
        for (let round = 0; round < 5; round++) {
          await client.query('BEGIN');
          await client.query('INSERT INTO pg_concurrent VALUES ($1, $2, $3)', [id, round, 'first']);
          await pause();
          // The client sees its own row and no other client's uncommitted one.
          const mine = await client.query<{ n: string }>(
            'SELECT count(*) AS n FROM pg_concurrent WHERE worker = $1 AND step = $2',
            [id, round],
          );
          expect(mine.rows[0]!.n).toBe('1');
          await client.query('INSERT INTO pg_concurrent VALUES ($1, $2, $3)', [id, round, 'second']);
          await pause();
          await client.query(round % 2 === 0 ? 'COMMIT' : 'ROLLBACK');
        }
      } finally {
        client.release();
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, id) => worker(id)));
    await pool.end();
    const counts = await setup.query<{ worker: number; n: string }>(
      'SELECT worker, count(*) AS n FROM pg_concurrent GROUP BY worker ORDER BY worker',
    );
    // Rounds 0, 2 and 4 committed two rows each; 1 and 3 rolled back.
    expect(counts.rows).toEqual(Array.from({ length: 8 }, (_, worker) => ({ worker, n: '6' })));
  });

  it('keeps concurrent extended-protocol batches of different clients apart', async () => {
    const many = await Promise.all(Array.from({ length: 6 }, () => connect()));
    // Each client runs its queries one after another (as pg requires); the clients run at the same time.
    const perClient = await Promise.all(
      many.map(async (client, c) => {
        const answers: { expected: number; row: { n: number; t: string } }[] = [];
        for (let i = 0; i < 30; i++) {
          const result = await client.query<{ n: number; t: string }>('SELECT $1::int AS n, $2::text AS t', [
            c * 1000 + i,
            `c${c}-${i}`,
          ]);
          answers.push({ expected: c * 1000 + i, row: result.rows[0]! });
        }
        return answers;
      }),
    );
    const answers = perClient.flat();
    expect(answers).toHaveLength(180);
    for (const { expected, row } of answers) {
      expect(row.n).toBe(expected);
      expect(row.t).toBe(`c${Math.floor(expected / 1000)}-${expected % 1000}`);
    }
  });

  it('makes a client wait while another holds a transaction open, then serves it', async () => {
    const holder = await connect();
    const other = await connect();
    await holder.query('CREATE TABLE pg_wait (id int)');
    await holder.query('BEGIN');
    await holder.query('INSERT INTO pg_wait VALUES (1)');
    let answered = false;
    const waiting = other.query<{ n: string }>('SELECT count(*) AS n FROM pg_wait').then((result) => {
      answered = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answered).toBe(false);
    await holder.query('COMMIT');
    // It ran after the commit, so it sees the row.
    expect((await waiting).rows[0]!.n).toBe('1');
  });

  it('rolls back the transaction of a client that disconnects in the middle of it', async () => {
    const leaver = await connect();
    const stayer = await connect();
    await stayer.query('CREATE TABLE pg_leaver (id int)');
    await leaver.query('BEGIN');
    await leaver.query('INSERT INTO pg_leaver VALUES (1)');
    const answer = stayer.query<{ n: string }>('SELECT count(*) AS n FROM pg_leaver');
    (leaver as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    expect((await answer).rows[0]!.n).toBe('0');
    // The session is usable and out of any transaction.
    await stayer.query('INSERT INTO pg_leaver VALUES (2)');
    expect((await stayer.query('SELECT id FROM pg_leaver')).rows).toEqual([{ id: 2 }]);
  });

  it("gives each client's prepared statements their own names", async () => {
    const first = await connect();
    const second = await connect();
    const a = await first.query({ name: 'same', text: 'SELECT $1::int + 1 AS v', values: [1] });
    const b = await second.query({ name: 'same', text: "SELECT $1::text || '!' AS v", values: ['x'] });
    const again = await first.query({ name: 'same', text: 'SELECT $1::int + 1 AS v', values: [41] });
    expect([a.rows[0].v, b.rows[0].v, again.rows[0].v]).toEqual([2, 'x!', 42]);
    // A client that leaves takes its statements with it: a new client may use the name again.
    await first.end();
    clients.splice(clients.indexOf(first), 1);
    const third = await connect();
    expect((await third.query({ name: 'same', text: 'SELECT 3 AS v' })).rows).toEqual([{ v: 3 }]);
  });

  it('refuses a database other than postgres with a hint', async () => {
    const url = postgres.url.replace(/\/postgres$/, '/shop');
    const client = new pg.Client({ connectionString: url });
    await expect(client.connect()).rejects.toThrow('database "shop" does not exist');
    await client.end().catch(() => {});
  });

  it('serves the others while a psql session sits idle, then answers it', async () => {
    requireTool(PSQL);
    const psql = spawn('psql', [postgres.url, '-X', '-A', '-t'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    psql.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    psql.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    psql.stdin.write('SELECT 40 + 1;\n');
    const deadline = Date.now() + 30_000;
    while (!output.includes('41')) {
      if (Date.now() > deadline) throw new Error(`psql did not answer:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // psql is connected and idle; other clients' transactions go through meanwhile.
    const worker = await connect();
    for (let i = 0; i < 20; i++) {
      await worker.query('BEGIN');
      await worker.query('SELECT 1');
      await worker.query('COMMIT');
    }
    expect(postgres.clientCount()).toBeGreaterThanOrEqual(2);
    const exited = new Promise((resolve) => psql.once('exit', resolve));
    psql.stdin.end('SELECT 2 * 21;\n\\q\n');
    expect(await exited).toBe(0);
    expect(output).toContain('42');
  });

  it("loads rows with psql's \\copy (COPY FROM STDIN)", async () => {
    requireTool(PSQL);
    const setup = await connect();
    await setup.query('CREATE TABLE pg_copy (id int, name text)');
    const psql = spawn(
      'psql',
      [postgres.url, '-X', '-v', 'ON_ERROR_STOP=1', '-c', '\\copy pg_copy from stdin csv'],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let output = '';
    psql.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    psql.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => psql.once('exit', resolve));
    psql.stdin.end('1,one\n2,two\n3,three\n');
    expect(await exited, output).toBe(0);
    expect(output).toContain('COPY 3');
    expect((await setup.query('SELECT count(*)::int AS n FROM pg_copy')).rows).toEqual([{ n: 3 }]);
  });
});
