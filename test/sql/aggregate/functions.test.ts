// The aggregate functions against values from ksqlDB's cases (../shared/ksql-conformance/qtt: sum,
// average-udaf, min-group-by, collect-list, collect-set, topk-group-by, topk-distinct, earliest- and
// latest-offset-udaf, count-distinct, histogram, correlation-udaf).
import { describe, expect, it } from 'vitest';
import {
  createAggregateRegistry,
  type AggregateArgType,
  type AggregateFunction,
  type LiteralArg,
} from '../../../src/sql/functions/aggregate/index.js';
import { SqlDecimal, SqlTypes, type SqlValue } from '../../../src/sql/types/index.js';

const registry = createAggregateRegistry();

/** Runs rows through a fresh function, returning each result; a row `{ undo: args }` is taken back out. */
function run(
  name: string,
  argTypes: AggregateArgType[],
  rows: (SqlValue[] | { undo: SqlValue[] })[],
  literals: LiteralArg[] = [],
): SqlValue[] {
  const fn: AggregateFunction = registry.resolve(name, argTypes, literals).create();
  let acc = fn.initialize();
  return rows.map((row) => {
    if (Array.isArray(row)) acc = fn.aggregate(row, acc);
    else acc = fn.undo?.(row.undo, acc) ?? acc;
    // Every step survives the changelog's JSON form.
    acc = fn.fromJson(JSON.parse(JSON.stringify(fn.toJson(acc))));
    return fn.result(acc);
  });
}

const dec = (text: string) => SqlDecimal.parse(text);

describe('SUM_LIST', () => {
  // sum: "sum list of ints into a single int", "sum list of doubles into a single double".
  it('sums every list element, skipping NULL lists and elements, in the element type', () => {
    const ints = SqlTypes.array(SqlTypes.INTEGER);
    expect(run('SUM_LIST', [ints], [[[1, 1]], [[2, 2]], [[100, 100]], [[100, 100, null]], [null]])).toEqual([
      2, 6, 206, 406, 406,
    ]);
    const doubles = SqlTypes.array(SqlTypes.DOUBLE);
    expect(
      run('SUM_LIST', [doubles], [[[1.0, 1.0]], [[922337203685.0, 1.0]], { undo: [[1.0, 1.0]] }]),
    ).toEqual([2, 922337203688, 922337203686]);
  });

  it('names its intermediate type: the element type, as SUM; AVG keeps a STRUCT', () => {
    expect(registry.resolve('SUM_LIST', [SqlTypes.array(SqlTypes.BIGINT)], []).intermediateType).toEqual(
      SqlTypes.BIGINT,
    );
    expect(registry.resolve('AVG', [SqlTypes.INTEGER], []).intermediateType.kind).toBe('STRUCT');
  });
});

describe('COUNT', () => {
  it('counts rows, and non-NULL values with an argument; undo counts back to zero', () => {
    expect(run('COUNT', [], [[], [], { undo: [] }, { undo: [] }])).toEqual([1n, 2n, 1n, 0n]);
    expect(run('COUNT', [SqlTypes.STRING], [['a'], [null], ['b']])).toEqual([1n, 1n, 2n]);
  });
});

describe('SUM', () => {
  it('keeps the argument type: INTEGER, BIGINT, DOUBLE, DECIMAL with its scale', () => {
    expect(run('SUM', [SqlTypes.INTEGER], [[0], [100], [null]])).toEqual([0, 100, 100]);
    expect(run('SUM', [SqlTypes.BIGINT], [[5n], [100n]])).toEqual([5n, 105n]);
    const decimals = run('SUM', [SqlTypes.decimal(4, 1)], [[dec('5.4')], [dec('100.1')]]);
    expect(decimals.map(String)).toEqual(['5.4', '105.5']);
    expect(registry.resolve('SUM', [SqlTypes.decimal(4, 1)]).returnType).toEqual(SqlTypes.decimal(4, 1));
  });
  it('refuses a DECIMAL beyond its precision, as ksqlDB ("Numeric field overflow")', () => {
    const rows = [[dec('500.9')], [dec('300.8')], [dec('400.8')]];
    expect(() => run('SUM', [SqlTypes.decimal(4, 1)], rows)).toThrow('Numeric field overflow');
  });
  it('refuses a STRING with the valid alternatives', () => {
    expect(() => registry.resolve('sum', [SqlTypes.STRING])).toThrow(
      /Function 'SUM' does not accept parameters \(STRING\)\.\nValid alternatives are:\nSUM\(INT val\)/,
    );
  });
});

