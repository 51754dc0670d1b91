// The stream-stream join's state: what advance() forgets, and join keys that must (not) meet.
import { describe, expect, it } from 'vitest';
import { streamStreamJoin } from '../../../src/sql/runtime/join/index.js';
import { windowedKeyString } from '../../../src/sql/runtime/key-string.js';
import type { SqlRecord } from '../../../src/sql/runtime/records.js';
import { SqlDecimal } from '../../../src/sql/types/index.js';
import { memoryContext } from './helpers.js';

const record = (key: number, name: string, timestamp: number): SqlRecord => ({
  key: [key],
  value: [key, name],
  timestamp,
  partition: 0,
  offset: timestamp,
});

describe('stream-stream join state', () => {
  it('advance() forgets buffered records past the retention (before + after + grace), and they join no more', () => {
    const context = memoryContext();
    const out: SqlRecord[] = [];
    const join = streamStreamJoin({
      type: 'INNER',
      layout: { leftWidth: 2, rightWidth: 2, keyColumnIndex: 0 },
      beforeMs: 1000,
      afterMs: 1000,
      graceMs: 0,
      storeName: 'J',
    })((r) => out.push(r), context);
    const [left, right] = join.ports;
    left?.process(record(1, 'a', 0));
    left?.process(record(2, 'b', 5000));
    expect(context.stores.get('J-left')?.size).toBe(2);
    join.advance?.(5000);
    // The left side's own time is 5000: the record at 0 is past 5000 - 2000.
    expect(context.stores.get('J-left')?.size).toBe(1);
    right?.process(record(2, 'x', 5500));
    expect(out.map((r) => r.value)).toEqual([['b', 2, 'x']]);
    expect(out[0]?.timestamp).toBe(5500);
  });

  it('a LEFT join with GRACE emits the unmatched row once its window closes, not before', () => {
    const out: SqlRecord[] = [];
    const join = streamStreamJoin({
      type: 'LEFT',
      layout: { leftWidth: 2, rightWidth: 2 },
      beforeMs: 1000,
      afterMs: 1000,
      graceMs: 500,
      storeName: 'J',
    })((r) => out.push(r), memoryContext());
    const [left, right] = join.ports;
    left?.process(record(1, 'a', 0));
    right?.process(record(9, 'z', 1500));
    expect(out).toEqual([]);
    right?.process(record(9, 'z', 1501));
    expect(out.map((r) => [r.value, r.timestamp])).toEqual([[[1, 'a', null, null], 0]]);
  });
});

describe('join key strings', () => {
  it('equal SQL values meet, different types and windows do not', () => {
    expect(windowedKeyString([1n])).toBe(windowedKeyString([1n]));
    expect(windowedKeyString([1n])).not.toBe(windowedKeyString([1]));
    expect(windowedKeyString(['1'])).not.toBe(windowedKeyString([1]));
    expect(windowedKeyString([new SqlDecimal(110n, 2)])).toBe(windowedKeyString([SqlDecimal.parse('1.10')]));
    expect(windowedKeyString([1], { start: 0, end: 10 })).not.toBe(
      windowedKeyString([1], { start: 10, end: 20 }),
    );
    expect(windowedKeyString([{ A: 1, B: 'x' }])).toBe(windowedKeyString([{ A: 1, B: 'x' }]));
  });
});
