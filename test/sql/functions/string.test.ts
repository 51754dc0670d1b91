// String functions against rows of ksqlDB's functional test cases (../shared/ksql-conformance/qtt, the file
// and case named above each table): inputs and expected outputs copied as data.
import { describe, expect, it } from 'vitest';
import { call, int, str } from './helpers.js';

describe('SUBSTRING (substring.json "do substring with strings with just pos")', () => {
  it.each([
    ['some_string', 'string'],
    ['another', 'er'],
    ['short', ''],
  ])('SUBSTRING(%j, 6) = %j', (source, expected) => {
    expect(call('SUBSTRING', str(source), int(6))).toBe(expected);
  });

  it('is NULL for a NULL string or position', () => {
    expect(call('SUBSTRING', str(null), int(1))).toBeNull();
    expect(call('SUBSTRING', str('some_string'), null)).toBeNull();
    expect(call('SUBSTRING', str('some_string'), int(6), null)).toBeNull();
  });

  it('counts a negative position from the end and clamps past either end', () => {
    expect(call('SUBSTRING', str('some_string'), int(-6))).toBe('string');
    expect(call('SUBSTRING', str('some_string'), int(-6), int(3))).toBe('str');
    expect(call('SUBSTRING', str('short'), int(-99), int(2))).toBe('sh');
    expect(call('SUBSTRING', str('short'), int(0))).toBe('short');
    expect(call('SUBSTRING', str('short'), int(2), int(-1))).toBe('');
  });
});

describe('LCASE, UCASE, TRIM, SUBSTRING (string.json)', () => {
  it.each([
    ['lower', 'lower', 'LOWER', 'lower', 'ower'],
    ['UPPER', 'upper', 'UPPER', 'UPPER', 'PPER'],
    ['MiXeD', 'mixed', 'MIXED', 'MiXeD', 'iXeD'],
    [
      ' \t with white space \t',
      ' \t with white space \t',
      ' \t WITH WHITE SPACE \t',
      'with white space',
      '\t wit',
    ],
  ])('%j', (text, lower, upper, trimmed, sub) => {
    expect(call('LCASE', str(text))).toBe(lower);
    expect(call('UCASE', str(text))).toBe(upper);
    expect(call('TRIM', str(text))).toBe(trimmed);
    expect(call('SUBSTRING', str(text), int(2), int(5))).toBe(sub);
  });

  it('LTRIM, RTRIM, LEN', () => {
    expect(call('LTRIM', str(' \t a b '))).toBe('a b ');
    expect(call('RTRIM', str(' \t a b \n'))).toBe(' \t a b');
    expect(call('LEN', str('héllo'))).toBe(5);
    expect(call('LEN', str(null))).toBeNull();
  });
});

describe('CONCAT, CONCAT_WS (concat.json)', () => {
  it.each([
    ['SEP', 'foo', 'bar', 'baz', 'fooSEPbarSEPbazSEPliteral'],
    ['SEP', 'foo', null, 'baz', 'fooSEPbazSEPliteral'],
    ['SEP', null, null, null, 'literal'],
    [null, 'foo', 'bar', 'baz', null],
  ])('CONCAT_WS(%j, %j, %j, %j, NULL, literal)', (sep, c1, c2, c3, expected) => {
    expect(call('CONCAT_WS', str(sep), str(c1), str(c2), str(c3), null, str('literal'))).toBe(expected);
  });

  it('CONCAT skips NULLs and keeps characters Java would escape', () => {
    expect(call('CONCAT', str('"'), str('foo'), null, str('\\'))).toBe('"foo\\');
    expect(call('CONCAT', str('\\foo"'), str(null))).toBe('\\foo"');
  });
});

describe('INSTR (instr.json)', () => {
  it.each([
    ['corporate floor', 2],
    ['should I stay or should I go', 15],
    ['short', 3],
    ['no substring', 0],
  ])("INSTR(%j, 'or') = %i", (source, expected) => {
    expect(call('INSTR', str(source), str('or'))).toBe(expected);
  });

  it.each([
    ['corporate floor', 4, 5],
    ['short', 4, 0],
    ['corporate floor', -4, 5],
    ['short', -4, 0],
  ])("INSTR(%j, 'or', %i) = %i", (source, position, expected) => {
    expect(call('INSTR', str(source), str('or'), int(position))).toBe(expected);
  });

  it('finds the nth occurrence, forward and backward', () => {
    expect(call('INSTR', str('corporate floor'), str('or'), int(1), int(3))).toBe(14);
    expect(call('INSTR', str('corporate floor'), str('or'), int(-1), int(2))).toBe(5);
    expect(call('INSTR', str('corporate floor'), str('or'), int(1), int(4))).toBe(0);
    expect(call('INSTR', str('abcabc'), str('abc'), int(-1))).toBe(4);
    expect(call('INSTR', str('abcabc'), str('abc'), int(-2))).toBe(1);
  });

  it('is 0 for a NULL string or substring and for a position beyond the string, as ksqlDB', () => {
    expect(call('INSTR', str(null), str('or'))).toBe(0);
    expect(call('INSTR', str('or'), null)).toBe(0);
    expect(call('INSTR', str('short'), str('or'), int(6))).toBe(0);
    expect(call('INSTR', str('short'), str('or'), int(-6))).toBe(0);
    expect(call('INSTR', str('short'), str('or'), null)).toBeNull();
  });
});

