// Formats the benchmark results as Markdown tables (readable in a terminal, pasteable into docs/).
import { median } from './stats.mjs';

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const TARGETS = {
  produceRecordsPerSecond: 1_000_000,
  consumeRecordsPerSecond: 1_500_000,
  p99LatencyMs: 10,
};

function table(header, rows) {
  const lines = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  return lines.join('\n');
}

function percentOf(value, limit) {
  return `${oneDecimal.format((100 * value) / limit)}%`;
}

function throughputGap(measured, target) {
  if (measured >= target) return 'met';
  return `${whole.format(target - measured)} records/s short (target is ${oneDecimal.format(target / measured)}×)`;
}

/** Median figures of repeated kcat runs of `records` records of `recordSize` bytes. */
export function summarize(runs, records, recordSize) {
  const recordsPerSecond = runs.map((run) => records / run.seconds);
  return {
    recordsPerSecond: median(recordsPerSecond),
    mbPerSecond: median(recordsPerSecond) * (recordSize / 1e6),
    runsRecordsPerSecond: recordsPerSecond,
    brokerCpuPercent: median(runs.map((run) => run.cpu.broker)),
    kcatCpuPercent: median(runs.map((run) => run.cpu.kcat)),
    otherCpuPercent: median(runs.map((run) => run.cpu.other)),
    // CPU time per record depends much less on how much CPU other work leaves free than records/s does.
    brokerMicrosPerRecord: median(runs.map((run) => (run.cpu.broker * run.seconds * 1e4) / records)),
    kcatMicrosPerRecord: median(runs.map((run) => (run.cpu.kcat * run.seconds * 1e4) / records)),
  };
}

export function formatReport({ machine, settings, limits, throughput, latency }) {
  const out = [];
  out.push(`Date: ${settings.date}`);
  out.push(
    `Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${oneDecimal.format(machine.memoryGiB)} GiB RAM, ` +
      `${machine.kernel}, data dir on ${machine.filesystem}; Node ${machine.node}; ${machine.kcat}`,
  );
  out.push(
    `Workload: ${whole.format(settings.records)} records of ${settings.recordSize} B per run, ` +
      `${settings.repeats} run(s) per measure, medians shown; MB = 10^6 bytes of record values.`,
  );
  out.push(
    `Load average at start: ${machine.loadAverage.map((value) => twoDecimals.format(value)).join(', ')}; ` +
      '"other CPU" below is CPU used by processes other than the broker, kcat and the benchmark during each run.',
  );
  out.push('');
  out.push('Machine limits');
  out.push('');
  out.push(
    table(
      ['limit', 'value', 'runs'],
      [
        ['sequential disk write, 1 GiB in 1 MiB blocks + fsync', `${whole.format(limits.diskMBps)} MB/s`, ''],
        [
          '4 KiB write + fdatasync (what a flush before acks=all costs)',
          `${twoDecimals.format(limits.fsyncMs)} ms`,
          '',
        ],
        [
          'loopback TCP, Node → Node, 2 GiB in 1 MiB writes',
          `${whole.format(median(limits.loopbackMBps))} MB/s`,
          limits.loopbackMBps.map((value) => whole.format(value)).join(', '),
        ],
        [
          'kcat run of 1 record against Venice: produce / consume (start-up and exit cost in every run)',
          `${twoDecimals.format(limits.fixedCost.produceSeconds)} s / ${twoDecimals.format(limits.fixedCost.consumeSeconds)} s`,
          '',
        ],
        [
          'kcat produce ceiling (librdkafka mock broker inside kcat)',
          `${whole.format(limits.kcatCeiling.recordsPerSecond)} records/s`,
          limits.kcatCeiling.runsRecordsPerSecond.map((value) => whole.format(value)).join(', '),
        ],
      ],
    ),
  );
  out.push('');
  out.push('Throughput');
  out.push('');
  const loopback = median(limits.loopbackMBps);
  const rows = throughput.map(({ label, summary, target }) => [
    label,
    whole.format(summary.recordsPerSecond),
    oneDecimal.format(summary.mbPerSecond),
    summary.runsRecordsPerSecond.map((value) => whole.format(value)).join(', '),
    label.startsWith('produce') ? percentOf(summary.mbPerSecond, limits.diskMBps) : '',
    percentOf(summary.mbPerSecond, loopback),
    label.startsWith('produce')
      ? percentOf(summary.recordsPerSecond, limits.kcatCeiling.recordsPerSecond)
      : '',
    `${whole.format(summary.brokerCpuPercent)}%`,
    `${whole.format(summary.kcatCpuPercent)}%`,
    `${whole.format(summary.otherCpuPercent)}%`,
    twoDecimals.format(summary.brokerMicrosPerRecord),
    twoDecimals.format(summary.kcatMicrosPerRecord),
    target ? `≥ ${whole.format(target)}` : '',
    target ? throughputGap(summary.recordsPerSecond, target) : '',
  ]);
  out.push(
    table(
      [
        'measure',
        'records/s',
        'MB/s',
        'runs (records/s)',
        'of disk',
        'of loopback',
        'of kcat ceiling',
        'broker CPU',
        'kcat CPU',
        'other CPU',
        'broker CPU µs/record',
        'kcat CPU µs/record',
        'target',
        'gap',
      ],
      rows,
    ),
  );
  out.push('');
  out.push(
    `Latency, produce to consume, ${whole.format(settings.latencyRate)} records/s for ${settings.latencySeconds} s`,
  );
  out.push('');
  out.push(
    table(
      [
        'acks',
        'p50 ms',
        'p99 ms',
        'max ms',
        'received / sent',
        'broker CPU',
        'other CPU',
        'target p99',
        'gap',
      ],
      latency.map((result) => [
        result.acks,
        twoDecimals.format(result.p50),
        twoDecimals.format(result.p99),
        twoDecimals.format(result.max),
        `${whole.format(result.received)} / ${whole.format(result.sent)}`,
        `${whole.format(result.cpu.broker)}%`,
        `${whole.format(result.cpu.other)}%`,
        `≤ ${TARGETS.p99LatencyMs} ms`,
        result.p99 <= TARGETS.p99LatencyMs
          ? 'met'
          : `${twoDecimals.format(result.p99 - TARGETS.p99LatencyMs)} ms over`,
      ]),
    ),
  );
  return out.join('\n');
}
