// A/B of the partition log's append path: this tree against another checkout of Venice (e.g. the commit
// before a change), both loaded in one process and run in alternating rounds, so a shared, busy machine
// slows both alike. Reports the median over rounds of CPU time (user + system) per batch, and wall time.
// Run: npx tsx bench/log-append-ab.ts <other-venice-root> [rounds]
//   (make the other root with: git archive <commit> | tar -x -C /tmp/venice-base; ln -s $PWD/node_modules /tmp/venice-base/)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BatchOffset, computeCrc } from '../src/protocol/records/batch-header.js';
import { encodeBatch } from '../src/protocol/records/record-codec.js';
import { PartitionLog as CurrentLog } from '../src/broker/log/partition-log.js';
import { resolveLogConfig } from '../src/broker/log/log-config.js';

type LogClass = typeof CurrentLog;
const otherRoot = process.argv[2];
if (!otherRoot) throw new Error('usage: npx tsx bench/log-append-ab.ts <other-venice-root> [rounds]');
const ROUNDS = Number(process.argv[3] ?? 15);
const other = (await import(pathToFileURL(path.join(otherRoot, 'src/broker/log/partition-log.ts')).href)) as {
  PartitionLog: LogClass;
};
const value = Buffer.alloc(100, 'x');

interface Workload {
  name: string;
  batches: Buffer[];
  records: number;
}

function idempotentBatches(count: number, records: number): Buffer[] {
  const template = encodeBatch({
    records: Array.from({ length: records }, () => ({ value, timestamp: Date.now() })),
    producerId: 1,
    producerEpoch: 0,
    baseSequence: 0,
  });
  return Array.from({ length: count }, (_, i) => {
    const batch = Buffer.from(template);
    batch.writeInt32BE(i * records, BatchOffset.baseSequence);
    batch.writeUInt32BE(computeCrc(batch, 0), BatchOffset.crc);
    return batch;
  });
}

const bigTemplate = encodeBatch({
  records: Array.from({ length: 1000 }, () => ({ value, timestamp: Date.now() })),
});
const workloads: Workload[] = [
  {
    name: 'plain 1000-record batches',
    batches: Array.from({ length: 300 }, () => Buffer.from(bigTemplate)),
    records: 1000,
  },
  { name: 'idempotent 10-record batches', batches: idempotentBatches(20_000, 10), records: 10 },
];

function round(Log: LogClass, workload: Workload): { cpuUsPerBatch: number; wallUsPerBatch: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-ab-'));
  const log = Log.open(dir, {
    topic: 't',
    partition: 0,
    config: resolveLogConfig({ 'segment.bytes': String(512 * 1024 * 1024) }),
  });
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (const batch of workload.batches) {
    const result = log.append([batch]);
    if (result.errorCode !== 0) throw new Error(`append failed: ${result.errorCode} ${result.errorMessage}`);
  }
  const wall = Number(process.hrtime.bigint() - start) / 1e3;
  const used = process.cpuUsage(cpu);
  log.closeForDeletion();
  fs.rmSync(dir, { recursive: true, force: true });
  const n = workload.batches.length;
  return { cpuUsPerBatch: (used.user + used.system) / n, wallUsPerBatch: wall / n };
}

const median = (values: number[]) => {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

for (const workload of workloads) {
  const results = {
    other: [] as number[],
    current: [] as number[],
    otherWall: [] as number[],
    currentWall: [] as number[],
  };
  round(CurrentLog, workload); // warm up both
  round(other.PartitionLog, workload);
  for (let i = 0; i < ROUNDS; i++) {
    const [first, second] = i % 2 === 0 ? (['other', 'current'] as const) : (['current', 'other'] as const);
    for (const which of [first, second]) {
      const measured = round(which === 'other' ? other.PartitionLog : CurrentLog, workload);
      results[which].push(measured.cpuUsPerBatch);
      results[which === 'other' ? 'otherWall' : 'currentWall'].push(measured.wallUsPerBatch);
    }
  }
  const cpuOther = median(results.other);
  const cpuCurrent = median(results.current);
  const wallOther = median(results.otherWall);
  const wallCurrent = median(results.currentWall);
  console.log(
    `${workload.name} (${ROUNDS} rounds): CPU µs/batch other ${cpuOther.toFixed(2)}, this tree ${cpuCurrent.toFixed(2)} ` +
      `(ratio ${(cpuCurrent / cpuOther).toFixed(3)}); wall µs/batch ${wallOther.toFixed(2)} vs ${wallCurrent.toFixed(2)} ` +
      `(ratio ${(wallCurrent / wallOther).toFixed(3)}); ${Math.round((workload.records * 1e6) / wallCurrent).toLocaleString()} records/s`,
  );
}
