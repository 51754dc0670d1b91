// Array and map functions against rows of ksqlDB's cases (array-min-max-sort.json, array-remove.json,
// array-set-functions.json, arraycontains.json, arrayjoin.json, slice.json, array.json, map.json,
// elt-field.json, as_value.json).
import { describe, expect, it } from 'vitest';
import { SqlDecimal, SqlTypes, type SqlType, type SqlValue } from '../../../src/sql/types/index.js';
import { call, int, registry, str, type TypedArg } from './helpers.js';

const { INTEGER, BIGINT, DOUBLE, STRING, BOOLEAN } = SqlTypes;
const arr = (type: SqlType, v: readonly SqlValue[] | null): TypedArg => [v, SqlTypes.array(type)];
const ints = (v: readonly (number | null)[] | null): TypedArg => arr(INTEGER, v);
const strs = (v: readonly (string | null)[] | null): TypedArg => arr(STRING, v);
const dec = (s: string): SqlDecimal => SqlDecimal.parse(s);
const decs = (v: readonly (string | null)[]): TypedArg =>
  arr(
    SqlTypes.decimal(3, 1),
    v.map((s) => (s === null ? null : dec(s))),
  );
const m = (o: Record<string, SqlValue>): Map<SqlValue, SqlValue> => new Map(Object.entries(o));
const decString = (v: SqlValue): string | null => (v === null ? null : (v as SqlDecimal).toString());

describe('ARRAY_MAX, ARRAY_MIN, ARRAY_SORT (array-min-max-sort.json)', () => {
  it('ignores NULLs and compares strings as Java does', () => {
    expect(call('ARRAY_MAX', arr(BOOLEAN, [null, false, true]))).toBe(true);
    expect(call('ARRAY_MIN', arr(BOOLEAN, [false, true, false]))).toBe(false);
    expect(call('ARRAY_MAX', ints([0, null, 1, 0, -1]))).toBe(1);
    expect(call('ARRAY_MIN', arr(BIGINT, [null, -123n, 345n]))).toBe(-123n);
    expect(call('ARRAY_MIN', arr(DOUBLE, [0, 0.1, -12345.678, null, 0.3]))).toBe(-12345.678);
    expect(call('ARRAY_MAX', strs(['foo', 'fo', 'Food', null, 'F', 'food']))).toBe('food');
    expect(call('ARRAY_MIN', strs(['foo', 'fo', 'Food', null, 'F', 'food']))).toBe('F');
    expect(
      decString(call('ARRAY_MIN', decs(['1.0', '1.1', '1.2', '-0.2', '1.9', '9.0', '-9.9', '1.5']))),
    ).toBe('-9.9');
    expect(call('ARRAY_MAX', ints([]))).toBeNull();
    expect(call('ARRAY_MAX', ints(null))).toBeNull();
  });

  it('sorts with NULLs last in both directions', () => {
    expect(call('ARRAY_SORT', ints([0, null, 1, 0, -1]), str('desc'))).toEqual([1, 0, 0, -1, null]);
    expect(call('ARRAY_SORT', ints([0, null, 1, 0, -1]))).toEqual([-1, 0, 0, 1, null]);
    expect(call('ARRAY_SORT', strs(['foo', 'fo', 'Food', null, 'F', 'food']), str('DESC'))).toEqual([
      'food',
      'foo',
      'fo',
      'Food',
      'F',
      null,
    ]);
    expect(call('ARRAY_SORT', arr(BOOLEAN, [null, false, true]), str('desc'))).toEqual([true, false, null]);
    expect(call('ARRAY_SORT', ints([]), str('desc'))).toEqual([]);
    expect(call('ARRAY_SORT', ints(null), str('desc'))).toBeNull();
  });
});

describe('ARRAY_REMOVE (array-remove.json)', () => {
  it('removes equal elements, NULL removes NULLs, and compares nested values deeply', () => {
    expect(call('ARRAY_REMOVE', strs(['foo', 'bar', 'foo']), str('foo'))).toEqual(['bar']);
    expect(call('ARRAY_REMOVE', ints([0, null, 1, 0, -1]), int(-1))).toEqual([0, null, 1, 0]);
    expect(call('ARRAY_REMOVE', arr(BOOLEAN, [null, false, true]), [null, BOOLEAN])).toEqual([false, true]);
    expect(call('ARRAY_REMOVE', ints(null), int(-1))).toBeNull();
    const lists = SqlTypes.array(STRING);
    expect(
      call('ARRAY_REMOVE', arr(lists, [['foo', 'bar', 'foo'], ['foo', 'bar', 'foo'], ['foo']]), [
        ['foo', 'bar', 'foo'],
        lists,
      ]),
    ).toEqual([['foo']]);
    const maps = SqlTypes.map(STRING, INTEGER);
    expect(
      call('ARRAY_REMOVE', arr(maps, [m({ apple: 1, banana: 2 }), m({ apple: 3, banana: 4 }), null]), [
        m({ banana: 2, apple: 1 }),
        maps,
      ]),
    ).toEqual([m({ apple: 3, banana: 4 }), null]);
  });
});

