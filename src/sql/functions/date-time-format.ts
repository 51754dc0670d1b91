// Java's DateTimeFormatter patterns ('yyyy-MM-dd''T''HH:mm:ss.SSSX', 'dd-MMM-yyyy', ...), which ksqlDB's
// date and time functions take, translated for JS: a pattern is split into fields and literals once, then
// used to print an instant in a zone, or to read one back. The common letters are supported (G y u M L d D
// E a H k K h m s S n z Z X x V O); others are refused with a clear error.
import { formatOffset, localToEpoch, UTC, ZONE_ABBREVIATIONS, zoneOf, type Zone } from './time-zones.js';

type Token = { readonly literal: string } | { readonly letter: string; readonly count: number };

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const SUPPORTED = new Set('GyuYMLdDEaHkKhmsSnzZXxVO');

const patternCache = new Map<string, readonly Token[]>();

/** Splits a pattern into fields (a letter repeated) and literals (quoted, or any non-letter). */
export function tokenize(pattern: string): readonly Token[] {
  const cached = patternCache.get(pattern);
  if (cached !== undefined) return cached;
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern.charAt(i);
    if (c === "'") {
      // '' is a quote; 'text' is literal text in which '' is a quote.
      if (pattern.charAt(i + 1) === "'") {
        tokens.push({ literal: "'" });
        i += 2;
        continue;
      }
      let text = '';
      i++;
      while (i < pattern.length) {
        if (pattern.charAt(i) === "'") {
          if (pattern.charAt(i + 1) === "'") {
            text += "'";
            i += 2;
            continue;
          }
          break;
        }
        text += pattern.charAt(i++);
      }
      if (i >= pattern.length) throw new Error(`Pattern ends with an incomplete string literal: ${pattern}`);
      i++;
      tokens.push({ literal: text });
    } else if (/[A-Za-z]/.test(c)) {
      if (!SUPPORTED.has(c)) throw new Error(`Unknown pattern letter: ${c}`);
      let count = 1;
      while (pattern.charAt(i + count) === c) count++;
      tokens.push({ letter: c, count });
      i += count;
    } else if (c === '[' || c === ']') {
      // Optional sections: printed always, parsed as present (a simplification).
      i++;
    } else {
      tokens.push({ literal: c });
      i++;
    }
  }
  patternCache.set(pattern, tokens);
  return tokens;
}

const pad = (n: number, width: number): string =>
  n < 0 ? `-${String(-n).padStart(width, '0')}` : String(n).padStart(width, '0');

function offsetText(minutes: number, letter: string, count: number): string {
  if (letter === 'X' && minutes === 0) return 'Z';
  if (letter === 'Z') {
    if (count === 4) return minutes === 0 ? 'GMT' : `GMT${formatOffset(minutes, true)}`;
    if (count === 5) return minutes === 0 ? 'Z' : formatOffset(minutes, true);
    return formatOffset(minutes, false);
  }
  if (letter === 'O') {
    if (minutes === 0) return 'GMT';
    const h = Math.trunc(Math.abs(minutes) / 60);
    const m = Math.abs(minutes) % 60;
    const body = count === 4 ? `${pad(h, 2)}:${pad(m, 2)}` : m === 0 ? `${h}` : `${h}:${pad(m, 2)}`;
    return `GMT${minutes < 0 ? '-' : '+'}${body}`;
  }
  // X and x: 1 = +HH[MM], 2 = +HHMM, 3 = +HH:MM.
  if (count === 1)
    return minutes % 60 === 0 ? formatOffset(minutes, false).slice(0, 3) : formatOffset(minutes, false);
  return formatOffset(minutes, count >= 3);
}

