// Load benchmark with a client that is not the bottleneck: a small C program on librdkafka
// (bench/load/venice-load.c, compiled here with gcc into a temporary directory) drives a fresh Venice
// broker and, in the same run and with the same settings, librdkafka's in-process mock broker, so every
// Venice figure is read as a ratio to the mock.
//
//   npm run bench:load                 # builds, then about 6 minutes on a shared 2-core machine
//   npm run bench:load -- --quick      # 200,000 records, one run of each: a dry run
//   npm run bench:load -- --profile    # only Venice produce (acks=1), with the broker under --cpu-prof;
//                                      # prints the broker's self time per function
//   npm run bench:load -- --profile=consume   # the same for consuming (records produced unprofiled first)
//   npm run bench:load -- --profile=latency   # the same for the latency runs (acks=1)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBroker } from './lib/broker-process.mjs';
import { formatProfileSummary, summarizeProfile } from './lib/cpuprofile-summary.mjs';
import { processCpuSeconds, run } from './lib/processes.mjs';
import { median } from './lib/stats.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const profileArgument = process.argv.find((arg) => arg === '--profile' || arg.startsWith('--profile='));
const profile = profileArgument ? (profileArgument.split('=')[1] ?? 'produce') : null;
const settings = {
  date: new Date().toISOString(),
  records: quick ? 200_000 : 2_000_000,
  recordSize: 100,
  round: 40_000,
  repeats: quick ? 1 : 3,
  latencyRate: 10_000,
  latencySeconds: quick ? 4 : 10,
  latencyWarmupSeconds: 2,
};
const TARGETS = { produceOfMock: 0.8, consumeRecordsPerSecond: 3_000_000, p99LatencyMs: 5 };
const log = (message) => console.error(`[bench:load] ${message}`);
const checks = [];

function check(ok, message) {
  if (ok) return;
  checks.push(`FAILED: ${message}`);
  log(`check failed: ${message}`);
}

/** Compiles the load generator against the system's librdkafka; says what to install when it cannot. */
function compileLoadGenerator(buildDir) {
  const source = path.join(HERE, 'load', 'venice-load.c');
  const binary = path.join(buildDir, 'venice-load');
  if (!existsSync('/usr/include/librdkafka/rdkafka.h')) {
    throw new Error('librdkafka headers not found: install librdkafka-dev (apt-get install librdkafka-dev)');
  }
  try {
    execFileSync('gcc', ['-O2', '-Wall', '-o', binary, source, '-lrdkafka', '-lpthread'], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`gcc could not build ${source}:\n${error.stderr ?? error.message}`, { cause: error });
  }
  const version = execFileSync(
    'sh',
    ['-c', "dpkg-query -W -f='${Version}' librdkafka-dev 2>/dev/null || true"],
    {
      encoding: 'utf8',
    },
  );
  return { binary, librdkafka: version || 'unknown version' };
}

/**
 * Runs the load generator; samples the broker's CPU at each "event" line it prints (the edges of its
 * timed phases) and parses its last line, the JSON result.
 */
