// Date and time functions. DATE is days since 1970-01-01, TIME ms since midnight, TIMESTAMP ms since the
// epoch (see types/values.ts); the older BIGINT/INTEGER forms (TIMESTAMPTOSTRING, STRINGTODATE, ...) use
// the same numbers. Patterns are Java's (date-time-format.ts); zones are Java zone ids (time-zones.ts), UTC
// when not given.
import { SqlTypes, type SqlType, type SqlValue } from '../types/index.js';
import { formatInstant, parseInstant } from './date-time-format.js';
import { INTERVAL_UNIT, type FunctionOverload, type Param, type SqlFunction } from './registry.js';
import { UTC, zoneOf } from './time-zones.js';

const { STRING, INTEGER, BIGINT, DATE, TIME, TIMESTAMP } = SqlTypes;
const DAY_MS = 86_400_000;

const num = (v: SqlValue | undefined): number => Number(v);
const text = (v: SqlValue | undefined): string => v as string;
const zone = (v: SqlValue | undefined): ReturnType<typeof zoneOf> =>
  v === undefined ? UTC : zoneOf(text(v));

const UNIT_MS: Readonly<Record<string, number>> = {
  MILLISECONDS: 1,
  SECONDS: 1000,
  MINUTES: 60_000,
  HOURS: 3_600_000,
  DAYS: DAY_MS,
};
const unitMs = (unit: SqlValue | undefined): number => {
  const ms = UNIT_MS[String(unit)];
  if (ms === undefined) throw new Error(`Unknown time unit: ${String(unit)}`);
  return ms;
};

function overload(
  params: ReadonlyArray<readonly [string, SqlType | typeof INTERVAL_UNIT]>,
  returns: SqlType,
  invoke: (args: readonly SqlValue[]) => SqlValue,
): FunctionOverload {
  return { params: params.map(([name, type]): Param => ({ name, type })), returns, invoke };
}

/** Overloads with and without a trailing time zone argument. */
function withOptionalZone(
  params: ReadonlyArray<readonly [string, SqlType]>,
  returns: SqlType,
  invoke: (args: readonly SqlValue[]) => SqlValue,
): FunctionOverload[] {
  return [overload(params, returns, invoke), overload([...params, ['timeZone', STRING]], returns, invoke)];
}

const toBigint = (ms: number): bigint => BigInt(ms);
const floorDiv = (a: number, b: number): number => Math.floor(a / b);
const wrapTime = (ms: number): number => ((ms % DAY_MS) + DAY_MS) % DAY_MS;

/** A date-time function: DATE / TIME category. */
function dateTime(name: string, description: string, overloads: readonly FunctionOverload[]): SqlFunction {
  return { name, category: 'DATE / TIME', description, overloads };
}

function adder(name: string, description: string, type: SqlType, sign: 1 | -1): SqlFunction {
  const apply = (unit: SqlValue | undefined, interval: number, value: number): number => {
    if (type.kind === 'DATE') return value + sign * Math.trunc((interval * unitMs(unit)) / DAY_MS);
    const moved = value + sign * interval * unitMs(unit);
    return type.kind === 'TIME' ? wrapTime(moved) : moved;
  };
  return dateTime(name, description, [
    overload(
      [
        ['unit', INTERVAL_UNIT],
        ['interval', INTEGER],
        [type.kind.toLowerCase(), type],
      ],
      type,
      ([unit, interval, value]) => apply(unit, num(interval), num(value)),
    ),
    ...(type.kind === 'TIMESTAMP'
      ? [
          overload(
            [
              ['unit', INTERVAL_UNIT],
              ['interval', BIGINT],
              ['timestamp', TIMESTAMP],
            ],
            TIMESTAMP,
            ([unit, interval, value]) => apply(unit, num(interval), num(value)),
          ),
        ]
      : []),
  ]);
}