/** Prints the instant in the zone with the pattern. */
export function formatInstant(epochMs: number, pattern: string, zone: Zone = UTC): string {
  const offset = zone.offsetMinutes(epochMs);
  const t = new Date(epochMs + offset * 60000);
  const year = t.getUTCFullYear();
  const hour = t.getUTCHours();
  let out = '';
  for (const token of tokenize(pattern)) {
    if ('literal' in token) {
      out += token.literal;
      continue;
    }
    const { letter, count } = token;
    switch (letter) {
      case 'G':
        out += year > 0 ? (count === 4 ? 'Anno Domini' : 'AD') : count === 4 ? 'Before Christ' : 'BC';
        break;
      case 'y':
      case 'u':
      case 'Y': {
        const y = letter === 'y' || letter === 'Y' ? (year > 0 ? year : 1 - year) : year;
        out += count === 2 ? pad(((y % 100) + 100) % 100, 2) : pad(y, count);
        break;
      }
      case 'M':
      case 'L': {
        const m = t.getUTCMonth();
        out += count >= 4 ? MONTHS[m] : count === 3 ? MONTHS[m]?.slice(0, 3) : pad(m + 1, count);
        break;
      }
      case 'd':
        out += pad(t.getUTCDate(), count);
        break;
      case 'D':
        out += pad(Math.floor((t.getTime() - Date.UTC(year, 0, 1)) / 86_400_000) + 1, count);
        break;
      case 'E': {
        const day = DAYS[t.getUTCDay()] ?? '';
        out += count >= 4 ? day : day.slice(0, 3);
        break;
      }
      case 'a':
        out += hour < 12 ? 'AM' : 'PM';
        break;
      case 'H':
        out += pad(hour, count);
        break;
      case 'k':
        out += pad(hour === 0 ? 24 : hour, count);
        break;
      case 'K':
        out += pad(hour % 12, count);
        break;
      case 'h':
        out += pad(hour % 12 === 0 ? 12 : hour % 12, count);
        break;
      case 'm':
        out += pad(t.getUTCMinutes(), count);
        break;
      case 's':
        out += pad(t.getUTCSeconds(), count);
        break;
      case 'S':
        out += pad(t.getUTCMilliseconds(), 3).padEnd(count, '0').slice(0, count);
        break;
      case 'n':
        out += pad(t.getUTCMilliseconds() * 1_000_000, count);
        break;
      case 'z':
        out += zone.displayName(epochMs, count >= 4);
        break;
      case 'V':
        out += zone.id;
        break;
      default:
        out += offsetText(offset, letter, count);
    }
  }
  return out;
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isNumeric = (token: Token | undefined): boolean =>
  token !== undefined &&
  'letter' in token &&
  /[yuYMLdDHkKhmsSn]/.test(token.letter) &&
  !(/[ML]/.test(token.letter) && token.count >= 3);

function fieldRegex(token: { letter: string; count: number }, next: Token | undefined): string {
  const { letter, count } = token;
  const adjacent = isNumeric(next);
  switch (letter) {
    case 'y':
    case 'u':
    case 'Y':
      if (count === 2) return '(\\d{2})';
      return adjacent ? `(\\d{${Math.max(count, 4)}})` : `([+-]?\\d{${count},9})`;
    case 'M':
    case 'L':
      if (count >= 4) return `(${MONTHS.join('|')})`;
      if (count === 3) return `(${MONTHS.map((m) => m.slice(0, 3)).join('|')})`;
      return count === 1 && !adjacent ? '(\\d{1,2})' : '(\\d{2})';
    case 'E':
      return count >= 4 ? `(${DAYS.join('|')})` : `(${DAYS.map((d) => d.slice(0, 3)).join('|')})`;
    case 'G':
      return '(AD|BC|Anno Domini|Before Christ)';
    case 'a':
      return '(AM|PM)';
    case 'S':
      return `(\\d{${count}})`;
    case 'n':
      return '(\\d{1,9})';
    case 'z':
    case 'V':
      return '([A-Za-z][A-Za-z0-9_/+-]*)';
    case 'D':
      return count === 1 && !adjacent ? '(\\d{1,3})' : `(\\d{${Math.max(count, 3)}})`;
    case 'Z':
    case 'X':
    case 'x':
    case 'O':
      return '(Z|(?:GMT)?[+-]\\d{1,2}(?::?\\d{2})?(?::?\\d{2})?|GMT)';
    default:
      return count === 1 && !adjacent ? '(\\d{1,2})' : `(\\d{${count}})`;
  }
}

interface CompiledParser {
  readonly regex: RegExp;
  /** The same without the end anchor: text after the pattern is left unread. */
  readonly prefix: RegExp;
  readonly fields: ReadonlyArray<{ letter: string; count: number }>;
}
const parserCache = new Map<string, CompiledParser>();

function compileParser(pattern: string): CompiledParser {
  const cached = parserCache.get(pattern);
  if (cached !== undefined) return cached;
  const tokens = tokenize(pattern);
  const fields: Array<{ letter: string; count: number }> = [];
  let source = '';
  tokens.forEach((token, i) => {
    if ('literal' in token) source += escapeRegex(token.literal);
    else {
      source += fieldRegex(token, tokens[i + 1]);
      fields.push(token);
    }
  });
  // Case-insensitive, as ksqlDB's parsers are ('JAN', 'z' for 'Z').
  const parser = { regex: new RegExp(`^${source}$`, 'i'), prefix: new RegExp(`^${source}`, 'i'), fields };
  parserCache.set(pattern, parser);
  return parser;
}

const indexOfName = (names: readonly string[], text: string, short: boolean): number =>
  names.findIndex((n) => (short ? n.slice(0, 3) : n).toLowerCase() === text.toLowerCase());

function parseOffset(text: string): number {
  if (/^(Z|GMT)$/i.test(text)) return 0;
  const m = /^(?:GMT)?([+-])(\d{1,2})(?::?(\d{2}))?/i.exec(text);
  if (m === null) throw new Error(`Invalid offset: ${text}`);
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

/**
 * Reads an instant (ms since the epoch) from text in the pattern; fields absent default to 1970-01-01T00:00.
 * `ignoreTrailing`: text after the pattern is not an error (ksqlDB's PARSE_DATE reads a prefix).
 */
export function parseInstant(
  text: string,
  pattern: string,
  defaultZone: Zone = UTC,
  ignoreTrailing = false,
): number {
  const { regex, prefix, fields } = compileParser(pattern);
  const match = (ignoreTrailing ? prefix : regex).exec(text);
  if (match === null) {
    throw new Error(`Text '${text}' could not be parsed with the pattern '${pattern}'`);
  }
  let year = 1970;
  let month = 1;
  let day = 1;
  let dayOfYear: number | undefined;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millis = 0;
  let pm: boolean | undefined;
  let hour12 = false;
  let offset: number | undefined;
  let zone = defaultZone;
  fields.forEach(({ letter, count }, i) => {
    const value = match[i + 1] ?? '';
    const n = Number(value);
    switch (letter) {
      case 'y':
      case 'u':
      case 'Y':
        year = count === 2 ? 2000 + n : n;
        break;
      case 'M':
      case 'L':
        month = count >= 3 ? indexOfName(MONTHS, value, count === 3) + 1 : n;
        break;
      case 'd':
        day = n;
        break;
      case 'D':
        dayOfYear = n;
        break;
      case 'H':
      case 'k':
        hour = n % 24;
        break;
      case 'h':
      case 'K':
        hour = n % 12;
        hour12 = true;
        break;
      case 'a':
        pm = value.toUpperCase() === 'PM';
        break;
      case 'm':
        minute = n;
        break;
      case 's':
        second = n;
        break;
      case 'S':
        millis = Math.floor(Number(`0.${value}`) * 1000 + 1e-9);
        break;
      case 'n':
        millis = Math.floor(n / 1_000_000);
        break;
      case 'z':
      case 'V':
        zone = zoneOf(ZONE_ABBREVIATIONS[value.toUpperCase()] ?? value);
        break;
      case 'Z':
      case 'X':
      case 'x':
      case 'O':
        offset = parseOffset(value);
        break;
      default:
        break;
    }
  });
  if (hour12 && pm === true) hour += 12;
  if (month < 1 || month > 12 || day < 1 || day > 31 || minute > 59 || second > 59) {
    throw new Error(`Text '${text}' could not be parsed: a field is out of range`);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, dayOfYear === undefined ? month - 1 : 0, dayOfYear ?? day);
  if (dayOfYear === undefined && date.getUTCDate() !== day) {
    throw new Error(`Text '${text}' could not be parsed: Invalid date`);
  }
  const local = date.getTime() + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  return offset !== undefined ? local - offset * 60000 : localToEpoch(local, zone);
}
