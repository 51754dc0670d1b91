import { describe, expect, it } from 'vitest';
import { createSerde, SerdeError, type SerdeTarget } from '../../../src/sql/formats/index.js';
import { JsonNumberText, JsonObject, readJson } from '../../../src/serdes/exact-json.js';
import { javaDouble } from '../../../src/sql/formats/json/json-writer.js';
import type { Column } from '../../../src/sql/planner/schema.js';
import { SqlDecimal, SqlTypes, type SqlType } from '../../../src/sql/types/index.js';

const col = (name: string, type: SqlType, namespace: 'KEY' | 'VALUE' = 'VALUE'): Column => ({
  name,
  type,
  namespace,
});
const target = (columns: Column[], extra: Partial<SerdeTarget> = {}): SerdeTarget => ({
  topic: 't',
  isKey: false,
  columns,
  format: 'JSON',
  options: {},
  ...extra,
});
const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('readJson', () => {
  it('keeps integers past 2^53 and decimals as their text', () => {
    const value = readJson('{"a": 998877665544332211, "b": 12.3650, "c": 42, "d": -7}') as JsonObject;
    expect(value.names).toEqual(['a', 'b', 'c', 'd']);
    expect(value.values[0]).toEqual(new JsonNumberText('998877665544332211', true));
    expect(value.values[1]).toEqual(new JsonNumberText('12.3650', false));
    expect(value.values.slice(2)).toEqual([42, -7]);
  });

  it('reads escapes, nesting and literals', () => {
    expect(readJson('["a\\"b\\u00e9\\n", [true, false, null], {}]')).toEqual([
      'a"bé\n',
      [true, false, null],
      new JsonObject(),
    ]);
  });

  it('says where bad JSON goes wrong', () => {
    expect(() => readJson('{"a": 1,}')).toThrow(/expected a member name at position 8/);
    expect(() => readJson('{"a": tru}')).toThrow(/unexpected character/);
    expect(() => readJson('"abc')).toThrow(/unterminated string/);
    expect(() => readJson('1 2')).toThrow(/unexpected text after the JSON value/);
  });
});