export const dateTimeFunctions: readonly SqlFunction[] = [
  {
    ...dateTime('UNIX_TIMESTAMP', 'Milliseconds since the epoch: now, or of the given TIMESTAMP.', [
      overload([], BIGINT, () => toBigint(Date.now())),
      overload([['timestamp', TIMESTAMP]], BIGINT, ([ts]) => toBigint(num(ts))),
    ]),
    nondeterministic: true,
  },
  {
    ...dateTime('UNIX_DATE', 'Days since 1970-01-01: today, or of the given DATE.', [
      overload([], INTEGER, () => floorDiv(Date.now(), DAY_MS)),
      overload([['date', DATE]], INTEGER, ([d]) => num(d)),
    ]),
    nondeterministic: true,
  },
  dateTime('FROM_UNIXTIME', 'The TIMESTAMP of a number of milliseconds since the epoch.', [
    overload([['epochMilli', BIGINT]], TIMESTAMP, ([ms]) => num(ms)),
  ]),
  dateTime('FROM_DAYS', 'The DATE a number of days after 1970-01-01.', [
    overload([['days', INTEGER]], DATE, ([d]) => num(d)),
  ]),
  dateTime(
    'FORMAT_TIMESTAMP',
    'The TIMESTAMP as text in a java.time.format.DateTimeFormatter pattern, in UTC or the given zone.',
    withOptionalZone(
      [
        ['timestamp', TIMESTAMP],
        ['formatPattern', STRING],
      ],
      STRING,
      ([ts, pattern, tz]) => formatInstant(num(ts), text(pattern), zone(tz)),
    ),
  ),
  dateTime(
    'TIMESTAMPTOSTRING',
    'Milliseconds since the epoch as text in a DateTimeFormatter pattern, in UTC or the given zone.',
    withOptionalZone(
      [
        ['epochMilli', BIGINT],
        ['formatPattern', STRING],
      ],
      STRING,
      ([ts, pattern, tz]) => formatInstant(num(ts), text(pattern), zone(tz)),
    ),
  ),
  dateTime(
    'PARSE_TIMESTAMP',
    'The TIMESTAMP written in a DateTimeFormatter pattern, in UTC or the given zone unless it names one.',
    withOptionalZone(
      [
        ['formattedTimestamp', STRING],
        ['formatPattern', STRING],
      ],
      TIMESTAMP,
      ([s, pattern, tz]) => parseInstant(text(s), text(pattern), zone(tz)),
    ),
  ),
  dateTime(
    'STRINGTOTIMESTAMP',
    'Milliseconds since the epoch of a timestamp written in a DateTimeFormatter pattern.',
    withOptionalZone(
      [
        ['formattedTimestamp', STRING],
        ['formatPattern', STRING],
      ],
      BIGINT,
      ([s, pattern, tz]) => toBigint(parseInstant(text(s), text(pattern), zone(tz))),
    ),
  ),
  dateTime('FORMAT_DATE', 'The DATE as text in a DateTimeFormatter pattern.', [
    overload(
      [
        ['date', DATE],
        ['formatPattern', STRING],
      ],
      STRING,
      ([d, pattern]) => formatInstant(num(d) * DAY_MS, text(pattern)),
    ),
  ]),
  dateTime('DATETOSTRING', 'Days since 1970-01-01 as text in a DateTimeFormatter pattern.', [
    overload(
      [
        ['epochDays', INTEGER],
        ['formatPattern', STRING],
      ],
      STRING,
      ([d, pattern]) => formatInstant(num(d) * DAY_MS, text(pattern)),
    ),
  ]),
  dateTime('PARSE_DATE', 'The DATE written in a DateTimeFormatter pattern.', [
    overload(
      [
        ['formattedDate', STRING],
        ['formatPattern', STRING],
      ],
      DATE,
      ([s, pattern]) => floorDiv(parseInstant(text(s), text(pattern), undefined, true), DAY_MS),
    ),
  ]),
  dateTime('STRINGTODATE', 'Days since 1970-01-01 of a date written in a DateTimeFormatter pattern.', [
    overload(
      [
        ['formattedDate', STRING],
        ['formatPattern', STRING],
      ],
      INTEGER,
      ([s, pattern]) => floorDiv(parseInstant(text(s), text(pattern)), DAY_MS),
    ),
  ]),
  dateTime('FORMAT_TIME', 'The TIME as text in a DateTimeFormatter pattern.', [
    overload(
      [
        ['time', TIME],
        ['formatPattern', STRING],
      ],
      STRING,
      ([t, pattern]) => formatInstant(num(t), text(pattern)),
    ),
  ]),
  dateTime('PARSE_TIME', 'The TIME written in a DateTimeFormatter pattern.', [
    overload(
      [
        ['formattedTime', STRING],
        ['formatPattern', STRING],
      ],
      TIME,
      ([s, pattern]) => wrapTime(parseInstant(text(s), text(pattern))),
    ),
  ]),
  dateTime('CONVERT_TZ', 'Moves a TIMESTAMP read as local time in one zone to the local time in another.', [
    overload(
      [
        ['timestamp', TIMESTAMP],
        ['fromTimeZone', STRING],
        ['toTimeZone', STRING],
      ],
      TIMESTAMP,
      ([ts, from, to]) => {
        const ms = num(ts);
        return ms + (zone(to).offsetMinutes(ms) - zone(from).offsetMinutes(ms)) * 60_000;
      },
    ),
  ]),
  adder('TIMESTAMPADD', 'Adds an interval in the given unit to a TIMESTAMP.', TIMESTAMP, 1),
  adder('TIMESTAMPSUB', 'Subtracts an interval in the given unit from a TIMESTAMP.', TIMESTAMP, -1),
  adder('DATEADD', 'Adds an interval in the given unit (whole days count) to a DATE.', DATE, 1),
  adder('DATESUB', 'Subtracts an interval in the given unit (whole days count) from a DATE.', DATE, -1),
  adder('TIMEADD', 'Adds an interval in the given unit to a TIME, wrapping around midnight.', TIME, 1),
  adder(
    'TIMESUB',
    'Subtracts an interval in the given unit from a TIME, wrapping around midnight.',
    TIME,
    -1,
  ),
];