describe('ARRAY_DISTINCT, EXCEPT, INTERSECT, UNION, CONCAT (array-set-functions.json)', () => {
  it('distinct, deep', () => {
    const lists = SqlTypes.array(STRING);
    expect(
      call('ARRAY_DISTINCT', arr(lists, [['foo', 'bar', 'foo'], ['foo', 'bar', 'foo'], ['foo']])),
    ).toEqual([['foo', 'bar', 'foo'], ['foo']]);
    expect(call('ARRAY_DISTINCT', arr(lists, [null, ['foo']]))).toEqual([null, ['foo']]);
  });
  it.each([
    [
      [0, 0, 1, 0, -1],
      [1, -2],
      [0, -1],
    ],
    [[0, 0, 1, 0, -1], [1, -1, 0], []],
    [[], [1, -2], []],
    [[0, 0, 1, 0, -1], [], [0, 1, -1]],
  ])('ARRAY_EXCEPT(%j, %j) = %j', (a, b, expected) => {
    expect(call('ARRAY_EXCEPT', ints(a), ints(b))).toEqual(expected);
  });
  it('except, union, concat, intersect with NULLs', () => {
    expect(call('ARRAY_EXCEPT', strs(['foo', 'bar', 'foo']), strs(['bar', 'baz']))).toEqual(['foo']);
    expect(call('ARRAY_EXCEPT', ints(null), ints([1]))).toBeNull();
    expect(call('ARRAY_UNION', strs(['foo', 'bar', 'foo']), strs(['foo', 'baz']))).toEqual([
      'foo',
      'bar',
      'baz',
    ]);
    expect(call('ARRAY_UNION', ints([0, 0, 1, 0, -1]), ints([1, -2, 0]))).toEqual([0, 1, -1, -2]);
    expect(call('ARRAY_UNION', ints([0]), ints(null))).toBeNull();
    expect(call('ARRAY_CONCAT', ints([0, 0, 1, 0, -1]), ints([3, 4]))).toEqual([0, 0, 1, 0, -1, 3, 4]);
    expect(call('ARRAY_CONCAT', ints(null), ints([1, -2]))).toEqual([1, -2]);
    expect(call('ARRAY_CONCAT', ints([0]), ints(null))).toEqual([0]);
    expect(call('ARRAY_INTERSECT', ints([0, 0, 1, 0, -1]), ints([1, -2, 0]))).toEqual([0, 1]);
  });
});

describe('ARRAY_CONTAINS, ARRAY_JOIN, ARRAY_LENGTH, SLICE', () => {
  it('ARRAY_CONTAINS (arraycontains.json)', () => {
    expect(call('ARRAY_CONTAINS', strs(['Red', 'Green']), str('Pink'))).toBe(false);
    expect(call('ARRAY_CONTAINS', strs(['Pink', null]), str('Pink'))).toBe(true);
    expect(call('ARRAY_CONTAINS', strs(null), str('Pink'))).toBe(false);
  });
  it('ARRAY_JOIN prints as Java (arrayjoin.json)', () => {
    expect(call('ARRAY_JOIN', arr(BOOLEAN, [true, null, false]))).toBe('true,null,false');
    expect(call('ARRAY_JOIN', arr(BIGINT, [-4294967297n, 8589934592n]))).toBe('-4294967297,8589934592');
    expect(call('ARRAY_JOIN', arr(DOUBLE, [1.23, -23.42, 0]))).toBe('1.23,-23.42,0.0');
    expect(call('ARRAY_JOIN', decs(['123.45', '987.65']))).toBe('123.45,987.65');
    expect(call('ARRAY_JOIN', ints([1, 23, -42, 0]), null)).toBe('123-420');
    expect(call('ARRAY_JOIN', strs(['Hello', 'From', '', 'Ksqldb', 'Udf']), str(''))).toBe(
      'HelloFromKsqldbUdf',
    );
  });
  it('ARRAY_LENGTH (array.json)', () => {
    expect(call('ARRAY_LENGTH', arr(SqlTypes.map(STRING, INTEGER), [m({}), m({})]))).toBe(2);
    expect(call('ARRAY_LENGTH', ints(null))).toBeNull();
  });
  it('SLICE (slice.json)', () => {
    expect(call('SLICE', arr(SqlTypes.array(STRING), [['a'], ['b'], ['c'], ['d']]), int(2), int(3))).toEqual([
      ['b'],
      ['c'],
    ]);
  });
});

