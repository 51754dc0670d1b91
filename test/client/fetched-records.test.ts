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

  it('returns nothing and stays put when no records came', () => {
    const fetched = decodeFetchedPartition(
      'orders',
      { partition: 0, errorCode: 0, highWatermark: 5n, abortedTransactions: [], records: null },
      5n,
    );
    expect(fetched).toEqual({ records: [], next: 5n });
  });
});
