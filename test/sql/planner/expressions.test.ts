// The expression compiler against ksqlDB's semantics: literal typing, Java-like overflow, DECIMAL
// precision and scale, NULL handling, CAST, structures, LIKE, CASE, lambdas and the error messages.
import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../../src/sql/functions/index.js';
import { parseExpression } from '../../../src/sql/parser/index.js';
import { createExpressionCompiler } from '../../../src/sql/planner/expressions.js';
import type { Column, LogicalSchema } from '../../../src/sql/planner/schema.js';
import type { ProcessingError } from '../../../src/sql/runtime/operator.js';
import type { SqlRecord } from '../../../src/sql/runtime/records.js';
import {
  SqlDecimal,
  SqlTypes,
  formatType,
  type SqlType,
  type SqlValue,
} from '../../../src/sql/types/index.js';

const col = (name: string, type: SqlType, namespace: 'KEY' | 'VALUE' = 'VALUE'): Column => ({
  name,
  type,
  namespace,
});

const schema: LogicalSchema = {
  key: [col('K', SqlTypes.STRING, 'KEY')],
  value: [
    col('I', SqlTypes.INTEGER),
    col('L', SqlTypes.BIGINT),
    col('D', SqlTypes.DOUBLE),
    col('DEC', SqlTypes.decimal(4, 2)),
    col('S', SqlTypes.STRING),
    col('B', SqlTypes.BOOLEAN),
    col('ARR', SqlTypes.array(SqlTypes.INTEGER)),
    col('M', SqlTypes.map(SqlTypes.STRING, SqlTypes.INTEGER)),
    col(
      'ST',
      SqlTypes.struct([
        { name: 'A', type: SqlTypes.INTEGER },
        { name: 'b', type: SqlTypes.STRING },
      ]),
    ),
    col('N', SqlTypes.INTEGER),
    col('TS', SqlTypes.TIMESTAMP),
  ],
};

const record: SqlRecord = {
  key: ['k1'],
  value: [
    2147483647,
    9223372036854775807n,
    1.5,
    SqlDecimal.parse('10.01'),
    'hello',
    true,
    [10, 20, 30],
    new Map<SqlValue, SqlValue>([['a', 1]]),
    { A: 7, b: 'x' },
    null,
    1651182287943,
  ],
  timestamp: 1000,
  partition: 3,
  offset: 42,
};

const functions = createBuiltinRegistry();

function compile(text: string, errors: ProcessingError[] = []) {
  const compiler = createExpressionCompiler(functions, { onError: (e) => errors.push(e) });
  return compiler.compile(parseExpression(text), { schema, windowed: false });
}

function evaluate(text: string): SqlValue {
  return compile(text).evaluate(record);
}

function typeOf(text: string): string {
  const type = compile(text).type;
  return type === null ? 'NULL' : formatType(type);
}

describe('literals', () => {
  it.each([
    ['1', 'INTEGER'],
    ['2147483648', 'BIGINT'],
    ['1.50', 'DECIMAL(3, 2)'],
    ['0.05', 'DECIMAL(2, 2)'],
    ['1.5E2', 'DOUBLE'],
    ["'a'", 'STRING'],
    ['TRUE', 'BOOLEAN'],
    ['NULL', 'NULL'],
  ])('%s is %s', (text, type) => {
    expect(typeOf(text)).toBe(type);
  });

  it('keeps a DECIMAL literal exact and a negative INTEGER minimum an INTEGER', () => {
    expect(String(evaluate('2.345'))).toBe('2.345');
    expect(evaluate('-2147483648')).toBe(-2147483648);
    expect(typeOf('-2147483648')).toBe('INTEGER');
    expect(evaluate('-9223372036854775807')).toBe(-9223372036854775807n);
  });
});

describe('columns', () => {
  it('reads key, value and pseudo-columns', () => {
    expect(evaluate('K')).toBe('k1');
    expect(evaluate('S')).toBe('hello');
    expect(evaluate('ROWTIME')).toBe(1000n);
    expect(evaluate('ROWPARTITION')).toBe(3);
    expect(evaluate('ROWOFFSET')).toBe(42n);
  });

  it('says which column it cannot resolve, with the position', () => {
    expect(() => compile('I + UNKNOWN')).toThrow("Line: 1, Col: 5: Column 'UNKNOWN' cannot be resolved.");
    expect(() => compile('WINDOWSTART')).toThrow("Column 'WINDOWSTART' cannot be resolved.");
  });

  it("reads '+' between two strings as their concatenation (concat: fields using '+')", () => {
    expect(evaluate("'prefix-' + S + '-postfix'")).toBe('prefix-hello-postfix');
    expect(compile("S + 'x'").type).toEqual(SqlTypes.STRING);
  });

  it('reads a NULL value as NULL for every column', () => {
    const tombstone: SqlRecord = { ...record, value: null };
    expect(compile('I').evaluate(tombstone)).toBeNull();
    expect(compile('K').evaluate(tombstone)).toBe('k1');
  });
});

