// Resolution: exact types first, then the fewest widenings; NULL literals; generics; ksqlDB's errors.
import { describe, expect, it } from 'vitest';
import { FunctionResolutionError } from '../../../src/sql/functions/index.js';
import { SqlDecimal, SqlTypes, formatType } from '../../../src/sql/types/index.js';
import { bigint, call, double, int, registry, str } from './helpers.js';

const { INTEGER, BIGINT, STRING } = SqlTypes;

describe('function resolution', () => {
  it('prefers the exact overload, else the one needing the fewest widenings', () => {
    expect(formatType(registry.resolve('ABS', [INTEGER]).returnType)).toBe('INTEGER');
    expect(formatType(registry.resolve('ABS', [BIGINT]).returnType)).toBe('BIGINT');
    // SUBSTRING has no BIGINT position: no narrowing, so no match.
    expect(() => registry.resolve('SUBSTRING', [STRING, BIGINT])).toThrow(FunctionResolutionError);
    // SQRT(INTEGER) widens to DOUBLE, and the value is converted.
    expect(registry.resolve('SQRT', [INTEGER]).argTypes.map(formatType)).toEqual(['DOUBLE']);
  });

  it('is case-insensitive and lets a NULL literal match any parameter', () => {
    expect(call('ucase', str('a'))).toBe('A');
    expect(call('UCASE', null)).toBeNull();
  });

  it('says which parameters were given and what would be accepted, as ksqlDB does', () => {
    expect(() => registry.resolve('SUBSTRING', [STRING, STRING])).toThrow(
      "Function 'substring' does not accept parameters (STRING, STRING).\n" +
        'Valid alternatives are:\n' +
        'SUBSTRING(STRING str, INTEGER pos)\n' +
        'SUBSTRING(STRING str, INTEGER pos, INTEGER length)\n' +
        'SUBSTRING(BYTES bytes, INTEGER pos)\n' +
        'SUBSTRING(BYTES bytes, INTEGER pos, INTEGER length)\n' +
        'For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;',
    );
    expect(() => registry.resolve('CONCAT', [STRING, INTEGER])).toThrow(
      /does not accept parameters \(STRING, INTEGER\)[\s\S]*CONCAT\(STRING\.\.\. inputs\)/,
    );
    expect(() => registry.resolve('FOO', [])).toThrow("Can't find any functions with the name 'FOO'");
  });

  it('checks arity, variadics included', () => {
    expect(() => registry.resolve('LEN', [])).toThrow(/does not accept parameters \(\)/);
    expect(() => registry.resolve('CONCAT_WS', [])).toThrow(FunctionResolutionError);
    expect(call('CONCAT_WS', str('-'))).toBe('');
    expect(call('CONCAT', str('a'), str('b'), str('c'), str('d'))).toBe('abcd');
  });
});

describe('IFNULL, COALESCE, NULLIF', () => {
  it('IFNULL gives the alternative only for NULL', () => {
    expect(call('IFNULL', str(null), str('alt'))).toBe('alt');
    expect(call('IFNULL', str('v'), str('alt'))).toBe('v');
    expect(call('IFNULL', null, int(3))).toBe(3);
  });

  it('COALESCE gives the first non-NULL, widened to the common type', () => {
    const resolved = registry.resolve('COALESCE', [INTEGER, null, BIGINT]);
    expect(formatType(resolved.returnType)).toBe('BIGINT');
    expect(resolved.invoke([null, null, 9n])).toBe(9n);
    expect(resolved.invoke([4, null, 9n])).toBe(4n);
    expect(call('COALESCE', double(null), int(null))).toBeNull();
    expect(() => registry.resolve('COALESCE', [STRING, INTEGER])).toThrow(/does not accept parameters/);
  });

  it('NULLIF is NULL when both are equal, decimals compared by value', () => {
    expect(call('NULLIF', str('a'), str('a'))).toBeNull();
    expect(call('NULLIF', str('a'), str('b'))).toBe('a');
    expect(call('NULLIF', int(1), bigint(1n))).toBeNull();
    expect(call('NULLIF', str('a'), null)).toBe('a');
    const decimal = SqlTypes.decimal(3, 2);
    expect(
      call('NULLIF', [SqlDecimal.parse('1.0'), SqlTypes.decimal(2, 1)], [SqlDecimal.parse('1.00'), decimal]),
    ).toBeNull();
    // Arrays by their elements, as Java's List.equals (null: null if).
    const ints = SqlTypes.array(INTEGER);
    expect(call('NULLIF', [[1, 2, 3], ints], [[1, 2, 3], ints])).toBeNull();
    expect(call('NULLIF', [[4, 5], ints], [[1, 2, 3], ints])).toEqual([4, 5]);
  });
});
