// The embedded PostgreSQL as the supervisor runs it (`venice postgres`, its own process) and as its
// clients see it over TCP with `pg`:
//   start       until a SELECT 1 answers: a new data folder with initdb (no template yet), a new data
//               folder copied from the template, and a restart on existing data
//   clients     N clients connected at once, each running short queries one after another: queries/s,
//               latency p50/p99, and whether every client was served
//   idle        N idle connections (psql sessions left open) while 8 clients run transactions
//   contention  8 clients running BEGIN; INSERT; INSERT; COMMIT (each transaction holds the one session)
// Run: npm run bench:postgres (builds dist first). Figures vary with the machine's load.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const CLI = path.resolve('bin/venice.js');
const CLIENT_LEVELS = [1, 10, 50, 200, 500];
const QUERIES_PER_CLIENT = 20;
const IDLE_LEVELS = [100, 1000];

interface Server {
  child: ChildProcess;
  url: string;
}

async function startServer(dataDir: string, cacheDir: string): Promise<{ server: Server; readyMs: number }> {
  const startedAt = performance.now();
  const child = spawn(process.execPath, [CLI, 'postgres', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, VENICE_CACHE_DIR: cacheDir },
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let match: RegExpExecArray | null;
  while (!(match = /listening on (postgres:\/\/\S+?\/postgres)/.exec(output))) {
    if (child.exitCode !== null) throw new Error(`venice postgres exited:\n${output}`);
    await sleep(20);
  }
  const url = match[1]!;
  // Ready as the supervisor sees it: a SELECT 1 over the wire answers.
  const probe = new pg.Client(url);
  await probe.connect();
  await probe.query('SELECT 1');
  await probe.end();
  return { server: { child, url }, readyMs: performance.now() - startedAt };
}

async function stopServer(server: Server): Promise<number> {
  const startedAt = performance.now();
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
  return performance.now() - startedAt;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function connectAll(url: string, count: number): Promise<pg.Client[]> {
  const clients: pg.Client[] = [];
  // Connected in batches of 50, as a pool would ramp up.
  for (let offset = 0; offset < count; offset += 50) {
    const batch = Array.from({ length: Math.min(50, count - offset) }, () => new pg.Client(url));
    await Promise.all(batch.map((client) => client.connect()));
    clients.push(...batch);
  }
  return clients;
}

async function clientsLevel(url: string, count: number): Promise<string> {
  const clients = await connectAll(url, count);
  const latencies: number[] = [];
  let failures = 0;
  const startedAt = performance.now();
  await Promise.all(
    clients.map(async (client, c) => {
      for (let i = 0; i < QUERIES_PER_CLIENT; i++) {
        const sent = performance.now();
        try {
          const result = await client.query<{ n: number }>('SELECT $1::int AS n', [c * 1000 + i]);
          if (result.rows[0]!.n !== c * 1000 + i) failures++;
        } catch {
          failures++;
        }
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - startedAt) / 1000;
  await Promise.all(clients.map((client) => client.end()));
  latencies.sort((a, b) => a - b);
  const queries = count * QUERIES_PER_CLIENT;
  return (
    `  ${String(count).padStart(4)} clients: ${Math.round(queries / seconds)
      .toString()
      .padStart(6)} queries/s, p50 ${percentile(latencies, 50).toFixed(1)} ms, ` +
    `p99 ${percentile(latencies, 99).toFixed(1)} ms, ${failures} failed`
  );
}

async function transactions(
  url: string,
  workers: number,
  perWorker: number,
): Promise<{ perSecond: number; p99: number }> {
  const clients = await connectAll(url, workers);
  await clients[0]!.query(
    'CREATE TABLE IF NOT EXISTS bench_tx (worker int, step int, at timestamptz DEFAULT now())',
  );
  const latencies: number[] = [];
  const startedAt = performance.now();
  await Promise.all(
    clients.map(async (client, worker) => {
      for (let step = 0; step < perWorker; step++) {
        const sent = performance.now();
        await client.query('BEGIN');
        await client.query('INSERT INTO bench_tx (worker, step) VALUES ($1, $2)', [worker, step]);
        await client.query('INSERT INTO bench_tx (worker, step) VALUES ($1, $2)', [worker, -step]);
        await client.query('COMMIT');
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - startedAt) / 1000;
  await Promise.all(clients.map((client) => client.end()));
  latencies.sort((a, b) => a - b);
  return { perSecond: (workers * perWorker) / seconds, p99: percentile(latencies, 99) };
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-bench-postgres-'));
  const cacheDir = path.join(root, 'cache');
  console.log(
    `venice postgres (PGlite) on ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}`,
  );

  console.log('start (spawn until SELECT 1 answers):');
  const first = await startServer(path.join(root, 'first'), cacheDir);
  console.log(`  new data folder, initdb:        ${(first.readyMs / 1000).toFixed(1)} s`);
  console.log(`  stop (SIGTERM, checkpoint):     ${((await stopServer(first.server)) / 1000).toFixed(1)} s`);
  const copied = await startServer(path.join(root, 'second'), cacheDir);
  console.log(`  new data folder, from template: ${(copied.readyMs / 1000).toFixed(1)} s`);
  await stopServer(copied.server);
  const restarted = await startServer(path.join(root, 'first'), cacheDir);
  console.log(`  restart on existing data:       ${(restarted.readyMs / 1000).toFixed(1)} s`);
  const url = restarted.server.url;

  console.log(`clients at once, ${QUERIES_PER_CLIENT} parameterised queries each:`);
  for (const count of CLIENT_LEVELS) console.log(await clientsLevel(url, count));

  console.log('transactions (BEGIN; 2 INSERT; COMMIT), 8 clients:');
  const alone = await transactions(url, 8, 100);
  console.log(`  ${Math.round(alone.perSecond)} transactions/s, p99 ${alone.p99.toFixed(1)} ms`);
  for (const idleCount of IDLE_LEVELS) {
    const idle = await connectAll(url, idleCount);
    const withIdle = await transactions(url, 8, 100);
    console.log(
      `  with ${idleCount} idle connections open: ${Math.round(withIdle.perSecond)} transactions/s, p99 ${withIdle.p99.toFixed(1)} ms`,
    );
    await Promise.all(idle.map((client) => client.end()));
  }
  await stopServer(restarted.server);
  fs.rmSync(root, { recursive: true, force: true });
}

await main();