describe('arithmetic', () => {
  it('wraps INTEGER and BIGINT like Java', () => {
    expect(evaluate('I + 1')).toBe(-2147483648);
    expect(evaluate('I * 2')).toBe(-2);
    expect(evaluate('L + 1')).toBe(-9223372036854775808n);
    expect(typeOf('I + L')).toBe('BIGINT');
    expect(evaluate('7 / 2')).toBe(3);
    expect(evaluate('-7 / 2')).toBe(-3);
    expect(evaluate('-7 % 3')).toBe(-1);
  });

  it('gives NULL and a processing error for a division by zero', () => {
    const errors: ProcessingError[] = [];
    expect(compile('I / 0', errors).evaluate(record)).toBeNull();
    expect(errors[0]?.message).toContain('/ by zero');
  });

  it('types and computes DECIMALs as ksqlDB', () => {
    expect(typeOf('DEC + DEC')).toBe('DECIMAL(5, 2)');
    expect(typeOf('DEC * DEC')).toBe('DECIMAL(9, 4)');
    expect(typeOf('DEC / DEC')).toBe('DECIMAL(11, 7)');
    expect(typeOf('DEC % DEC')).toBe('DECIMAL(4, 2)');
    expect(typeOf('DEC + I')).toBe('DECIMAL(13, 2)');
    expect(typeOf('DEC + D')).toBe('DOUBLE');
    expect(String(evaluate('DEC + 5.1'))).toBe('15.11');
    expect(String(evaluate('DEC / 2.0'))).toBe('5.005000');
    expect(String(evaluate('10.1 % 2.0'))).toBe('0.1');
    expect(String(evaluate('-DEC'))).toBe('-10.01');
    expect(evaluate('DEC / 0.0')).toBeNull();
  });

  it('refuses non-numbers with ksqlDB message', () => {
    expect(() => compile('TRUE + 1.5')).toThrow(
      'Error processing expression: (true + 1.5). Unsupported arithmetic types. BOOLEAN DECIMAL',
    );
  });

  it('propagates NULL', () => {
    expect(evaluate('N + 1')).toBeNull();
    expect(evaluate('S || NULL')).toBe('hello');
    expect(evaluate("S || '-' || K")).toBe('hello-k1');
  });
});

