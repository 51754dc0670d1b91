// Broker benchmark: machine limits, kcat produce/consume throughput and produce-to-consume latency
// against a fresh Venice broker. Run with `npm run bench:broker` (add `-- --quick` for a short dry run).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBroker } from './lib/broker-process.mjs';
import { consume, endOffset, ensureTopic, produce } from './lib/kcat.mjs';
import { measureLatency } from './lib/latency.mjs';
import {
  describeMachine,
  measureDiskWrite,
  measureLoopback,
  measureSmallSyncedWrites,
} from './lib/machine.mjs';
import { formatReport, summarize, TARGETS } from './lib/report.mjs';
import { median } from './lib/stats.mjs';

const quick = process.argv.includes('--quick');
const settings = {
  date: new Date().toISOString(),
  records: quick ? 100_000 : 1_000_000,
  recordSize: 100,
  repeats: quick ? 1 : 3,
  latencyRate: 10_000,
  latencySeconds: quick ? 4 : 10,
};
const log = (message) => console.error(`[bench] ${message}`);
const checks = [];

/** One record per line, each `recordSize` bytes of printable text, written once so kcat only reads a file. */
function writeInputFile(file) {
  const line = settings.recordSize + 1;
  const buffer = Buffer.alloc(settings.records * line, 'x');
  for (let i = 0; i < settings.records; i++) {
    buffer.write(String(i).padStart(10, '0'), i * line, 'latin1');
    buffer[i * line + settings.recordSize] = 0x0a;
  }
  writeFileSync(file, buffer);
}

function check(ok, message) {
  if (ok) return;
  checks.push(`FAILED: ${message}`);
  log(`check failed: ${message}`);
}

async function produceRuns(broker, inputFile, acks, topicPrefix) {
  const runs = [];
  for (let run = 1; run <= settings.repeats; run++) {
    const topic = `${topicPrefix}-${run}`;
    await ensureTopic(broker.address, topic);
    const result = await produce({
      brokerAddress: broker.address,
      brokerPid: broker.pid,
      topic,
      inputFile,
      acks,
    });
    const landed = await endOffset(broker.address, topic);
    log(
      `produce acks=${acks} ${topic}: ${result.seconds.toFixed(2)} s, exit ${result.code}, end offset ${landed}`,
    );
    check(
      result.code === 0 && result.deliveryFailures === 0,
      `${topic}: kcat exit ${result.code}, ${result.deliveryFailures} delivery failures\n${result.stderr.slice(-2000)}`,
    );
    check(landed === settings.records, `${topic}: end offset ${landed}, expected ${settings.records}`);
    runs.push({ ...result, topic });
  }
  return runs;
}

async function consumeRuns(broker, topics) {
  const runs = [];
  for (const topic of topics) {
    const result = await consume({
      brokerAddress: broker.address,
      brokerPid: broker.pid,
      topic,
      count: settings.records,
    });
    log(`consume ${topic}: ${result.seconds.toFixed(2)} s, ${result.records} records, exit ${result.code}`);
    check(
      result.code === 0 && result.records === settings.records,
      `consume ${topic}: exit ${result.code}, read ${result.records} records\n${result.stderr.slice(-2000)}`,
    );
    runs.push(result);
  }
  return runs;
}

/** Wall time of kcat runs that move one record: the start-up, metadata and exit cost inside every run. */
async function fixedCost(broker, workDir) {
  const oneRecordFile = path.join(workDir, 'one-record.txt');
  writeFileSync(oneRecordFile, 'x'.repeat(settings.recordSize) + '\n');
  const produceSeconds = [];
  const consumeSeconds = [];
  for (let run = 1; run <= settings.repeats; run++) {
    const topic = `bench-one-record-${run}`;
    await ensureTopic(broker.address, topic);
    produceSeconds.push(
      (await produce({ brokerAddress: broker.address, topic, inputFile: oneRecordFile, acks: 1 })).seconds,
    );
    consumeSeconds.push((await consume({ brokerAddress: broker.address, topic, count: 1 })).seconds);
  }
  return { produceSeconds: median(produceSeconds), consumeSeconds: median(consumeSeconds) };
}

