// Schema registry benchmark: schema-by-id lookups per second and registrations per second against
// `venice registry` running as its own process on a fresh broker. Run with `npm run bench:registry`
// (add `-- --quick` for a short dry run).
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort, startBroker } from './lib/broker-process.mjs';
import { processCpuSeconds } from './lib/processes.mjs';
import { median, percentile } from './lib/stats.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const settings = {
  date: new Date().toISOString(),
  repeats: quick ? 1 : 3,
  lookupSeconds: quick ? 3 : 10,
  lookupConnections: 64,
  lookupIds: 100,
  registrations: quick ? 100 : 500,
  registrationConcurrency: [1, 16],
};
const log = (message) => console.error(`[bench] ${message}`);
const failures = [];

/** Runs `venice registry` and resolves once GET /health answers 200. */
async function startRegistry(bootstrap) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['bin/venice.js', 'registry', '--port', String(port), '--bootstrap-servers', bootstrap],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VENICE_LOG_LEVEL: 'warn' } },
  );
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (text) => (output = (output + text).slice(-4000)));
  child.stderr.setEncoding('utf8').on('data', (text) => (output = (output + text).slice(-4000)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`registry exited with ${child.exitCode}:\n${output}`);
    const healthy = await request(`${url}/health`).then(
      (answer) => answer.status === 200,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) throw new Error(`registry not healthy after 60 s:\n${output}`);
    await sleep(100);
  }
  return {
    url,
    pid: child.pid,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** One request over the keep-alive agent; resolves with the status and body text. */
function request(url, method = 'GET', body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: payload
          ? { 'content-type': 'application/vnd.schemaregistry.v1+json', 'content-length': payload.length }
          : {},
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode, text }));
      },
    );
    req.once('error', reject);
    req.end(payload);
  });
}

const schemaNumber = { next: 0 };
function distinctSchema() {
  const n = schemaNumber.next++;
  const schema = JSON.stringify({
    type: 'record',
    name: `Bench${n}`,
    namespace: 'venice.bench',
    fields: [
      { name: 'id', type: 'string' },
      { name: 'amount', type: 'double' },
      { name: `field${n}`, type: ['null', 'string'], default: null },
    ],
  });
  return { subject: `bench-${n}-value`, schema };
}

/** Registers `count` distinct schemas (each under its own subject), `concurrency` at a time. */
async function registrations(registry, count, concurrency) {
  const jobs = Array.from({ length: count }, () => distinctSchema());
  const latencies = [];
  const ids = [];
  const cpuBefore = processCpuSeconds(registry.pid);
  const started = performance.now();
  let nextJob = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (nextJob < jobs.length) {
        const { subject, schema } = jobs[nextJob++];
        const sent = performance.now();
        const answer = await request(`${registry.url}/subjects/${subject}/versions`, 'POST', { schema });
        latencies.push(performance.now() - sent);
        if (answer.status !== 200) failures.push(`registration answered ${answer.status}: ${answer.text}`);
        else ids.push(JSON.parse(answer.text).id);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = processCpuSeconds(registry.pid) - cpuBefore;
  if (new Set(ids).size !== count) failures.push(`expected ${count} distinct ids, got ${new Set(ids).size}`);
  latencies.sort((a, b) => a - b);
  return {
    perSecond: count / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    registryCpuPercent: (cpu / seconds) * 100,
  };
}

/** `connections` keep-alive loops of GET /schemas/ids/{id} over random known ids for `seconds`. */
async function lookups(registry, ids, seconds, connections) {
  const latencies = [];
  let errors = 0;
  const cpuBefore = processCpuSeconds(registry.pid);
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const id = ids[Math.floor(Math.random() * ids.length)];
        const sent = performance.now();
        const answer = await request(`${registry.url}/schemas/ids/${id}`);
        latencies.push(performance.now() - sent);
        if (answer.status !== 200) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = processCpuSeconds(registry.pid) - cpuBefore;
  if (errors > 0) failures.push(`${errors} lookups failed`);
  latencies.sort((a, b) => a - b);
  return {
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    registryCpuPercent: (cpu / elapsed) * 100,
  };
}

const fmt = (value, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function row(label, runs) {
  const rate = median(runs.map((run) => run.perSecond));
  return `| ${label} | **${fmt(rate)}** | ${runs.map((run) => fmt(run.perSecond)).join(' / ')} | ${fmt(median(runs.map((run) => run.p50)), 2)} | ${fmt(median(runs.map((run) => run.p99)), 2)} | ${fmt(median(runs.map((run) => run.registryCpuPercent)))}% |`;
}

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'venice-bench-registry-'));
  log(`starting a broker in ${dataDir}`);
  const broker = await startBroker({ dataDir });
  let registry;
  try {
    registry = await startRegistry(broker.address);
    log(`registry at ${registry.url}`);

    const registrationRuns = new Map(settings.registrationConcurrency.map((c) => [c, []]));
    for (let run = 1; run <= settings.repeats; run++) {
      for (const concurrency of settings.registrationConcurrency) {
        const result = await registrations(registry, settings.registrations, concurrency);
        log(`registrations, concurrency ${concurrency}, run ${run}: ${fmt(result.perSecond)}/s`);
        registrationRuns.get(concurrency).push(result);
      }
    }

    const ids = [];
    for (let i = 0; i < settings.lookupIds; i++) {
      const answer = await request(`${registry.url}/schemas/ids/${i + 1}`);
      if (answer.status === 200) ids.push(i + 1);
    }
    // Warm up the connections and the JIT before measuring.
    await lookups(registry, ids, 1, settings.lookupConnections);
    const lookupRuns = [];
    for (let run = 1; run <= settings.repeats; run++) {
      const result = await lookups(registry, ids, settings.lookupSeconds, settings.lookupConnections);
      log(`lookups, run ${run}: ${fmt(result.perSecond)}/s`);
      lookupRuns.push(result);
    }

    const cpuModel = os.cpus()[0]?.model ?? 'unknown';
    const lines = [
      `Run of ${settings.date} (${quick ? 'quick' : 'full'}), Node ${process.version}, ${os.availableParallelism()} CPUs (${cpuModel}), load average before: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
      '',
      '| Operation | Median /s | Runs /s | p50 ms | p99 ms | Registry CPU |',
      '| --- | ---: | --- | ---: | ---: | ---: |',
      row(
        `GET /schemas/ids/{id}, ${settings.lookupConnections} keep-alive connections, ${settings.lookupSeconds} s`,
        lookupRuns,
      ),
      ...settings.registrationConcurrency.map((concurrency) =>
        row(
          `POST /subjects/{s}/versions, ${settings.registrations} distinct schemas, ${concurrency} at a time`,
          registrationRuns.get(concurrency),
        ),
      ),
    ];
    console.log(lines.join('\n'));
  } finally {
    await registry?.stop();
    await broker.stop();
    agent.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (failures.length > 0) {
    for (const failure of failures.slice(0, 10)) console.log(`FAILED: ${failure}`);
    process.exitCode = 1;
  }
}

await main();
