// The client's decoding of a Fetch answer's record set: what read-committed hands out and where the
// next fetch starts. Record sets are built with protocol's encoder, as a broker would send them.
import { describe, expect, it } from 'vitest';
import { decodeFetchedPartition } from '../../src/client/fetched-records.js';
import type { AbortedTransaction } from '../../src/client/record-set-fetch.js';
import {
  ControlRecordType,
  controlRecordKey,
  controlRecordValue,
  type ControlRecordTypeValue,
} from '../../src/protocol/records/control-record.js';
import { BATCH_HEADER_SIZE, updateCrc } from '../../src/protocol/records/batch-header.js';
import { encodeBatch } from '../../src/protocol/records/record-codec.js';

const plain = (baseOffset: number, values: string[]) =>
  encodeBatch({ baseOffset, records: values.map((value) => ({ value })) });

const transactional = (baseOffset: number, producerId: number, values: string[]) =>
  encodeBatch({ baseOffset, producerId, isTransactional: true, records: values.map((value) => ({ value })) });

const marker = (baseOffset: number, producerId: number, type: ControlRecordTypeValue) =>
  encodeBatch({
    baseOffset,
    producerId,
    isTransactional: true,
    isControl: true,
    records: [{ key: controlRecordKey(type), value: controlRecordValue(0) }],
  });

function decode(batches: Buffer[], from: bigint, abortedTransactions: AbortedTransaction[] = []) {
  const fetched = decodeFetchedPartition(
    'orders',
    { partition: 3, errorCode: 0, highWatermark: 100n, abortedTransactions, records: Buffer.concat(batches) },
    from,
  );
  return {
    values: fetched.records.map((record) => record.value?.toString()),
    offsets: fetched.records.map((record) => record.offset),
    next: fetched.next,
    partitions: new Set(fetched.records.map((record) => `${record.topic}/${record.partition}`)),
  };
}

describe('decodeFetchedPartition', () => {
  it('hands out the records from the offset asked for and moves past the last batch', () => {
    const result = decode([plain(0, ['a', 'b', 'c']), plain(3, ['d'])], 1n);
    expect(result.values).toEqual(['b', 'c', 'd']);
    expect(result.offsets).toEqual([1n, 2n, 3n]);
    expect(result.next).toBe(4n);
    expect(result.partitions).toEqual(new Set(['orders/3']));
  });

  it('ignores a batch cut short at the end of the answer', () => {
    const whole = plain(0, ['a', 'b']);
    const cut = plain(2, ['c', 'd']).subarray(0, 30);
    const result = decode([whole, cut], 0n);
    expect(result.values).toEqual(['a', 'b']);
    expect(result.next).toBe(2n);
  });

  it('skips aborted transactions and every marker, keeps committed ones and plain records', () => {
    const result = decode(
      [
        transactional(0, 7, ['aborted-1', 'aborted-2']),
        plain(2, ['plain']),
        transactional(3, 8, ['committed']),
        marker(4, 7, ControlRecordType.abort),
        marker(5, 8, ControlRecordType.commit),
        transactional(6, 7, ['later, committed']),
        marker(7, 7, ControlRecordType.commit),
      ],
      0n,
      [{ producerId: 7n, firstOffset: 0n }],
    );
    expect(result.values).toEqual(['plain', 'committed', 'later, committed']);
    expect(result.next).toBe(8n);
  });

  it('reads fields whose varints take one to ten bytes', () => {
    const batch = encodeBatch({
      records: [
        { key: Buffer.alloc(200, 'k'), value: Buffer.alloc(70_000, 'v'), timestamp: 1_000 },
        { value: 'far', timestamp: 1_000 + 2 ** 40, headers: [{ key: 'h', value: Buffer.alloc(64, 'x') }] },
        { value: 'before', timestamp: 999 },
      ],
    });
    const fetched = decodeFetchedPartition(
      'orders',
      { partition: 0, errorCode: 0, highWatermark: 3n, abortedTransactions: [], records: batch },
      0n,
    );
    expect(fetched.records.map((record) => [record.key?.length ?? null, record.value?.length])).toEqual([
      [200, 70_000],
      [null, 3],
      [null, 6],
    ]);
    expect(fetched.records.map((record) => record.timestamp)).toEqual([1_000n, 1_000n + 2n ** 40n, 999n]);
    expect(fetched.records[1].headers.map((header) => [header.key, header.value?.length])).toEqual([
      ['h', 64],
    ]);
  });

  it('reports a value that runs past the end of its batch', () => {
    const batch = plain(0, ['abc']);
    // The value's length (after record length, attributes, timestamp delta, offset delta and null key).
    batch[BATCH_HEADER_SIZE + 5] = 100; // ZigZag 50
    updateCrc(batch);
    expect(() => decode([batch], 0n)).toThrow(/no room for 50 bytes of a record value/);
  });

  it('returns nothing and stays put when no records came', () => {
    const fetched = decodeFetchedPartition(
      'orders',
      { partition: 0, errorCode: 0, highWatermark: 5n, abortedTransactions: [], records: null },
      5n,
    );
    expect(fetched).toEqual({ records: [], next: 5n });
  });
});