describe('comparisons and logic', () => {
  it('compares across numeric types and gives false with a NULL operand', () => {
    expect(evaluate('I > L')).toBe(false);
    expect(evaluate('DEC = 10.010')).toBe(true);
    expect(evaluate('D < DEC')).toBe(true);
    expect(evaluate('N = 1')).toBe(false);
    expect(evaluate('N <> 1')).toBe(false);
    expect(evaluate("TS > '2022-01-01'")).toBe(true);
  });

  it('refuses incompatible types and NULL literals with ksqlDB messages', () => {
    expect(() => compile("I >= 'x'")).toThrow(
      "Cannot compare I (INTEGER) to 'x' (STRING) with GREATER_THAN_OR_EQUAL.",
    );
    expect(() => compile('NULL <> NULL')).toThrow('Comparison with NULL not supported: NULL <> NULL');
    expect(() => compile('I = NULL')).toThrow(
      "Comparison with NULL not supported: INTEGER = NULL\nUse 'IS NULL' or 'IS NOT NULL' instead.",
    );
  });

  it('is three-valued for AND, OR, NOT', () => {
    expect(evaluate('N = 1 OR TRUE')).toBe(true);
    expect(evaluate('CAST(NULL AS BOOLEAN) AND FALSE')).toBe(false);
    expect(evaluate('CAST(NULL AS BOOLEAN) AND TRUE')).toBeNull();
    expect(evaluate('CAST(NULL AS BOOLEAN) OR FALSE')).toBeNull();
    expect(evaluate('NOT CAST(NULL AS BOOLEAN)')).toBeNull();
  });

  it('handles BETWEEN, IN, LIKE, IS NULL, IS DISTINCT FROM', () => {
    expect(evaluate('I BETWEEN 0 AND 2147483647')).toBe(true);
    expect(evaluate('N BETWEEN 0 AND 1')).toBe(false);
    expect(evaluate('I NOT BETWEEN 0 AND 10')).toBe(true);
    expect(evaluate("I IN (1, '2147483647')")).toBe(true);
    expect(evaluate('ARR IN (ARRAY[10, 20, 30])')).toBe(true);
    expect(evaluate('N IN (1, NULL)')).toBe(false);
    expect(evaluate("S LIKE 'h_l%'")).toBe(true);
    expect(evaluate("'%' LIKE '!%' ESCAPE '!'")).toBe(true);
    expect(evaluate("'x' LIKE '!%' ESCAPE '!'")).toBe(false);
    expect(evaluate('N IS NULL')).toBe(true);
    expect(evaluate('N IS DISTINCT FROM NULL')).toBe(false);
    expect(evaluate('N IS DISTINCT FROM 1')).toBe(true);
    expect(evaluate('I IS NOT DISTINCT FROM 2147483647')).toBe(true);
  });

  it('explains an IN item of the wrong type', () => {
    expect(() => compile('I IN (10, TRUE)')).toThrow('operator does not exist: INTEGER = BOOLEAN (true)');
  });

  it('refuses a map, array or struct item whose entries do not fit the value, as ksqlDB', () => {
    expect(() => compile("M IN (M, MAP('a' := B))")).toThrow(
      "operator does not exist: MAP<STRING, INTEGER> = MAP<STRING, BOOLEAN> (MAP('a':=B))",
    );
    expect(() => compile('ARR IN (ARRAY[B])')).toThrow(
      'operator does not exist: ARRAY<INTEGER> = ARRAY<BOOLEAN>',
    );
    expect(() => compile('ST IN (STRUCT(A := B))')).toThrow('operator does not exist');
    // Numbers meet numbers, and a field only one side has is left out.
    expect(evaluate("M IN (MAP('a' := L))")).toBe(false);
    expect(evaluate('ST IN (STRUCT(A := 1, C := 2))')).toBe(false);
  });
});

describe('CASE', () => {
  it('takes the first true branch, else ELSE or NULL', () => {
    expect(evaluate("CASE WHEN I < 0 THEN 'neg' WHEN I > 0 THEN 'pos' ELSE 'zero' END")).toBe('pos');
    expect(evaluate("CASE WHEN I < 0 THEN 'neg' END")).toBeNull();
    expect(evaluate("CASE S WHEN 'x' THEN 1 WHEN 'hello' THEN 2 END")).toBe(2);
    expect(typeOf('CASE WHEN B THEN 1 ELSE L END')).toBe('BIGINT');
    expect(evaluate('CASE WHEN B THEN 1 ELSE L END')).toBe(1n);
  });
});

describe('CAST', () => {
  it.each([
    ['CAST(L AS INTEGER)', -1],
    ['CAST(2147483648 AS INTEGER)', -2147483648],
    ['CAST(3.9E0 AS INTEGER)', 3],
    ["CAST('12' AS INTEGER)", 12],
    ['CAST(D AS STRING)', '1.5'],
    ['CAST(1.0E7 AS STRING)', '1.0E7'],
    ['CAST(I AS STRING)', '2147483647'],
    ['CAST(ARR AS STRING)', '[10, 20, 30]'],
    ['CAST(M AS STRING)', '{a=1}'],
    ['CAST(ST AS STRING)', 'Struct{A=7,b=x}'],
    ["CAST('yes' AS BOOLEAN)", true],
    ["CAST('2022-04-28T21:44:47.943Z' AS TIMESTAMP)", 1651182287943],
    ['CAST(TS AS STRING)', '2022-04-28T21:44:47.943'],
    ["CAST('1970-01-10' AS DATE)", 9],
    ["CAST('1970-02' AS DATE)", 31],
    ["CAST('1971' AS DATE)", 365],
    ["CAST('1969-12-31' AS DATE)", -1],
    ["CAST('2021-02-30' AS DATE)", null],
  ])('%s = %j', (text, expected) => {
    expect(evaluate(text)).toEqual(expected);
  });

  it("orders BYTES as Java's ByteBuffer: signed bytes, then the shorter first", () => {
    expect(evaluate("TO_BYTES('61', 'hex') < TO_BYTES('62', 'hex')")).toBe(true);
    expect(evaluate("TO_BYTES('80', 'hex') < TO_BYTES('7F', 'hex')")).toBe(true);
    expect(evaluate("TO_BYTES('61', 'hex') < TO_BYTES('6100', 'hex')")).toBe(true);
    expect(evaluate("TO_BYTES('62', 'hex') BETWEEN TO_BYTES('61', 'hex') AND TO_BYTES('63', 'hex')")).toBe(
      true,
    );
  });

  it('rounds and checks DECIMALs', () => {
    expect(String(evaluate('CAST(1 AS DECIMAL(2,1))'))).toBe('1.0');
    expect(String(evaluate('CAST(0.15E0 AS DECIMAL(2,1))'))).toBe('0.2');
    expect(String(evaluate("CAST('1.1' AS DECIMAL(2,1))"))).toBe('1.1');
    expect(evaluate('CAST(100 AS DECIMAL(2,1))')).toBeNull();
    expect(String(evaluate('CAST(DEC AS STRING)'))).toBe('10.01');
    expect(evaluate('CAST(DEC AS INTEGER)')).toBe(10);
    expect(evaluate("CAST(' 12 ' AS BIGINT)")).toBe(12n);
  });

  it('casts containers element-wise and gives NULL for bad text', () => {
    expect(evaluate('CAST(ARR AS ARRAY<STRING>)')).toEqual(['10', '20', '30']);
    expect(evaluate('CAST(ST AS STRUCT<A BIGINT>)')).toEqual({ A: 7n });
    expect(evaluate("CAST('x' AS INTEGER)")).toBeNull();
  });

  it('refuses what ksqlDB refuses', () => {
    expect(() => compile('CAST(S AS ARRAY<INTEGER>)')).toThrow(
      'Cast of STRING to ARRAY<INTEGER> is not supported',
    );
  });
});