async function runLoad(binary, args, brokerPid) {
  const cpuAt = {};
  let pending = '';
  let lastLine = '';
  const result = await run(binary, args, {
    timeoutMs: 600_000,
    onStdout: (chunk) => {
      pending += chunk.toString('utf8');
      let newline;
      while ((newline = pending.indexOf('\n')) !== -1) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line.startsWith('event ')) cpuAt[line.slice(6)] = brokerPid ? processCpuSeconds(brokerPid) : 0;
        else if (line.trim()) lastLine = line;
      }
    },
  });
  if (result.code !== 0)
    throw new Error(`venice-load ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
  const output = JSON.parse(lastLine);
  const brokerCpu = (phase) => cpuAt[`${phase}-end`] - cpuAt[`${phase}-start`];
  return { output, brokerCpu };
}

/** records/s, client and broker CPU µs per record, of one phase of a throughput run. */
function phaseFigures(phase, records, brokerCpuSeconds) {
  return {
    recordsPerSecond: records / phase.seconds,
    clientMicrosPerRecord: (phase.cpuSeconds * 1e6) / records,
    brokerMicrosPerRecord: brokerCpuSeconds === undefined ? NaN : (brokerCpuSeconds * 1e6) / records,
  };
}

async function throughputRun(binary, { broker, acks, topic, phases }) {
  const target = broker ? broker.address : 'mock';
  const args = ['throughput', '-b', target, '-t', topic, '-n', String(settings.records)];
  args.push(
    '-s',
    String(settings.recordSize),
    '-a',
    acks,
    '-o',
    phases.join(','),
    '-k',
    String(settings.round),
  );
  const { output, brokerCpu } = await runLoad(binary, args, broker?.pid);
  const figures = {};
  if (output.produce) {
    const { failed, endOffset } = output.produce;
    check(
      failed === 0 && endOffset === settings.records,
      `${target} ${topic}: ${failed} failed deliveries (${output.produce.firstError}), end offset ${endOffset}`,
    );
    figures.produce = phaseFigures(
      output.produce,
      settings.records,
      broker ? brokerCpu('produce') : undefined,
    );
  }
  for (const phase of ['consume', 'rounds']) {
    if (!output[phase]) continue;
    const { records, errors } = output[phase];
    check(
      errors === 0 && records >= settings.records,
      `${target} ${topic} ${phase}: read ${records} records, ${errors} errors (${output[phase].firstError})`,
    );
    figures[phase] = phaseFigures(output[phase], records, broker ? brokerCpu(phase) : undefined);
  }
  log(
    `${target} acks=${acks} ${topic}: ` +
      Object.entries(figures)
        .map(([phase, f]) => `${phase} ${Math.round(f.recordsPerSecond).toLocaleString('en-US')}/s`)
        .join(', '),
  );
  return figures;
}

async function latencyRun(binary, broker, acks, topic) {
  const args = ['latency', '-b', broker.address, '-t', topic, '-a', acks, '-s', String(settings.recordSize)];
  args.push('-r', String(settings.latencyRate), '-d', String(settings.latencySeconds));
  args.push('-w', String(settings.latencyWarmupSeconds));
  const { output, brokerCpu } = await runLoad(binary, args, broker.pid);
  check(
    output.received === output.sent && output.failed === 0,
    `latency acks=${acks}: received ${output.received} of ${output.sent}, ${output.failed} failed`,
  );
  const seconds = output.seconds;
  log(`latency acks=${acks}: p50 ${output.p50Ms} ms, p99 ${output.p99Ms} ms, max ${output.maxMs} ms`);
  return { ...output, brokerCpuPercent: (100 * brokerCpu('latency')) / seconds };
}

// ---- report ----

const whole = (value) => Math.round(value).toLocaleString('en-US');
const fixed = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '');
const percent = (value) => `${(100 * value).toFixed(0)}%`;

function table(header, rows) {
  const lines = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  return lines.join('\n');
}

function summary(runs, phase) {
  const figures = runs.map((figure) => figure[phase]);
  return {
    recordsPerSecond: median(figures.map((f) => f.recordsPerSecond)),
    runs: figures.map((f) => f.recordsPerSecond),
    clientMicrosPerRecord: median(figures.map((f) => f.clientMicrosPerRecord)),
    brokerMicrosPerRecord: median(figures.map((f) => f.brokerMicrosPerRecord)),
  };
}

/** Each Venice run against the mock run just before it: less exposed to load that changes between runs. */
const pairedRatios = (mock, venice) => venice.runs.map((rate, index) => rate / mock.runs[index]);

function formatReport({ machine, load, rows, latency }) {
  const out = [];
  out.push(`Date: ${settings.date}; ${machine}; ${load}`);
  out.push(
    `Workload: ${whole(settings.records)} records of ${settings.recordSize} B to one partition per run; ` +
      `${settings.repeats} run(s), medians (each run in brackets); mock and Venice runs interleaved. ` +
      'CPU per record counts only CPU time used, so it depends much less on what else the machine runs ' +
      'than records/s does (broker CPU from /proc, in 10 ms ticks).',
  );
  out.push('');
  out.push(
    table(
      [
        'measure',
        'mock records/s',
        'Venice records/s',
        'Venice / mock, medians',
        'Venice / mock, run by run',
        'CPU µs/rec: mock process (client + mock broker)',
        'CPU µs/rec: Venice client + broker',
      ],
      rows.map(({ label, mock, venice }) => [
        label,
        mock ? `${whole(mock.recordsPerSecond)} (${mock.runs.map(whole).join(', ')})` : '',
        `${whole(venice.recordsPerSecond)} (${venice.runs.map(whole).join(', ')})`,
        mock ? percent(venice.recordsPerSecond / mock.recordsPerSecond) : '',
        mock ? pairedRatios(mock, venice).map(percent).join(', ') : '',
        mock ? fixed(mock.clientMicrosPerRecord) : '',
        `${fixed(venice.clientMicrosPerRecord)} + ${fixed(venice.brokerMicrosPerRecord)}`,
      ]),
    ),
  );
  out.push('');
  out.push(
    `Latency, produce to consume, ${whole(settings.latencyRate)} records/s for ${settings.latencySeconds} s ` +
      `(first ${settings.latencyWarmupSeconds} s not counted), linger.ms=0, Nagle off:`,
  );
  out.push('');
  out.push(
    table(
      ['acks', 'p50 ms', 'p99 ms (runs)', 'p99.9 ms', 'max ms', 'received / sent', 'broker CPU'],
      latency.map(({ acks, runs }) => [
        acks,
        fixed(median(runs.map((r) => r.p50Ms))),
        `${fixed(median(runs.map((r) => r.p99Ms)))} (${runs.map((r) => fixed(r.p99Ms)).join(', ')})`,
        fixed(median(runs.map((r) => r.p999Ms))),
        fixed(median(runs.map((r) => r.maxMs))),
        runs.map((r) => `${whole(r.received)} / ${whole(r.sent)}`).join('; '),
        `${fixed(median(runs.map((r) => r.brokerCpuPercent)), 0)}%`,
      ]),
    ),
  );
  out.push('');
  const [acks1, acksAll, consume] = rows;
  const p99 = Math.max(...latency.map(({ runs }) => median(runs.map((r) => r.p99Ms))));
  const verdict = (ok) => (ok ? 'met' : 'missed');
  out.push('Against the targets (issue #8):');
  out.push(
    `- produce acks=1 >= ${percent(TARGETS.produceOfMock)} of the mock: ` +
      `${percent(acks1.venice.recordsPerSecond / acks1.mock.recordsPerSecond)}, ` +
      verdict(acks1.venice.recordsPerSecond >= TARGETS.produceOfMock * acks1.mock.recordsPerSecond),
  );
  out.push(
    `- produce acks=all >= ${percent(TARGETS.produceOfMock)} of the mock: ` +
      `${percent(acksAll.venice.recordsPerSecond / acksAll.mock.recordsPerSecond)}, ` +
      verdict(acksAll.venice.recordsPerSecond >= TARGETS.produceOfMock * acksAll.mock.recordsPerSecond),
  );
  out.push(
    `- consume >= ${whole(TARGETS.consumeRecordsPerSecond)} records/s: ${whole(consume.venice.recordsPerSecond)}, ` +
      verdict(consume.venice.recordsPerSecond >= TARGETS.consumeRecordsPerSecond),
  );
  out.push(
    `- p99 <= ${TARGETS.p99LatencyMs} ms at 10,000 records/s: ${fixed(p99)} ms (worse acks), ${verdict(p99 <= TARGETS.p99LatencyMs)}`,
  );
  return out.join('\n');
}

function describeMachine() {
  const cpus = os.cpus();
  return (
    `${cpus.length} CPUs (${cpus[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
    `Linux ${os.release()}, Node ${process.version}`
  );
}

const loadAverage = () =>
  `load average ${os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(', ')}`;

// ---- main ----

async function measure(binary, workDir) {
  const broker = await startBroker({ dataDir: path.join(workDir, 'data') });
  try {
    const results = { mock1: [], mockAll: [], venice1: [], veniceAll: [] };
    for (let run = 1; run <= settings.repeats; run++) {
      // Interleaved, so that a burst of other work on the shared machine hits both sides alike.
      results.mock1.push(
        await throughputRun(binary, { acks: '1', topic: `mock-1-${run}`, phases: ['produce', 'rounds'] }),
      );
      results.venice1.push(
        await throughputRun(binary, {
          broker,
          acks: '1',
          topic: `load-acks1-${run}`,
          phases: ['produce', 'consume', 'rounds'],
        }),
      );
      results.mockAll.push(
        await throughputRun(binary, { acks: 'all', topic: `mock-all-${run}`, phases: ['produce'] }),
      );
      results.veniceAll.push(
        await throughputRun(binary, {
          broker,
          acks: 'all',
          topic: `load-acksall-${run}`,
          phases: ['produce'],
        }),
      );
    }
    const latency = [];
    for (const acks of ['1', 'all']) {
      const runs = [];
      for (let run = 1; run <= settings.repeats; run++) {
        runs.push(await latencyRun(binary, broker, acks, `load-latency-${acks}-${run}`));
      }
      latency.push({ acks, runs });
    }
    const rows = [
      {
        label: 'produce acks=1',
        mock: summary(results.mock1, 'produce'),
        venice: summary(results.venice1, 'produce'),
      },
      {
        label: 'produce acks=all',
        mock: summary(results.mockAll, 'produce'),
        venice: summary(results.veniceAll, 'produce'),
      },
      { label: 'consume, from the beginning', mock: null, venice: summary(results.venice1, 'consume') },
      {
        label: `consume in rounds of ${whole(settings.round)}`,
        mock: summary(results.mock1, 'rounds'),
        venice: summary(results.venice1, 'rounds'),
      },
    ];
    return { rows: [rows[0], rows[1], rows[2], rows[3]], latency };
  } finally {
    await broker.stop();
  }
}

/**
 * Venice produce runs (acks=1), or consume runs, with the broker under --cpu-prof; prints its self time
 * per function. For consume the records are produced first by a broker that is not profiled, and read
 * by a second one started on the same data directory.
 */
async function profileBroker(binary, workDir, phase) {
  if (!['produce', 'consume', 'latency'].includes(phase)) {
    throw new Error(`--profile=${phase}: use produce, consume or latency`);
  }
  const profileDir = path.join(workDir, 'profile');
  mkdirSync(profileDir);
  const dataDir = path.join(workDir, 'data');
  const topics = Array.from({ length: settings.repeats }, (_, run) => `profile-${run + 1}`);
  if (phase === 'consume') {
    const unprofiled = await startBroker({ dataDir });
    try {
      for (const topic of topics)
        await throughputRun(binary, { broker: unprofiled, acks: '1', topic, phases: ['produce'] });
    } finally {
      await unprofiled.stop();
    }
  }
  const broker = await startBroker({
    dataDir,
    nodeArgs: ['--cpu-prof', '--cpu-prof-interval=250', `--cpu-prof-dir=${profileDir}`],
  });
  try {
    for (const topic of topics) {
      if (phase === 'latency') await latencyRun(binary, broker, '1', topic);
      else await throughputRun(binary, { broker, acks: '1', topic, phases: [phase] });
    }
  } finally {
    await broker.stop();
  }
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error('the broker wrote no .cpuprofile (did it exit cleanly?)');
  const keep = path.join(os.tmpdir(), `venice-broker-${phase}-${Date.now()}.cpuprofile`);
  execFileSync('cp', [path.join(profileDir, file), keep]);
  console.log(formatProfileSummary(summarizeProfile(JSON.parse(readFileSync(keep, 'utf8'))), 30));
  console.log(`\nProfile kept at ${keep} (open it in Chrome DevTools or VS Code for call trees).`);
}

async function main() {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'venice-bench-load-'));
  try {
    const { binary, librdkafka } = compileLoadGenerator(workDir);
    const machine = `${describeMachine()}, librdkafka ${librdkafka}`;
    const loadAtStart = loadAverage();
    log(`compiled ${binary}; ${loadAtStart}`);
    if (profile) {
      await profileBroker(binary, workDir, profile);
      return;
    }
    const { rows, latency } = await measure(binary, workDir);
    console.log(
      formatReport({
        machine,
        load: `${loadAtStart} at the start, ${loadAverage()} at the end`,
        rows,
        latency,
      }),
    );
    console.log('');
    console.log(
      checks.length
        ? checks.join('\n')
        : `Checks: every produce run had no failed delivery and an end offset of ${settings.records}; ` +
            'every consume read every record; every latency record arrived.',
    );
    process.exitCode = checks.length ? 1 : 0;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
