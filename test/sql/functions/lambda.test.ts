// TRANSFORM, FILTER, REDUCE against rows of ksqlDB's cases (transform-array.json, transform-map.json,
// filter.json, reduce-array.json, reduce-map.json). The lambda bodies are written here as JS functions,
// as the expression compiler will produce them; the typing goes through the two-step protocol.
import { describe, expect, it } from 'vitest';
import { lambdaArg, type CallArgument, type SqlLambda } from '../../../src/sql/functions/index.js';
import { SqlTypes, formatType, type SqlType, type SqlValue } from '../../../src/sql/types/index.js';
import { registry } from './helpers.js';

const { INTEGER, BIGINT, STRING, DOUBLE, BOOLEAN } = SqlTypes;
const m = (o: Record<string, SqlValue>): Map<SqlValue, SqlValue> => new Map(Object.entries(o));

/** A lambda with the body's type, for resolution. */
interface TestLambda {
  readonly fn: SqlLambda;
  readonly returns: SqlType;
  readonly arity: number;
}
const fn = (returns: SqlType, body: SqlLambda, arity = body.length): TestLambda => ({
  fn: body,
  returns,
  arity,
});
type Arg = readonly [SqlValue, SqlType | null] | TestLambda;
const isLambda = (a: Arg): a is TestLambda => 'fn' in a;

function call(name: string, ...args: readonly Arg[]): { value: SqlValue; type: string } {
  const resolved = registry.resolve(
    name,
    args.map((a) => (isLambda(a) ? lambdaArg(a.arity, a.returns) : a[1])),
  );
  const values: CallArgument[] = args.map((a) => (isLambda(a) ? a.fn : a[0]));
  return { value: resolved.invoke(values), type: formatType(resolved.returnType) };
}

describe('the lambda typing protocol', () => {
  it('gives the parameter types of each lambda from the other arguments', () => {
    const mapType = SqlTypes.map(STRING, SqlTypes.array(INTEGER));
    expect(registry.lambdaParamTypes('TRANSFORM', [mapType, lambdaArg(2), lambdaArg(2)])).toEqual([
      undefined,
      [STRING, SqlTypes.array(INTEGER)],
      [STRING, SqlTypes.array(INTEGER)],
    ]);
    expect(registry.lambdaParamTypes('REDUCE', [SqlTypes.array(INTEGER), STRING, lambdaArg(2)])).toEqual([
      undefined,
      undefined,
      [STRING, INTEGER],
    ]);
    expect(() => registry.lambdaParamTypes('FILTER', [SqlTypes.array(INTEGER), lambdaArg(2)])).toThrow(
      /does not accept parameters \(ARRAY<INTEGER>, LAMBDA\)/,
    );
  });

  it('types the result from the body and refuses a FILTER body that is not BOOLEAN', () => {
    const arr = SqlTypes.array(DOUBLE);
    expect(formatType(registry.resolve('TRANSFORM', [arr, lambdaArg(1, STRING)]).returnType)).toBe(
      'ARRAY<STRING>',
    );
    expect(() => registry.resolve('FILTER', [arr, lambdaArg(1, INTEGER)])).toThrow(/does not accept/);
    // REDUCE's state is fixed by the initial value; an INTEGER body widens to a BIGINT state.
    const reduce = registry.resolve('REDUCE', [SqlTypes.array(INTEGER), BIGINT, lambdaArg(2, INTEGER)]);
    expect(formatType(reduce.returnType)).toBe('BIGINT');
    const sum: SqlLambda = (s, x) => Number(s) + (x as number);
    expect(reduce.invoke([[1, 2], 0n, sum])).toBe(3n);
  });
});

