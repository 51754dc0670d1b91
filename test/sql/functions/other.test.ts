// CHR, UUID, MASK*, GEO_DISTANCE, URL_*, TO_BYTES/FROM_BYTES, ENCODE, *_FROM_BYTES against rows of ksqlDB's
// cases (chr.json, geodistance.json, url.json, bytes-and-strings.json, encode.json) and its documentation.
import { describe, expect, it } from 'vitest';
import { SqlTypes, type SqlValue } from '../../../src/sql/types/index.js';
import { call, double, int, str, type TypedArg } from './helpers.js';

const b64 = (v: string | null): TypedArg => [
  v === null ? null : new Uint8Array(Buffer.from(v, 'base64')),
  SqlTypes.BYTES,
];
const toB64 = (v: SqlValue): string | null =>
  v === null ? null : Buffer.from(v as Uint8Array).toString('base64');

describe('CHR (chr.json)', () => {
  it.each([
    [75, 'K'],
    [22909, '好'],
    [99000, '𘊸'],
    [-1, null],
    [null, null],
  ])('CHR(%j) = %j', (code, expected) => {
    expect(call('CHR', int(code))).toBe(expected);
  });
  it.each([
    ['\\u004b', 'K'],
    ['\\u597d', '好'],
    ['\\ud820\\udeb8', '𘊸'],
    ['75', null],
    ['004b', null],
    ['bogus', null],
    ['', null],
    [null, null],
  ])('CHR(%j) = %j', (code, expected) => {
    expect(call('CHR', str(code))).toBe(expected);
  });
});

