// Transactions on the partition side (KIP-98): open transactions bound the last stable offset (LSO), markers
// end them, aborts go to the aborted-transaction index, and all of it survives restarts, crashes, retention,
// DeleteRecords, producer expiry and compaction. In-process PartitionLog tests; test/broker/transactions/
// partition-*.test.ts show the same through the broker with real clients.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanLog } from '../../../src/broker/log/cleaner.js';
import type { PartitionLog } from '../../../src/broker/log/partition-log.js';
import { ErrorCode } from '../../../src/protocol/error-codes.js';
import { batchSize, lastOffsetOf, readBatchInfo } from '../../../src/protocol/records/batch-header.js';
import { decodeBatch, encodeBatch } from '../../../src/protocol/records/record-codec.js';
import {
  ControlRecordType,
  controlRecordKey,
  controlRecordValue,
} from '../../../src/protocol/records/control-record.js';
import { batchOf, openLog, tempDir, valuesBatch } from './helpers.js';
import { markerBatch, txnBatch, txnProducer } from './txn-batches.js';

const dirs: string[] = [];
const logs: PartitionLog[] = [];
afterEach(async () => {
  for (const log of logs.splice(0)) if (!log.isClosed) await log.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function freshDir(): string {
  const dir = tempDir('venice-txn-');
  dirs.push(dir);
  return dir;
}

function track(log: PartitionLog): PartitionLog {
  logs.push(log);
  return log;
}

function ok(result: { errorCode: number; errorMessage?: string }): void {
  expect(result.errorMessage ?? '').toBe('');
  expect(result.errorCode).toBe(ErrorCode.NONE);
}

interface SeenRecord {
  offset: number;
  value: string | null;
}

/**
 * What a read_committed client sees: everything below the LSO, control batches skipped, and the records of
 * the aborted transactions the log lists dropped (the client-side filtering Kafka clients do).
 */
function readCommitted(log: PartitionLog, from = log.logStartOffset): SeenRecord[] {
  const seen: SeenRecord[] = [];
  let offset = from;
  const lso = log.lastStableOffset;
  while (offset < lso) {
    const read = log.read(offset, 1 << 20, true, lso);
    expect(read.lastStableOffset).toBe(lso);
    if (read.records.length === 0) break;
    const aborted = log.abortedTransactions(offset, lso);
    const abortedProducers = new Set<number>();
    for (const buffer of read.records) {
      for (let at = 0; at < buffer.length; at += batchSize(buffer, at)) {
        const batch = buffer.subarray(at, at + batchSize(buffer, at));
        const info = readBatchInfo(batch);
        const producerId = Number(info.producerId);
        const base = Number(info.baseOffset);
        expect(base).toBeLessThan(lso);
        for (const txn of aborted)
          if (txn.firstOffset <= base && txn.producerId === producerId) abortedProducers.add(producerId);
        offset = base + info.lastOffsetDelta + 1;
        if (info.isControl) {
          abortedProducers.delete(producerId);
          continue;
        }
        if (info.isTransactional && abortedProducers.has(producerId)) continue;
        for (const record of decodeBatch(batch).records)
          seen.push({ offset: Number(record.offset), value: record.value?.toString() ?? null });
      }
    }
  }
  return seen;
}

const values = (records: SeenRecord[]) => records.map((record) => record.value);

describe('transactions on a partition', () => {
  it('stops read_committed readers at the first open transaction and lists the aborted ones', () => {
    const log = track(openLog(freshDir()));
    const a = txnProducer(1000);
    const b = txnProducer(2000);
    ok(log.append([valuesBatch(2, 'plain')])); // 0-1
    ok(log.append([txnBatch(a, ['a0', 'a1'])])); // 2-3: a's transaction opens at 2
    expect(log.lastStableOffset).toBe(2);
    ok(log.append([valuesBatch(1, 'later')])); // 4
    ok(log.append([txnBatch(b, ['b0'])])); // 5: b's opens at 5
    ok(log.append([txnBatch(a, ['a2'])])); // 6
    expect(log.highWatermark).toBe(7);
    expect(log.lastStableOffset).toBe(2);
    expect(values(readCommitted(log))).toEqual(['plain-0', 'plain-1']);
    expect(log.ongoingTransactions().map((txn) => [txn.producerId, txn.firstOffset, txn.lastOffset])).toEqual(
      [
        [1000, 2, 6],
        [2000, 5, 5],
      ],
    );

    // b ends first: a still holds the LSO back.
    ok(log.append([markerBatch(b, true)])); // 7
    expect(log.lastStableOffset).toBe(2);
    // a aborts: the LSO jumps to the high watermark, a's transaction is indexed.
    ok(log.append([markerBatch(a, false)])); // 8
    expect(log.lastStableOffset).toBe(9);
    expect(log.ongoingTransactions()).toEqual([]);
    expect(log.abortedTransactions(0, 9)).toEqual([{ producerId: 1000, firstOffset: 2 }]);
    expect(log.abortedIndexEntries()).toEqual([{ producerId: 1000, firstOffset: 2, lastOffset: 8 }]);
    // Only transactions overlapping the fetched range are listed.
    expect(log.abortedTransactions(9, 9)).toEqual([]);
    expect(log.abortedTransactions(0, 2)).toEqual([]);
    expect(values(readCommitted(log))).toEqual(['plain-0', 'plain-1', 'later-0', 'b0']);
    // read_uncommitted still reads everything below the high watermark.
    expect(log.read(0, 1 << 20).records[0].length).toBe(log.size);
  });

  it('cuts a read at the LSO inside one segment slice, and reads nothing at or past it', () => {
    const log = track(openLog(freshDir()));
    const a = txnProducer(7);
    for (let i = 0; i < 5; i++) ok(log.append([valuesBatch(2, `p${i}`)])); // 0-9
    ok(log.append([txnBatch(a, ['t'])])); // 10
    ok(log.append([valuesBatch(2, 'after')])); // 11-12
    // One segment holds it all: the slice is cut after the last batch below the LSO.
    const read = log.read(0, 1 << 20, true, log.lastStableOffset);
    expect(read.records).toHaveLength(1);
    const slice = read.records[0];
    let lastOffset = -1;
    for (let at = 0; at < slice.length; at += batchSize(slice, at)) lastOffset = lastOffsetOf(slice, at);
    expect(lastOffset).toBe(9);
    expect(slice.length).toBeLessThan(log.size);
    expect(readCommitted(log)).toHaveLength(10);
    expect(log.read(10, 1 << 20, true, 10).records).toEqual([]);
    expect(log.read(11, 1 << 20, true, 10).records).toEqual([]);
    // A reader that was already past the LSO (read_uncommitted before) is not refused, only given nothing.
    expect(log.read(11, 1 << 20, true, 10).errorCode).toBe(ErrorCode.NONE);
    ok(log.append([markerBatch(a, true)]));
    expect(values(readCommitted(log, 10))).toEqual(['t', 'after-0', 'after-1']);
  });

  it('answers ListOffsets latest with the LSO for read_committed and the high watermark otherwise', () => {
    const log = track(openLog(freshDir()));
    const a = txnProducer(5);
    ok(log.append([valuesBatch(3, 'p', { timestamp: 1_000 })])); // 0-2
    ok(log.append([txnBatch(a, ['t0', 't1'], { timestamp: 5_000 })])); // 3-4
    expect(log.listOffset(-1, true)?.offset).toBe(3);
    expect(log.listOffset(-1, false)?.offset).toBe(5);
    expect(log.listOffset(-2, true)?.offset).toBe(0);
    // A timestamp lookup finds only offsets below what the isolation level may read.
    expect(log.listOffset(4_000, false)?.offset).toBe(3);
    expect(log.listOffset(4_000, true)).toBeNull();
    expect(log.listOffset(-3, true)).toBeNull();
    ok(log.append([markerBatch(a, true)]));
    expect(log.listOffset(-1, true)?.offset).toBe(6);
    expect(log.listOffset(4_000, true)?.offset).toBe(3);
  });

  it('refuses a marker from an older epoch, and accepts a bumped one (KIP-890) that restarts sequences', () => {
    const log = track(openLog(freshDir()));
    const a = txnProducer(42, 3);
    ok(log.append([txnBatch(a, ['x'])]));
    const stale = log.append([markerBatch({ producerId: 42, epoch: 2 }, true)]);
    expect(stale.errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(stale.errorMessage).toMatch(/epoch 2, older than its current epoch 3/);
    expect(log.lastStableOffset).toBe(0);
    // The coordinator ends the transaction with the epoch bumped: the producer continues at epoch 4, seq 0.
    ok(log.append([markerBatch({ producerId: 42, epoch: 4 }, false)]));
    expect(log.lastStableOffset).toBe(log.highWatermark);
    const old = log.append([txnBatch(a, ['y'])]); // epoch 3
    expect(old.errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    const next = { producerId: 42, epoch: 4, sequence: 0 };
    ok(log.append([txnBatch(next, ['z'])]));
    expect(log.lastStableOffset).toBe(2);
  });

  it('refuses a control batch that is not one commit or abort marker, and appends nothing', () => {
    const log = track(openLog(freshDir()));
    const a = txnProducer(3);
    ok(log.append([txnBatch(a, ['t'])]));
    const notMarker = encodeBatch({
      records: [{ key: 'not-a-marker', value: 'x' }],
      producerId: 3,
      producerEpoch: 0,
      isTransactional: true,
      isControl: true,
    });
    const refused = log.append([notMarker]);
    expect(refused.errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(log.logEndOffset).toBe(1);
    expect(log.lastStableOffset).toBe(0);
  });

  it('does not take a marker that carries a sequence number for a data batch of its producer', () => {
    const log = track(openLog(freshDir()));
    const a = txnProducer(4);
    ok(log.append([txnBatch(a, ['t0', 't1'])]));
    const marker = encodeBatch({
      records: [{ key: controlRecordKey(ControlRecordType.commit), value: controlRecordValue(0) }],
      producerId: 4,
      producerEpoch: 0,
      baseSequence: 0,
      isTransactional: true,
      isControl: true,
    });
    ok(log.append([marker]));
    expect(log.lastStableOffset).toBe(3);
    // The producer's sequences are untouched by the marker: its next batch continues at 2.
    ok(log.append([txnBatch(a, ['t2'])]));
  });

  it('still applies idempotence to transactional batches: a retry is a duplicate, a gap is refused', () => {
    const log = track(openLog(freshDir()));
    const a = txnProducer(9);
    const first = txnBatch(a, ['a', 'b']);
    ok(log.append([Buffer.from(first)]));
    const retry = log.append([Buffer.from(first)]);
    expect(retry.duplicate).toBe(true);
    expect(retry.baseOffset).toBe(0);
    a.sequence += 5;
    expect(log.append([txnBatch(a, ['c'])]).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(log.ongoingTransactions()).toEqual([
      { producerId: 9, producerEpoch: 0, firstOffset: 0, lastOffset: 1 },
    ]);
  });

  it('refuses a non-transactional batch from a producer whose transaction is open (INVALID_TXN_STATE)', () => {
    const log = track(openLog(freshDir()));
    const a = txnProducer(11);
    ok(log.append([txnBatch(a, ['t'])]));
    const plain = log.append([
      batchOf([{ value: 'p' }], { producerId: 11, producerEpoch: 0, baseSequence: 1 }),
    ]);
    expect(plain.errorCode).toBe(ErrorCode.INVALID_TXN_STATE);
    // Other idempotent producers are unaffected.
    ok(log.append([batchOf([{ value: 'q' }], { producerId: 12, producerEpoch: 0, baseSequence: 0 })]));
    // A second marker for a transaction already ended changes nothing (a retried WriteTxnMarkers).
    ok(log.append([markerBatch(a, false)]));
    ok(log.append([markerBatch(a, false)]));
    expect(log.abortedIndexEntries()).toEqual([{ producerId: 11, firstOffset: 0, lastOffset: 2 }]);
  });

  it('keeps the LSO, open transactions and the aborted index over a clean restart', async () => {
    const dir = freshDir();
    const log = openLog(dir, { 'segment.bytes': '400' });
    const a = txnProducer(1);
    const b = txnProducer(2);
    for (let i = 0; i < 3; i++) {
      ok(log.append([txnBatch(a, [`a${i}`])]));
      ok(log.append([valuesBatch(3, `p${i}`)]));
      ok(log.append([markerBatch(a, i !== 1)]));
    }
    ok(log.append([txnBatch(b, ['open'])]));
    ok(log.append([valuesBatch(2, 'tail')]));
    expect(log.segmentCount).toBeGreaterThan(1);
    const lso = log.lastStableOffset;
    const aborted = log.abortedIndexEntries();
    const committed = readCommitted(log);
    expect(aborted).toHaveLength(1);
    await log.close();

    const reopened = track(openLog(dir, { 'segment.bytes': '400' }));
    expect(reopened.lastStableOffset).toBe(lso);
    expect(reopened.abortedIndexEntries()).toEqual(aborted);
    expect(readCommitted(reopened)).toEqual(committed);
    expect(values(committed)).not.toContain('a1');
    // The open transaction is still open, and its marker ends it.
    ok(reopened.append([markerBatch(b, true)]));
    expect(reopened.lastStableOffset).toBe(reopened.highWatermark);
    expect(values(readCommitted(reopened))).toContain('open');
  });

  it('rebuilds the state from the log after a crash, and from scratch when the snapshots are gone', () => {
    const dir = freshDir();
    const config = { 'segment.bytes': '400' };
    const log = openLog(dir, config);
    const a = txnProducer(1);
    const b = txnProducer(2);
    ok(log.append([txnBatch(b, ['b-open'])])); // stays open across the snapshots written at each roll
    for (let i = 0; i < 6; i++) {
      ok(log.append([txnBatch(a, [`a${i}`])]));
      ok(log.append([valuesBatch(2, `p${i}`)]));
      ok(log.append([markerBatch(a, i % 2 === 0)]));
    }
    expect(log.segmentCount).toBeGreaterThan(2);
    const expected = {
      lso: log.lastStableOffset,
      aborted: log.abortedIndexEntries(),
      ongoing: log.ongoingTransactions(),
    };
    expect(expected.lso).toBe(0);
    expect(expected.aborted).toHaveLength(3);
    log.closeForDeletion(); // a crash: no snapshot, no clean-shutdown marker

    const state = (reopened: PartitionLog) => ({
      lso: reopened.lastStableOffset,
      aborted: reopened.abortedIndexEntries(),
      ongoing: reopened.ongoingTransactions(),
    });
    const recovered = openLog(dir, config);
    expect(state(recovered)).toEqual(expected);
    recovered.closeForDeletion();

    // Without snapshots nor index, the whole log is replayed.
    for (const name of ['producer-state.json', 'aborted-txns.index'])
      fs.rmSync(path.join(dir, name), { force: true });
    const rebuilt = track(openLog(dir, config));
    expect(state(rebuilt)).toEqual(expected);
  });

  it('forgets a marker torn off the tail by a crash: its transaction is open again and not indexed', () => {
    const dir = freshDir();
    const log = openLog(dir);
    const a = txnProducer(1);
    ok(log.append([valuesBatch(2, 'p')])); // 0-1
    ok(log.append([txnBatch(a, ['a0'])])); // 2
    ok(log.append([markerBatch(a, false)])); // 3
    expect(log.abortedIndexEntries()).toHaveLength(1);
    log.closeForDeletion();
    // The crash cut the marker in half (the index entry had been written already).
    const segmentPath = path.join(dir, '00000000000000000000.log');
    fs.truncateSync(segmentPath, fs.statSync(segmentPath).size - 10);
    const reopened = track(openLog(dir));
    expect(reopened.logEndOffset).toBe(3);
    expect(reopened.lastStableOffset).toBe(2);
    expect(reopened.abortedIndexEntries()).toEqual([]);
    expect(reopened.ongoingTransactions().map((txn) => txn.firstOffset)).toEqual([2]);
    // The coordinator writes the marker again.
    ok(reopened.append([markerBatch(a, false)]));
    expect(reopened.abortedIndexEntries()).toEqual([{ producerId: 1, firstOffset: 2, lastOffset: 3 }]);
  });

  it('opens a log written before transactions (a producer snapshot without open transactions)', async () => {
    const dir = freshDir();
    const log = openLog(dir, { 'segment.bytes': '400' });
    for (let i = 0; i < 20; i++)
      ok(log.append([batchOf([{ value: `v${i}` }], { producerId: 5, producerEpoch: 0, baseSequence: i })]));
    await log.close();
    const snapshotPath = path.join(dir, 'producer-state.json');
    const snapshot = JSON.parse(fs.readFileSync(snapshotPath, 'utf8')) as {
      offset: number;
      attached?: unknown;
    };
    expect(snapshot.offset).toBe(20);
    delete snapshot.attached;
    fs.writeFileSync(snapshotPath, JSON.stringify(snapshot));
    const reopened = track(openLog(dir, { 'segment.bytes': '400' }));
    expect(reopened.lastStableOffset).toBe(20);
    expect(reopened.ongoingTransactions()).toEqual([]);
    // Sequences continue from the snapshot.
    ok(
      reopened.append([batchOf([{ value: 'next' }], { producerId: 5, producerEpoch: 0, baseSequence: 20 })]),
    );
  });

  it("replays the whole log when the snapshot's open transactions are unreadable", async () => {
    const dir = freshDir();
    const log = openLog(dir);
    const a = txnProducer(8);
    ok(log.append([valuesBatch(2, 'p')]));
    ok(log.append([txnBatch(a, ['open'])]));
    await log.close();
    const snapshotPath = path.join(dir, 'producer-state.json');
    const snapshot = JSON.parse(fs.readFileSync(snapshotPath, 'utf8')) as { attached?: unknown };
    expect(snapshot.attached).toEqual([{ producerId: 8, producerEpoch: 0, firstOffset: 2, lastOffset: 2 }]);
    snapshot.attached = 'garbage';
    fs.writeFileSync(snapshotPath, JSON.stringify(snapshot));
    const reopened = track(openLog(dir));
    expect(reopened.lastStableOffset).toBe(2);
    expect(reopened.ongoingTransactions().map((txn) => txn.firstOffset)).toEqual([2]);
  });

  it('ignores a torn entry at the end of the index file', async () => {
    const dir = freshDir();
    const log = openLog(dir);
    const a = txnProducer(1);
    ok(log.append([txnBatch(a, ['a0'])]));
    ok(log.append([markerBatch(a, false)]));
    await log.close();
    fs.appendFileSync(path.join(dir, 'aborted-txns.index'), Buffer.alloc(7, 1));
    const reopened = track(openLog(dir));
    expect(reopened.abortedIndexEntries()).toEqual([{ producerId: 1, firstOffset: 0, lastOffset: 1 }]);
    expect(fs.statSync(path.join(dir, 'aborted-txns.index')).size).toBe(24);
  });

  it('drops index entries below the log start offset on DeleteRecords and retention', async () => {
    const dir = freshDir();
    const log = track(openLog(dir, { 'segment.bytes': '300' }));
    const a = txnProducer(1);
    for (let i = 0; i < 4; i++) {
      ok(log.append([txnBatch(a, [`a${i}`])]));
      ok(log.append([valuesBatch(2, `p${i}`)]));
      ok(log.append([markerBatch(a, false)]));
    }
    // Offsets: txn i at 4i, plain 4i+1..4i+2, marker 4i+3.
    expect(log.abortedIndexEntries().map((entry) => entry.lastOffset)).toEqual([3, 7, 11, 15]);
    ok(log.deleteRecordsBefore(5));
    expect(log.abortedIndexEntries().map((entry) => entry.lastOffset)).toEqual([7, 11, 15]);
    expect(log.abortedTransactions(5, 16).map((txn) => txn.firstOffset)).toEqual([4, 8, 12]);
    ok(log.deleteRecordsBefore(12));
    expect(log.abortedIndexEntries().map((entry) => entry.lastOffset)).toEqual([15]);
    await log.close();
    const reopened = track(openLog(dir, { 'segment.bytes': '300' }));
    expect(reopened.abortedIndexEntries().map((entry) => entry.lastOffset)).toEqual([15]);

    // Retention by size drops whole segments, and their entries with them.
    reopened.updateConfig({ ...reopened.currentConfig, retentionBytes: 1 });
    for (let i = 0; i < 3; i++) {
      ok(reopened.append([txnBatch(a, [`b${i}`])]));
      ok(reopened.append([markerBatch(a, false)]));
    }
    reopened.roll();
    expect(reopened.applyRetention().deleted).toBeGreaterThan(0);
    for (const entry of reopened.abortedIndexEntries())
      expect(entry.lastOffset).toBeGreaterThanOrEqual(reopened.logStartOffset);
  });

  it('keeps the LSO at or above the log start when DeleteRecords passes an open transaction', () => {
    const log = track(openLog(freshDir()));
    const a = txnProducer(1);
    ok(log.append([txnBatch(a, ['a0'])])); // 0
    ok(log.append([valuesBatch(3, 'p')])); // 1-3
    ok(log.deleteRecordsBefore(2));
    expect(log.lastStableOffset).toBe(2);
    // The producer is still known (its transaction is open), so its marker is still checked and applied.
    expect(log.knowsProducer(1)).toBe(true);
    ok(log.append([markerBatch(a, true)]));
    expect(log.lastStableOffset).toBe(5);
  });

  it('never expires a producer whose transaction is open', () => {
    let now = 1_000_000;
    const log = track(openLog(freshDir(), {}, () => now));
    const a = txnProducer(1);
    ok(log.append([txnBatch(a, ['a0'])]));
    ok(log.append([batchOf([{ value: 'i' }], { producerId: 2, producerEpoch: 0, baseSequence: 0 })]));
    now += 10_000;
    log.expireProducers(now, 1_000);
    expect(log.knowsProducer(2)).toBe(false);
    expect(log.knowsProducer(1)).toBe(true);
    expect(log.lastStableOffset).toBe(0);
    ok(log.append([markerBatch(a, true)]));
    now += 10_000;
    log.expireProducers(now, 1_000);
    expect(log.knowsProducer(1)).toBe(false);
  });
});

describe('compaction of transactional data', () => {
  const COMPACT = {
    'cleanup.policy': 'compact',
    'segment.bytes': '500',
    'min.cleanable.dirty.ratio': '0.01',
  };

  it('removes aborted records, never lets them replace a committed value, and keeps the markers', () => {
    const log = track(openLog(freshDir(), COMPACT));
    const a = txnProducer(1);
    const b = txnProducer(2);
    ok(log.append([batchOf([{ key: 'k', value: 'committed-1' }])])); // 0
    ok(log.append([txnBatch(a, ['aborted-2'], { keys: ['k'] })])); // 1
    ok(log.append([markerBatch(a, false)])); // 2
    ok(log.append([txnBatch(b, ['txn-3'], { keys: ['j'] })])); // 3
    ok(log.append([markerBatch(b, true)])); // 4
    for (let i = 0; i < 12; i++) ok(log.append([batchOf([{ key: `f${i}`, value: `filler-${i}` }])]));
    log.roll();
    const before = readCommitted(log);
    const result = cleanLog(log, Date.now(), { force: true });
    expect(result).not.toBeNull();
    const after = readCommitted(log);
    expect(values(after)).toEqual(values(before));
    expect(values(after)).toContain('committed-1');
    expect(values(after)).toContain('txn-3');
    // The aborted record is gone even for read_uncommitted readers; both markers are still there.
    const all: { offset: number; control: boolean; value: string | null }[] = [];
    for (let offset = log.logStartOffset; offset < log.logEndOffset;) {
      const read = log.read(offset, 1 << 20);
      if (read.records.length === 0) break;
      const buffer = read.records[0];
      for (let at = 0; at < buffer.length; at += batchSize(buffer, at)) {
        const decoded = decodeBatch(buffer.subarray(at, at + batchSize(buffer, at)));
        for (const record of decoded.records)
          all.push({
            offset: Number(record.offset),
            control: decoded.isControl,
            value: decoded.isControl ? null : (record.value?.toString() ?? null),
          });
        offset = Number(decoded.baseOffset) + decoded.lastOffsetDelta + 1;
      }
    }
    expect(all.map((record) => record.value)).not.toContain('aborted-2');
    expect(all.filter((record) => record.control).map((record) => record.offset)).toEqual([2, 4]);
  });

  it('does not compact past the LSO: an open transaction may still abort', () => {
    const log = track(openLog(freshDir(), COMPACT));
    const a = txnProducer(1);
    ok(log.append([batchOf([{ key: 'k', value: 'committed' }])])); // 0
    ok(log.append([txnBatch(a, ['pending'], { keys: ['k'] })])); // 1
    for (let i = 0; i < 12; i++) ok(log.append([batchOf([{ key: `f${i}`, value: `filler-${i}` }])]));
    log.roll();
    expect(log.segmentCount).toBeGreaterThan(1);
    cleanLog(log, Date.now(), { force: true });
    ok(log.append([markerBatch(a, false)]));
    log.roll();
    cleanLog(log, Date.now(), { force: true });
    const seen = values(readCommitted(log));
    expect(seen).toContain('committed');
    expect(seen).not.toContain('pending');
  });
});