async function measureLimits(workDir, inputFile) {
  log('measuring machine limits');
  const disk = measureDiskWrite(workDir);
  const fsync = measureSmallSyncedWrites(workDir);
  const loopbackMBps = [];
  for (let run = 0; run < settings.repeats; run++) loopbackMBps.push((await measureLoopback()).mbPerSecond);
  const ceilingRuns = [];
  for (let run = 0; run < settings.repeats; run++) {
    // librdkafka's built-in mock cluster runs inside kcat: no network peer, no Venice, nothing to wait for.
    const mock = ['-X', 'test.mock.num.brokers=1'];
    ceilingRuns.push(
      await produce({ brokerAddress: 'mock:9092', topic: 'ceiling', inputFile, acks: 1, extraArgs: mock }),
    );
  }
  return {
    diskMBps: disk.mbPerSecond,
    fsyncMs: fsync.msPerSync,
    loopbackMBps,
    kcatCeiling: summarize(ceilingRuns, settings.records, settings.recordSize),
  };
}

async function measureLatencies(broker) {
  log('measuring latency');
  const latency = [];
  for (const acks of ['1', 'all']) {
    const topic = `bench-latency-acks${acks}`;
    await ensureTopic(broker.address, topic);
    const result = await measureLatency({
      brokerAddress: broker.address,
      brokerPid: broker.pid,
      topic,
      acks,
      rate: settings.latencyRate,
      seconds: settings.latencySeconds,
    });
    check(
      result.received === result.sent,
      `latency acks=${acks}: received ${result.received} of ${result.sent}`,
    );
    latency.push(result);
  }
  return latency;
}

async function main() {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'venice-bench-'));
  const inputFile = path.join(workDir, 'records.txt');
  let broker;
  try {
    writeInputFile(inputFile);
    const machine = describeMachine(workDir);
    const limits = await measureLimits(workDir, inputFile);

    log('starting the broker');
    broker = await startBroker({ dataDir: path.join(workDir, 'data') });
    limits.fixedCost = await fixedCost(broker, workDir);
    const acks1 = await produceRuns(broker, inputFile, '1', 'bench-acks1');
    const acksAll = await produceRuns(broker, inputFile, 'all', 'bench-acksall');
    const consumed = await consumeRuns(
      broker,
      acks1.map((run) => run.topic),
    );
    const latency = await measureLatencies(broker);
    await broker.stop();

    // The same acks=all runs without the fsync before each answer, to show what that fsync costs.
    log('starting a broker with --no-flush-before-ack');
    broker = await startBroker({
      dataDir: path.join(workDir, 'data-no-flush'),
      extraArgs: ['--no-flush-before-ack'],
    });
    const acksAllNoFlush = await produceRuns(broker, inputFile, 'all', 'bench-acksall-noflush');
    await broker.stop();

    const summary = (runs) => summarize(runs, settings.records, settings.recordSize);
    const produceTarget = TARGETS.produceRecordsPerSecond;
    const throughput = [
      { label: 'produce acks=1', summary: summary(acks1), target: produceTarget },
      { label: 'produce acks=all', summary: summary(acksAll), target: produceTarget },
      {
        label: 'produce acks=all, --no-flush-before-ack',
        summary: summary(acksAllNoFlush),
        target: produceTarget,
      },
      { label: 'consume', summary: summary(consumed), target: TARGETS.consumeRecordsPerSecond },
    ];
    console.log(formatReport({ machine, settings, limits, throughput, latency }));
    console.log('');
    console.log(
      checks.length
        ? checks.join('\n')
        : `Checks: every produce run exited 0 with no delivery failures and an end offset of ${settings.records}; ` +
            `every consume run read ${settings.records} records; every latency record arrived.`,
    );
    process.exitCode = checks.length ? 1 : 0;
  } finally {
    await broker?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
