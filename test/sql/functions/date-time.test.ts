// Date and time functions against rows of ksqlDB's cases (the file and case named above each table).
import { describe, expect, it } from 'vitest';
import { INTERVAL_UNIT_ARG } from '../../../src/sql/functions/index.js';
import { SqlTypes } from '../../../src/sql/types/index.js';
import { bigint, call, int, str, type TypedArg } from './helpers.js';

const ts = (v: number | null): TypedArg => [v, SqlTypes.TIMESTAMP];
const date = (v: number | null): TypedArg => [v, SqlTypes.DATE];
const time = (v: number | null): TypedArg => [v, SqlTypes.TIME];
const unit = (u: string): TypedArg => [u, INTERVAL_UNIT_ARG];

describe('UNIX_TIMESTAMP, UNIX_DATE, FROM_UNIXTIME, FROM_DAYS', () => {
  it('now is after 100 (unix-timestamp.json, unix-date.json)', () => {
    expect(call('UNIX_TIMESTAMP') as bigint).toBeGreaterThan(100n);
    expect(call('UNIX_DATE') as number).toBeGreaterThan(100);
  });
  it.each([100, 1589234313000])('converts %j', (ms) => {
    expect(call('UNIX_TIMESTAMP', ts(ms))).toBe(BigInt(ms));
    expect(call('FROM_UNIXTIME', bigint(BigInt(ms)))).toBe(ms);
  });
  it('days (unix-date.json, from-days.json)', () => {
    expect(call('UNIX_DATE', date(10))).toBe(10);
    expect(call('FROM_DAYS', int(-10))).toBe(-10);
    expect(call('UNIX_TIMESTAMP', ts(null))).toBeNull();
  });
});

describe('FORMAT_TIMESTAMP, TIMESTAMPTOSTRING (timestamp-to-string.json)', () => {
  it('prints in a zone with its abbreviation', () => {
    const pattern = str('yyyy-MM-dd HH:mm:ss zzz');
    expect(call('FORMAT_TIMESTAMP', ts(1526075913000), pattern, str('America/Los_Angeles'))).toBe(
      '2018-05-11 14:58:33 PDT',
    );
    expect(call('TIMESTAMPTOSTRING', bigint(1526075913000n), pattern, str('Europe/London'))).toBe(
      '2018-05-11 22:58:33 BST',
    );
    expect(call('FORMAT_TIMESTAMP', ts(1526075913000), str('yyyy-MM-dd HH:mm:ss'))).toBe(
      '2018-05-11 21:58:33',
    );
    expect(call('FORMAT_TIMESTAMP', ts(null), str('yyyy'))).toBeNull();
  });
  it('prints fractions, offsets, names', () => {
    const t = ts(1526075913045);
    expect(call('FORMAT_TIMESTAMP', t, str("yyyy-MM-dd'T'HH:mm:ss.SSSXXX"), str('+05:30'))).toBe(
      '2018-05-12T03:28:33.045+05:30',
    );
    expect(call('FORMAT_TIMESTAMP', t, str('EEE, d MMM yy h:mm a Z'))).toBe('Fri, 11 May 18 9:58 PM +0000');
    expect(call('FORMAT_TIMESTAMP', t, str('EEEE MMMM X'))).toBe('Friday May Z');
  });
});

describe('PARSE_TIMESTAMP, STRINGTOTIMESTAMP (stringtimestamp.json, timestampformat.json)', () => {
  it.each([
    ['2018-05-11T21:58:33Z', 1526075913000],
    ['2019-05-11T21:58:33Z', 1557611913000],
    ['2020-05-11T21:58:33z', 1589234313000],
  ])('STRINGTOTIMESTAMP(%j) = %j', (s, expected) => {
    expect(call('STRINGTOTIMESTAMP', str(s), str("yyyy-MM-dd'T'HH:mm:ssX"))).toBe(BigInt(expected));
  });
  it.each([
    ['2018-05-11T21:58:33', 1526075913000],
    ['2020-05-11T21:58:33', 1589234313000],
  ])('PARSE_TIMESTAMP(%j)', (s, expected) => {
    expect(call('PARSE_TIMESTAMP', str(s), str("yyyy-MM-dd'T'HH:mm:ss"))).toBe(expected);
  });
  it.each([
    ['2018-05-11T21:58:33 PST', 1526101113000],
    ['2019-05-11T21:58:33 PST', 1557637113000],
    ['2020-05-11T21:58:33 PST', 1589259513000],
  ])('PARSE_TIMESTAMP(%j) with a zone name', (s, expected) => {
    expect(call('PARSE_TIMESTAMP', str(s), str("yyyy-MM-dd'T'HH:mm:ss zzz"))).toBe(expected);
  });
  it('parses in the given zone, and fails on text that does not fit', () => {
    expect(
      call(
        'PARSE_TIMESTAMP',
        str('2018-05-11 14:58:33'),
        str('yyyy-MM-dd HH:mm:ss'),
        str('America/Los_Angeles'),
      ),
    ).toBe(1526075913000);
    expect(() => call('PARSE_TIMESTAMP', str('not a timestamp'), str('yyyy'))).toThrow(/could not be parsed/);
  });
});