describe('AVG', () => {
  it('averages a table, taking old values back out (average udaf with table)', () => {
    const rows = [[1], [2], { undo: [1] }, [null], { undo: [null] }, [4]];
    expect(run('AVG', [SqlTypes.INTEGER], rows)).toEqual([1, 1.5, 2, 2, 2, 3]);
  });
});

describe('MIN and MAX', () => {
  it('skip NULLs and compare bytes as Java does (min bytes group by)', () => {
    const b = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));
    const mins = run('MIN', [SqlTypes.BYTES], [[null], [b('Qg==')], [b('QQ==')], [null], [b('Rg==')]]);
    expect(mins.map((v) => (v === null ? null : Buffer.from(v as Uint8Array).toString('base64')))).toEqual([
      null,
      'Qg==',
      'QQ==',
      'QQ==',
      'QQ==',
    ]);
    expect(run('MAX', [SqlTypes.DOUBLE], [[1.5], [-2], [7.25]])).toEqual([1.5, 1.5, 7.25]);
    expect(registry.resolve('MAX', [SqlTypes.BIGINT]).supportsTables).toBe(false);
  });
});

describe('COLLECT_LIST and COLLECT_SET', () => {
  it('collect in order, and a table takes a row back out (collect_list int table)', () => {
    expect(run('COLLECT_LIST', [SqlTypes.INTEGER], [[0], [100]])).toEqual([[0], [0, 100]]);
    expect(run('COLLECT_LIST', [SqlTypes.INTEGER], [[0], { undo: [0] }, [100]])).toEqual([[0], [], [100]]);
    expect(run('COLLECT_SET', [SqlTypes.STRING], [['a'], ['b'], ['a']])).toEqual([
      ['a'],
      ['a', 'b'],
      ['a', 'b'],
    ]);
  });
  it('stop at ksql.functions.collect_list.limit (collect_list with limit of 1)', () => {
    const limited = createAggregateRegistry({ collectListLimit: 1 });
    const fn = limited.resolve('COLLECT_LIST', [SqlTypes.INTEGER]).create();
    expect(fn.result(fn.aggregate([100], fn.aggregate([0], fn.initialize())))).toEqual([0]);
  });
  it('take maps with the same entries in another order as one value (collect_set maps)', () => {
    const type = SqlTypes.map(SqlTypes.STRING, SqlTypes.BIGINT);
    const first = new Map<SqlValue, SqlValue>([
      ['Record0', 100n],
      ['Record2', 2n],
    ]);
    const reordered = new Map<SqlValue, SqlValue>([
      ['Record2', 2n],
      ['Record0', 100n],
    ]);
    expect(run('COLLECT_SET', [type], [[first], [reordered]])).toEqual([[first], [first]]);
  });
});

describe('TOPK and TOPKDISTINCT', () => {
  it('keep the k largest, with other columns as a struct (topk string struct)', () => {
    const rows = [
      ['a', 'zero'],
      [null, 'one'],
      ['c', 'two'],
      ['b', 'three'],
      ['d', null],
    ];
    const results = run('TOPK', [SqlTypes.STRING, SqlTypes.STRING, SqlTypes.INTEGER], rows, [
      undefined,
      undefined,
      3,
    ]);
    expect(results[4]).toEqual([
      { sort_col: 'd', col0: null },
      { sort_col: 'c', col0: 'two' },
      { sort_col: 'b', col0: 'three' },
    ]);
    expect(
      run('TOPK', [SqlTypes.BIGINT, SqlTypes.INTEGER], [[3n], [1n], [5n], [4n]], [undefined, 3])[3],
    ).toEqual([5n, 4n, 3n]);
    const distinct = run(
      'TOPKDISTINCT',
      [SqlTypes.INTEGER, SqlTypes.INTEGER],
      [[1], [9], [9], [2], [3]],
      [undefined, 3],
    );
    expect(distinct[4]).toEqual([9, 3, 2]);
  });
  it('wants k as a literal', () => {
    expect(() => registry.resolve('TOPK', [SqlTypes.INTEGER, SqlTypes.INTEGER], [])).toThrow(/TOPK/);
  });
});

