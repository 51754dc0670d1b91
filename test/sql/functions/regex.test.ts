// Regular-expression functions against rows of ksqlDB's regex.json and replace.json, copied as data.
import { describe, expect, it } from 'vitest';
import { call, int, str } from './helpers.js';

describe('REGEXP_EXTRACT (regex.json)', () => {
  it.each([
    ['some_test_string', 'test_'],
    ['anothertest', null],
    ['testa', 'testa'],
    ['nothing', null],
    [null, null],
  ])("REGEXP_EXTRACT('test.', %j) = %j", (input, expected) => {
    expect(call('REGEXP_EXTRACT', str('test.'), str(input))).toBe(expected);
  });

  it.each([
    ['steven zhang', 'zhang'],
    ['andy coates', 'coates'],
    ['agavra', null],
    [null, null],
  ])(
    "REGEXP_EXTRACT('(.*) (.*)', %j, 2) = %j, and nested in REGEXP_EXTRACT('.*', ...)",
    (input, expected) => {
      const inner = call('REGEXP_EXTRACT', str('(.*) (.*)'), str(input), int(2));
      expect(inner).toBe(expected);
      expect(call('REGEXP_EXTRACT', str('.*'), str(inner as string | null))).toBe(expected);
    },
  );

  it('says so when the pattern is not valid or the group does not exist', () => {
    expect(() => call('REGEXP_EXTRACT', str('(a'), str('a'))).toThrow(
      /Invalid regular expression pattern '\(a'/,
    );
    expect(() => call('REGEXP_EXTRACT', str('(a)'), str('a'), int(2))).toThrow(/group 2 does not exist/);
  });
});

describe('REGEXP_REPLACE (replace.json "regexp_replace")', () => {
  it.each([
    ['baababaa', '(ab)+', 'bacataa'],
    ['baabbabaa', '(ab)+', 'bacatbcataa'],
    [null, '(ab)+', null],
    ['baababaa', null, null],
  ])("REGEXP_REPLACE(%j, %j, 'cat') = %j", (input, pattern, expected) => {
    expect(call('REGEXP_REPLACE', str(input), str(pattern), str('cat'))).toBe(expected);
  });

  it('replaces groups with $n', () => {
    expect(call('REGEXP_REPLACE', str('john smith'), str('(\\w+) (\\w+)'), str('$2, $1'))).toBe(
      'smith, john',
    );
  });
});

describe('Java-compatible escapes', () => {
  it('accepts escaped punctuation such as \\_ and \\-', () => {
    expect(call('REGEXP_EXTRACT', str('a\\_b\\-c'), str('xa_b-cx'))).toBe('a_b-c');
  });
});

describe('REGEXP_EXTRACT_ALL, REGEXP_SPLIT_TO_ARRAY (regex.json, split.json)', () => {
  it.each([
    ['some_test_string_testabab', ['test_', 'testa']],
    ['anothertest', []],
    ['testa', ['testa']],
    [null, null],
  ])('REGEXP_EXTRACT_ALL(test., %j)', (input, expected) => {
    expect(call('REGEXP_EXTRACT_ALL', str('test.'), str(input))).toEqual(expected);
  });
  it.each([
    ['steven zhang andy coates', ['zhang', 'coates']],
    ['apurva mehta agavra ', ['mehta', '']],
    ['agavra', []],
  ])('REGEXP_EXTRACT_ALL with a group, %j', (input, expected) => {
    expect(call('REGEXP_EXTRACT_ALL', str('(\\w+) (\\w*)'), str(input), int(2))).toEqual(expected);
  });
  it.each([
    ['aabcda', '(ab|cd)', ['a', '', 'a']],
    ['aabdcda', '(ab|cd)', ['a', 'd', 'a']],
    ['zxy', '(ab|cd)', ['zxy']],
    [null, '(ab|cd)', null],
    ['zxy', null, null],
  ])('REGEXP_SPLIT_TO_ARRAY(%j, %j)', (input, pattern, expected) => {
    expect(call('REGEXP_SPLIT_TO_ARRAY', str(input), str(pattern))).toEqual(expected);
  });
});
