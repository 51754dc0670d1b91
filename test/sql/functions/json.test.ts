// JSON functions against rows of ksqlDB's cases (extract-json-field.json, json_array_contains.json,
// json_array_length.json, json_concat.json, json_items.json, json_records.json, is_json_string.json,
// to_json_string.json).
import { describe, expect, it } from 'vitest';
import { SqlDecimal, SqlTypes, type SqlType, type SqlValue } from '../../../src/sql/types/index.js';
import { call, double, int, str } from './helpers.js';

describe('EXTRACTJSONFIELD (extract-json-field.json)', () => {
  it('reads fields, keeps number text, and ignores what follows the value', () => {
    const source = '{"name": "cdd", "version": "2", "@type": "VAL"}}';
    expect(call('EXTRACTJSONFIELD', str(source), str('$.name'))).toBe('cdd');
    expect(call('EXTRACTJSONFIELD', str(source), str('$.@type'))).toBe('VAL');
    expect(call('EXTRACTJSONFIELD', str('{"array": [1, 2, 3]}'), str('$.array[-1]'))).toBeNull();
    expect(call('EXTRACTJSONFIELD', str('{"array": [1, 2, 3]}'), str('$.array[1]'))).toBe('2');
    expect(call('EXTRACTJSONFIELD', str('{"array": [1.23450]}'), str('$.array[0]'))).toBe('1.23450');
    expect(call('EXTRACTJSONFIELD', str('{"array": [1.23450]}'), str('$.array[1]'))).toBeNull();
    expect(call('EXTRACTJSONFIELD', str('{"a": {"b": [1, {"c": true}]}}'), str('$.a.b'))).toBe(
      '[1,{"c":true}]',
    );
    expect(call('EXTRACTJSONFIELD', str('{"city": "London"}'), str("$['city']"))).toBe('London');
    expect(call('EXTRACTJSONFIELD', str('not json'), str('$.a'))).toBeNull();
  });
});

describe('JSON_ARRAY_CONTAINS, JSON_ARRAY_LENGTH', () => {
  it.each([
    ['["Red", "Green"]', false, 2],
    ['["Pink", "Yellow", "Pink"]', true, 3],
    ['["Pink", null]', true, 2],
    ['[]', false, 0],
    ['', false, null],
    [null, false, null],
  ])('%j', (colors, contains, length) => {
    expect(call('JSON_ARRAY_CONTAINS', str(colors), str('Pink'))).toBe(contains);
    expect(call('JSON_ARRAY_LENGTH', str(colors))).toBe(length);
  });
  it('matches numbers and booleans', () => {
    expect(call('JSON_ARRAY_CONTAINS', str('[1, 2.5]'), int(1))).toBe(true);
    expect(call('JSON_ARRAY_CONTAINS', str('[1, 2.5]'), double(2.5))).toBe(true);
    expect(call('JSON_ARRAY_CONTAINS', str('["1"]'), int(1))).toBe(false);
    expect(call('JSON_ARRAY_CONTAINS', str('[true]'), [true, SqlTypes.BOOLEAN])).toBe(true);
  });
});

describe('JSON_CONCAT (json_concat.json)', () => {
  it.each([
    ['{"a": 1}', '{"b": 2}', '{"a":1,"b":2}'],
    ['{}', '{}', '{}'],
    ['{"a": {"5": 6}}', '{"a": {"3": 4}}', '{"a":{"3":4}}'],
    ['[1, 2]', '[3, 4]', '[1,2,3,4]'],
    ['null', 'null', '[null,null]'],
    ['[1, 2]', '{"a": 1}', '[1,2,{"a":1}]'],
    ['[]', '[]', '[]'],
    ['[1, [2]]', '[[[3]], [[[4]]]]', '[1,[2],[[3]],[[[4]]]]'],
    ['1', '', null],
    ['', '', null],
    [null, null, null],
    [null, '', null],
  ])('(%j, %j) = %j', (a, b, expected) => {
    expect(call('JSON_CONCAT', str(a), str(b))).toBe(expected);
  });
  it('three arguments', () => {
    expect(call('JSON_CONCAT', str('[1, 2]'), str('{"a": 1}'), str('4'))).toBe('[1,2,{"a":1},4]');
    expect(call('JSON_CONCAT', str('{"a": {"5": 6}}'), str('{"a": {"3": 4}}'), str('{"a": {"7": 8}}'))).toBe(
      '{"a":{"7":8}}',
    );
  });
});

