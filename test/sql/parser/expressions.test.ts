// Expressions: literals, names, operators and their precedence, and the constructs ksqlDB adds.
import { describe, expect, it } from 'vitest';
import { parseExpression } from '../../../src/sql/parser/index.js';
import { shape } from './helpers.js';

const col = (name: string, source?: string) => ({
  kind: 'ColumnRef',
  ...(source === undefined ? {} : { source: { kind: 'Identifier', value: source, quoted: false } }),
  name: { kind: 'Identifier', value: name, quoted: false },
});
const int = (text: string) => ({ kind: 'NumberLiteral', type: 'INTEGER', text });
const expr = (text: string) => shape(parseExpression(text), false);

describe('literals', () => {
  it('types numbers by shape and range, folding a minus sign into the literal', () => {
    expect(expr('42')).toEqual(int('42'));
    expect(expr('-2147483648')).toEqual(int('-2147483648'));
    expect(expr('-9223372036854775808')).toMatchObject({ type: 'BIGINT', text: '-9223372036854775808' });
    expect(expr('- 1.5')).toMatchObject({ type: 'DECIMAL', text: '-1.5' });
    expect(expr('2147483648')).toEqual({ kind: 'NumberLiteral', type: 'BIGINT', text: '2147483648' });
    expect(expr('12.50')).toEqual({ kind: 'NumberLiteral', type: 'DECIMAL', text: '12.50' });
    expect(expr('1.5e10')).toEqual({ kind: 'NumberLiteral', type: 'DOUBLE', text: '1.5e10' });
  });

  it('reads strings, booleans, NULL and typed literals', () => {
    expect(expr("'it''s'")).toEqual({ kind: 'StringLiteral', value: "it's" });
    expect(expr('TRUE')).toEqual({ kind: 'BooleanLiteral', value: true });
    expect(expr('null')).toEqual({ kind: 'NullLiteral' });
    expect(expr("DATE '2024-01-31'")).toEqual({
      kind: 'TypedLiteral',
      typeName: 'DATE',
      value: '2024-01-31',
    });
  });
});

describe('names', () => {
  it('upper-cases unquoted names and keeps quoted ones; a.b is a qualified column', () => {
    expect(expr('rowtime')).toEqual(col('ROWTIME'));
    expect(expr('s.windowstart')).toEqual(col('WINDOWSTART', 'S'));
    expect(expr('`s`.`Col`')).toMatchObject({
      kind: 'ColumnRef',
      source: { value: 's', quoted: true },
      name: { value: 'Col', quoted: true },
    });
  });

  it('reads struct dereference and subscripts, chained', () => {
    expect(expr("a->b->c[1]['k']")).toEqual({
      kind: 'Subscript',
      base: {
        kind: 'Subscript',
        base: {
          kind: 'Dereference',
          base: {
            kind: 'Dereference',
            base: col('A'),
            field: { kind: 'Identifier', value: 'B', quoted: false },
          },
          field: { kind: 'Identifier', value: 'C', quoted: false },
        },
        index: int('1'),
      },
      index: { kind: 'StringLiteral', value: 'k' },
    });
  });
});

describe('operators', () => {
  it('binds * tighter than +, and + tighter than ||', () => {
    expect(expr('a || b + c * d')).toEqual({
      kind: 'Concatenation',
      left: col('A'),
      right: {
        kind: 'BinaryArithmetic',
        operator: '+',
        left: col('B'),
        right: { kind: 'BinaryArithmetic', operator: '*', left: col('C'), right: col('D') },
      },
    });
  });

  it('is left-associative: a - b - c is (a - b) - c', () => {
    expect(expr('a - b % c - d')).toMatchObject({
      operator: '-',
      left: { operator: '-', left: col('A'), right: { operator: '%' } },
      right: col('D'),
    });
  });

  it('binds AND tighter than OR, NOT over a whole comparison, and normalises !=', () => {
    expect(expr('NOT a = 1 OR b != 2 AND c < 3')).toEqual({
      kind: 'LogicalBinary',
      operator: 'OR',
      left: { kind: 'Not', operand: { kind: 'Comparison', operator: '=', left: col('A'), right: int('1') } },
      right: {
        kind: 'LogicalBinary',
        operator: 'AND',
        left: { kind: 'Comparison', operator: '<>', left: col('B'), right: int('2') },
        right: { kind: 'Comparison', operator: '<', left: col('C'), right: int('3') },
      },
    });
  });

  it('reads unary minus on a column and parentheses', () => {
    expect(expr('-(a + 1) * 2')).toMatchObject({
      operator: '*',
      left: { kind: 'UnaryArithmetic', operator: '-', operand: { operator: '+' } },
    });
  });
});

