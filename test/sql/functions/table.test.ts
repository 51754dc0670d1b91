// Table functions (explode.json, cube.json, table-functions.json) and what every function must declare.
import { describe, expect, it } from 'vitest';
import {
  createBuiltinRegistry,
  createTableFunctionRegistry,
  describeOverload,
} from '../../../src/sql/functions/index.js';
import { SqlTypes, formatType, type SqlType, type SqlValue } from '../../../src/sql/types/index.js';

const tables = createTableFunctionRegistry();
const rows = (name: string, type: SqlType, value: SqlValue): { rows: SqlValue; type: string } => {
  const resolved = tables.resolve(name, [type]);
  return { rows: resolved.invoke([value]), type: formatType(resolved.returnType) };
};

describe('EXPLODE', () => {
  it('gives one row per element, none for NULL or empty', () => {
    expect(rows('EXPLODE', SqlTypes.array(SqlTypes.INTEGER), [1, 2])).toEqual({
      rows: [1, 2],
      type: 'INTEGER',
    });
    expect(rows('EXPLODE', SqlTypes.array(SqlTypes.STRING), ['foo', 'bar']).rows).toEqual(['foo', 'bar']);
    expect(rows('EXPLODE', SqlTypes.array(SqlTypes.INTEGER), null).rows).toEqual([]);
    expect(rows('EXPLODE', SqlTypes.array(SqlTypes.INTEGER), []).rows).toEqual([]);
  });
  it('is not a scalar function', () => {
    expect(createBuiltinRegistry().get('EXPLODE')).toBeUndefined();
  });
});

describe('CUBE_EXPLODE (cube.json)', () => {
  it('gives every combination, all-NULL first', () => {
    expect(rows('CUBE_EXPLODE', SqlTypes.array(SqlTypes.INTEGER), [1, 2])).toEqual({
      rows: [
        [null, null],
        [null, 2],
        [1, null],
        [1, 2],
      ],
      type: 'ARRAY<INTEGER>',
    });
    expect(rows('CUBE_EXPLODE', SqlTypes.array(SqlTypes.STRING), ['one', 'two', 'three']).rows).toEqual([
      [null, null, null],
      [null, null, 'three'],
      [null, 'two', null],
      [null, 'two', 'three'],
      ['one', null, null],
      ['one', null, 'three'],
      ['one', 'two', null],
      ['one', 'two', 'three'],
    ]);
  });
  it('gives a combination only once when NULLs make them alike', () => {
    expect(rows('CUBE_EXPLODE', SqlTypes.array(SqlTypes.INTEGER), [1, null]).rows).toEqual([
      [null, null],
      [1, null],
    ]);
  });
});

describe('the catalogue', () => {
  it('gives every function a category, a description and printable overloads', () => {
    for (const registry of [createBuiltinRegistry(), tables]) {
      for (const fn of registry.all()) {
        expect(fn.category, fn.name).toBeDefined();
        expect(fn.description.length, fn.name).toBeGreaterThan(5);
        for (const overload of fn.overloads) expect(describeOverload(fn.name, overload)).toMatch(/^\w+\(/);
      }
    }
  });
  it('prints generic and lambda parameters', () => {
    const transform = createBuiltinRegistry().get('TRANSFORM');
    expect(transform?.overloads.map((o) => describeOverload('TRANSFORM', o))).toEqual([
      'TRANSFORM(ARRAY<T> array, LAMBDA<(T) => R> function)',
      'TRANSFORM(MAP<K, V> map, LAMBDA<(K, V) => K2> keyFunction, LAMBDA<(K, V) => V2> valueFunction)',
    ]);
  });
  it('widens inside arrays for a shared type variable', () => {
    const resolved = createBuiltinRegistry().resolve('ARRAY_CONTAINS', [
      SqlTypes.array(SqlTypes.INTEGER),
      SqlTypes.BIGINT,
    ]);
    expect(resolved.argTypes.map(formatType)).toEqual(['ARRAY<BIGINT>', 'BIGINT']);
    expect(resolved.invoke([[1, 2], 2n])).toBe(true);
  });
});
