// The default pipeline end to end: how long from an order produced to its effect visible in PostgreSQL,
// at 1,000 and 10,000 orders/s. Target (issue #13): p99 ≤ 200 ms at 10,000/s.
//
// `venice up --demo` (real processes, the built CLI) sets the ecommerce pipeline up: the Avro `orders`
// stream, three aggregating queries, three JDBC sinks into the embedded PostgreSQL. This benchmark then
// produces orders itself, at the rate under test, through Venice's client. A few orders a second are
// probes: each has a product id of its own, so its `inventory` row is a new one, and a trigger in
// PostgreSQL records the moment it is inserted (clock_timestamp(), the same machine clock as the
// producer's). Latency = that moment - the moment just before the probe was handed to the producer. The
// other orders are ordinary load, landing in all three tables. Polling PostgreSQL is avoided: it would
// take the sinks' single PGlite session.
// With --hops, an observer consumer (e2e-hops.ts) splits each probe's latency by hop (its own fetches add
// a little load). Run: npm run bench:e2e [-- --seconds 20] [--port-base 21240] [--hops] [--rates 1000,10000]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openKafka, type ProduceRecord } from '../src/client/index.js';
import { createRecordGenerator, loadSchemaFile, RatePacer } from '../src/datagen/index.js';
import { ECOMMERCE_TEMPLATE_DIR, ORDER_SCHEMA_PATH } from '../src/demo/files.js';
import { HopObserver } from './e2e-hops.js';
import { encodePayload, encodeWire, parseSchema, SchemaRegistryClient } from '../src/serdes/index.js';
import { probeLatency, type ProbeLatency } from './lib/probe-latency.js';

const CLI = path.resolve('bin/venice.js');
const secondsArg = process.argv.indexOf('--seconds');
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 20;
const WARMUP_SECONDS = 3;
const ratesArg = process.argv.indexOf('--rates');
const RATES = ratesArg > 0 ? process.argv[ratesArg + 1]!.split(',').map(Number) : [1_000, 10_000];
const WITH_HOPS = process.argv.includes('--hops');
const PROBES_PER_SECOND = 50;
const TARGET_P99_MS = 200;
// Seven ports from --port-base (default 21240): two runs side by side (other helpers) must not collide.
const portBaseArg = process.argv.indexOf('--port-base');
const PORT_BASE = portBaseArg > 0 ? Number(process.argv[portBaseArg + 1]) : 21240;
const PORTS = {
  kafka: PORT_BASE,
  'broker-health': PORT_BASE + 1,
  registry: PORT_BASE + 2,
  sql: PORT_BASE + 3,
  connect: PORT_BASE + 4,
  console: PORT_BASE + 5,
  postgres: PORT_BASE + 6,
};
const PORT_FLAGS = Object.entries(PORTS).flatMap(([name, port]) => [`--${name}-port`, String(port)]);
const POSTGRES_URL = `postgres://postgres@127.0.0.1:${PORTS.postgres}/postgres`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function venice(args: string[], cwd: string): string {
  return execFileSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function withPostgres<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** Records each new probe row of `inventory` with the time it was inserted. */
const PROBE_TRIGGER = `
  CREATE TABLE IF NOT EXISTS bench_probe_seen (product_id text PRIMARY KEY, seen_at_ms double precision);
  CREATE OR REPLACE FUNCTION bench_probe_seen() RETURNS trigger AS $$
  BEGIN
    IF NEW.product_id LIKE 'probe-%' THEN
      INSERT INTO bench_probe_seen VALUES (NEW.product_id, extract(epoch FROM clock_timestamp()) * 1000)
      ON CONFLICT DO NOTHING;
    END IF;
    RETURN NEW;
  END $$ LANGUAGE plpgsql;
  DROP TRIGGER IF EXISTS bench_probe_seen ON inventory;
  CREATE TRIGGER bench_probe_seen AFTER INSERT ON inventory FOR EACH ROW EXECUTE FUNCTION bench_probe_seen();`;

interface RunResult extends ProbeLatency {
  rate: number;
  achievedRate: number;
  hops?: { hop: string; p50: number; p99: number }[];
  /**
   * Orders produced over the time from the first one to the last probe's row: the pipeline's sustained
   * throughput when it falls behind (the last probe waited behind everything produced before it).
   */
  pipelineRate: number;
  /** Each component's times over the run (producing until the last probe's row), per second of it. */
  cpuShare: Map<string, ComponentTimes>;
}

interface ComponentTimes {
  /** CPU time, all threads. */
  cpu: number;
  /** Time the main thread (the event loop) was ready to run but waited for a core. */
  queued: number;
}

/** The components whose CPU time the benchmark reports, by the port each listens on. */
const CPU_COMPONENTS = ['kafka', 'sql', 'connect', 'postgres'] as const;

/** Seconds of CPU and of waiting for a core so far, by component process (Linux /proc; empty elsewhere). */
function componentCpuSeconds(): Map<string, ComponentTimes> {
  const used = new Map<string, ComponentTimes>();
  if (!fs.existsSync('/proc/self/stat')) return used;
  const byPort = new Map(CPU_COMPONENTS.map((name) => [String(PORTS[name]), name]));
  for (const pid of fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!args.some((arg) => arg.endsWith('venice.js'))) continue;
      const port = args[args.indexOf('--port') + 1];
      const name = port === undefined ? undefined : byPort.get(port);
      if (name === undefined) continue;
      // utime and stime, in clock ticks (100 a second on Linux), after the command name in parentheses.
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      // The main thread's run-queue wait, in ns (the second field of schedstat).
      const queued = Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e9;
      used.set(name, { cpu: (Number(fields[11]) + Number(fields[12])) / 100, queued });
    } catch {
      // The process ended meanwhile.
    }
  }
  return used;
}

