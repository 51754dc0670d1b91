import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openLog, readAll, tempDir } from './helpers.js';
import type { PartitionLog } from '../../../src/broker/log/partition-log.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dirs: string[] = [];
const logs: PartitionLog[] = [];
afterEach(async () => {
  for (const log of logs.splice(0)) if (!log.isClosed) await log.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('a writer killed with SIGKILL', () => {
  it('leaves a log that opens with every whole batch and consecutive offsets', async () => {
    const dir = tempDir('venice-crash-');
    dirs.push(dir);
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'crash-writer.ts'), dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let acknowledged = -1;
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const lines = chunk.toString().trim().split('\n');
        acknowledged = Math.max(acknowledged, Number(lines[lines.length - 1]));
        if (acknowledged > 20_000) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((resolve) => child.once('exit', resolve));
    expect(fs.existsSync(path.join(dir, '.clean-shutdown'))).toBe(false);
    const log = openLog(dir, { 'segment.bytes': '200000' });
    logs.push(log);
    expect(log.logEndOffset).toBeGreaterThan(acknowledged);
    expect(log.logEndOffset % 50).toBe(0);
    const records = readAll(log);
    expect(records).toHaveLength(log.logEndOffset);
    records.forEach((record, index) => expect(record.offset).toBe(index));
    expect(log.append([]).errorCode).not.toBe(0);
  });
});