describe('LPAD, RPAD (string-lpad-rpad.json "... with all args from record")', () => {
  const rows: ReadonlyArray<
    readonly [string | null, number | null, string | null, string | null, string | null]
  > = [
    // subject, len, padding, LPAD, RPAD
    ['foo', 7, 'Bar', 'BarBfoo', 'fooBarB'],
    ['foo', 5, 'Bar', 'Bafoo', 'fooBa'],
    ['foo', 2, 'Bar', 'fo', 'fo'],
    ['foo', -1, 'Bar', null, null],
    ['foo', 5, null, null, null],
    ['foo', null, 'Bar', null, null],
    [null, -5, 'Bar', null, null],
    ['foo', 7, '', null, null],
    ['', 7, 'Bar', 'BarBarB', 'BarBarB'],
  ];
  it.each(rows)('(%j, %j, %j)', (subject, len, padding, lpad, rpad) => {
    expect(call('LPAD', str(subject), int(len), str(padding))).toBe(lpad);
    expect(call('RPAD', str(subject), int(len), str(padding))).toBe(rpad);
  });
});

describe('SPLIT (split.json)', () => {
  it.each([
    ['a$$b.c', '$$', ['a', 'b.c']],
    ['.abc$$', '$$', ['.abc', '']],
    ['.$$a..', '$$', ['.', 'a..']],
    ['abc', '$$', ['abc']],
    ['a.b.c', '', ['a', '.', 'b', '.', 'c']],
    ['..a..', '', ['.', '.', 'a', '.', '.']],
    [',A,', ',', ['', 'A', '']],
  ])('SPLIT(%j, %j)', (message, delimiter, expected) => {
    expect(call('SPLIT', str(message), str(delimiter))).toEqual(expected);
  });
});

describe('INITCAP (initcap.json), REPLACE (replace.json)', () => {
  it.each([
    ['some_string', 'Some_string'],
    [null, null],
    ['the   Quick br0wn fOx', 'The   Quick Br0wn Fox'],
  ])('INITCAP(%j) = %j', (source, expected) => {
    expect(call('INITCAP', str(source))).toBe(expected);
  });

  it('REPLACE takes the target literally, everywhere', () => {
    const message = '{"messageID": "ID:1","text": "{\\"widget\\": 10}"}';
    const once = call('REPLACE', str(message), str('"text": "{'), str('"text": {')) as string;
    const twice = call('REPLACE', str(once), str('\\"'), str('"')) as string;
    expect(call('REPLACE', str(twice), str('"}'), str('}'))).toBe(
      '{"messageID": "ID:1","text": {"widget": 10}}',
    );
    expect(call('REPLACE', str('a.b.c'), str('.'), str('$&'))).toBe('a$&b$&c');
  });
});

describe('SPLIT_TO_MAP (split-to-map.json)', () => {
  const m = (o: Record<string, string>): Map<string, string> => new Map(Object.entries(o));
  const fruit = 'apple:green/banana:yellow/cherry:red';
  it.each([
    [fruit, '/', ':', m({ apple: 'green', banana: 'yellow', cherry: 'red' })],
    [fruit, '&&', ':', m({ apple: 'green/banana' })],
    [
      'apple:green//banana:yellow//cherry:red/',
      '/',
      ':',
      m({ apple: 'green', banana: 'yellow', cherry: 'red' }),
    ],
    [fruit, '/', '=', m({})],
    [fruit, '', ':', null],
    [fruit, '/', '', null],
    [fruit, null, ':', null],
    ['', '/', ':', m({})],
    [null, '/', ':', null],
  ])('(%j, %j, %j)', (input, entry, kv, expected) => {
    expect(call('SPLIT_TO_MAP', str(input), str(entry), str(kv))).toEqual(expected);
  });
});