async function runAt(rate: number, encode: (value: Record<string, unknown>) => Buffer): Promise<RunResult> {
  const observer = WITH_HOPS
    ? await HopObserver.start(`127.0.0.1:${PORTS.kafka}`, await hopTopics())
    : undefined;
  const kafka = openKafka({ bootstrapServers: `127.0.0.1:${PORTS.kafka}`, clientId: 'bench-e2e' });
  const producer = kafka.producer({ acks: -1, lingerMs: 1 });
  const schema = loadSchemaFile(path.join(ECOMMERCE_TEMPLATE_DIR, ORDER_SCHEMA_PATH));
  const generator = createRecordGenerator(schema, { seed: `bench-${rate}`, keyField: 'order_id' });
  const probeEvery = Math.max(1, Math.round(rate / PROBES_PER_SECOND));
  const sentAt = new Map<string, number>();
  const pacer = new RatePacer(rate);
  const startedAt = performance.now();
  const startedAtMs = Date.now();
  const cpuBefore = componentCpuSeconds();
  const inFlight = new Set<Promise<void>>();
  let produced = 0;
  while (performance.now() - startedAt < SECONDS * 1000) {
    const take = pacer.take(2_000);
    if (take === 0) {
      await sleep(Math.min(5, Math.max(1, pacer.waitMs())));
      continue;
    }
    const records: ProduceRecord[] = [];
    const measured = performance.now() - startedAt >= WARMUP_SECONDS * 1000;
    for (let index = 0; index < take; index++) {
      const order = generator.next();
      produced++;
      if (measured && produced % probeEvery === 0) {
        const productId = `probe-${rate}-${produced}`;
        order.value.product_id = productId;
        sentAt.set(productId, Date.now());
      }
      records.push({ topic: 'orders', key: Buffer.from(order.key ?? ''), value: encode(order.value) });
    }
    const delivery = producer.sendMany(records);
    inFlight.add(delivery);
    void delivery.finally(() => inFlight.delete(delivery));
    if (inFlight.size >= 16) await Promise.race(inFlight);
  }
  await producer.flush();
  await Promise.all(inFlight);
  const achievedRate = produced / ((performance.now() - startedAt) / 1000);
  await producer.close();
  await kafka.close();

  // Every probe's row, or up to 60 s for the pipeline to catch up.
  const seen = new Map<string, number>();
  const deadline = Date.now() + 60_000;
  while (seen.size < sentAt.size && Date.now() < deadline) {
    await sleep(1000);
    const rows = await withPostgres((client) =>
      client.query<{ product_id: string; seen_at_ms: number }>(
        `SELECT product_id, seen_at_ms FROM bench_probe_seen WHERE product_id LIKE 'probe-${rate}-%'`,
      ),
    );
    for (const row of rows.rows) seen.set(row.product_id, row.seen_at_ms);
  }
  const lastSeenMs = Math.max(...seen.values());
  const cpuAfter = componentCpuSeconds();
  const cpuSeconds = (Date.now() - startedAtMs) / 1000;
  await observer?.stop();
  return {
    rate,
    achievedRate,
    ...probeLatency(sentAt, seen),
    ...(observer ? { hops: observer.breakdown(sentAt, seen) } : {}),
    pipelineRate: produced / ((lastSeenMs - startedAtMs) / 1000),
    cpuShare: new Map(
      [...cpuAfter].map(([name, after]) => {
        // The collection loop polls every second: up to a second past the last row counts too.
        const before = cpuBefore.get(name) ?? { cpu: 0, queued: 0 };
        return [
          name,
          { cpu: (after.cpu - before.cpu) / cpuSeconds, queued: (after.queued - before.queued) / cpuSeconds },
        ];
      }),
    ),
  };
}