describe('structures', () => {
  it('dereferences structs and subscripts arrays (1-based, negative from the end) and maps', () => {
    expect(evaluate('ST->A')).toBe(7);
    expect(evaluate('ST->`b`')).toBe('x');
    expect(evaluate('ARR[1]')).toBe(10);
    expect(evaluate('ARR[-1]')).toBe(30);
    expect(evaluate('ARR[4]')).toBeNull();
    expect(evaluate('ARR[0]')).toBeNull();
    expect(evaluate("M['a']")).toBe(1);
    expect(evaluate("M['missing']")).toBeNull();
  });

  it('builds arrays, maps and structs', () => {
    expect(evaluate('ARRAY[1, 2, I]')).toEqual([1, 2, 2147483647]);
    expect(typeOf('ARRAY[1, L]')).toBe('ARRAY<BIGINT>');
    expect(evaluate("MAP('x' := 1, 'y' := I)")).toEqual(
      new Map([
        ['x', 1],
        ['y', 2147483647],
      ]),
    );
    expect(evaluate("STRUCT(A := 1, `b` := 'z')")).toEqual({ A: 1, b: 'z' });
    expect(typeOf("STRUCT(A := 1, `b` := 'z')")).toBe('STRUCT<`A` INTEGER, `b` STRING>');
    expect(() => compile('MAP()')).toThrow('Map constructor cannot be empty');
  });
});

describe('functions and lambdas', () => {
  it('resolves through the registry, with its errors', () => {
    expect(evaluate("CONCAT(S, '!')")).toBe('hello!');
    expect(evaluate('ABS(-5)')).toBe(5);
    expect(() => compile('WONT_FIND_ME(1)')).toThrow("Can't find any functions with the name 'WONT_FIND_ME'");
  });

  it('makes a failing call NULL by itself, reported once (coalesce - with parse_date)', () => {
    const errors: ProcessingError[] = [];
    const parsed = compile("COALESCE(PARSE_DATE(S, 'yyyy-MM-dd'), FROM_DAYS(7))", errors).evaluate(record);
    expect(parsed).toBe(7);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain("Error computing expression PARSE_DATE(S, 'yyyy-MM-dd')");
  });

  it('passes a lambda as a function of its parameters', () => {
    expect(evaluate('FILTER(ARR, x => x > 15)')).toEqual([20, 30]);
    expect(evaluate('REDUCE(ARR, 0, (s, x) => s + x)')).toBe(60);
    expect(typeOf('TRANSFORM(ARR, x => CAST(x AS STRING))')).toBe('ARRAY<STRING>');
    expect(evaluate('TRANSFORM(ARR, x => x + I - 2147483647)')).toEqual([10, 20, 30]);
    expect(evaluate('TRANSFORM(ARR, x => x * 2)')).toEqual([20, 40, 60]);
  });
});