describe('JSON_ITEMS, JSON_RECORDS, JSON_KEYS, IS_JSON_STRING', () => {
  it('JSON_ITEMS (json_items.json)', () => {
    expect(
      call(
        'JSON_ITEMS',
        str('[{"type": "A", "timestamp": "2022-01-27"}, {"type": "B", "timestamp": "2022-05-18"}]'),
      ),
    ).toEqual(['{"type":"A","timestamp":"2022-01-27"}', '{"type":"B","timestamp":"2022-05-18"}']);
    expect(call('JSON_ITEMS', str('[]'))).toEqual([]);
  });
  it('JSON_RECORDS (json_records.json)', () => {
    expect(call('JSON_RECORDS', str('{"Red": 3, "Green": 5}'))).toEqual(
      new Map([
        ['Red', '3'],
        ['Green', '5'],
      ]),
    );
    expect(call('JSON_RECORDS', str('{"White": "Seven"}'))).toEqual(new Map([['White', 'Seven']]));
    expect(call('JSON_RECORDS', str('{}'))).toEqual(new Map());
    expect(call('JSON_RECORDS', str(''))).toBeNull();
    expect(call('JSON_RECORDS', str(null))).toBeNull();
  });
  it('JSON_KEYS', () => {
    expect(call('JSON_KEYS', str('{"a": 1, "b": [2]}'))).toEqual(['a', 'b']);
    expect(call('JSON_KEYS', str('[1]'))).toBeNull();
  });
  it.each([
    ['1', true],
    ['abc', false],
    ['[1, 2, 3]', true],
    ['"abc"', true],
    ['', false],
    [null, false],
  ])('IS_JSON_STRING(%j) = %j (is_json_string.json)', (s, expected) => {
    expect(call('IS_JSON_STRING', str(s))).toBe(expected);
  });
});

describe('TO_JSON_STRING (to_json_string.json)', () => {
  const cases: ReadonlyArray<readonly [string, SqlType, SqlValue, string]> = [
    ['VARCHAR', SqlTypes.STRING, 'abc', '"abc"'],
    ['BOOLEAN', SqlTypes.BOOLEAN, true, 'true'],
    ['DOUBLE', SqlTypes.DOUBLE, 123.456, '123.456'],
    ['DECIMAL', SqlTypes.decimal(6, 3), SqlDecimal.parse('123.456'), '123.456'],
    ['TIME', SqlTypes.TIME, 60220000, '"16:43:40"'],
    ['TIMESTAMP', SqlTypes.TIMESTAMP, 60220000000, '"1971-11-28T23:46:40.000"'],
    ['ARRAY', SqlTypes.array(SqlTypes.INTEGER), [1, 2, 3], '[1,2,3]'],
    [
      'STRUCT',
      SqlTypes.struct([
        { name: 'ID', type: SqlTypes.INTEGER },
        { name: 'NAME', type: SqlTypes.STRING },
      ]),
      { ID: 1, NAME: 'Alice' },
      '{"ID":1,"NAME":"Alice"}',
    ],
    ['MAP', SqlTypes.map(SqlTypes.STRING, SqlTypes.INTEGER), new Map([['id', 1]]), '{"id":1}'],
    [
      'nested',
      SqlTypes.map(SqlTypes.STRING, SqlTypes.array(SqlTypes.INTEGER)),
      new Map([['id', [1, 2, 3]]]),
      '{"id":[1,2,3]}',
    ],
  ];
  it.each(cases)('%s', (_name, type, value, expected) => {
    expect(call('TO_JSON_STRING', [value, type])).toBe(expected);
    expect(call('TO_JSON_STRING', [null, type])).toBe('null');
  });
});
