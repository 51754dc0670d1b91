// The e-commerce demo's SQL pipeline (templates/ecommerce/sql/pipeline.sql) as persistent queries in a
// real engine, over a real broker (the built `venice broker`, a child process) and a schema registry (in
// this process), without PostgreSQL or Connect. Two measurements:
//   throughput  N Avro orders are produced first; then the three queries start and the clock runs until
//               every query's consumer group has committed every input (its repartition topic too).
//               Records/s = N / that time, so each of the three queries handled N orders in it.
//   latency     with the queries caught up, orders are produced at a fixed rate; some are probes with a
//               product id of their own, and the time from handing a probe to the producer to its key
//               arriving on the `inventory` topic is its latency (two hops through the broker, the
//               repartition included). The backlog shows as a rising median from the first to the last third.
// The engine runs in this process, so `node --cpu-prof --import tsx bench/sql-pipeline.ts` profiles it
// (the producer and registry are here too, the broker is not).
// Run: npm run bench:sql-pipeline [-- --orders 200000 --rates 1000,10000 --seconds 10 --skip-latency]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openKafka, type Kafka, type ProduceRecord } from '../src/client/index.js';
import { createRecordGenerator, loadSchemaFile, RatePacer } from '../src/datagen/index.js';
import { ECOMMERCE_TEMPLATE_DIR, ORDER_SCHEMA_PATH } from '../src/demo/files.js';
import { startRegistry } from '../src/registry/service.js';
import { encodePayload, encodeWire, parseSchema, SchemaRegistryClient } from '../src/serdes/index.js';
import { silentLogger } from '../src/service/index.js';
import { createSqlEngine } from '../src/sql/engine/index.js';
// @ts-expect-error: a plain .mjs helper shared with the broker benches
import { startBroker } from './lib/broker-process.mjs';
import { probeLatency, type ProbeLatency } from './lib/probe-latency.js';

interface BrokerProcess {
  readonly address: string;
  stop(): Promise<void>;
}

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

const ORDERS = Number(argument('orders', '200000'));
const RATES = argument('rates', '1000,10000').split(',').map(Number);
const SECONDS = Number(argument('seconds', '10'));
const SKIP_LATENCY = process.argv.includes('--skip-latency');
const PROBES_PER_SECOND = 50;
const SERVICE_ID = 'bench_';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The pipeline's statements, without its SET (the engine gets auto.offset.reset as a property). */
function pipelineSql(): string {
  const text = fs.readFileSync(path.join(ECOMMERCE_TEMPLATE_DIR, 'sql/pipeline.sql'), 'utf8');
  return text.replace(/^SET .*$/m, '');
}

/** Committed offsets of the orders topic per query group, and whether every query has no lag. */
async function progress(kafka: Kafka): Promise<{ ordersDone: number[]; caughtUp: boolean }> {
  const groups = (await kafka.groups.list()).filter((g) => g.id.includes(`${SERVICE_ID}query_`));
  const ordersDone: number[] = [];
  let caughtUp = groups.length === 3;
  for (const group of groups) {
    const description = await kafka.groups.describe(group.id);
    const orders = description.offsets.filter((o) => o.topic === 'orders');
    ordersDone.push(orders.reduce((sum, o) => sum + Number(o.committedOffset ?? 0n), 0));
    if (description.totalLag !== 0n || description.offsets.some((o) => o.committedOffset === null))
      caughtUp = false;
  }
  return { ordersDone, caughtUp };
}

async function waitUntilCaughtUp(kafka: Kafka, total: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { ordersDone, caughtUp } = await progress(kafka);
    if (caughtUp && ordersDone.every((done) => done >= total)) return;
    if (Date.now() > deadline)
      throw new Error(`queries not caught up within ${timeoutMs} ms: orders done ${ordersDone.join(', ')}`);
    await sleep(50);
  }
}

interface LatencyResult extends ProbeLatency {
  rate: number;
  achievedRate: number;
}

