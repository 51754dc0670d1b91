// Transactions benchmark: transactional produce throughput with 100 and with 10,000 records per
// transaction, next to plain (idempotent, non-transactional) produce in the same run, with librdkafka
// (python3-confluent-kafka) against a fresh Venice broker. Run with `npm run bench:transactions`
// (add `-- --quick` for a short dry run). Prints a Markdown report on stdout.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBroker } from './lib/broker-process.mjs';
import { endOffset, ensureTopic } from './lib/kcat.mjs';
import { median } from './lib/stats.mjs';

const PYTHON = '/usr/bin/python3';
const PRODUCER = 'bench/lib/txn_producer.py';
const quick = process.argv.includes('--quick');
const settings = {
  date: new Date().toISOString(),
  records: quick ? 20_000 : 200_000,
  recordSize: 100,
  repeats: quick ? 1 : 3,
};
const CASES = [
  { name: 'plain (idempotent, no transaction)', perTransaction: 0 },
  { name: '100 records per transaction', perTransaction: 100 },
  { name: '10,000 records per transaction', perTransaction: 10_000 },
];
const log = (message) => console.error(`[bench] ${message}`);
const failures = [];

function runProducer(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [PRODUCER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`producer exited with ${code}:\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop()));
    });
  });
}

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'venice-bench-txn-'));
  const broker = await startBroker({ dataDir });
  const results = CASES.map((c) => ({ ...c, rates: [] }));
  try {
    // Cases interleaved within each repeat, so a slow spell on the shared machine hits all of them.
    for (let repeat = 1; repeat <= settings.repeats; repeat++) {
      for (const result of results) {
        const topic = `bench-txn-${result.perTransaction}-${repeat}`;
        await ensureTopic(broker.address, topic);
        const outcome = await runProducer([
          '--bootstrap',
          broker.address,
          '--topic',
          topic,
          '--records',
          String(settings.records),
          '--size',
          String(settings.recordSize),
          '--per-transaction',
          String(result.perTransaction),
          '--transactional-id',
          `bench-${result.perTransaction}-${repeat}`,
        ]);
        const landed = await endOffset(broker.address, topic);
        const transactions = result.perTransaction ? Math.ceil(settings.records / result.perTransaction) : 0;
        // Each committed transaction adds its marker to the partition.
        const expected = settings.records + transactions;
        if (outcome.failures.length > 0 || landed !== expected) {
          failures.push(
            `${topic}: end offset ${landed} (expected ${expected}), ${outcome.failures.join('; ')}`,
          );
        }
        const rate = settings.records / outcome.seconds;
        result.rates.push(rate);
        log(`${result.name}, run ${repeat}: ${outcome.seconds.toFixed(2)} s, ${Math.round(rate)} rec/s`);
      }
    }
  } finally {
    await broker.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const plain = median(results[0].rates);
  const librdkafka = execFileSync(
    PYTHON,
    ['-c', 'import confluent_kafka; print(confluent_kafka.libversion()[0])'],
    {
      encoding: 'utf8',
    },
  ).trim();
  const lines = [
    `Transactions benchmark, ${settings.date}`,
    `${settings.records.toLocaleString('en')} records of ${settings.recordSize} bytes to one partition per run, ` +
      `${settings.repeats} run(s) per case, librdkafka ${librdkafka} (python3-confluent-kafka), ` +
      `${os.availableParallelism()} CPUs, node ${process.version}`,
    '',
    '| case | median rec/s | runs (rec/s) | vs plain |',
    '| --- | ---: | --- | ---: |',
    ...results.map((r) => {
      const m = median(r.rates);
      return `| ${r.name} | ${Math.round(m).toLocaleString('en')} | ${r.rates.map((x) => Math.round(x)).join(', ')} | ${(m / plain).toFixed(2)} |`;
    }),
  ];
  if (failures.length > 0) lines.push('', ...failures.map((f) => `FAILED: ${f}`));
  console.log(lines.join('\n'));
  if (failures.length > 0) process.exitCode = 1;
}

await main();
