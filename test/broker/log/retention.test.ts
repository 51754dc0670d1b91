import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { batchOf, openLog, readAll, tempDir, valuesBatch } from './helpers.js';
import type { PartitionLog } from '../../../src/broker/log/partition-log.js';

const dirs: string[] = [];
const logs: PartitionLog[] = [];
afterEach(async () => {
  for (const log of logs.splice(0)) if (!log.isClosed) await log.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
function open(overrides: Record<string, string>, now?: () => number): { log: PartitionLog; dir: string } {
  const dir = tempDir();
  dirs.push(dir);
  const log = openLog(dir, overrides, now);
  logs.push(log);
  return { log, dir };
}

describe('retention', () => {
  it('keeps everything by default', () => {
    const { log } = open({ 'segment.bytes': '500' }, () => 10 ** 13);
    for (let i = 0; i < 30; i++) log.append([valuesBatch(3, 'x', { timestamp: 1 })]);
    expect(log.applyRetention()).toEqual({ deleted: 0, reason: null });
    expect(readAll(log)).toHaveLength(90);
  });

  it('deletes whole segments older than retention.ms and advances the log start offset', () => {
    let now = 100_000;
    const { log } = open({ 'segment.bytes': '500', 'retention.ms': '10000' }, () => now);
    for (let i = 0; i < 20; i++) log.append([batchOf([{ value: 'old', timestamp: 50_000 }])]);
    for (let i = 0; i < 20; i++) log.append([batchOf([{ value: 'new', timestamp: 95_000 }])]);
    const segments = log.segmentCount;
    const result = log.applyRetention();
    expect(result.reason).toBe('retention.ms');
    expect(log.segmentCount).toBeLessThan(segments);
    const remaining = readAll(log);
    expect(remaining.every((r) => r.value === 'new' || r.offset >= log.logStartOffset)).toBe(true);
    expect(remaining.filter((r) => r.value === 'new')).toHaveLength(20);
    expect(log.logStartOffset).toBe(log.segmentBaseOffsets()[0]);
    // Once everything is old, even the active segment goes (after a roll); offsets continue.
    now = 200_000;
    log.applyRetention();
    expect(log.logStartOffset).toBe(40);
    expect(log.logEndOffset).toBe(40);
    expect(log.append([valuesBatch(1)]).baseOffset).toBe(40);
  });

  it('deletes the oldest segments while the log is above retention.bytes', () => {
    const { log } = open({ 'segment.bytes': '1000', 'retention.bytes': '2500' });
    for (let i = 0; i < 60; i++) log.append([valuesBatch(2)]);
    expect(log.size).toBeGreaterThan(2500);
    const result = log.applyRetention();
    expect(result.reason).toBe('retention.bytes');
    // As in Kafka, a segment goes only if the log stays at or above the limit without it.
    expect(log.size).toBeGreaterThanOrEqual(2500);
    expect(log.size).toBeLessThan(2500 + 1000);
    expect(log.logStartOffset).toBeGreaterThan(0);
    expect(readAll(log).at(-1)?.offset).toBe(119);
  });

  it('does not apply time or size retention to compact-only topics', () => {
    const { log } = open({ 'segment.bytes': '500', 'retention.bytes': '0', 'cleanup.policy': 'compact' });
    for (let i = 0; i < 20; i++) log.append([batchOf([{ key: 'k', value: 'v' }])]);
    expect(log.applyRetention().deleted).toBe(0);
  });
});
