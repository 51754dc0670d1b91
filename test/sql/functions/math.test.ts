// Math functions against rows of ksqlDB's math.json (../shared/ksql-conformance/qtt), copied as data.
import { describe, expect, it } from 'vitest';
import { SqlDecimal, SqlTypes, formatType } from '../../../src/sql/types/index.js';
import { bigint, call, double, int, registry, type TypedArg } from './helpers.js';

const decimal = (text: string | null): TypedArg => [
  text === null ? null : SqlDecimal.parse(text),
  SqlTypes.decimal(4, 1),
];
const text = (v: unknown): string | null => (v === null ? null : String(v));

describe('FLOOR and CEIL ("floor" in math.json, and its mirror)', () => {
  // i, d, b (DECIMAL), FLOOR(i), FLOOR(d), FLOOR(b)
  const rows: ReadonlyArray<readonly [number, number, string, number, number, string]> = [
    [0, 0.0, '0.0', 0, 0, '0.0'],
    [1, 1.1, '1.1', 1, 1, '1.0'],
    [1, 1.5, '1.5', 1, 1, '1.0'],
    [1, 1.7, '1.7', 1, 1, '1.0'],
    [-1, -1.1, '-1.1', -1, -2, '-2.0'],
    [-1, -1.5, '-1.5', -1, -2, '-2.0'],
    [-1, -2.0, '-2.0', -1, -2, '-2.0'],
  ];
  it.each(rows)('FLOOR(%j, %j, %j)', (i, d, b, fi, fd, fb) => {
    expect(call('FLOOR', int(i))).toBe(fi);
    expect(call('FLOOR', bigint(BigInt(i)))).toBe(BigInt(fi));
    expect(call('FLOOR', double(d))).toBe(fd);
    expect(text(call('FLOOR', decimal(b)))).toBe(fb);
  });

  it('CEIL rounds up, keeping the type', () => {
    expect(call('CEIL', double(-1.5))).toBe(-1);
    expect(call('CEIL', double(1.1))).toBe(2);
    expect(text(call('CEIL', decimal('1.1')))).toBe('2.0');
    expect(call('CEIL', int(null))).toBeNull();
  });
});

describe('ABS ("abs" in math.json)', () => {
  it.each([
    [-1, -2n, -3.1, '-3.2', 1, 2n, 3.1, '3.2'],
    [0, 0n, 0.0, '0.0', 0, 0n, 0.0, '0.0'],
    [1, 2n, 3.3, '3.4', 1, 2n, 3.3, '3.4'],
  ] as const)('ABS(%s, %s, %s, %s)', (i, l, d, b, ai, al, ad, ab) => {
    expect(call('ABS', int(i))).toBe(ai);
    expect(call('ABS', bigint(l))).toBe(al);
    expect(call('ABS', double(d))).toBe(ad);
    expect(text(call('ABS', decimal(b)))).toBe(ab);
  });
});

describe('ROUND ("round" in math.json, v DOUBLE)', () => {
  // v, ROUND(v), ROUND(v, 0), ROUND(v, 1), ROUND(v, 2), ROUND(v, 10), ROUND(v, -1), ROUND(v, -2)
  const rows: ReadonlyArray<readonly [number, bigint, number, number, number, number, number, number]> = [
    [1.2, 1n, 1.0, 1.2, 1.2, 1.2, 0.0, 0.0],
    [1.5, 2n, 2.0, 1.5, 1.5, 1.5, 0.0, 0.0],
    [1.234567, 1n, 1.0, 1.2, 1.23, 1.234567, 0.0, 0.0],
    [111, 111n, 111.0, 111.0, 111.0, 111.0, 110.0, 100.0],
    [-1.1, -1n, -1.0, -1.1, -1.1, -1.1, 0.0, 0.0],
    [-1.5, -1n, -1.0, -1.5, -1.5, -1.5, 0.0, 0.0],
    [-1.7, -2n, -2.0, -1.7, -1.7, -1.7, 0.0, 0.0],
    [12345.678, 12346n, 12346.0, 12345.7, 12345.68, 12345.678, 12350.0, 12300.0],
    [-12345.678, -12346n, -12346.0, -12345.7, -12345.68, -12345.678, -12350.0, -12300.0],
  ];
  it.each(rows)('ROUND(%j)', (v, r0, r00, r1, r2, r10, m1, m2) => {
    expect(call('ROUND', double(v))).toBe(r0);
    const places = [0, 1, 2, 10, -1, -2].map((p) => call('ROUND', double(v), int(p)));
    // toEqual: ksqlDB's 0.0 and a computed -0 are the same JSON value.
    expect(places.map((p) => (p === 0 ? 0 : p))).toEqual(
      [r00, r1, r2, r10, m1, m2].map((p) => (p === 0 ? 0 : p)),
    );
  });

  it('ROUND with large DECIMAL values: types and values as ksqlDB gives them', () => {
    const type = SqlTypes.decimal(33, 16);
    const v: TypedArg = [SqlDecimal.parse('12345678987654321.2345678987654321'), type];
    expect(formatType(registry.resolve('ROUND', [type]).returnType)).toBe('DECIMAL(17, 0)');
    expect(formatType(registry.resolve('ROUND', [type, SqlTypes.INTEGER]).returnType)).toBe(
      'DECIMAL(33, 16)',
    );
    expect(text(call('ROUND', v))).toBe('12345678987654321');
    expect(text(call('ROUND', v, int(2)))).toBe('12345678987654321.2300000000000000');
    expect(text(call('ROUND', v, int(-1)))).toBe('12345678987654320.0000000000000000');
  });

  it('ROUND of an INTEGER or BIGINT is itself, as a BIGINT', () => {
    expect(call('ROUND', int(7))).toBe(7n);
    expect(formatType(registry.resolve('ROUND', [SqlTypes.INTEGER]).returnType)).toBe('BIGINT');
    expect(call('ROUND', bigint(2n ** 62n))).toBe(2n ** 62n);
  });
});

