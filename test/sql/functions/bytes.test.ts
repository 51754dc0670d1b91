// The BYTES forms of the string functions, against rows of ksqlDB's cases (substring.json, concat.json,
// split.json, bytes-lpad-rpad.json). As in those files, bytes are written in base64.
import { describe, expect, it } from 'vitest';
import { SqlTypes, type SqlValue } from '../../../src/sql/types/index.js';
import { call, int, type TypedArg } from './helpers.js';

const b64 = (v: string | null): TypedArg => [
  v === null ? null : new Uint8Array(Buffer.from(v, 'base64')),
  SqlTypes.BYTES,
];
const utf8 = (v: string): TypedArg => [new Uint8Array(Buffer.from(v, 'utf8')), SqlTypes.BYTES];
const toB64 = (v: SqlValue): string | null =>
  v === null ? null : Buffer.from(v as Uint8Array).toString('base64');

describe('SUBSTRING on BYTES (substring.json)', () => {
  it.each([
    ['c29tZV9zdHJpbmc=', 'c3RyaW5n', 'c3Ry'],
    ['YW5vdGhlcg==', 'ZXI=', 'ZXI='],
    ['c2hvcnQ=', '', ''],
    [null, null, null],
  ])('SUBSTRING(%j, 6) = %j, SUBSTRING(.., 6, 3) = %j', (source, fromSix, threeFromSix) => {
    expect(toB64(call('SUBSTRING', b64(source), int(6)))).toBe(fromSix);
    expect(toB64(call('SUBSTRING', b64(source), int(6), int(3)))).toBe(threeFromSix);
    expect(call('SUBSTRING', b64(source), null)).toBeNull();
    expect(call('SUBSTRING', b64(source), int(6), null)).toBeNull();
  });
});

describe('CONCAT, CONCAT_WS on BYTES (concat.json)', () => {
  it.each([
    ['YQ==', 'Yg==', 'eWVz', 'bm8=', 'YmF5ZXNhbm8='],
    ['YQ==', 'Yg==', '', 'bm8=', 'YmFhbm8='],
    ['YQ==', null, null, null, ''],
    [null, 'Yg==', 'eWVz', 'bm8=', null],
  ])('CONCAT_WS(%j, %j, %j, NULL, %j) = %j', (sep, c1, c2, c3, expected) => {
    expect(toB64(call('CONCAT_WS', b64(sep), b64(c1), b64(c2), null, b64(c3)))).toBe(expected);
  });

  it.each([
    ['eWVz', 'bm8=', 'eWVzbm8='],
    ['', 'bm8=', 'bm8='],
  ])('CONCAT(%j, NULL, %j) = %j', (c1, c2, expected) => {
    expect(toB64(call('CONCAT', b64(c1), null, b64(c2)))).toBe(expected);
  });
});

describe('SPLIT, LEN on BYTES (split.json)', () => {
  it.each([
    ['YSQkYi5j', '$$', ['YQ==', 'Yi5j']],
    ['LmFiYyQk', '$$', ['LmFiYw==', '']],
    ['YWJj', '$$', ['YWJj']],
    ['YS5iLmM=', '', ['YQ==', 'Lg==', 'Yg==', 'Lg==', 'Yw==']],
    ['LEEs', ',', ['', 'QQ==', '']],
  ])('SPLIT(%j, %j)', (b, delimiter, expected) => {
    const parts = call('SPLIT', b64(b), utf8(delimiter)) as SqlValue[];
    expect(parts.map(toB64)).toEqual(expected);
  });

  it('LEN counts bytes', () => {
    expect(call('LEN', utf8('héllo'))).toBe(6);
  });
});

describe('LPAD, RPAD on BYTES (bytes-lpad-rpad.json)', () => {
  // subject, len, padding, LPAD, RPAD
  const rows: ReadonlyArray<
    readonly [string | null, number | null, string | null, string | null, string | null]
  > = [
    ['eWVz', 8, 'bm8=', 'bm9ub255ZXM=', 'eWVzbm9ub24='],
    ['eWVz', 5, 'bm8=', 'bm95ZXM=', 'eWVzbm8='],
    ['eWVz', 3, 'bm8=', 'eWVz', 'eWVz'],
    ['eWVz', 2, 'bm8=', 'eWU=', 'eWU='],
    ['eWVz', 0, 'bm8=', '', ''],
    ['eWVz', -1, 'bm8=', null, null],
    ['eWVz', 3, '', null, null],
    [null, 8, 'bm8=', null, null],
    ['eWVz', null, 'bm8=', null, null],
    ['eWVz', 8, null, null, null],
  ];
  it.each(rows)('(%j, %j, %j)', (subject, len, padding, lpad, rpad) => {
    expect(toB64(call('LPAD', b64(subject), int(len), b64(padding)))).toBe(lpad);
    expect(toB64(call('RPAD', b64(subject), int(len), b64(padding)))).toBe(rpad);
  });
});
