// The runtime type model: conversion from the parser's types, ksqlDB's type names, widening, decimals.
import { describe, expect, it } from 'vitest';
import { parseStatements } from '../../../src/sql/parser/index.js';
import {
  SqlDecimal,
  SqlTypes,
  coerceValue,
  commonType,
  formatType,
  fromAst,
  wideningDistance,
  type SqlType,
} from '../../../src/sql/types/index.js';

/** The runtime types of the columns of a CREATE STREAM. */
function columnTypes(columns: string, resolve?: (name: string) => SqlType | undefined): string[] {
  const [statement] = parseStatements(
    `CREATE STREAM S (${columns}) WITH (kafka_topic='t', value_format='JSON');`,
  );
  if (statement?.kind !== 'CreateSource') throw new Error('expected a CREATE STREAM');
  return statement.columns.map((c) => formatType(fromAst(c.type, resolve)));
}

describe('fromAst and formatType', () => {
  it('prints types as ksqlDB does (aliases resolved, backquoted struct fields)', () => {
    expect(
      columnTypes(
        'A INT, B VARCHAR, C BIGINT, D DECIMAL(4,2), E ARRAY<VARCHAR>, F MAP<STRING, INT>, ' +
          'G STRUCT<F1 STRING, F2 ARRAY<STRING>, `foo` VARCHAR>, H BOOLEAN, I DOUBLE, J BYTES, ' +
          'K DATE, L TIME, M TIMESTAMP',
      ),
    ).toEqual([
      'INTEGER',
      'STRING',
      'BIGINT',
      'DECIMAL(4, 2)',
      'ARRAY<STRING>',
      'MAP<STRING, INTEGER>',
      'STRUCT<`F1` STRING, `F2` ARRAY<STRING>, `foo` STRING>',
      'BOOLEAN',
      'DOUBLE',
      'BYTES',
      'DATE',
      'TIME',
      'TIMESTAMP',
    ]);
    expect(formatType(SqlTypes.struct([]))).toBe('STRUCT< >');
  });

  it('resolves CREATE TYPE names, and says what to do when one is unknown', () => {
    const address = SqlTypes.struct([{ name: 'CITY', type: SqlTypes.STRING }]);
    expect(columnTypes('A ADDRESS', (n) => (n === 'ADDRESS' ? address : undefined))).toEqual([
      'STRUCT<`CITY` STRING>',
    ]);
    expect(() => columnTypes('A ADDRESS')).toThrow(/unknown type ADDRESS; create it first with CREATE TYPE/);
  });

  it('rejects a DECIMAL whose scale exceeds its precision', () => {
    expect(() => SqlTypes.decimal(2, 3)).toThrow(/scale must be between 0 and the precision/);
  });
});

describe('widening', () => {
  const { INTEGER, BIGINT, DOUBLE, STRING } = SqlTypes;
  const decimal = SqlTypes.decimal(4, 2);

  it('widens INTEGER → BIGINT → DECIMAL → DOUBLE and nothing else', () => {
    expect(wideningDistance(INTEGER, BIGINT)).toBe(1);
    expect(wideningDistance(INTEGER, DOUBLE)).toBe(3);
    expect(wideningDistance(BIGINT, decimal)).toBe(1);
    expect(wideningDistance(decimal, DOUBLE)).toBe(1);
    expect(wideningDistance(DOUBLE, INTEGER)).toBeUndefined();
    expect(wideningDistance(INTEGER, STRING)).toBeUndefined();
    expect(wideningDistance(STRING, DOUBLE)).toBeUndefined();
  });

  it('finds the common type, sizing decimals to hold both', () => {
    expect(commonType(INTEGER, BIGINT)).toBe(BIGINT);
    expect(commonType(DOUBLE, INTEGER)).toBe(DOUBLE);
    expect(formatType(commonType(BIGINT, decimal) as SqlType)).toBe('DECIMAL(21, 2)');
    expect(commonType(STRING, INTEGER)).toBeUndefined();
  });

  it('converts values to the wider representation', () => {
    expect(coerceValue(7, INTEGER, BIGINT)).toBe(7n);
    expect(coerceValue(2n ** 60n, BIGINT, DOUBLE)).toBe(2 ** 60);
    expect(String(coerceValue(-12n, BIGINT, decimal))).toBe('-12');
    expect(coerceValue(SqlDecimal.parse('1.25'), decimal, DOUBLE)).toBe(1.25);
    expect(coerceValue(null, INTEGER, BIGINT)).toBeNull();
    expect(String(coerceValue(SqlDecimal.parse('1.5'), SqlTypes.decimal(2, 1), decimal))).toBe('1.50');
  });
});

describe('SqlDecimal', () => {
  it('keeps its scale, as BigDecimal does', () => {
    expect(SqlDecimal.parse('3.20').toString()).toBe('3.20');
    expect(SqlDecimal.parse('-0.05').toString()).toBe('-0.05');
    expect(SqlDecimal.parse('1.5E-3').toString()).toBe('0.0015');
    expect(SqlDecimal.parse('12').scale).toBe(0);
    expect(() => SqlDecimal.parse('1.2.3')).toThrow(/not a decimal number/);
  });

  it('rounds as ksqlDB ROUND does, on a value too large for a double (math.json)', () => {
    // "round with large DECIMAL values": ROUND(v, 1), ROUND(v, 10), ROUND(v, -1), ROUND(v, -2), scale kept
    const v = SqlDecimal.parse('12345678987654321.2345678987654321');
    const round = (places: number): string =>
      v.setScale(places, 'HALF_UP').setScale(v.scale, 'HALF_UP').toString();
    expect(round(1)).toBe('12345678987654321.2000000000000000');
    expect(round(2)).toBe('12345678987654321.2300000000000000');
    expect(round(10)).toBe('12345678987654321.2345678988000000');
    expect(round(-1)).toBe('12345678987654320.0000000000000000');
    expect(round(-2)).toBe('12345678987654300.0000000000000000');
    expect(v.setScale(0, 'HALF_UP').toString()).toBe('12345678987654321');
  });

  it('breaks ties by mode', () => {
    const half = SqlDecimal.parse('-2.5');
    expect(half.setScale(0, 'HALF_UP').toString()).toBe('-3');
    expect(half.setScale(0, 'HALF_CEILING').toString()).toBe('-2');
    expect(half.setScale(0, 'FLOOR').toString()).toBe('-3');
    expect(half.setScale(0, 'CEILING').toString()).toBe('-2');
    expect(SqlDecimal.parse('1.0').compare(SqlDecimal.parse('1.00'))).toBe(0);
  });
});
