// One partition the cleaner cannot compact (here: a segment whose records bit rot has garbled) must not
// stop the cleaner pass: the other compacted topics are still compacted, and the failure reaches the
// broker's logger once, naming the topic-partition, however many passes run into it. A compaction a full
// disk refuses is different: it leaves the partition as it was, and the next pass with room compacts it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { LogManager } from '../../../src/broker/log/log-manager.js';
import { createLogger } from '../../../src/service/index.js';
import { BATCH_HEADER_SIZE } from '../../../src/protocol/records/batch-header.js';
import { segmentFileName } from '../../../src/broker/log/segment.js';
import { batchOf, readAll, tempDir } from './helpers.js';

const COMPACT = { 'cleanup.policy': 'compact', 'segment.bytes': '600' };
const managers: LogManager[] = [];
const dirs: string[] = [];
const mounts: string[] = [];

afterEach(async () => {
  for (const manager of managers.splice(0)) await manager.close();
  // Lazily: a failed test may leave a file of this process open there, and the mount must go anyway.
  for (const point of mounts.splice(0)) execFileSync('umount', ['--lazy', point]);
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes a file until the volume has no room left. */
function fillUp(file: string): void {
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
}

/** A broker logger whose JSON lines the test can read. */
function capturedLogger(): {
  logger: ReturnType<typeof createLogger>;
  lines: () => Record<string, unknown>[];
} {
  const text: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ name: 'broker', level: 'info', destination });
  const lines = () =>
    text
      .join('')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines };
}

function writeRounds(manager: LogManager, topic: string): void {
  const log = manager.partition(topic, 0)!;
  for (let round = 0; round < 10; round++) {
    for (let k = 0; k < 5; k++)
      log.append([batchOf([{ key: `k${k}`, value: `r${round}`, timestamp: 1_000 }])]);
  }
}

/** Overwrites the records of the first batch of the partition's first segment with 0xff bytes. */
function garbleFirstBatch(manager: LogManager, topic: string): void {
  const file = path.join(manager.topicsDir, topic, '0', segmentFileName(0, '.log'));
  const fd = fs.openSync(file, 'r+');
  try {
    fs.writeSync(fd, Buffer.alloc(8, 0xff), 0, 8, BATCH_HEADER_SIZE);
  } finally {
    fs.closeSync(fd);
  }
}

describe('the cleaner pass', () => {
  it('compacts the other topics when one partition fails, and logs that failure once', async () => {
    const dir = tempDir('venice-cleaner-isolation-');
    dirs.push(dir);
    const { logger, lines } = capturedLogger();
    const manager = await LogManager.open(dir, {}, { startTimers: false, logger });
    managers.push(manager);
    // Created first, so the pass meets the broken partition before the healthy one.
    manager.createTopic('broken', 1, COMPACT);
    manager.createTopic('healthy', 1, COMPACT);
    writeRounds(manager, 'broken');
    writeRounds(manager, 'healthy');
    garbleFirstBatch(manager, 'broken');
    const healthyBefore = readAll(manager.partition('healthy', 0)!).length;

    const results = manager.runCleaner(10_000, true);
    expect(results.map((result) => result.topic)).toEqual(['healthy']);
    const healthyAfter = readAll(manager.partition('healthy', 0)!);
    expect(healthyAfter.length).toBeLessThan(healthyBefore);
    expect(results[0].recordsRemoved).toBe(healthyBefore - healthyAfter.length);

    // The next pass meets the same broken segment: no second line.
    manager.runCleaner(20_000, true);
    const failures = lines().filter((line) => String(line.msg).includes('broken-0'));
    expect(failures).toHaveLength(1);
    expect(failures[0].level).toBe(50);
    expect(String(failures[0].msg)).toMatch(/compact/i);
    // The broken partition still serves what it holds, and still takes writes.
    const broken = manager.partition('broken', 0)!;
    expect(broken.append([batchOf([{ key: 'k0', value: 'later', timestamp: 1_000 }])]).errorCode).toBe(0);
  });

  it('leaves a partition as it was when the full disk refuses its compaction, and compacts it with room', async (context) => {
    context.skip(process.getuid?.() !== 0, 'mounting a tmpfs needs root; run as root (as CI does)');
    const dir = tempDir('venice-cleaner-full-');
    dirs.push(dir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir]);
    mounts.push(dir);
    const { logger, lines } = capturedLogger();
    const manager = await LogManager.open(dir, {}, { startTimers: false, logger });
    managers.push(manager);
    manager.createTopic('squeezed', 1, COMPACT);
    writeRounds(manager, 'squeezed');
    const log = manager.partition('squeezed', 0)!;
    const before = readAll(log);
    const filler = path.join(dir, 'filler');
    fillUp(filler);

    expect(manager.runCleaner(10_000, true)).toEqual([]);
    expect(readAll(log)).toEqual(before);
    const partitionDir = path.join(manager.topicsDir, 'squeezed', '0');
    expect(fs.readdirSync(partitionDir).filter((name) => name.includes('cleaned'))).toEqual([]);
    expect(lines().map((line) => String(line.msg))).toContainEqual(
      expect.stringMatching(/disk full \(ENOSPC\) while compacting squeezed-0/),
    );

    fs.rmSync(filler);
    const results = manager.runCleaner(20_000, true);
    expect(results.map((result) => result.topic)).toEqual(['squeezed']);
    expect(readAll(log).length).toBeLessThan(before.length);
  });
});