describe('TRANSFORM', () => {
  it('arrays (transform-array.json "case check on all array elements")', () => {
    const label = fn(STRING, (x) => (x === null ? 'TOO LOW' : (x as number) > 10 ? 'above 10' : 'TOO LOW'));
    const arr = (v: SqlValue): Arg => [v, SqlTypes.array(DOUBLE)];
    expect(call('TRANSFORM', arr([2.32, 12123, 3.123, 4.45]), label)).toEqual({
      value: ['TOO LOW', 'above 10', 'TOO LOW', 'TOO LOW'],
      type: 'ARRAY<STRING>',
    });
    expect(call('TRANSFORM', arr([11, 13, null]), label).value).toEqual(['above 10', 'above 10', 'TOO LOW']);
    expect(call('TRANSFORM', arr(null), label).value).toBeNull();
  });

  it('maps (transform-map.json "capitalize all keys and round values")', () => {
    const type = SqlTypes.map(STRING, DOUBLE);
    const keys = fn(STRING, (k) => (k as string).toUpperCase(), 2);
    const values = fn(BIGINT, (_k, v) => BigInt(Math.round(v as number)));
    expect(call('TRANSFORM', [m({ test: 3.21, hello: 4.49 }), type], keys, values).value).toEqual(
      m({ TEST: 3n, HELLO: 4n }),
    );
    expect(call('TRANSFORM', [m({ number: 10.5, other: 1.01 }), type], keys, values).type).toBe(
      'MAP<STRING, BIGINT>',
    );
  });

  it('fails on a repeated key or a NULL value (transform-map.json "duplicate keys")', () => {
    const type = SqlTypes.map(STRING, SqlTypes.array(INTEGER));
    const maxAsString = fn(STRING, (_k, v) => String(Math.max(...(v as number[]))));
    const same = fn(SqlTypes.array(INTEGER), (_k, v) => v);
    expect(call('TRANSFORM', [m({ 4: [-1, -2], 5: [0, 1, 2] }), type], maxAsString, same).value).toEqual(
      m({ 2: [0, 1, 2], '-1': [-1, -2] }),
    );
    expect(() => call('TRANSFORM', [m({ 1: [1, 2], 2: [-1, 2] }), type], maxAsString, same)).toThrow(/twice/);
  });
});

describe('FILTER (filter.json)', () => {
  it('keeps the elements for which the lambda is TRUE; NULL is not TRUE', () => {
    const big = fn(BOOLEAN, (x) => (x === null ? null : (x as number) > 5));
    const arr = (v: SqlValue): Arg => [v, SqlTypes.array(INTEGER)];
    expect(call('FILTER', arr([3, 6, 2, 10]), big).value).toEqual([6, 10]);
    expect(call('FILTER', arr([5, null]), big).value).toEqual([]);
    expect(call('FILTER', arr(null), big).value).toBeNull();
  });

  it('filters map entries ("filter a nested map")', () => {
    const type = SqlTypes.map(STRING, SqlTypes.array(INTEGER));
    const pred = fn(BOOLEAN, (k, v) => (k as string).includes('e') && Math.min(...(v as number[])) < 12);
    expect(call('FILTER', [m({ yes: [2, 14, 25], no: [-4, 35] }), type], pred).value).toEqual(
      m({ yes: [2, 14, 25] }),
    );
    expect(call('FILTER', [m({ okey: [] }), type], pred).value).toEqual(m({}));
  });
});

describe('REDUCE (reduce-array.json, reduce-map.json)', () => {
  const concat = fn(STRING, (s, x) => `${s as string}${x === null ? '' : (x as string)}`);
  const strings = (v: SqlValue): Arg => [v, SqlTypes.array(STRING)];

  it('folds an array; a NULL array gives the initial state, a NULL state gives NULL', () => {
    expect(call('REDUCE', strings(['blah', 'blah', 'blaaah']), ['', STRING], concat).value).toBe(
      'blahblahblaaah',
    );
    expect(call('REDUCE', strings(['to be or', null]), ['', STRING], concat).value).toBe('to be or');
    expect(call('REDUCE', strings(null), ['', STRING], concat).value).toBe('');
    const add = fn(BIGINT, (s, x) => (s as bigint) + BigInt(x as number));
    expect(call('REDUCE', [[1, 2], SqlTypes.array(INTEGER)], [null, BIGINT], add).value).toBeNull();
  });

  it('folds a map ("apply reduce lambda function to map")', () => {
    const type = SqlTypes.map(STRING, INTEGER);
    const body = fn(INTEGER, (s, k, v) =>
      s === null || v === null
        ? null
        : (k as string).length > 3
          ? (s as number) + (v as number)
          : (s as number) - (v as number),
    );
    expect(call('REDUCE', [m({ 12: 7, 123: 3, 1234: 2 }), type], [0, INTEGER], body).value).toBe(-8);
    expect(call('REDUCE', [m({ 1: 1, ttttt: null, '': 3 }), type], [0, INTEGER], body).value).toBeNull();
    expect(call('REDUCE', [null, type], [0, INTEGER], body).value).toBe(0);
  });
});