/** The topics a probe passes through, in order: orders, the inventory query's repartition topic, inventory. */
async function hopTopics(): Promise<string[]> {
  const kafka = openKafka({ bootstrapServers: `127.0.0.1:${PORTS.kafka}`, clientId: 'bench-e2e-topics' });
  try {
    const names = (await kafka.topics.list({ includeInternal: true })).map((topic) => topic.name);
    const repartition = names.find((name) => /INVENTORY.*-repartition$/i.test(name));
    if (repartition === undefined)
      throw new Error(`no repartition topic of the inventory query among ${names.join(', ')}`);
    return ['orders', repartition, 'inventory'];
  } finally {
    await kafka.close();
  }
}

/** A component the supervisor restarted mid-run (a crash, a missed health check) skews the figures: say so. */
function reportRestarts(project: string): void {
  const log = path.join(project, '.venice', 'logs', 'supervisor.log');
  if (!fs.existsSync(log)) return;
  const restarts = fs
    .readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"msg":"restarting '));
  for (const line of restarts)
    console.log(`warning: during the run, ${(JSON.parse(line) as { msg: string }).msg}`);
}

async function main(): Promise<void> {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-bench-e2e-'));
  const loadBefore = os.loadavg();
  console.log(
    `venice up --demo in ${project} (load average ${loadBefore.map((l) => l.toFixed(1)).join(' ')})`,
  );
  try {
    venice(['up', '--demo', ...PORT_FLAGS, '--demo-count', '1', '--demo-seed', 'bench'], project);
    await waitFor('the inventory table in PostgreSQL', 120_000, () =>
      withPostgres(async (client) => (await client.query('SELECT 1 FROM inventory')).rowCount! > 0),
    );
    await withPostgres((client) => client.query(PROBE_TRIGGER));
    const registry = new SchemaRegistryClient({ url: `http://127.0.0.1:${PORTS.registry}` });
    const schemaText = fs.readFileSync(path.join(ECOMMERCE_TEMPLATE_DIR, ORDER_SCHEMA_PATH), 'utf8');
    const id = await registry.register('orders-value', { schemaType: 'AVRO', schema: schemaText });
    const parsed = parseSchema('AVRO', schemaText, []);
    const encode = (value: Record<string, unknown>) => encodeWire(id, encodePayload(parsed, value).payload);

    const results: RunResult[] = [];
    for (const rate of RATES) {
      const result = await runAt(rate, encode);
      results.push(result);
      console.log(
        `${rate.toLocaleString('en-US')}/s for ${SECONDS} s (achieved ${Math.round(result.achievedRate).toLocaleString('en-US')}/s): ` +
          `${result.seen}/${result.probes} probes seen, p50 ${result.p50.toFixed(0)} ms, p99 ${result.p99.toFixed(0)} ms, max ${result.max.toFixed(0)} ms; ` +
          `p50 of the first third ${result.firstThirdP50.toFixed(0)} ms, of the last third ${result.lastThirdP50.toFixed(0)} ms; ` +
          `${Math.round(result.pipelineRate).toLocaleString('en-US')} orders/s through to the last probe's row`,
      );
      console.log(
        `  per second of the run, CPU (waiting for a core): ${[...result.cpuShare].map(([name, share]) => `${name} ${share.cpu.toFixed(2)} (${share.queued.toFixed(2)})`).join(', ')}`,
      );
      for (const hop of result.hops ?? [])
        console.log(
          `  ${hop.hop.padEnd(10)} p50 ${hop.p50.toFixed(0).padStart(6)} ms, p99 ${hop.p99.toFixed(0).padStart(6)} ms`,
        );
    }
    const loadAfter = os.loadavg();
    console.log(
      `\nload average after: ${loadAfter.map((l) => l.toFixed(1)).join(' ')}; ${os.availableParallelism()} cores, ${os.cpus()[0]?.model ?? ''}, Node ${process.version}`,
    );
    const last = results.at(-1)!;
    console.log(
      last.p99 <= TARGET_P99_MS && last.seen === last.probes
        ? `target met: p99 ${last.p99.toFixed(0)} ms ≤ ${TARGET_P99_MS} ms at ${last.rate}/s`
        : `target missed at ${last.rate}/s: p99 ${last.p99.toFixed(0)} ms (target ${TARGET_P99_MS} ms), ${last.probes - last.seen} probes not seen within 60 s`,
    );
  } finally {
    reportRestarts(project);
    try {
      venice(['down', '--purge', '--yes'], project);
      fs.rmSync(project, { recursive: true, force: true });
    } catch (error) {
      console.error(`venice down failed: ${String(error)}`);
    }
  }
}

await main();