async function latencyAt(
  kafka: Kafka,
  rate: number,
  encode: (value: Record<string, unknown>) => Buffer,
  next: () => { key: string | null; value: Record<string, unknown> },
): Promise<LatencyResult> {
  const sentAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  const stop = new AbortController();
  const watching = (async () => {
    for await (const record of kafka.consume({
      topic: 'inventory',
      from: { kind: 'end' },
      signal: stop.signal,
    })) {
      const key = record.key?.toString() ?? '';
      if (sentAt.has(key) && !seenAt.has(key)) seenAt.set(key, performance.now());
    }
  })().catch((error: unknown) => {
    if (!stop.signal.aborted) throw error;
  });
  await sleep(1000); // the watcher's first fetch is in place

  const producer = kafka.producer({ acks: -1, lingerMs: 1 });
  const probeEvery = Math.max(1, Math.round(rate / PROBES_PER_SECOND));
  const pacer = new RatePacer(rate);
  const startedAt = performance.now();
  const inFlight = new Set<Promise<void>>();
  let produced = 0;
  while (performance.now() - startedAt < SECONDS * 1000) {
    const take = pacer.take(2_000);
    if (take === 0) {
      await sleep(Math.min(5, Math.max(1, pacer.waitMs())));
      continue;
    }
    const records: ProduceRecord[] = [];
    for (let index = 0; index < take; index++) {
      const order = next();
      produced++;
      if (produced % probeEvery === 0) {
        const productId = `probe-${rate}-${produced}`;
        order.value.product_id = productId;
        sentAt.set(productId, performance.now());
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

  const deadline = Date.now() + 60_000;
  while (seenAt.size < sentAt.size && Date.now() < deadline) await sleep(100);
  stop.abort();
  await watching;

  return { rate, achievedRate, ...probeLatency(sentAt, seenAt) };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-bench-sql-pipeline-'));
  const loadBefore = os.loadavg();
  const broker = (await startBroker({
    dataDir: path.join(dir, 'broker'),
    extraArgs: ['--group-initial-rebalance-delay-ms', '0'],
  })) as BrokerProcess;
  const kafka = openKafka({ bootstrapServers: broker.address, clientId: 'bench-sql-pipeline' });
  const registry = await startRegistry({
    bootstrapServers: broker.address,
    port: 0,
    logger: silentLogger(),
  });
  const engine = createSqlEngine({
    kafka: { bootstrapServers: broker.address, clientId: 'venice-sql' },
    schemaRegistryUrl: registry.url,
    serviceId: SERVICE_ID,
    stateDir: path.join(dir, 'sql-state'),
    logger: silentLogger(),
    properties: { 'ksql.streams.auto.offset.reset': 'earliest' },
  });
  try {
    const schemaPath = path.join(ECOMMERCE_TEMPLATE_DIR, ORDER_SCHEMA_PATH);
    const schemaText = fs.readFileSync(schemaPath, 'utf8');
    const client = new SchemaRegistryClient({ url: registry.url });
    const id = await client.register('orders-value', { schemaType: 'AVRO', schema: schemaText });
    const parsed = parseSchema('AVRO', schemaText, []);
    const encode = (value: Record<string, unknown>) => encodeWire(id, encodePayload(parsed, value).payload);
    const generator = createRecordGenerator(loadSchemaFile(schemaPath), {
      seed: 'bench-sql-pipeline',
      keyField: 'order_id',
    });

    await kafka.topics.create({ name: 'orders', partitions: 1 });
    for (let sent = 0; sent < ORDERS;) {
      const batch: ProduceRecord[] = [];
      for (; batch.length < 5_000 && sent < ORDERS; sent++) {
        const order = generator.next();
        batch.push({ topic: 'orders', key: Buffer.from(order.key ?? ''), value: encode(order.value) });
      }
      await kafka.produce(batch);
    }

    await engine.start();
    const startedAt = performance.now();
    const cpuBefore = process.cpuUsage();
    await engine.execute({ sql: pipelineSql() });
    await waitUntilCaughtUp(kafka, ORDERS, 600_000);
    const seconds = (performance.now() - startedAt) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    // CPU time says more than wall time on a shared machine: it hardly grows when other processes wait.
    const cpuMicrosPerOrder = (cpu.user + cpu.system) / ORDERS;
    console.log(
      `throughput: ${ORDERS.toLocaleString('en-US')} orders through all three queries in ${seconds.toFixed(2)} s = ` +
        `${Math.round(ORDERS / seconds).toLocaleString('en-US')} orders/s (query start included); ` +
        `engine process CPU ${cpuMicrosPerOrder.toFixed(1)} µs per order (${Math.round(1e6 / cpuMicrosPerOrder).toLocaleString('en-US')} orders per CPU second)`,
    );

    if (!SKIP_LATENCY) {
      for (const rate of RATES) {
        const result = await latencyAt(kafka, rate, encode, () => generator.next());
        console.log(
          `latency at ${rate.toLocaleString('en-US')}/s for ${SECONDS} s (achieved ${Math.round(result.achievedRate).toLocaleString('en-US')}/s): ` +
            `${result.seen}/${result.probes} probes on inventory, p50 ${result.p50.toFixed(0)} ms, p99 ${result.p99.toFixed(0)} ms, ` +
            `max ${result.max.toFixed(0)} ms; p50 of the first third ${result.firstThirdP50.toFixed(0)} ms, of the last ${result.lastThirdP50.toFixed(0)} ms`,
        );
      }
    }
    const loadAfter = os.loadavg();
    console.log(
      `load average before ${loadBefore.map((l) => l.toFixed(1)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(1)).join(' ')}; ` +
        `${os.availableParallelism()} cores, ${os.cpus()[0]?.model ?? ''}, Node ${process.version}`,
    );
  } finally {
    await engine.stop().catch(() => {});
    await registry.stop().catch(() => {});
    await kafka.close().catch(() => {});
    await broker.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
