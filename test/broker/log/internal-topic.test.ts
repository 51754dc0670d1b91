// The shared writer and replay of the broker's internal compacted topics (internal-topic.ts), on a real
// partition log: one batch per write, keyed records oldest first, markers flagged, and a record a topic
// cannot read skipped with a warning rather than stopping the replay.
import { describe, expect, it } from 'vitest';
import {
  appendInternalRecords,
  replayDataRecords,
  replayEach,
  replayInternalTopic,
} from '../../../src/broker/log/internal-topic.js';
import { encodeBatch } from '../../../src/protocol/records/record-codec.js';
import {
  ControlRecordType,
  controlRecordKey,
  controlRecordValue,
} from '../../../src/protocol/records/control-record.js';
import { openLog, tempDir } from './helpers.js';

const record = (key: string, value: string | null) => ({
  key: Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
});

describe('internal topic log access', () => {
  it('replays every keyed record in order across writes, flagging transaction markers', () => {
    const log = openLog(tempDir());
    appendInternalRecords(log, '__t', [record('a', '1'), record('b', '2')]);
    appendInternalRecords(log, '__t', [record('a', null)], {
      producerId: 7,
      producerEpoch: 0,
      isTransactional: true,
    });
    const marker = encodeBatch({
      records: [{ key: controlRecordKey(ControlRecordType.commit), value: controlRecordValue(0) }],
      producerId: 7,
      producerEpoch: 0,
      isTransactional: true,
      isControl: true,
    });
    log.append([marker]);
    // A keyless record is no state: left out.
    log.append([encodeBatch({ records: [{ key: null, value: Buffer.from('x') }] })]);

    const all = [...replayInternalTopic(log)];
    expect(all.map((r) => [r.offset, r.key.toString(), r.value?.toString() ?? null])).toEqual([
      [0n, 'a', '1'],
      [1n, 'b', '2'],
      [2n, 'a', null],
      [3n, controlRecordKey(ControlRecordType.commit).toString(), controlRecordValue(0).toString()],
    ]);
    expect(all.map((r) => [r.isControl, r.isTransactional, r.producerId])).toEqual([
      [false, false, -1n],
      [false, false, -1n],
      [false, true, 7n],
      [true, true, 7n],
    ]);
    expect([...replayDataRecords(log)].map((r) => r.offset)).toEqual([0n, 1n, 2n]);
  });

  it('skips a record the topic cannot read, with a warning naming the topic and offset', () => {
    const log = openLog(tempDir());
    appendInternalRecords(log, '__t', [record('good', '1'), record('bad', '2'), record('good', '3')]);
    const warnings: string[] = [];
    const applied: string[] = [];
    replayEach(
      replayDataRecords(log),
      '__t',
      (message) => warnings.push(message),
      (r) => {
        if (r.key.toString() === 'bad') throw new Error('not JSON');
        applied.push(r.value!.toString());
      },
    );
    expect(applied).toEqual(['1', '3']);
    expect(warnings).toEqual(['skipping an unreadable __t record at offset 1: not JSON']);
  });
});
