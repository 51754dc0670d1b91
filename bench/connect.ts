// Rows/s into a real PostgreSQL through the PostgreSQL sink task's put(), with upsert and batching, as the
// worker drives it: each put() one transaction, its rows in unnest() statements of batch.size rows.
// Records are built before the clock starts (the worker's converters are not measured here); every put()
// runs against a fresh table that the first put auto-creates before timing. Half the records of each
// trial update rows written earlier in it, so ON CONFLICT takes both its branches.
//   Target: ≥ 50,000 rows/s (the issue's figure, at the worker's 500-record polls).
// With --worker, the rows also come from a topic through the whole worker (bench/connect-worker.ts).
// Run: npm run bench:connect [-- --quick] [-- --worker]   (VENICE_BENCH_POSTGRES_URL: another PostgreSQL)
import { readFileSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import type { ConnectSchema, SinkRecord } from '../src/connect/api/data.js';
import { LOGICAL_TYPES } from '../src/connect/api/data.js';
import type { SinkTaskContext } from '../src/connect/api/plugin.js';
import { postgresSinkPlugin } from '../src/connect/plugins/postgres-sink/index.js';
import { silentLogger } from '../src/service/index.js';
import { runThroughWorker } from './connect-worker.js';

const POSTGRES_URL = process.env.VENICE_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const QUICK = process.argv.includes('--quick');
const WORKER = process.argv.includes('--worker');
const ROWS = QUICK ? 20_000 : 200_000;
const TRIALS = QUICK ? 1 : 5;
const TARGET = 50_000;
const TABLE = `sinkbench_${process.pid}`;

const field = (name: string, index: number, schema: ConnectSchema) => ({ name, index, schema });
const VALUE_SCHEMA: ConnectSchema = {
  type: 'struct',
  optional: false,
  name: 'bench.Order',
  fields: [
    field('id', 0, { type: 'string', optional: false }),
    field('customer', 1, { type: 'string', optional: false }),
    field('item', 2, { type: 'string', optional: true }),
    field('qty', 3, { type: 'int32', optional: false }),
    field('price', 4, { type: 'float64', optional: false }),
    field('created', 5, { type: 'int64', optional: false, name: LOGICAL_TYPES.timestamp }),
  ],
};
const KEY_SCHEMA: ConnectSchema = { type: 'string', optional: false };

function records(count: number): SinkRecord[] {
  const distinctKeys = count / 2;
  return Array.from({ length: count }, (_, index) => {
    const id = `order-${index % distinctKeys}`;
    return {
      topic: TABLE,
      partition: index % 4,
      offset: BigInt(index),
      timestamp: 1_700_000_000_000 + index,
      keySchema: KEY_SCHEMA,
      key: id,
      valueSchema: VALUE_SCHEMA,
      value: {
        id,
        customer: `customer-${index % 977}`,
        item: index % 10 === 0 ? null : `item-${index % 131}`,
        qty: (index % 7) + 1,
        price: (index % 1000) / 10,
        created: new Date(1_700_000_000_000 + index * 1000),
      },
      headers: [],
    };
  });
}

const context: SinkTaskContext = {
  connector: 'bench',
  taskId: 0,
  logger: silentLogger(),
  reportFailedRecord: (record, error) => Promise.reject(new Error(`bench record refused: ${error.message}`)),
};

interface TrialResult {
  readonly rowsPerSecond: number;
  /** CPU time per row of this process and of the sink's PostgreSQL backend, in µs: what the rate would be without other load. */
  readonly nodeMicros: number;
  readonly backendMicros: number | null;
}

/** utime + stime of a local process in ms, from /proc (null when PostgreSQL is elsewhere or /proc is not there). */
function processCpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

async function trial(
  all: readonly SinkRecord[],
  putSize: number,
  batchSize: number,
  admin: pg.Client,
): Promise<TrialResult> {
  await admin.query(`DROP TABLE IF EXISTS "${TABLE}"`);
  const task = postgresSinkPlugin.createTask();
  await task.start(
    {
      'connection.url': `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}ApplicationName=${TABLE}`,
      'insert.mode': 'upsert',
      'pk.mode': 'record_key',
      'pk.fields': 'id',
      'auto.create': 'true',
      'batch.size': String(batchSize),
    },
    context,
  );
  // One record first, untimed: connects, creates the table and caches its columns.
  await task.put(all.slice(0, 1));
  const backend = await admin.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
    [TABLE],
  );
  const backendPid = backend.rows[0]?.pid;
  const backendBefore = backendPid === undefined ? null : processCpuMs(backendPid);
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let start = 1; start < all.length; start += putSize) {
    await task.put(all.slice(start, start + putSize));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const backendAfter = backendPid === undefined ? null : processCpuMs(backendPid);
  await task.stop();
  const timed = all.length - 1;
  const { rows } = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${TABLE}"`);
  if (rows[0].n !== all.length / 2) throw new Error(`expected ${all.length / 2} rows, found ${rows[0].n}`);
  return {
    rowsPerSecond: timed / seconds,
    nodeMicros: (cpu.user + cpu.system) / timed,
    backendMicros:
      backendBefore === null || backendAfter === null
        ? null
        : ((backendAfter - backendBefore) * 1000) / timed,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const format = (rate: number) => Math.round(rate).toLocaleString('en-US');

async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  const { rows: settings } = await admin.query<{ version: string; sync: string }>(
    `SELECT split_part(version(), ' ', 2) AS version, current_setting('synchronous_commit') AS sync`,
  );
  console.log(
    `PostgreSQL ${settings[0].version} (synchronous_commit=${settings[0].sync}) at ${POSTGRES_URL.replace(/:[^:@/]*@/, ':***@')}; ` +
      `${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load ${os.loadavg()[0].toFixed(2)}; Node ${process.version}`,
  );
  console.log(
    `${ROWS.toLocaleString('en-US')} records per trial (half of them updates), ${TRIALS} trials, median:`,
  );
  const all = records(ROWS);
  const cases = [
    { putSize: 500, batchSize: 3000, note: "the worker's poll (max.poll.records=500)" },
    { putSize: 2000, batchSize: 3000, note: '' },
    { putSize: 10_000, batchSize: 3000, note: 'batch.size default: 4 statements per put' },
  ];
  let failed = false;
  try {
    for (const { putSize, batchSize, note } of cases) {
      const results: TrialResult[] = [];
      for (let index = 0; index < TRIALS; index++) results.push(await trial(all, putSize, batchSize, admin));
      const rates = results.map((result) => result.rowsPerSecond);
      const result = median(rates);
      const nodeMicros = median(results.map((trialResult) => trialResult.nodeMicros));
      const backends = results
        .map((trialResult) => trialResult.backendMicros)
        .filter((micros) => micros !== null);
      const backendMicros = backends.length > 0 ? median(backends) : null;
      const cpuBound = 1e6 / (nodeMicros + (backendMicros ?? 0));
      const verdict =
        putSize === 500 ? (result >= TARGET ? ' (target met)' : ` (below the ${format(TARGET)} target)`) : '';
      if (putSize === 500 && result < TARGET) failed = true;
      console.log(
        `  put ${String(putSize).padStart(6)} records, batch.size ${batchSize}: ${format(result).padStart(8)} rows/s${verdict}` +
          `   [${rates.map(format).join(', ')}]${note ? `  ${note}` : ''}\n` +
          `      CPU per row: sink ${nodeMicros.toFixed(1)} µs + PostgreSQL backend ${backendMicros === null ? '?' : backendMicros.toFixed(1)} µs` +
          ` → ${format(cpuBound)} rows/s on one idle core each (PostgreSQL's WAL writer and fsync waits not counted)`,
      );
    }
    if (WORKER) {
      const runs = [];
      for (let index = 0; index < TRIALS; index++) runs.push(await runThroughWorker(POSTGRES_URL, ROWS));
      const rates = runs.map((run) => run.rowsPerSecond);
      console.log(
        `  topic → worker → PostgreSQL, ${ROWS.toLocaleString('en-US')} records (4 partitions, one task): ` +
          `${format(median(rates)).padStart(8)} rows/s   [${rates.map(format).join(', ')}]; ` +
          `with the connector's start-up ${format(median(runs.map((run) => run.withStartupPerSecond)))} rows/s`,
      );
    }
  } finally {
    await admin.query(`DROP TABLE IF EXISTS "${TABLE}"`);
    await admin.end();
  }
  if (failed) process.exitCode = 1;
}

await main();