describe('JSON serde', () => {
  it('reads a row case-insensitively, exact names first, missing fields as NULL', async () => {
    const serde = await createSerde(
      target([col('FOO', SqlTypes.INTEGER), col('Bar', SqlTypes.STRING), col('BAZ', SqlTypes.DOUBLE)]),
    );
    expect(serde.deserialize(bytes('{"foo": 1, "Bar": "x", "BAR": "y"}'))).toEqual([1, 'x', null]);
    expect(serde.deserialize(bytes('null'))).toBeNull();
    expect(serde.deserialize(null)).toBeNull();
  });

  it('coerces as ksqlDB does: numeric strings, numbers into STRING, arrays into STRING', async () => {
    const serde = await createSerde(
      target([
        col('I', SqlTypes.INTEGER),
        col('L', SqlTypes.BIGINT),
        col('D', SqlTypes.DOUBLE),
        col('S', SqlTypes.STRING),
        col('A', SqlTypes.array(SqlTypes.STRING)),
        col('O', SqlTypes.STRING),
      ]),
    );
    expect(
      serde.deserialize(
        bytes('{"I":"12","L":"998877665544332211","D":"1.5","S":10.50,"A":[1,2,3],"O":{"x":[1,"y"]}}'),
      ),
    ).toEqual([12, 998877665544332211n, 1.5, '10.50', ['1', '2', '3'], '{"x":[1,"y"]}']);
  });

  it('rejects what does not convert, with the path', async () => {
    const serde = await createSerde(
      target([
        col('B', SqlTypes.BOOLEAN),
        col('S', SqlTypes.struct([{ name: 'I', type: SqlTypes.INTEGER }])),
      ]),
    );
    expect(() => serde.deserialize(bytes('{"B":"true"}'))).toThrow(
      "Failed to deserialize value from topic: t. Can't convert type. sourceType: TextNode, requiredType: BOOLEAN, path: $.B",
    );
    expect(() => serde.deserialize(bytes('{"S":{"i":"x"}}'))).toThrow(
      "Can't coerce string to type. targetType: INTEGER, path: $.S.I",
    );
    expect(() => serde.deserialize(bytes('{"B":'))).toThrow(SerdeError);
  });

  it('round-trips every type', async () => {
    const columns = [
      col('B', SqlTypes.BOOLEAN),
      col('I', SqlTypes.INTEGER),
      col('L', SqlTypes.BIGINT),
      col('D', SqlTypes.DOUBLE),
      col('DEC', SqlTypes.decimal(6, 4)),
      col('S', SqlTypes.STRING),
      col('BY', SqlTypes.BYTES),
      col('DT', SqlTypes.DATE),
      col('TM', SqlTypes.TIME),
      col('TS', SqlTypes.TIMESTAMP),
      col('A', SqlTypes.array(SqlTypes.BIGINT)),
      col('M', SqlTypes.map(SqlTypes.STRING, SqlTypes.DOUBLE)),
      col('ST', SqlTypes.struct([{ name: 'F0', type: SqlTypes.INTEGER }])),
    ];
    const serde = await createSerde(target(columns));
    const row = [
      true,
      -5,
      998877665544332211n,
      1.0,
      SqlDecimal.parse('12.3650'),
      'a "quoted" é',
      new Uint8Array([1, 2, 255]),
      19000,
      3600000,
      1700000000123,
      [12n, null],
      new Map([['a', 1.5]]),
      { F0: null },
    ];
    const written = serde.serialize(row);
    expect(written?.toString()).toBe(
      '{"B":true,"I":-5,"L":998877665544332211,"D":1.0,"DEC":12.3650,"S":"a \\"quoted\\" é","BY":"AQL/",' +
        '"DT":19000,"TM":3600000,"TS":1700000000123,"A":[12,null],"M":{"a":1.5},"ST":{"F0":null}}',
    );
    expect(serde.deserialize(written)).toEqual(row);
  });

  it('fits decimals to the scale, and refuses what needs rounding', async () => {
    const serde = await createSerde(
      target([col('V', SqlTypes.decimal(4, 2))], { options: { wrapSingleValue: false } }),
    );
    expect(serde.deserialize(bytes('10.1'))).toEqual([SqlDecimal.parse('10.10')]);
    expect(() => serde.deserialize(bytes('10.123'))).toThrow(
      /Cannot fit decimal '10.123' into DECIMAL\(4, 2\) without rounding/,
    );
  });

  it('writes a single key column, or an unwrapped value, bare; a null one as null bytes', async () => {
    const key = await createSerde(target([col('K', SqlTypes.BIGINT, 'KEY')], { isKey: true }));
    expect(key.serialize([998877665544332211n])?.toString()).toBe('998877665544332211');
    expect(key.deserialize(bytes('998877665544332211'))).toEqual([998877665544332211n]);
    expect(key.serialize([null])).toBeNull();
    const value = await createSerde(
      target([col('V', SqlTypes.array(SqlTypes.DOUBLE))], { options: { wrapSingleValue: false } }),
    );
    expect(value.serialize([[99.99]])?.toString()).toBe('[99.99]');
    expect(value.serialize([null])).toBeNull();
    expect(value.deserialize(bytes('[1, 2.5]'))).toEqual([[1, 2.5]]);
  });

  it('writes multi-column keys as an object, and ignores the key bytes of a keyless stream', async () => {
    const key = await createSerde(
      target([col('K1', SqlTypes.STRING, 'KEY'), col('K2', SqlTypes.INTEGER, 'KEY')], { isKey: true }),
    );
    expect(key.serialize(['a', 1])?.toString()).toBe('{"K1":"a","K2":1}');
    const none = await createSerde(target([], { isKey: true }));
    expect(none.deserialize(bytes('whatever'))).toEqual([]);
    expect(none.serialize([])).toBeNull();
  });

  it('writes a computed all-NULL key of several columns as an object of nulls, a missing key as null bytes', async () => {
    const key = await createSerde(
      target([col('ID', SqlTypes.INTEGER, 'KEY'), col('AGE', SqlTypes.INTEGER, 'KEY')], { isKey: true }),
    );
    expect(key.serialize([null, null])?.toString()).toBe('{"ID":null,"AGE":null}');
    expect(key.deserialize(bytes('{"ID":null,"AGE":null}'))).toEqual([null, null]);
    // A key read from null bytes (or a JSON null) passes through as a null key.
    expect(key.serialize(key.deserialize(null))).toBeNull();
    expect(key.serialize(key.deserialize(bytes('null')))).toBeNull();
    expect(key.serialize(null)).toBeNull();
  });

  it('prints doubles as Java does', () => {
    expect([1, 9876.54321, 1e7, 1.5e-7, 0.001, -0, 123456789.5].map(javaDouble)).toEqual([
      '1.0',
      '9876.54321',
      '1.0E7',
      '1.5E-7',
      '0.001',
      '-0.0',
      '1.234567895E8',
    ]);
  });
});
