import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/protocol/error-codes.js';
import { lastSequence } from '../../../src/broker/log/producer-state.js';
import type { PartitionLog } from '../../../src/broker/log/partition-log.js';
import { openLog, readAll, tempDir, valuesBatch } from './helpers.js';

const dirs: string[] = [];
const logs: PartitionLog[] = [];
afterEach(async () => {
  for (const log of logs.splice(0)) if (!log.isClosed) await log.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
function open(overrides: Record<string, string> = {}): { log: PartitionLog; dir: string } {
  const dir = tempDir('venice-pid-');
  dirs.push(dir);
  const log = openLog(dir, overrides);
  logs.push(log);
  return { log, dir };
}
const idem = (seq: number, count = 2, epoch = 0, producerId = 7) =>
  valuesBatch(count, `s${seq}`, { producerId, producerEpoch: epoch, baseSequence: seq });

describe('idempotent producer state', () => {
  it('answers a retried batch with its original offsets and appends nothing', () => {
    const { log } = open();
    expect(log.append([idem(0)])).toMatchObject({ errorCode: 0, baseOffset: 0, lastOffset: 1 });
    expect(log.append([idem(2)])).toMatchObject({ baseOffset: 2, lastOffset: 3 });
    log.append([valuesBatch(1)]); // a non-idempotent write in between
    expect(log.append([idem(0)])).toMatchObject({
      errorCode: 0,
      baseOffset: 0,
      lastOffset: 1,
      duplicate: true,
    });
    expect(log.append([idem(2)])).toMatchObject({
      errorCode: 0,
      baseOffset: 2,
      lastOffset: 3,
      duplicate: true,
    });
    expect(log.logEndOffset).toBe(5);
  });

  it('refuses gaps, old epochs and a new epoch not starting at 0', () => {
    const { log } = open();
    log.append([idem(0)]);
    expect(log.append([idem(5)]).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(log.append([idem(1)]).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER); // overlaps, not a known batch
    expect(log.append([idem(3, 2, 1)]).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(log.append([idem(0, 2, 1)]).errorCode).toBe(ErrorCode.NONE);
    expect(log.append([idem(2, 2, 0)]).errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(log.logEndOffset).toBe(4);
    expect(readAll(log)).toHaveLength(4);
  });

  it('accepts any first sequence from a producer it has no state for (as Kafka does since KIP-360)', () => {
    const { log } = open();
    expect(log.append([idem(42, 2, 3, 99)]).errorCode).toBe(ErrorCode.NONE);
    expect(log.append([idem(44, 2, 3, 99)]).errorCode).toBe(ErrorCode.NONE);
  });

  it('remembers only the last five batches', () => {
    const { log } = open();
    for (let i = 0; i < 6; i++) log.append([idem(i * 2)]);
    expect(log.append([idem(2)]).duplicate).toBe(true);
    expect(log.append([idem(0)]).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
  });

  it('wraps sequences after int32 max', () => {
    expect(lastSequence(2 ** 31 - 2, 3)).toBe(1);
    const { log } = open();
    expect(log.append([idem(2 ** 31 - 2, 2)]).errorCode).toBe(ErrorCode.NONE);
    expect(log.append([idem(0, 2)]).errorCode).toBe(ErrorCode.NONE);
  });

  it('survives a clean reopen and a crash (rebuilt from batch headers)', async () => {
    const { log, dir } = open({ 'segment.bytes': '400' });
    for (let i = 0; i < 10; i++) log.append([idem(i * 2)]);
    await log.close();
    const reopened = openLog(dir, { 'segment.bytes': '400' });
    logs.push(reopened);
    expect(reopened.append([idem(18)])).toMatchObject({ duplicate: true, baseOffset: 18 });
    expect(reopened.append([idem(22)]).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(reopened.append([idem(20)]).errorCode).toBe(ErrorCode.NONE);
    reopened.closeForDeletion(); // crash: no snapshot of the last append, no marker
    fs.rmSync(`${dir}/producer-state.json`);
    const crashed = openLog(dir, { 'segment.bytes': '400' });
    logs.push(crashed);
    expect(crashed.append([idem(20)])).toMatchObject({ duplicate: true, baseOffset: 20 });
    expect(crashed.append([idem(22)])).toMatchObject({ errorCode: 0, baseOffset: 22 });
  });

  it('forgets producers whose records were all deleted', () => {
    const { log } = open();
    log.append([idem(0)]);
    log.append([valuesBatch(3)]);
    log.deleteRecordsBefore(3);
    expect(log.append([idem(10)]).errorCode).toBe(ErrorCode.NONE);
  });
});