describe('GENERATE_SERIES (array.json)', () => {
  it.each([
    [0, 3, [0, 1, 2, 3]],
    [-2, 1, [-2, -1, 0, 1]],
    [4, 3, [4, 3]],
    [4, 0, [4, 3, 2, 1, 0]],
  ])('(%j, %j)', (start, end, expected) => {
    expect(call('GENERATE_SERIES', int(start), int(end))).toEqual(expected);
  });
  it.each([
    [0, 3, 1, [0, 1, 2, 3]],
    [-2, 1, 2, [-2, 0]],
    [0, 9, 3, [0, 3, 6, 9]],
    [3, 0, -1, [3, 2, 1, 0]],
    [1, -2, -2, [1, -1]],
    [9, 0, -3, [9, 6, 3, 0]],
  ])('(%j, %j, %j)', (start, end, step, expected) => {
    expect(call('GENERATE_SERIES', int(start), int(end), int(step))).toEqual(expected);
  });
  it('BIGINT, and refuses a step of the wrong sign', () => {
    expect(call('GENERATE_SERIES', [1n, BIGINT], [3n, BIGINT])).toEqual([1n, 2n, 3n]);
    expect(() => call('GENERATE_SERIES', int(0), int(3), int(-1))).toThrow(/wrong sign/);
  });
});

describe('maps (map.json, array.json)', () => {
  const intMap = (v: Map<SqlValue, SqlValue> | null): TypedArg => [v, SqlTypes.map(STRING, INTEGER)];
  it('MAP_KEYS, MAP_VALUES', () => {
    expect(
      call('ARRAY_SORT', [
        call('MAP_KEYS', intMap(m({ foo: 10, bar: 20, baz: 30 }))),
        SqlTypes.array(STRING),
      ]),
    ).toEqual(['bar', 'baz', 'foo']);
    expect(call('MAP_VALUES', intMap(m({ foo: 10, bar: null })))).toEqual([10, null]);
    expect(call('MAP_KEYS', intMap(null))).toBeNull();
  });
  it('MAP_UNION', () => {
    expect(
      call('MAP_UNION', intMap(m({ foo: 10, bar: 20, baz: 30 })), intMap(m({ foo: 99, apple: -1 }))),
    ).toEqual(m({ foo: 99, bar: 20, baz: 30, apple: -1 }));
    expect(call('MAP_UNION', intMap(m({ foo: 10, bar: 20 })), intMap(m({ foo: null })))).toEqual(
      m({ foo: null, bar: 20 }),
    );
    expect(call('MAP_UNION', intMap(null), intMap(m({ foo: null })))).toEqual(m({ foo: null }));
  });
  it('ENTRIES sorted', () => {
    const resolved = registry.resolve('ENTRIES', [SqlTypes.map(STRING, INTEGER), BOOLEAN]);
    expect(resolved.invoke([m({ K2: 2, K1: 1, K3: 3 }), true])).toEqual([
      { K: 'K1', V: 1 },
      { K: 'K2', V: 2 },
      { K: 'K3', V: 3 },
    ]);
    expect(resolved.invoke([null, true])).toBeNull();
  });
  it('AS_MAP', () => {
    expect(call('AS_MAP', strs(['a', 'b']), ints([1, 2]))).toEqual(m({ a: 1, b: 2 }));
  });
});

describe('ELT, FIELD, AS_VALUE (elt-field.json, as_value.json)', () => {
  it('ELT picks, FIELD finds, and ELT undoes FIELD', () => {
    expect(call('ELT', int(2), str('ignored'), str('something'))).toBe('something');
    expect(call('ELT', int(2), str('ignored'), str(null))).toBeNull();
    for (const [a, b, expected] of [
      ['hello', 'world', 'hello'],
      [null, 'world', null],
      ['world', 'hello', 'hello'],
      [null, null, null],
    ] as const) {
      const position = call('FIELD', str('hello'), str(a), str(b)) as number;
      expect(call('ELT', int(position), str(a), str(b))).toBe(expected);
    }
  });
  it('AS_VALUE is the value', () => {
    expect(call('AS_VALUE', int(2))).toBe(2);
  });
});