describe('SQRT, EXP, LN, POWER, SIGN, RANDOM', () => {
  it('take DOUBLE, which whole numbers widen to', () => {
    expect(call('SQRT', int(16))).toBe(4);
    expect(call('SQRT', double(-1))).toBeNaN();
    expect(call('EXP', int(0))).toBe(1);
    expect(call('LN', double(Math.E))).toBe(1);
    expect(call('POWER', int(2), bigint(10n))).toBe(1024);
    expect(call('POWER', double(null), int(2))).toBeNull();
  });

  it('SIGN is an INTEGER for every numeric type', () => {
    expect([call('SIGN', int(-5)), call('SIGN', bigint(0n)), call('SIGN', double(0.1))]).toEqual([-1, 0, 1]);
    expect(call('SIGN', decimal('-0.5'))).toBe(-1);
    expect(formatType(registry.resolve('SIGN', [SqlTypes.BIGINT]).returnType)).toBe('INTEGER');
  });

  it('RANDOM is a double in [0, 1), marked nondeterministic', () => {
    const value = call('RANDOM') as number;
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThan(1);
    expect(registry.get('random')?.nondeterministic).toBe(true);
  });
});

describe('ROUND(DOUBLE) at the edges, as Java Math.round', () => {
  it('rounds ties up, NaN to 0, and clamps to the BIGINT range', () => {
    expect(call('ROUND', double(0.49999999999999994))).toBe(0n);
    expect(call('ROUND', double(-2.5))).toBe(-2n);
    expect(call('ROUND', double(Number.NaN))).toBe(0n);
    expect(call('ROUND', double(Number.POSITIVE_INFINITY))).toBe(2n ** 63n - 1n);
    expect(call('ROUND', double(-1e300))).toBe(-(2n ** 63n));
  });
});

describe('trigonometry, logarithms, PI', () => {
  it('follow Java Math', () => {
    expect(call('SIN', double(Math.PI / 2))).toBe(1);
    expect(call('COS', int(0))).toBe(1);
    expect(call('ATAN2', double(1), double(1))).toBeCloseTo(Math.PI / 4, 15);
    expect(call('DEGREES', double(Math.PI))).toBe(180);
    expect(call('RADIANS', int(180))).toBe(Math.PI);
    expect(call('CBRT', int(27))).toBe(3);
    expect(call('LOG', double(Math.E))).toBe(1);
    expect(call('LOG', int(2), int(8))).toBeCloseTo(3, 15);
    expect(call('PI')).toBe(Math.PI);
    expect(call('SIN', double(null))).toBeNull();
  });
});

describe('TRUNC (math.json "trunc - double", "trunc - decimal", "trunc - integer")', () => {
  // value, TRUNC(v), TRUNC(v, 1), TRUNC(v, 2), TRUNC(v, -1), TRUNC(v, -2)
  const rows: ReadonlyArray<readonly [string, number, number, number, number, number]> = [
    ['1.7', 1, 1.7, 1.7, 0, 0],
    ['1.234567', 1, 1.2, 1.23, 0, 0],
    ['111', 111, 111, 111, 110, 100],
    ['-1.5', -1, -1.5, -1.5, 0, 0],
    ['12345.678', 12345, 12345.6, 12345.67, 12340, 12300],
    ['-12345.678', -12345, -12345.6, -12345.67, -12340, -12300],
  ];
  it.each(rows)('%s', (text, r0, r1, r2, m1, m2) => {
    const v = Number(text);
    expect(call('TRUNC', double(v))).toBe(BigInt(r0));
    expect(call('TRUNC', double(v), int(1))).toBe(r1);
    expect(call('TRUNC', double(v), int(2))).toBe(r2);
    expect(call('TRUNC', double(v), int(-1))).toBe(m1);
    expect(call('TRUNC', double(v), int(-2))).toBe(m2);
    const d: TypedArg = [SqlDecimal.parse(text).setScale(7, 'HALF_UP'), SqlTypes.decimal(12, 7)];
    expect(Number((call('TRUNC', d) as SqlDecimal).toString())).toBe(r0);
    expect(Number((call('TRUNC', d, int(2)) as SqlDecimal).toString())).toBe(r2);
    expect(Number((call('TRUNC', d, int(-2)) as SqlDecimal).toString())).toBe(m2);
  });
  it('keeps whole numbers and NULL', () => {
    expect(call('TRUNC', int(-12345))).toBe(-12345);
    expect(call('TRUNC', bigint(2147483648n))).toBe(2147483648n);
    expect(call('TRUNC', double(null), int(1))).toBeNull();
    expect(formatType(registry.resolve('TRUNC', [SqlTypes.decimal(12, 7)]).returnType)).toBe('DECIMAL(5, 0)');
  });
});
