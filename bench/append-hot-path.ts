// The produce hot path of the partition log alone: appends of one small record (the worst case for any
// per-append cost, such as finding the active segment's open file), on one partition and round robin over
// a few. Reports the median over ROUNDS of wall-clock appends/s and of CPU time per append (user + system),
// which a machine shared with other work disturbs less than wall-clock time.
// Run: npx tsx bench/append-hot-path.ts   (APPENDS=n per round, ROUNDS=n)
import fs from 'node:fs';
import { encodeBatch } from '../src/protocol/records/record-codec.js';
import type { PartitionLog } from '../src/broker/log/partition-log.js';
import { openLog, tempDir } from '../test/broker/log/helpers.js';

const APPENDS = Number(process.env.APPENDS ?? 50_000);
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const template = encodeBatch({ records: [{ value: Buffer.alloc(100, 'x'), timestamp: Date.now() }] });
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

function measure(label: string, logs: PartitionLog[]): void {
  const rates: number[] = [];
  const cpuMicros: number[] = [];
  // Each request brings its own buffer; a few rotating copies stand in for the network read.
  const inputs = Array.from({ length: 64 }, () => Buffer.from(template));
  for (let round = 0; round < ROUNDS; round++) {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < APPENDS; i++) {
      const result = logs[i % logs.length].append([inputs[i % inputs.length]]);
      if (result.errorCode !== 0) throw new Error(`append failed: ${result.errorCode}`);
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.cpuUsage(cpu);
    rates.push(APPENDS / seconds);
    cpuMicros.push((used.user + used.system) / APPENDS);
  }
  console.log(
    `${label}: ${Math.round(median(rates)).toLocaleString()} appends/s, ${median(cpuMicros).toFixed(2)} µs CPU per append`,
  );
}

const dirs = Array.from({ length: 8 }, () => tempDir('venice-bench-hot-'));
const logs = dirs.map((dir) => openLog(dir));
measure('one partition', logs.slice(0, 1));
measure('8 partitions round robin', logs);
for (const log of logs) await log.close();
for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
