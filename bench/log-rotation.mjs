// Log rotation cost for a chatty component: how long a child takes to write 1,000,000 lines of 100 B,
// one write per line (as pino does), with its stdout being
//   a) the log file, never rotated;
//   b) the log file, rotated by the supervisor's rotateIfLarge (10 MiB, keep 5) checked every second,
//      as `venice up` does;
//   c) a pipe that this process reads and appends to the log file (the alternative not taken).
// Run with `npm run build && node bench/log-rotation.mjs`; RUNS=n (default 3) runs of each, medians.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setInterval, clearInterval } from 'node:timers';
import { rotateIfLarge, DEFAULT_ROTATION } from '../dist/supervisor/log-rotation.js';

const RUNS = Number(process.env.RUNS ?? 3);
const LINES = 1_000_000;
const writer = `
  const fs = require('fs');
  const line = JSON.stringify({ level: 30, time: Date.now(), msg: 'x'.repeat(60) }).padEnd(99) + '\\n';
  for (let i = 0; i < ${LINES}; i++) fs.writeSync(1, line);
`;

async function run(mode) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-bench-logs-'));
  const file = path.join(dir, 'chatty.log');
  const started = performance.now();
  let timer = null;
  let child;
  if (mode === 'pipe') {
    const output = fs.openSync(file, 'a');
    child = spawn(process.execPath, ['-e', writer], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (chunk) => fs.writeSync(output, chunk));
    child.once('exit', () => fs.closeSync(output));
  } else {
    const output = fs.openSync(file, 'a');
    child = spawn(process.execPath, ['-e', writer], { stdio: ['ignore', output, 'inherit'] });
    fs.closeSync(output);
    if (mode === 'rotated') timer = setInterval(() => rotateIfLarge(file, DEFAULT_ROTATION), 1000);
  }
  await new Promise((resolve) =>
    child.stdout ? child.stdout.once('end', resolve) : child.once('exit', resolve),
  );
  const ms = performance.now() - started;
  clearInterval(timer);
  const files = fs.readdirSync(dir).length;
  fs.rmSync(dir, { recursive: true, force: true });
  return { ms, files };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(
  `log rotation benchmark: ${RUNS} runs each, ${LINES} lines of 100 B; load average ${os.loadavg()[0].toFixed(2)}`,
);
for (const mode of ['file', 'rotated', 'pipe']) {
  const results = [];
  for (let i = 0; i < RUNS; i++) results.push(await run(mode));
  console.log(
    `  ${mode.padEnd(8)} median ${median(results.map((r) => r.ms)).toFixed(0)} ms ` +
      `(${results.map((r) => r.ms.toFixed(0)).join(', ')}; files at the end: ${results[0].files})`,
  );
}
console.log(`  load average after: ${os.loadavg()[0].toFixed(2)}; ${new Date().toISOString()}`);
