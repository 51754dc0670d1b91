import { describe, expect, it } from 'vitest';
import { BATCH_HEADER_SIZE, BatchOffset, Compression } from '../../../src/protocol/records/batch-header.js';
import { InvalidRecordBatchError } from '../../../src/protocol/records/errors.js';
import { encodeBatch } from '../../../src/protocol/records/record-codec.js';
import { scanBatchRecords } from '../../../src/protocol/records/record-scan.js';

// Two records of key 'k' and value 'v', no headers: each is 9 bytes on the wire, laid out from the
// batch header on as length, attributes, timestamp delta, offset delta, key length, 'k', value
// length, 'v', header count.
const RECORD_BYTES = 9;
const at = (record: number, field: number) => BATCH_HEADER_SIZE + record * RECORD_BYTES + field;
const Field = { length: 0, offsetDelta: 3, keyLength: 4, headerCount: 8 } as const;
const twoSmallRecords = () =>
  encodeBatch({
    records: [
      { key: 'k', value: 'v', timestampDelta: 0 },
      { key: 'k', value: 'v', timestampDelta: 0 },
    ],
  });

function expectRefused(batch: Buffer, message: RegExp) {
  let thrown: unknown;
  try {
    scanBatchRecords(batch);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InvalidRecordBatchError);
  expect((thrown as Error).message).toMatch(message);
}

describe('scanBatchRecords', () => {
  it('accepts records with keys, null keys, headers, long values and large timestamp deltas', () => {
    const batch = encodeBatch({
      baseTimestamp: 1_000,
      records: [
        { key: 'a', value: 'x'.repeat(100), timestampDelta: 0 },
        { key: null, value: null, timestampDelta: 5 },
        {
          key: 'c',
          value: Buffer.alloc(20_000, 1),
          timestampDelta: 10_000_000_000,
          headers: [
            { key: 'h1', value: 'v1' },
            { key: 'h2', value: null },
          ],
        },
        { key: null, value: 'y', timestampDelta: 7 },
      ],
    });
    expect(scanBatchRecords(batch)).toEqual({ hasNullKey: true, nullKeyIndexes: [] });
    expect(scanBatchRecords(batch, { listNullKeys: true })).toEqual({
      hasNullKey: true,
      nullKeyIndexes: [1, 3],
    });
    expect(scanBatchRecords(twoSmallRecords()).hasNullKey).toBe(false);
  });

  it('walks the records of a compressed batch', () => {
    const records = Array.from({ length: 50 }, (_, i) => ({
      key: i % 2 ? null : `k${i}`,
      value: 'v'.repeat(i),
    }));
    const batch = encodeBatch({ records, compression: Compression.gzip });
    expect(scanBatchRecords(batch, { listNullKeys: true }).nullKeyIndexes).toHaveLength(25);
  });

  it('checks the layout the tests below rely on', () => {
    const batch = twoSmallRecords();
    expect(batch.length).toBe(BATCH_HEADER_SIZE + 2 * RECORD_BYTES);
    expect(batch[at(1, Field.offsetDelta)]).toBe(2); // zigzag of 1
    expect(batch[at(1, Field.length)]).toBe(2 * (RECORD_BYTES - 1));
  });

  it('refuses an offset delta that is not the record index', () => {
    const batch = twoSmallRecords();
    batch[at(1, Field.offsetDelta)] = 0;
    expectRefused(batch, /record 1 has offset delta 0/);
  });

  it('refuses a record longer than what is left of the batch', () => {
    const batch = twoSmallRecords();
    batch[at(1, Field.length)] = 2 * 20;
    expectRefused(batch, /record 1 of 20 bytes does not fit in its batch/);
  });

  it('refuses a negative key length other than -1', () => {
    const batch = twoSmallRecords();
    batch[at(0, Field.keyLength)] = 3; // zigzag of -2
    expectRefused(batch, /a record key has a negative length -2/);
  });

  it('refuses fields that do not add up to the record length', () => {
    const batch = twoSmallRecords();
    batch[at(0, Field.length)] = 2 * RECORD_BYTES; // one byte more than its fields take
    expectRefused(batch, /record 0 declares 9 bytes but its fields take a different size/);
  });

  it('refuses a header with a null key', () => {
    const batch = encodeBatch({ records: [{ key: 'k', value: 'v', headers: [{ key: 'h', value: 'x' }] }] });
    // The header key length follows the header count, which is right after the value.
    batch[BATCH_HEADER_SIZE + 9] = 1; // zigzag of -1
    expectRefused(batch, /record 0 has a header with a null key/);
  });

  it('refuses bytes left over after the counted records', () => {
    const batch = twoSmallRecords();
    batch.writeInt32BE(1, BatchOffset.recordCount);
    expectRefused(batch, /batch has 9 bytes after its 1 records/);
  });

  it('refuses a varint cut off by the end of its record', () => {
    const batch = twoSmallRecords();
    batch[at(1, Field.headerCount)] = 0x80;
    expectRefused(batch, /truncated/);
  });

  it('refuses a varint longer than 10 bytes', () => {
    const value = Buffer.alloc(40, 0x80);
    const batch = encodeBatch({ records: [{ key: 'k', value }] });
    // Point the timestamp delta at a run of continuation bytes: make it the first byte of a long run.
    const timestampDelta = BATCH_HEADER_SIZE + 2;
    const record = Buffer.from(batch);
    record.fill(0x80, timestampDelta, timestampDelta + 11);
    expectRefused(record, /varint longer than 10 bytes/);
  });
});