describe('predicates', () => {
  it('reads [NOT] BETWEEN, [NOT] IN, [NOT] LIKE ... ESCAPE', () => {
    expect(expr('a NOT BETWEEN 1 AND 5')).toEqual({
      kind: 'Between',
      negated: true,
      value: col('A'),
      lower: int('1'),
      upper: int('5'),
    });
    expect(expr('a IN (1, 2)')).toEqual({
      kind: 'InList',
      negated: false,
      value: col('A'),
      list: [int('1'), int('2')],
    });
    expect(expr("a NOT LIKE 'x!%%' ESCAPE '!'")).toEqual({
      kind: 'Like',
      negated: true,
      value: col('A'),
      pattern: { kind: 'StringLiteral', value: 'x!%%' },
      escape: '!',
    });
  });

  it('reads IS [NOT] NULL and IS [NOT] DISTINCT FROM', () => {
    expect(expr('a IS NOT NULL')).toEqual({ kind: 'IsNull', negated: true, value: col('A') });
    expect(expr('a IS DISTINCT FROM b')).toEqual({
      kind: 'IsDistinctFrom',
      negated: false,
      left: col('A'),
      right: col('B'),
    });
  });
});

describe('constructs', () => {
  it('reads searched and simple CASE', () => {
    expect(expr("CASE WHEN a > 1 THEN 'big' ELSE 'small' END")).toMatchObject({
      kind: 'SearchedCase',
      whens: [{ when: { kind: 'Comparison' }, then: { value: 'big' } }],
      else: { value: 'small' },
    });
    expect(expr("CASE a WHEN 1 THEN 'one' WHEN 2 THEN 'two' END")).toMatchObject({
      kind: 'SimpleCase',
      operand: col('A'),
      whens: [{ when: int('1') }, { when: int('2') }],
    });
  });

  it('reads CAST with a type', () => {
    expect(expr('CAST(a AS ARRAY<DECIMAL(10, 2)>)')).toEqual({
      kind: 'Cast',
      value: col('A'),
      type: { kind: 'ArrayType', element: { kind: 'DecimalType', precision: 10, scale: 2 } },
    });
  });

  it('reads ARRAY[...], MAP(k := v) and STRUCT(f := v)', () => {
    expect(expr('ARRAY[1, 2]')).toEqual({ kind: 'ArrayConstructor', elements: [int('1'), int('2')] });
    expect(expr("MAP('a' := 1)")).toEqual({
      kind: 'MapConstructor',
      entries: [{ key: { kind: 'StringLiteral', value: 'a' }, value: int('1') }],
    });
    expect(expr('STRUCT(f := 1, `g` := 2)')).toMatchObject({
      kind: 'StructConstructor',
      fields: [{ name: { value: 'F' } }, { name: { value: 'g', quoted: true } }],
    });
    expect(expr('ARRAY[]')).toEqual({ kind: 'ArrayConstructor', elements: [] });
  });

  it('reads function calls, COUNT(*) and lambdas', () => {
    expect(expr('count(*)')).toMatchObject({
      kind: 'FunctionCall',
      name: { value: 'COUNT' },
      args: [],
      star: true,
    });
    expect(expr('now()')).toMatchObject({ kind: 'FunctionCall', args: [], star: false });
    expect(expr('TRANSFORM(m, (k, v) => k, (k, v) => v + 1)')).toMatchObject({
      args: [
        { kind: 'ColumnRef' },
        { kind: 'Lambda', params: [{ value: 'K' }, { value: 'V' }], body: col('K') },
        { kind: 'Lambda' },
      ],
    });
    expect(expr('FILTER(arr, x => x > 0)')).toMatchObject({
      args: [{}, { kind: 'Lambda', params: [{ value: 'X' }] }],
    });
  });

  it('reads a time unit as a function argument', () => {
    expect(expr('TIMESTAMPADD(SECONDS, 5, ts)')).toMatchObject({
      args: [{ kind: 'IntervalUnitArgument', unit: 'SECONDS' }, int('5'), col('TS')],
    });
  });

  it('reads AT TIME ZONE', () => {
    expect(expr("ts AT TIME ZONE 'UTC'")).toEqual({ kind: 'AtTimeZone', value: col('TS'), zone: 'UTC' });
  });
});

describe('positions', () => {
  it('every node says where it starts', () => {
    const ast = parseExpression('a +\n  f(b)');
    expect(ast.pos).toMatchObject({ line: 1, column: 1 });
    if (ast.kind !== 'BinaryArithmetic') throw new Error(ast.kind);
    expect(ast.right.pos).toMatchObject({ line: 2, column: 3 });
    if (ast.right.kind !== 'FunctionCall') throw new Error(ast.right.kind);
    expect(ast.right.args[0].pos).toMatchObject({ line: 2, column: 5 });
  });
});