describe('EARLIEST_BY_OFFSET and LATEST_BY_OFFSET', () => {
  it('skip NULLs by default, keep them when told, and give arrays for n', () => {
    expect(run('EARLIEST_BY_OFFSET', [SqlTypes.INTEGER], [[null], [12], [13]])).toEqual([null, 12, 12]);
    const keepNulls = run(
      'EARLIEST_BY_OFFSET',
      [SqlTypes.INTEGER, SqlTypes.BOOLEAN],
      [[null], [12]],
      [undefined, false],
    );
    expect(keepNulls).toEqual([null, null]);
    expect(
      run('EARLIEST_BY_OFFSET', [SqlTypes.INTEGER, SqlTypes.INTEGER], [[12], [null]], [undefined, 2]),
    ).toEqual([[12], [12]]);
    expect(
      run('LATEST_BY_OFFSET', [SqlTypes.INTEGER, SqlTypes.INTEGER], [[1], [2], [3]], [undefined, 2]),
    ).toEqual([[1], [1, 2], [2, 3]]);
  });
  it('merge two sessions in arrival order (merging session windows - with nulls not ignored - N)', () => {
    const fn = registry
      .resolve(
        'EARLIEST_BY_OFFSET',
        [SqlTypes.INTEGER, SqlTypes.INTEGER, SqlTypes.BOOLEAN],
        [undefined, 2, false],
      )
      .create();
    const first = fn.aggregate([null], fn.initialize());
    const second = fn.aggregate([1], fn.initialize());
    const merged = fn.aggregate([null], fn.merge(fn.initialize(), fn.merge(first, second)));
    expect(fn.result(merged)).toEqual([null, 1]);
  });
});

describe('COUNT_DISTINCT, HISTOGRAM, CORRELATION, STDDEV_SAMP', () => {
  it('count distinct values', () => {
    expect(run('COUNT_DISTINCT', [SqlTypes.STRING], [['a'], ['b'], ['a'], [null]])).toEqual([1n, 2n, 2n, 2n]);
  });
  it('count each string, and a table takes a row back out (histogram on a table)', () => {
    const results = run('HISTOGRAM', [SqlTypes.STRING], [['carol'], ['dave'], ['bob'], { undo: ['bob'] }]);
    expect(results[2]).toEqual(
      new Map([
        ['carol', 1n],
        ['dave', 1n],
        ['bob', 1n],
      ]),
    );
    expect(results[3]).toEqual(
      new Map([
        ['carol', 1n],
        ['dave', 1n],
      ]),
    );
  });
  it('correlate (correlation udaf with table)', () => {
    const rows = [[1.5, 8.0], [-3.5, -2.0], { undo: [1.5, 8.0] }, [-1.0, -2.0], [-4.5, -1.0]];
    const results = run('CORRELATION', [SqlTypes.DOUBLE, SqlTypes.DOUBLE], rows);
    expect(results[0]).toBeNaN();
    expect(results[1]).toBeCloseTo(1.0, 12);
    expect(results[3]).toBeNaN();
    expect(results[4]).toBeCloseTo(-0.7205766921228921, 12);
  });
  it('give the sample standard deviation', () => {
    const results = run('STDDEV_SAMP', [SqlTypes.INTEGER], [[2], [4], [4], [4], [5], [5], [7], [9]]);
    expect(results[0]).toBe(0);
    expect(results[7]).toBeCloseTo(2.138089935299395, 12);
  });
});

describe('the registry', () => {
  it('lists and describes the functions, and names an unknown one as ksqlDB', () => {
    expect(registry.names()).toContain('LATEST_BY_OFFSET');
    expect(registry.has('count')).toBe(true);
    expect(registry.describe('topk')?.signatures.length).toBe(2);
    expect(() => registry.resolve('WONT_FIND_ME', [])).toThrow(
      "Can't find any functions with the name 'WONT_FIND_ME'",
    );
  });
});
