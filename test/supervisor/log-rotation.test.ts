// Log rotation by size while a process keeps writing (its stdout is the file), reading across the
// rotated files, and `logs -f` following across a rotation.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { logGenerations, rotateIfLarge } from '../../src/supervisor/log-rotation.js';
import { followLogs, logComponents, readLogFile, type LogEntry } from '../../src/supervisor/logs.js';
import { temporaryDataDir } from '../helpers/broker.js';
import { waitFor } from '../cli/lifecycle-helpers.js';

const line = (n: number) =>
  JSON.stringify({ level: 30, time: 1_700_000_000_000 + n, msg: `line ${n}` }) + '\n';

/** A process that writes `count` numbered pino-like lines to its stdout (the log file), `perTick` at a time. */
function chattyWriter(logFile: string, count: number, perTick: number) {
  const output = fs.openSync(logFile, 'a');
  const script = `
    let n = 0;
    const tick = () => {
      let chunk = '';
      for (let i = 0; i < ${perTick} && n < ${count}; i++, n++)
        chunk += JSON.stringify({ level: 30, time: 1700000000000 + n, msg: 'line ' + n }) + '\\n';
      require('fs').writeSync(1, chunk);
      if (n < ${count}) setTimeout(tick, 1); else process.exit(0);
    };
    tick();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', output, output] });
  fs.closeSync(output);
  return new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
}

const numbers = (entries: LogEntry[]) => entries.map((entry) => Number(entry.message.slice('line '.length)));

describe('log rotation', () => {
  it('leaves a small file alone and rotates a large one, keeping `keep` copies', () => {
    const dir = temporaryDataDir('rotation');
    const file = path.join(dir, 'broker.log');
    fs.writeFileSync(file, line(0));
    expect(rotateIfLarge(file, { maxBytes: 1024, keep: 2 })).toBe(false);
    for (let round = 1; round <= 4; round++) {
      fs.appendFileSync(file, Array.from({ length: 30 }, (_, i) => line(round * 100 + i)).join(''));
      expect(rotateIfLarge(file, { maxBytes: 1024, keep: 2 })).toBe(true);
      expect(fs.statSync(file).size).toBe(0);
    }
    expect(logGenerations(file).map((item) => path.basename(item))).toEqual([
      'broker.log.2',
      'broker.log.1',
      'broker.log',
    ]);
    // The oldest rounds were dropped; what is kept reads in order across the files.
    expect(numbers(readLogFile(file, 'broker', null))).toEqual([
      ...Array.from({ length: 30 }, (_, i) => 300 + i),
      ...Array.from({ length: 30 }, (_, i) => 400 + i),
    ]);
    expect(logComponents(dir)).toEqual(['broker']);
  });

  it('rotates while a process writes, and the lines read back in order across the rotated files', async () => {
    const dir = temporaryDataDir('rotation-live');
    const file = path.join(dir, 'chatty.log');
    const total = 60_000;
    const exited = chattyWriter(file, total, 200);
    let rotations = 0;
    let done = false;
    void exited.then(() => (done = true));
    while (!done) {
      if (rotateIfLarge(file, { maxBytes: 256 * 1024, keep: 100 })) rotations++;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await exited).toBe(0);
    expect(rotations).toBeGreaterThan(3);
    const read = numbers(readLogFile(file, 'chatty', null));
    // In order and never twice; at most the lines written in the instant of a truncation are lost.
    for (let i = 1; i < read.length; i++) expect(read[i]).toBeGreaterThan(read[i - 1]);
    const lost = total - read.length;
    expect(lost).toBeLessThanOrEqual(rotations * 200);
    console.log(`rotations: ${rotations}, lines lost: ${lost} of ${total}`);
  });

  it('`logs -f` follows across a rotation', async () => {
    const dir = temporaryDataDir('rotation-follow');
    const file = path.join(dir, 'broker.log');
    fs.writeFileSync(file, line(0));
    const seen: number[] = [];
    const follower = followLogs(dir, ['broker'], (entry) => seen.push(...numbers([entry])), 50);
    try {
      fs.appendFileSync(file, line(1));
      await waitFor('line 1', () => (seen.includes(1) ? true : undefined), 10_000);
      // Written after the last poll, then rotated away before the next: read from broker.log.1.
      fs.appendFileSync(file, line(2) + line(3));
      expect(rotateIfLarge(file, { maxBytes: 1, keep: 5 })).toBe(true);
      fs.appendFileSync(file, line(4));
      await waitFor('line 4', () => (seen.includes(4) ? true : undefined), 10_000);
      expect(seen).toEqual([1, 2, 3, 4]);
    } finally {
      follower.stop();
    }
  });
});
