// ksqlDB lets a WHERE compare ROWTIME, WINDOWSTART and WINDOWEND (BIGINT epoch ms) with datetime text:
// `ROWTIME > '2018-01-01T00:00:00.001'`, `WINDOWSTART BETWEEN '2020-02-10T08:31' AND '2020-02-11'`. The
// text may be partial (a year, a date, part of a time), may end in Z or a numeric offset (+0445), and is
// UTC otherwise. Each such string literal is replaced by its epoch milliseconds before the WHERE is
// compiled, anywhere in the expression, as ksqlDB's rewrite of "magic" pseudo-timestamps does.
import { zoneOf } from '../functions/time-zones.js';
import type { Expression, NumberLiteral } from '../parser/index.js';
import { SqlAnalysisError } from './errors.js';

const TIME_COLUMNS = new Set(['ROWTIME', 'WINDOWSTART', 'WINDOWEND']);
const TIME_TEMPLATE = '00:00:00.000';
const FULL = /^(\d{4,9})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})$/;
const FORMAT_HELP =
  `\nRequired format is: "yyyy-MM-dd'T'HH:mm:ss.SSS", with an optional numeric 4-digit timezone, ` +
  `for example: '2020-05-26T23:59:58.000' or with tz: '2020-05-26T23:59:58.000+0200'. ` +
  `A trailing 'Z' instead of tz indicates the zero UTC offset. Partials are also supported, for example "2020-05-26"`;

/** A date without a time gets its missing month and day: '2018' is '2018-01-01'. */
function completeDate(date: string): string {
  const parts = date.split('-').length;
  return parts === 1 ? `${date}-01-01` : parts === 2 ? `${date}-01` : date;
}

/** A time gets the rest of HH:mm:ss.SSS as zeros: '23:45' is '23:45:00.000'. */
function completeTime(time: string): string {
  return time.length >= TIME_TEMPLATE.length ? time : time + TIME_TEMPLATE.slice(time.length);
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Epoch ms of `yyyy-MM-ddTHH:mm:ss.SSS` read as local time at `offsetMinutes`; hour 24 is the next day. */
function readFull(text: string, offsetOf: (localMs: number) => number): number {
  const match = FULL.exec(text);
  if (match === null) throw new Error(`Text '${text}' could not be parsed`);
  const [year, month, day, hour, minute, second, millis] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const invalid = (field: string, range: string, value: number): Error =>
    new Error(
      `Text '${text}' could not be parsed: Invalid value for ${field} (valid values ${range}): ${value}`,
    );
  if (month < 1 || month > 12) throw invalid('MonthOfYear', '1 - 12', month);
  if (day < 1 || day > 31) throw invalid('DayOfMonth', '1 - 28/31', day);
  if (hour > 24 || (hour === 24 && minute + second + millis > 0)) throw invalid('HourOfDay', '0 - 23', hour);
  if (minute > 59) throw invalid('MinuteOfHour', '0 - 59', minute);
  if (second > 59) throw invalid('SecondOfMinute', '0 - 59', second);
  // Java's default (smart) resolution moves a day past the month's end back to its last day.
  const date = Date.UTC(year, month - 1, Math.min(day, daysIn(year, month)));
  const local = date + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  return local - offsetOf(local) * 60_000;
}

/**
 * Epoch ms of datetime text as ksqlDB reads it next to ROWTIME or a window bound: `yyyy-MM-ddTHH:mm:ss.SSS`
 * or a prefix of it, with an optional trailing Z or offset after the time. Throws ksqlDB's message.
 */
export function partialTimestampMillis(text: string): number {
  let date: string;
  let time: string;
  let zone = '';
  const t = text.indexOf('T');
  if (t >= 0) {
    date = text.slice(0, t);
    const rest = text.slice(t + 1);
    const sign = rest.includes('+') ? rest.indexOf('+') : rest.indexOf('-');
    zone = sign >= 0 ? rest.slice(sign) : '';
    time = completeTime(rest.slice(0, rest.length - zone.length).replace(/Z$/, ''));
  } else {
    date = completeDate(text);
    time = TIME_TEMPLATE;
  }
  try {
    let offsetOf: (localMs: number) => number = () => 0;
    if (zone.trim() !== '') {
      let parsed;
      try {
        parsed = zoneOf(zone);
      } catch (error) {
        throw new Error(`Failed to parse timezone '${zone}': ${(error as Error).message}`, {
          cause: error,
        });
      }
      // The zone text starts with its sign: a fixed offset.
      offsetOf = (localMs) => parsed.offsetMinutes(localMs);
    }
    return readFull(`${date}T${time}`, offsetOf);
  } catch (error) {
    throw new Error(`Failed to parse timestamp '${text}': ${(error as Error).message}${FORMAT_HELP}`, {
      cause: error,
    });
  }
}

function isTimeColumn(e: Expression): boolean {
  return e.kind === 'ColumnRef' && TIME_COLUMNS.has(e.name.value);
}

function asMillis(e: Expression): Expression {
  if (e.kind !== 'StringLiteral') return e;
  let millis: number;
  try {
    millis = partialTimestampMillis(e.value);
  } catch (error) {
    throw new SqlAnalysisError((error as Error).message, e.pos);
  }
  const literal: NumberLiteral = { kind: 'NumberLiteral', type: 'BIGINT', text: String(millis), pos: e.pos };
  return literal;
}

function rewriteNode(e: Expression): Expression {
  if (e.kind === 'Comparison') {
    if (isTimeColumn(e.left)) return { ...e, right: asMillis(e.right) };
    if (isTimeColumn(e.right)) return { ...e, left: asMillis(e.left) };
    return e;
  }
  if (e.kind === 'Between' && isTimeColumn(e.value)) {
    return { ...e, lower: asMillis(e.lower), upper: asMillis(e.upper) };
  }
  return e;
}

/** Rewrites every expression inside `value` (arrays, WHEN clauses, map entries), children first. */
function rewriteLoose(value: unknown): unknown {
  if (Array.isArray(value)) {
    let changed = false;
    const items = value.map((item: unknown) => {
      const next = rewriteLoose(item);
      if (next !== item) changed = true;
      return next;
    });
    return changed ? items : value;
  }
  if (typeof value !== 'object' || value === null) return value;
  const node = value as Record<string, unknown>;
  if (node.kind === 'Identifier') return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, child] of Object.entries(node)) {
    if (key === 'pos' || typeof child !== 'object' || child === null) continue;
    const next = rewriteLoose(child);
    if (next !== child) (copy ??= { ...node })[key] = next;
  }
  const result = copy ?? node;
  return typeof result.kind === 'string' ? rewriteNode(result as unknown as Expression) : result;
}

/** The expression with datetime text compared with ROWTIME, WINDOWSTART or WINDOWEND as epoch ms. */
export function magicTimestampLiterals(expression: Expression): Expression {
  return rewriteLoose(expression) as Expression;
}
