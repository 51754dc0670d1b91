// The in-memory store's order and ranges, the changelog's value codec (BIGINT, DECIMAL, BYTES, Map, Set
// survive; class instances are refused), and the timestamp merge of partitions.
import { describe, expect, it } from 'vitest';
import type { ConsumedRecord, PartitionBatch } from '../../../src/client/index.js';
import { decodeStoreValue, encodeStoreValue } from '../../../src/sql/runtime/changelog.js';
import { mergeByTimestamp } from '../../../src/sql/runtime/partition-merge.js';
import { InMemoryKeyValueStore } from '../../../src/sql/runtime/state-store.js';
import { SqlDecimal } from '../../../src/sql/types/index.js';

describe('InMemoryKeyValueStore', () => {
  it('lists entries in key order, within a range, and tells its listener of writes', () => {
    const writes: [string, number | undefined][] = [];
    const store = new InMemoryKeyValueStore<number>((k, v) => writes.push([k, v]));
    for (const k of ['b', 'd', 'a', 'c']) store.put(k, k.charCodeAt(0));
    store.delete('d');
    expect([...store.entries()].map(([k]) => k)).toEqual(['a', 'b', 'c']);
    expect([...store.entries('b', 'c')].map(([k]) => k)).toEqual(['b', 'c']);
    expect(store.size).toBe(3);
    expect(writes.at(-1)).toEqual(['d', undefined]);
  });
});

describe('changelog values', () => {
  it('round-trips what JSON lacks', () => {
    const value = {
      accumulators: [
        5n,
        SqlDecimal.parse('1.50'),
        new Uint8Array([1, 2]),
        new Map([['k', 1]]),
        new Set(['x']),
        null,
        NaN,
      ],
      timestamp: 12,
      $odd: 'kept',
    };
    const back = decodeStoreValue(encodeStoreValue(value) ?? null) as typeof value;
    expect(back.accumulators[0]).toBe(5n);
    expect(String(back.accumulators[1])).toBe('1.50');
    expect(back.accumulators[2]).toEqual(new Uint8Array([1, 2]));
    expect(back.accumulators[3]).toEqual(new Map([['k', 1]]));
    expect(back.accumulators[4]).toEqual(new Set(['x']));
    expect(back.accumulators[6]).toBeNaN();
    expect(back.$odd).toBe('kept');
    expect(encodeStoreValue(undefined)).toBeNull();
  });

  it('refuses a class instance rather than restoring something else', () => {
    class Accumulator {
      total = 1;
    }
    expect(encodeStoreValue({ a: new Accumulator() })).toBeUndefined();
  });
});

describe('mergeByTimestamp', () => {
  const record = (topic: string, partition: number, timestamp: number): ConsumedRecord => ({
    topic,
    partition,
    offset: 0n,
    timestamp: BigInt(timestamp),
    key: null,
    value: null,
    headers: [],
  });
  const batch = (topic: string, partition: number, times: number[]): PartitionBatch => ({
    topic,
    partition,
    records: times.map((t) => record(topic, partition, t)),
    nextOffset: 0n,
    highWatermark: 0n,
  });

  it('takes the smallest head first; ties by topic order, then partition', () => {
    const merged = mergeByTimestamp(
      [batch('right', 0, [1, 5]), batch('left', 1, [1, 3]), batch('left', 0, [1, 4])],
      ['left', 'right'],
    );
    expect(merged.map((r) => `${r.topic}-${r.partition}@${r.timestamp}`)).toEqual([
      'left-0@1',
      'left-1@1',
      'right-0@1',
      'left-1@3',
      'left-0@4',
      'right-0@5',
    ]);
  });
});
