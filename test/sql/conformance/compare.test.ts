import { describe, expect, it } from 'vitest';
import { DecimalNumber, firstDifference } from '../../../tools/conformance/compare.js';
import { JsonNumber, parseJsonText } from '../../../tools/conformance/json-text.js';
import { normaliseSchema } from '../../../tools/conformance/post-conditions.js';

const json = parseJsonText;

describe("ksqlDB's value comparison", () => {
  it('compares numbers by the actual type, as Java does', () => {
    expect(firstDifference(json('1'), json('1.0'))).toBeUndefined();
    expect(firstDifference(json('1.0'), json('1'))).toBeUndefined();
    // An integer actual truncates the expected (expected.longValue() == actual).
    expect(firstDifference(json('1.5'), json('1'))).toBeUndefined();
    expect(firstDifference(json('2'), json('1'))).toMatch(/expected 2 but was 1/);
    expect(firstDifference(json('0.1'), json('0.1'))).toBeUndefined();
    expect(firstDifference(json('9007199254740993'), json('9007199254740993'))).toBeUndefined();
    expect(firstDifference(json('9007199254740993'), json('9007199254740992'))).toBeDefined();
  });

  it('compares decimals by value and scale', () => {
    expect(firstDifference(json('1.10'), new DecimalNumber('1.10'))).toBeUndefined();
    // The case files lost trailing zeros (ksqlDB's 1.10 is written 1.1 there): more places still match.
    expect(firstDifference(json('1.1'), new DecimalNumber('1.10'))).toBeUndefined();
    expect(firstDifference(json('1.10'), new DecimalNumber('1.1'))).toBeDefined();
    expect(firstDifference(json('1.1'), new DecimalNumber('1.11'))).toBeDefined();
    expect(firstDifference(json('"1.10"'), new DecimalNumber('1.10'))).toBeUndefined();
    expect(firstDifference(json('10'), new DecimalNumber('10'))).toBeUndefined();
    expect(firstDifference(json('10'), new DecimalNumber('10.0'))).toBeDefined();
    // A JSON number with a fraction is read as a BigDecimal by ksqlDB's runner: a string's digits match it.
    expect(firstDifference(json('"3.40"'), json('3.40'))).toBeUndefined();
    expect(firstDifference(json('"3.4"'), json('3.40'))).toBeDefined();
  });

  it('compares objects with field counts and upper-cased names, arrays in order', () => {
    expect(firstDifference(json('{"id":1,"NAME":"a"}'), json('{"ID":1,"NAME":"a"}'))).toBeUndefined();
    expect(firstDifference(json('{"ID":1}'), json('{"ID":1,"X":2}'))).toMatch(/fields/);
    expect(firstDifference(json('{"A":[1,2]}'), json('{"A":[1,3]}'))).toBe('$.A[1]: expected 2 but was 3');
    expect(firstDifference(json('null'), json('0'))).toBeDefined();
    expect(firstDifference(json('"1"'), new JsonNumber('1'))).toBeDefined();
    expect(firstDifference(json('true'), json('true'))).toBeUndefined();
  });
});

describe('schema text', () => {
  it('spells both sides alike', () => {
    expect(normaliseSchema('K1 INT KEY, a varchar, `f 1` ARRAY<int>')).toBe(
      normaliseSchema('`K1` INTEGER KEY, `A` STRING, `f 1` ARRAY<INTEGER>'),
    );
    expect(normaliseSchema('ID BIGINT PRIMARY KEY, S STRUCT<A INT, B INT>')).toBe(
      normaliseSchema('`ID` BIGINT KEY, `S` STRUCT<`A` INTEGER, `B` INTEGER>'),
    );
  });
});