describe('dates (stringdate.json, parse-date.json, datestring.json, format-date.json)', () => {
  it.each([
    ['2018-05-11Lit', "yyyy-MM-dd'Lit'", 17662],
    ['11/05/2019', 'dd/MM/yyyy', 18027],
    ['01-Jan-2022', 'dd-MMM-yyyy', 18993],
    ['01-01-1970', 'dd-MM-yyyy', 0],
    ['01-JAN-2022', 'dd-MMM-yyyy', 18993],
    ['JAN-2022', 'MMM-yyyy', 18993],
    ['20220101', 'yyyyMMdd', 18993],
  ])('PARSE_DATE(%j, %j) = %j', (s, pattern, days) => {
    expect(call('PARSE_DATE', str(s), str(pattern))).toBe(days);
    expect(call('STRINGTODATE', str(s), str(pattern))).toBe(days);
  });
  it('PARSE_DATE reads a date at the start of longer text (null.json: coalesce - with parse_date)', () => {
    expect(call('PARSE_DATE', str('2003-12-24-01-01'), str('yyyy-MM-dd'))).toBe(12410);
  });
  it.each([
    [17662, 'yyyy-MM-dd', '2018-05-11'],
    [18027, 'dd/MM/yyyy', '11/05/2019'],
    [18993, 'dd-MMM-yyyy', '01-Jan-2022'],
    [0, 'dd-MM-yyyy', '01-01-1970'],
    [-1, "dd-MM-yyyy'Sophia'", '31-12-1969Sophia'],
  ])('FORMAT_DATE(%j, %j) = %j', (days, pattern, expected) => {
    expect(call('FORMAT_DATE', date(days), str(pattern))).toBe(expected);
    expect(call('DATETOSTRING', int(days), str(pattern))).toBe(expected);
  });
});

describe('times (format-time.json)', () => {
  it.each([
    [65000, 'HH_mm_ss_SSS', '00_01_05_000'],
    [1234567, "HHmmss'AAAAA'", '002034AAAAA'],
    [0, 'HH:mm:ss', '00:00:00'],
  ])('FORMAT_TIME(%j, %j) = %j', (ms, pattern, expected) => {
    expect(call('FORMAT_TIME', time(ms), str(pattern))).toBe(expected);
    // Read back, to the precision the pattern keeps.
    expect(call('PARSE_TIME', str(expected), str(pattern))).toBe(
      pattern.includes('S') ? ms : ms - (ms % 1000),
    );
  });
  it('NULL time', () => {
    expect(call('FORMAT_TIME', time(null), str('HH:mm:ss'))).toBeNull();
  });
});

describe('CONVERT_TZ (convert-tz.json)', () => {
  it.each([
    ['+0200', '+0500'],
    ['America/Los_Angeles', 'America/New_York'],
  ])('%s to %s', (from, to) => {
    expect(call('CONVERT_TZ', ts(100), str(from), str(to))).toBe(10800100);
    expect(call('CONVERT_TZ', ts(1589234313000), str(from), str(to))).toBe(1589245113000);
    expect(call('CONVERT_TZ', ts(null), str(from), str(to))).toBeNull();
  });
});

describe('TIMESTAMPADD/SUB, DATEADD/SUB, TIMEADD/SUB (timestampadd.json ... timesub.json)', () => {
  it('adds and subtracts milliseconds and days', () => {
    expect(call('TIMESTAMPADD', unit('MILLISECONDS'), int(-5), ts(5))).toBe(0);
    expect(call('TIMESTAMPADD', unit('MILLISECONDS'), int(-5), ts(2))).toBe(-3);
    expect(call('TIMESTAMPSUB', unit('MILLISECONDS'), int(-5), ts(-100))).toBe(-95);
    expect(call('TIMESTAMPSUB', unit('MILLISECONDS'), int(10), ts(20))).toBe(10);
    expect(call('DATEADD', unit('DAYS'), int(10), date(10))).toBe(20);
    expect(call('DATESUB', unit('DAYS'), int(10), date(40))).toBe(30);
    expect(call('DATESUB', unit('DAYS'), int(10), date(5))).toBe(-5);
    expect(call('DATESUB', unit('DAYS'), int(-5), date(-5))).toBe(0);
    expect(call('TIMESUB', unit('MILLISECONDS'), int(10), time(5))).toBe(86399995);
    expect(call('TIMESUB', unit('MILLISECONDS'), int(-5), time(86399997))).toBe(2);
    expect(call('TIMEADD', unit('SECONDS'), int(1), time(0))).toBe(1000);
  });
  it('gives NULL for a NULL interval or value', () => {
    expect(call('TIMESTAMPADD', unit('MILLISECONDS'), int(null), ts(5))).toBeNull();
    expect(call('DATEADD', unit('MILLISECONDS'), int(5), date(null))).toBeNull();
  });
  it('refuses a value where the unit goes, as ksqlDB', () => {
    expect(() => call('TIMESTAMPADD', ts(1), int(5), ts(1))).toThrow(
      /Function 'timestampadd' does not accept parameters \(TIMESTAMP, INTEGER, TIMESTAMP\)/,
    );
  });
});
