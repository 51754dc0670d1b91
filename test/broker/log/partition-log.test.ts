import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/protocol/error-codes.js';
import type { AppendWake, PartitionLog } from '../../../src/broker/log/partition-log.js';
import { waitForAppend } from '../../../src/broker/log/append-wait.js';
import { batchOf, openLog, readAll, recordsOf, tempDir, valuesBatch } from './helpers.js';

const dirs: string[] = [];
const logs: PartitionLog[] = [];
function freshDir(): string {
  const dir = tempDir();
  dirs.push(dir);
  return dir;
}
function track(log: PartitionLog): PartitionLog {
  logs.push(log);
  return log;
}

afterEach(async () => {
  for (const log of logs.splice(0)) if (!log.isClosed) await log.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('PartitionLog append and read', () => {
  it('assigns consecutive offsets and reads them back', () => {
    const log = track(openLog(freshDir()));
    const first = log.append([valuesBatch(3, 'a')]);
    expect(first).toMatchObject({
      errorCode: 0,
      baseOffset: 0,
      lastOffset: 2,
      logAppendTimeMs: -1,
      logStartOffset: 0,
    });
    const second = log.append([valuesBatch(2, 'b'), valuesBatch(1, 'c')]);
    expect(second).toMatchObject({ baseOffset: 3, lastOffset: 5 });
    expect(log.logEndOffset).toBe(6);
    const read = log.read(0, 1 << 20);
    expect(read).toMatchObject({ errorCode: 0, highWatermark: 6, logStartOffset: 0, lastStableOffset: 6 });
    expect(recordsOf(read.records).map((r) => [r.offset, r.value])).toEqual([
      [0, 'a-0'],
      [1, 'a-1'],
      [2, 'a-2'],
      [3, 'b-0'],
      [4, 'b-1'],
      [5, 'c-0'],
    ]);
  });

  it('reads across segment rolls and finds offsets in the middle of batches via the sparse index', () => {
    const dir = freshDir();
    const log = track(openLog(dir, { 'segment.bytes': '4096', 'index.interval.bytes': '256' }));
    for (let i = 0; i < 200; i++) log.append([valuesBatch(5, `b${i}`)]);
    expect(log.segmentCount).toBeGreaterThan(3);
    expect(log.logEndOffset).toBe(1000);
    const all = readAll(log);
    expect(all.map((r) => r.offset)).toEqual([...Array(1000).keys()]);
    for (const offset of [0, 1, 4, 5, 7, 333, 512, 997, 999]) {
      const read = log.read(offset, 1);
      const records = recordsOf(read.records);
      // The batch containing the offset comes first (it starts at or before it).
      expect(records[0].offset).toBeLessThanOrEqual(offset);
      expect(records[records.length - 1].offset).toBeGreaterThanOrEqual(offset);
      expect(records.find((r) => r.offset === offset)?.value).toBe(
        `b${Math.floor(offset / 5)}-${offset % 5}`,
      );
    }
    // Segment files are named by base offset.
    const logs = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.log'))
      .sort();
    expect(logs[0]).toBe('00000000000000000000.log');
    expect(logs.length).toBe(log.segmentCount);
  });

  it('honours maxBytes but always returns at least one whole batch', () => {
    const log = track(openLog(freshDir()));
    const batch = valuesBatch(10);
    const size = batch.length;
    for (let i = 0; i < 10; i++) log.append([valuesBatch(10)]);
    const one = log.read(0, 1);
    expect(one.records.reduce((n, b) => n + b.length, 0)).toBe(size);
    const three = log.read(0, size * 3 + size - 1);
    expect(three.records.reduce((n, b) => n + b.length, 0)).toBe(size * 3);
    const fromMiddle = log.read(25, size * 2);
    expect(recordsOf(fromMiddle.records).map((r) => r.offset)[0]).toBe(20);
    expect(recordsOf(fromMiddle.records)).toHaveLength(20);
  });

  it('returns only whole batches that fit when not asked for at least one', () => {
    const log = track(openLog(freshDir()));
    const size = valuesBatch(10).length;
    for (let i = 0; i < 3; i++) log.append([valuesBatch(10)]);
    const none = log.read(0, size - 1, false);
    expect(none).toMatchObject({ errorCode: ErrorCode.NONE, records: [], highWatermark: 30 });
    const two = log.read(10, size * 2, false);
    expect(recordsOf(two.records).map((r) => r.offset)).toEqual(Array.from({ length: 20 }, (_, i) => 10 + i));
  });

  it('answers OFFSET_OUT_OF_RANGE outside [logStartOffset, logEndOffset] and nothing at the end', () => {
    const log = track(openLog(freshDir()));
    log.append([valuesBatch(3)]);
    expect(log.read(4, 100).errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    expect(log.read(-1, 100).errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    const atEnd = log.read(3, 100);
    expect(atEnd.errorCode).toBe(ErrorCode.NONE);
    expect(atEnd.records).toEqual([]);
  });

  it('serves a tailing reader what was just written', () => {
    const log = track(openLog(freshDir(), { 'segment.bytes': '2000' }));
    let next = 0;
    for (let i = 0; i < 50; i++) {
      log.append([valuesBatch(3, `t${i}`)]);
      const read = log.read(next, 1 << 20);
      const records = recordsOf(read.records);
      expect(records[0].offset).toBe(next);
      next = records[records.length - 1].offset + 1;
    }
    expect(next).toBe(150);
  });

  it('rejects batches above max.message.bytes', () => {
    const log = track(openLog(freshDir(), { 'max.message.bytes': '100' }));
    const result = log.append([valuesBatch(20)]);
    expect(result.errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    expect(log.logEndOffset).toBe(0);
  });

  it('stamps LogAppendTime and keeps the CRC valid', () => {
    const log = track(openLog(freshDir(), { 'message.timestamp.type': 'LogAppendTime' }, () => 5_000));
    const result = log.append([valuesBatch(2)]);
    expect(result.logAppendTimeMs).toBe(5_000);
    // recordsOf decodes with CRC verification.
    expect(recordsOf(log.read(0, 1000).records).map((r) => r.timestamp)).toEqual([5_000, 5_000]);
  });
});

describe('PartitionLog persistence and recovery', () => {
  it('reopens with the same offsets, log start offset and data after a clean close', async () => {
    const dir = freshDir();
    const log = openLog(dir, { 'segment.bytes': '1024' });
    for (let i = 0; i < 40; i++) log.append([valuesBatch(4, `r${i}`)]);
    expect(log.deleteRecordsBefore(30).lowWatermark).toBe(30);
    await log.close();
    expect(fs.existsSync(path.join(dir, '.clean-shutdown'))).toBe(true);
    const reopened = track(openLog(dir, { 'segment.bytes': '1024' }));
    expect(fs.existsSync(path.join(dir, '.clean-shutdown'))).toBe(false);
    expect(reopened.logEndOffset).toBe(160);
    expect(reopened.logStartOffset).toBe(30);
    expect(readAll(reopened).map((r) => r.offset)).toEqual([...Array(130).keys()].map((i) => i + 30));
    expect(reopened.append([valuesBatch(1)]).baseOffset).toBe(160);
  });

  it('does not trust a cleanly closed segment whose file ends in a partial batch', async () => {
    const dir = freshDir();
    const log = openLog(dir);
    for (let i = 0; i < 10; i++) log.append([valuesBatch(5, `r${i}`)]);
    await log.close();
    // Damage after a clean shutdown (a bad disk, a stray copy): the marker says clean, the file disagrees.
    const file = path.join(dir, '00000000000000000000.log');
    fs.appendFileSync(file, fs.readFileSync(file).subarray(0, 30));
    const reopened = track(openLog(dir));
    expect(reopened.logEndOffset).toBe(50);
    expect(reopened.append([valuesBatch(2, 'after')]).baseOffset).toBe(50);
    expect(readAll(reopened).map((r) => r.offset)).toEqual([...Array(52).keys()]);
  });

  it('truncates a torn batch at the tail after a crash and keeps every whole batch', () => {
    const dir = freshDir();
    const log = openLog(dir);
    for (let i = 0; i < 10; i++) log.append([valuesBatch(3, `x${i}`)]);
    // Simulate SIGKILL mid-write: half a batch at the end, no clean shutdown marker.
    const segmentPath = path.join(dir, '00000000000000000000.log');
    const torn = valuesBatch(3, 'torn');
    torn.writeBigInt64BE(30n, 0);
    fs.appendFileSync(segmentPath, torn.subarray(0, 40));
    log.closeForDeletion(); // drop descriptors without writing a marker
    const reopened = track(openLog(dir));
    expect(reopened.logEndOffset).toBe(30);
    expect(readAll(reopened)).toHaveLength(30);
    expect(fs.statSync(segmentPath).size).toBe(reopened.size);
    expect(reopened.append([valuesBatch(1)]).baseOffset).toBe(30);
  });

  it('truncates garbage and a corrupt batch (bad CRC) after a crash', () => {
    const dir = freshDir();
    const log = openLog(dir);
    for (let i = 0; i < 5; i++) log.append([valuesBatch(2)]);
    const goodSize = log.size;
    const segmentPath = path.join(dir, '00000000000000000000.log');
    const corrupt = valuesBatch(2, 'bad');
    corrupt.writeBigInt64BE(10n, 0);
    corrupt[corrupt.length - 1] ^= 0xff; // payload changed, CRC no longer matches
    fs.appendFileSync(
      segmentPath,
      Buffer.concat([
        corrupt,
        Buffer.from('garbage garbage garbage garbage garbage garbage garbage garbage'),
      ]),
    );
    log.closeForDeletion();
    const reopened = track(openLog(dir));
    expect(reopened.logEndOffset).toBe(10);
    expect(reopened.size).toBe(goodSize);
    expect(fs.statSync(segmentPath).size).toBe(goodSize);
  });

  it('rebuilds missing or corrupt index files', async () => {
    const dir = freshDir();
    const log = openLog(dir, { 'index.interval.bytes': '100', 'segment.bytes': '3000' });
    for (let i = 0; i < 60; i++) log.append([valuesBatch(2, `i${i}`)]);
    await log.close();
    const indexes = fs.readdirSync(dir).filter((f) => f.endsWith('.index'));
    fs.rmSync(path.join(dir, indexes[0]));
    fs.writeFileSync(path.join(dir, indexes[1]), Buffer.from([1, 2, 3]));
    fs.writeFileSync(path.join(dir, indexes[indexes.length - 1]), Buffer.alloc(16, 0xff));
    const reopened = track(openLog(dir, { 'index.interval.bytes': '100', 'segment.bytes': '3000' }));
    expect(readAll(reopened).map((r) => r.offset)).toEqual([...Array(120).keys()]);
    for (const offset of [1, 37, 64, 119]) {
      expect(recordsOf(reopened.read(offset, 1).records).some((r) => r.offset === offset)).toBe(true);
    }
  });

  it('rolls a new segment after a crash right after a roll', () => {
    const dir = freshDir();
    const log = openLog(dir, { 'segment.bytes': '500' });
    for (let i = 0; i < 20; i++) log.append([valuesBatch(3)]);
    log.closeForDeletion();
    const reopened = track(openLog(dir, { 'segment.bytes': '500' }));
    expect(reopened.logEndOffset).toBe(60);
    expect(readAll(reopened)).toHaveLength(60);
  });
});

describe('PartitionLog DeleteRecords and timestamps', () => {
  it('moves the log start offset and deletes whole segments below it', () => {
    const dir = freshDir();
    const log = track(openLog(dir, { 'segment.bytes': '600' }));
    for (let i = 0; i < 30; i++) log.append([valuesBatch(2)]);
    const before = log.segmentCount;
    expect(log.deleteRecordsBefore(61).errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    const result = log.deleteRecordsBefore(41);
    expect(result).toEqual({ errorCode: 0, lowWatermark: 41 });
    expect(log.segmentCount).toBeLessThan(before);
    expect(log.segmentBaseOffsets()[0]).toBeLessThanOrEqual(41);
    expect(log.read(40, 100).errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    expect(readAll(log)[0].offset).toBe(41);
    expect(log.deleteRecordsBefore(-1).lowWatermark).toBe(60);
  });

  it('finds the first offset at or after a timestamp, and the max timestamp', () => {
    const log = track(openLog(freshDir(), { 'segment.bytes': '700', 'index.interval.bytes': '64' }));
    for (let i = 0; i < 40; i++) {
      log.append([
        batchOf([
          { value: 'a', timestamp: 1000 + i * 10 },
          { value: 'b', timestamp: 1000 + i * 10 + 5 },
        ]),
      ]);
    }
    expect(log.offsetForTimestamp(0)).toEqual({ offset: 0, timestamp: 1000 });
    expect(log.offsetForTimestamp(1005)).toEqual({ offset: 1, timestamp: 1005 });
    expect(log.offsetForTimestamp(1006)).toEqual({ offset: 2, timestamp: 1010 });
    expect(log.offsetForTimestamp(1234)).toEqual({ offset: 47, timestamp: 1235 });
    expect(log.offsetForTimestamp(1395)).toEqual({ offset: 79, timestamp: 1395 });
    expect(log.offsetForTimestamp(1396)).toBeNull();
    expect(log.maxTimestampRecord()).toEqual({ offset: 79, timestamp: 1395 });
    expect(log.listOffset(-1)).toEqual({ offset: 80, timestamp: -1 });
    expect(log.listOffset(-2)).toEqual({ offset: 0, timestamp: -1 });
  });

  it('coalesces concurrent flushes', async () => {
    const log = track(openLog(freshDir()));
    log.append([valuesBatch(3)]);
    const flushes = [log.flush(), log.flush(), log.flush()];
    log.append([valuesBatch(3)]);
    flushes.push(log.flush());
    await Promise.all(flushes);
    expect(log.logEndOffset).toBe(6);
  });
});

describe('PartitionLog append wake-ups', () => {
  it('wakes every waiter once at the next append, and not for a retried batch', () => {
    const log = track(openLog(freshDir()));
    const idempotent = () => valuesBatch(2, 'p', { producerId: 5, producerEpoch: 0, baseSequence: 0 });
    log.append([idempotent()]);
    const wakes: AppendWake[] = [];
    log.onNextAppend((reason) => wakes.push(reason));
    const cancel = log.onNextAppend((reason) => wakes.push(reason));
    cancel();
    expect(log.append([idempotent()]).duplicate).toBe(true);
    expect(wakes).toEqual([]);
    log.append([valuesBatch(1)]);
    log.append([valuesBatch(1)]);
    expect(wakes).toEqual(['appended']);
  });

  it('wakes waiters when the log closes, and at once when it is closed already', async () => {
    const log = track(openLog(freshDir()));
    const waiting = waitForAppend([log], 60_000);
    await log.close();
    expect(await waiting).toBe('closed');
    expect(await waitForAppend([log], 60_000)).toBe('closed');
  });

  it('waits on several logs for the first append, or times out', async () => {
    const quiet = track(openLog(freshDir()));
    const busy = track(openLog(freshDir()));
    const waiting = waitForAppend([quiet, busy], 60_000);
    busy.append([valuesBatch(1)]);
    expect(await waiting).toBe('appended');
    expect(await waitForAppend([quiet, busy], 10)).toBe('timeout');
  });
});
