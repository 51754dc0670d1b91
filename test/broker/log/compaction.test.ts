import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanLog, findKeylessRecord } from '../../../src/broker/log/cleaner.js';
import { commitSwap, cleanedLogPath } from '../../../src/broker/log/cleaner-files.js';
import type { PartitionLog } from '../../../src/broker/log/partition-log.js';
import { Compression, type CompressionCodec } from '../../../src/protocol/records/batch-header.js';
import { CODEC_NAMES } from '../../../src/protocol/records/compression.js';
import { decodeRecordSet, encodeBatch } from '../../../src/protocol/records/record-codec.js';
import { batchOf, openLog, readAll, recordsOf, tempDir } from './helpers.js';

const dirs: string[] = [];
const logs: PartitionLog[] = [];
afterEach(async () => {
  for (const log of logs.splice(0)) if (!log.isClosed) await log.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
const COMPACT = { 'cleanup.policy': 'compact', 'segment.bytes': '600', 'delete.retention.ms': '1000' };
function open(
  now: () => number,
  overrides: Record<string, string> = COMPACT,
): { log: PartitionLog; dir: string } {
  const dir = tempDir('venice-compact-');
  dirs.push(dir);
  const log = openLog(dir, overrides, now);
  logs.push(log);
  return { log, dir };
}

/** Writes key k0..k4 values round by round, then a tombstone for k1, then enough filler to roll. */
function fill(log: PartitionLog): void {
  for (let round = 0; round < 10; round++) {
    for (let k = 0; k < 5; k++)
      log.append([batchOf([{ key: `k${k}`, value: `r${round}`, timestamp: 1_000 }])]);
  }
  log.append([batchOf([{ key: 'k1', value: null, timestamp: 1_000 }])]);
  for (let i = 0; i < 10; i++) log.append([batchOf([{ key: 'filler', value: `f${i}`, timestamp: 1_000 }])]);
}

describe('compaction', () => {
  it('keeps only the latest record per key with the original offsets', () => {
    let now = 10_000;
    const { log } = open(() => now);
    fill(log);
    const before = readAll(log);
    const result = cleanLog(log, now, { force: true });
    expect(result?.recordsRemoved).toBeGreaterThan(0);
    const after = readAll(log);
    const byOffset = new Map(before.map((r) => [r.offset, r]));
    for (const record of after) expect(byOffset.get(record.offset)).toEqual(record);
    const cleanedKeys = after.filter((r) => r.key !== 'filler').map((r) => [r.key, r.value]);
    // The last segment (active) is never cleaned, so only the compacted part must be unique per key.
    const activeBase = log.segmentBaseOffsets().at(-1)!;
    const cleanedPart = after.filter((r) => r.offset < activeBase);
    const keys = cleanedPart.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(cleanedKeys).toContainEqual(['k0', 'r9']);
    expect(cleanedKeys).toContainEqual(['k1', null]); // tombstone survives its first cleaning
    expect(cleanedKeys.some(([k, v]) => k === 'k1' && v !== null)).toBe(false);
    expect(log.logEndOffset).toBe(61);
    // Reading from any offset, even one compacted away, returns the next surviving record.
    const gap = before.find((r) => r.key === 'k0' && r.value === 'r0')!.offset;
    expect(recordsOf(log.read(gap, 1 << 20).records).find((r) => r.offset >= gap)?.offset).toBeGreaterThan(
      gap,
    );
    // Tombstones go once delete.retention.ms passed since they were first cleaned.
    now += 500;
    cleanLog(log, now, { force: true });
    expect(readAll(log).some((r) => r.key === 'k1')).toBe(true);
    now += 1_000;
    cleanLog(log, now, { force: true });
    expect(readAll(log).some((r) => r.key === 'k1')).toBe(false);
    expect(readAll(log).find((r) => r.key === 'k0')?.value).toBe('r9');
  });

  it('survives a reopen with compacted segments', async () => {
    const now = 10_000;
    const { log, dir } = open(() => now);
    fill(log);
    cleanLog(log, now, { force: true });
    const after = readAll(log);
    await log.close();
    const reopened = openLog(dir, COMPACT, () => now);
    logs.push(reopened);
    expect(readAll(reopened)).toEqual(after);
    expect(reopened.logEndOffset).toBe(61);
  });

  it('respects min.compaction.lag.ms and the dirty ratio', () => {
    const now = 10_000;
    const { log } = open(() => now, { ...COMPACT, 'min.compaction.lag.ms': '60000' });
    fill(log);
    expect(cleanLog(log, now, { force: true })).toBeNull();
    const { log: other } = open(() => now, { ...COMPACT, 'min.cleanable.dirty.ratio': '0.99' });
    fill(other);
    expect(cleanLog(other, now)).not.toBeNull(); // never cleaned: everything is dirty
    expect(cleanLog(other, now)).toBeNull(); // nothing new since
  });

  it('finishes a committed swap after a crash and discards an uncommitted one', async () => {
    const now = 10_000;
    const { log, dir } = open(() => now);
    fill(log);
    const expected = readAll(log);
    await log.close();
    // An uncommitted cleaner output is thrown away.
    fs.writeFileSync(cleanedLogPath(dir, 0), 'partial');
    const reopened = openLog(dir, COMPACT, () => now);
    logs.push(reopened);
    expect(fs.existsSync(cleanedLogPath(dir, 0))).toBe(false);
    expect(readAll(reopened)).toEqual(expected);
    // A committed swap whose cleaned file holds the first segment's data replaces the listed segments.
    const bases = reopened.segmentBaseOffsets();
    await reopened.close();
    fs.copyFileSync(path.join(dir, '00000000000000000000.log'), cleanedLogPath(dir, 0));
    commitSwap(dir, 0, [0, bases[1]]);
    const swapped = openLog(dir, COMPACT, () => now);
    logs.push(swapped);
    expect(swapped.segmentBaseOffsets()).toEqual([0, ...bases.slice(2)]);
    const offsets = readAll(swapped).map((r) => r.offset);
    expect(offsets.some((o) => o >= bases[1] && o < bases[2])).toBe(false);
  });

  it('finds keyless records for produce-time rejection', () => {
    expect(findKeylessRecord(batchOf([{ key: 'a', value: '1' }, { value: '2' }]))).toBe(1);
    expect(findKeylessRecord(batchOf([{ key: 'a', value: '1' }]))).toBe(-1);
  });

  // The cleaner rewrites a batch that lost records with the batch's own codec. zstd used to throw on
  // Node before 22.15 (librdkafka's test 0077), so every codec is compacted here, on every Node.
  it.each([Compression.gzip, Compression.snappy, Compression.lz4, Compression.zstd])(
    'compacts batches compressed with codec %s and keeps them compressed with it',
    (codec: CompressionCodec) => {
      const now = 10_000;
      const { log } = open(() => now);
      // The last round updates k0..k2 only, so the cleaner must rewrite round 8's batch to keep k3 and k4.
      for (let round = 0; round < 10; round++) {
        const records = Array.from({ length: round === 9 ? 3 : 5 }, (_, k) => ({
          key: `k${k}`,
          value: `${CODEC_NAMES[codec]} round ${round} `.repeat(4),
          timestamp: 1_000,
        }));
        log.append([encodeBatch({ records, compression: codec })]);
      }
      for (let i = 0; i < 10; i++)
        log.append([batchOf([{ key: 'filler', value: `f${i}`, timestamp: 1_000 }])]);

      const result = cleanLog(log, now, { force: true });
      expect(result?.recordsRemoved).toBeGreaterThan(0);
      const after = readAll(log).filter((r) => r.key !== 'filler');
      const activeBase = log.segmentBaseOffsets().at(-1)!;
      const cleanedKeys = after.filter((r) => r.offset < activeBase).map((r) => r.key);
      expect(new Set(cleanedKeys).size).toBe(cleanedKeys.length);
      for (let k = 0; k < 5; k++) {
        expect(after.filter((r) => r.key === `k${k}`).at(-1)?.value).toBe(
          `${CODEC_NAMES[codec]} round ${k < 3 ? 9 : 8} `.repeat(4),
        );
      }
      const batches = log.read(0, 1 << 20).records.flatMap((buffer) => decodeRecordSet(buffer));
      const keyed = batches.filter((batch) => batch.records.some((r) => r.key?.toString() !== 'filler'));
      const rewritten = keyed.filter((batch) => batch.records.length === 2);
      expect(rewritten.map((batch) => batch.records.map((r) => r.key?.toString()))).toEqual([['k3', 'k4']]);
      for (const batch of keyed) expect(batch.compression).toBe(codec);
    },
  );
});
