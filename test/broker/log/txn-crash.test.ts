// A log with transactions, its writer killed with SIGKILL: reopening recovers the aborted-transaction index
// (every abort the writer saw acknowledged is there), the open transactions and the LSO, exactly as a replay
// of the whole log from scratch computes them, also when the crash tore the tail of the last segment.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { PartitionLog } from '../../../src/broker/log/partition-log.js';
import { openLog, tempDir } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CONFIG = { 'segment.bytes': '20000' };
const STATE_FILES = ['producer-state.json', 'aborted-txns.index', 'checkpoint.json'];
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function state(log: PartitionLog) {
  return {
    logEnd: log.logEndOffset,
    lso: log.lastStableOffset,
    aborted: log.abortedIndexEntries(),
    ongoing: log.ongoingTransactions().map(({ producerId, firstOffset, lastOffset }) => ({
      producerId,
      firstOffset,
      lastOffset,
    })),
  };
}

/** The state a replay of the whole log computes: a copy of the directory without any state file. */
function replayedFromScratch(dir: string): ReturnType<typeof state> {
  const copy = tempDir('venice-txn-crash-copy-');
  dirs.push(copy);
  fs.cpSync(dir, copy, { recursive: true });
  for (const name of STATE_FILES) fs.rmSync(path.join(copy, name), { force: true });
  const log = openLog(copy, CONFIG);
  const replayed = state(log);
  log.closeForDeletion();
  return replayed;
}

describe('a transactional writer killed with SIGKILL', () => {
  it('leaves a log whose LSO and aborted index recovery rebuilds exactly', async () => {
    const dir = tempDir('venice-txn-crash-');
    dirs.push(dir);
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'txn-crash-writer.ts'), dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acknowledged: { producerId: number; firstOffset: number; lastOffset: number }[] = [];
    let pending = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          const [, producerId, firstOffset, lastOffset] = line.split(' ').map(Number);
          acknowledged.push({ producerId, firstOffset, lastOffset });
        }
        if (acknowledged.length > 300) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((resolve) => child.once('exit', resolve));
    expect(fs.existsSync(path.join(dir, '.clean-shutdown'))).toBe(false);

    const expected = replayedFromScratch(dir);
    const log = openLog(dir, CONFIG);
    const recovered = state(log);
    expect(log.segmentCount).toBeGreaterThan(3);
    log.closeForDeletion();
    expect(recovered).toEqual(expected);
    expect(recovered.aborted.slice(0, acknowledged.length)).toEqual(acknowledged);
    expect(recovered.ongoing.length).toBeGreaterThan(0);
    expect(recovered.lso).toBe(Math.min(...recovered.ongoing.map((txn) => txn.firstOffset)));

    // The same crash with the last segment's tail torn: whatever recovery cuts, the state matches the log.
    // (The last file may be the empty segment of a roll just before the kill: tear the last non-empty one.)
    const segmentFiles = fs
      .readdirSync(dir)
      .filter((name) => name.endsWith('.log'))
      .sort();
    while (fs.statSync(path.join(dir, segmentFiles[segmentFiles.length - 1])).size === 0) {
      fs.rmSync(path.join(dir, segmentFiles.pop()!));
    }
    const lastPath = path.join(dir, segmentFiles[segmentFiles.length - 1]);
    fs.truncateSync(lastPath, Math.max(0, fs.statSync(lastPath).size - 150));
    fs.rmSync(path.join(dir, '.clean-shutdown'), { force: true });
    const tornExpected = replayedFromScratch(dir);
    const torn = openLog(dir, CONFIG);
    const tornState = state(torn);
    torn.closeForDeletion();
    expect(tornState.logEnd).toBeLessThan(recovered.logEnd);
    expect(tornState).toEqual(tornExpected);
  });
});