describe('UUID', () => {
  it('is random, or the form of 16 bytes', () => {
    expect(call('UUID')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(call('UUID')).not.toBe(call('UUID'));
    const bytes = Buffer.from('0123456789abcdef0123456789abcdef', 'hex').toString('base64');
    expect(call('UUID', b64(bytes))).toBe('01234567-89ab-cdef-0123-456789abcdef');
  });
});

describe('MASK family (ksqlDB documentation examples)', () => {
  it('masks by character class, with replacements or NULL to keep a class', () => {
    expect(call('MASK', str('AbCd#$123xy Z'))).toBe('XxXx--nnnxx-X');
    expect(call('MASK', str('AbCd#$123xy Z'), str('Q'), str('q'), str('9'), str('@'))).toBe('QqQq@@999qq@Q');
    expect(call('MASK', str('AbCd#$123xy Z'), str('Q'), null, str('9'), null)).toBe('QbQd#$999xy Q');
    expect(call('MASK_KEEP_LEFT', str('AbCd#$123xy Z'), int(5))).toBe('AbCd#-nnnxx-X');
    expect(call('MASK_KEEP_RIGHT', str('AbCd#$123xy Z'), int(5))).toBe('XxXx--nn3xy Z');
    expect(call('MASK_LEFT', str('AbCd#$123xy Z'), int(5))).toBe('XxXx-$123xy Z');
    expect(call('MASK_RIGHT', str('AbCd#$123xy Z'), int(5))).toBe('AbCd#$12nxx-X');
    expect(call('MASK', str(null))).toBeNull();
  });
});

describe('GEO_DISTANCE (geodistance.json)', () => {
  it.each([
    [37.4439, -122.1663, 51.5257, -0.1122, 8634.659796579544],
    [51.5257, -0.1122, -33.9323, 18.4197, 9673.40421197142],
    [-33.9323, 18.4197, -33.8666, 151.1, 11005.23304055582],
    [39.18660374, -76.73262144, 39.18660374, -76.73222145, 0.03447366811448324],
  ])('(%j, %j, %j, %j) = %j', (a, b, c, d, expected) => {
    // The JVM and V8 may differ in the last bit of sin and cos.
    expect(call('GEO_DISTANCE', double(a), double(b), double(c), double(d))).toBeCloseTo(expected, 9);
  });
  it('in miles, and refuses other units', () => {
    expect(call('GEO_DISTANCE', double(0), double(0), double(0), double(1), str('MI'))).toBeCloseTo(69.1, 1);
    expect(() => call('GEO_DISTANCE', double(0), double(0), double(0), double(1), str('parsecs'))).toThrow();
  });
});

describe('URL functions (url.json)', () => {
  it('extracts parts', () => {
    expect(call('URL_EXTRACT_FRAGMENT', str('http://www.test.com/?query#fragment'))).toBe('fragment');
    expect(call('URL_EXTRACT_FRAGMENT', str('http://www.nofragment.com'))).toBeNull();
    expect(
      call(
        'URL_DECODE_PARAM',
        str(
          call(
            'URL_EXTRACT_PARAMETER',
            str('http://www.test.com/?one=a&two=url%20encoded'),
            str('two'),
          ) as string,
        ),
      ),
    ).toBe('url encoded');
    expect(call('URL_EXTRACT_PATH', str('http://www.test.com?query#fragment'))).toBe('');
    expect(call('URL_EXTRACT_PATH', str('http://www.test.com/path?query'))).toBe('/path');
    expect(call('URL_EXTRACT_PATH', str('http://test@confluent.io:8080/nested/path?query&jobs'))).toBe(
      '/nested/path',
    );
    expect(call('URL_EXTRACT_PORT', str('http://test@confluent.io'))).toBeNull();
    expect(call('URL_EXTRACT_PORT', str('http://test@confluent.io:8080/nested/path?query&jobs'))).toBe(8080);
    expect(call('URL_EXTRACT_PROTOCOL', str('https://test@confluent.io:8080/nested/path?query&jobs'))).toBe(
      'https',
    );
    expect(call('URL_EXTRACT_PROTOCOL', str('www.confluent.io'))).toBeNull();
    expect(call('URL_EXTRACT_QUERY', str('http://www.test.com/path?q1&q2'))).toBe('q1&q2');
    expect(call('URL_EXTRACT_QUERY', str('http://test@confluent.io:8080/path'))).toBeNull();
    expect(call('URL_EXTRACT_HOST', str('http://test@confluent.io:8080/path'))).toBe('confluent.io');
  });
  it('encodes parameters as Java URLEncoder', () => {
    expect(call('URL_ENCODE_PARAM', str('url encoded?&é'))).toBe('url+encoded%3F%26%C3%A9');
    expect(call('URL_DECODE_PARAM', str('url+encoded%3F%26%C3%A9'))).toBe('url encoded?&é');
  });
});

describe('TO_BYTES, FROM_BYTES, ENCODE, *_FROM_BYTES (bytes-and-strings.json, encode.json)', () => {
  it.each([
    ['hex', '21', 'IQ=='],
    ['hex', '1aB2', 'GrI='],
    ['ascii', '!', 'IQ=='],
    ['utf8', '#', 'Iw=='],
    ['base64', 'IQ==', 'IQ=='],
  ])('%s: %j <-> %j', (encoding, text, bytes) => {
    expect(toB64(call('TO_BYTES', str(text), str(encoding)))).toBe(bytes);
    const back = call('FROM_BYTES', b64(bytes), str(encoding));
    expect(back).toBe(encoding === 'hex' ? text.toUpperCase() : text);
  });
  it('numbers from bytes, big-endian by default', () => {
    expect(call('INT_FROM_BYTES', b64('AAAH5Q=='))).toBe(2021);
    expect(call('BIGINT_FROM_BYTES', b64('AAAAASoF8gA='))).toBe(5000000000n);
    expect(call('DOUBLE_FROM_BYTES', b64('QICm/ZvJ9YI='))).toBe(532.8738323);
    expect(call('INT_FROM_BYTES', b64('5QcAAA=='), str('LITTLE_ENDIAN'))).toBe(2021);
    expect(() => call('INT_FROM_BYTES', b64('AAE='))).toThrow(/equal to 4/);
  });
  it('ENCODE re-encodes, NULL for an unknown encoding', () => {
    expect(call('ENCODE', str('RXhhbXBsZSE='), str('base64'), str('utf8'))).toBe('Example!');
    expect(call('ENCODE', str('Example!'), str('utf8'), str('hex'))).toBe('4578616D706C6521');
    expect(call('ENCODE', str('RXhhbXBsZSE='), str('base64'), str('null'))).toBeNull();
    expect(call('ENCODE', str(null), str('base64'), str('utf8'))).toBeNull();
  });
});

describe('GREATEST, LEAST (greatest.json, least.json)', () => {
  it('ignore NULLs and widen to the common type', () => {
    expect(call('GREATEST', int(2147483647), int(-2147483648), int(null), null, int(5))).toBe(2147483647);
    expect(
      call('GREATEST', str('apple'), str('banana'), str('aardvark'), str(null), null, null, str('hello')),
    ).toBe('hello');
    expect(call('GREATEST', str('!'), str('zebra'), str('aardvark'))).toBe('zebra');
    expect(call('LEAST', double(50000.555), double(-99999.555), double(null), null)).toBe(-99999.555);
    expect(call('LEAST', int(1), [-1000000000000n, SqlTypes.BIGINT], double(-99999.99999))).toBe(
      -1000000000000,
    );
    expect(() => call('GREATEST', null, null)).toThrow(/does not accept/);
    expect(() => call('GREATEST', str('a'), int(1))).toThrow(
      /does not accept parameters \(STRING, INTEGER\)/,
    );
  });
});
