// The process-wide set of open segment files: partitions beyond its bound are written, read, flushed,
// closed and reopened with their files opened on demand, and the process never holds more than the bound.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { LogManager } from '../../../src/broker/log/log-manager.js';
import {
  DEFAULT_MAX_OPEN_SEGMENT_FILES,
  effectiveCapacity,
  openSegmentFiles,
} from '../../../src/broker/log/open-files.js';
import { readAll, tempDir, valuesBatch } from './helpers.js';

const BOUND = 16;
const PARTITIONS = 200;

const dirs: string[] = [];
const managers: LogManager[] = [];

afterEach(async () => {
  for (const manager of managers.splice(0)) await manager.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  openSegmentFiles.setCapacity(DEFAULT_MAX_OPEN_SEGMENT_FILES);
});

async function open(dir: string): Promise<LogManager> {
  const manager = await LogManager.open(dir, {}, { startTimers: false, maxOpenSegmentFiles: BOUND });
  managers.push(manager);
  return manager;
}

const openDescriptors = () => fs.readdirSync('/proc/self/fd').length;

function values(manager: LogManager, partition: number): (string | null)[] {
  return readAll(manager.partition('many', partition)!).map((record) => record.value);
}

describe('open segment files', () => {
  it(`serves ${PARTITIONS} partitions with at most ${BOUND} segment files open, across a restart`, async () => {
    const dir = tempDir('venice-open-files-');
    dirs.push(dir);
    const before = openDescriptors();
    let manager = await open(dir);
    manager.createTopic('many', PARTITIONS);
    for (let p = 0; p < PARTITIONS; p++) {
      expect(manager.partition('many', p)!.append([valuesBatch(2, `p${p}`)]).errorCode).toBe(0);
    }
    expect(openSegmentFiles.openCount).toBeLessThanOrEqual(BOUND);
    // The set's files plus a few the test runner may open meanwhile; one per partition would be 200.
    expect(openDescriptors() - before).toBeLessThan(BOUND + 20);

    // Every flush at once: an fsync holds its file open while it runs, whatever the set evicts meanwhile.
    await Promise.all(manager.topic('many')!.partitions.map((partition) => partition.flush()));
    for (let p = 0; p < PARTITIONS; p++) expect(values(manager, p)).toEqual([`p${p}-0`, `p${p}-1`]);
    expect(openSegmentFiles.openCount).toBeLessThanOrEqual(BOUND);

    await manager.close();
    expect(openSegmentFiles.openCount).toBe(0);
    manager = await open(dir);
    for (let p = 0; p < PARTITIONS; p += 7) {
      manager.partition('many', p)!.append([valuesBatch(1, `again${p}`)]);
      expect(values(manager, p)).toEqual([`p${p}-0`, `p${p}-1`, `again${p}-0`]);
    }
    expect(openDescriptors() - before).toBeLessThan(BOUND + 20);
  });

  it('keeps the bound below half the descriptor limit', () => {
    const limits = fs.readFileSync('/proc/self/limits', 'utf8');
    const soft = Number(/^Max open files\s+(\d+)/m.exec(limits)?.[1]);
    expect(effectiveCapacity(10 * soft)).toBe(Math.floor(soft / 2));
    expect(effectiveCapacity(100)).toBe(Math.min(100, Math.floor(soft / 2)));
  });
});
