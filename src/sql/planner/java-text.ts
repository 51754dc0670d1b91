// Values as ksqlDB's Java prints them when it turns them into a STRING (CAST(x AS STRING), `||`):
// doubles as Double.toString (`10.0`, `1.0E21`), arrays `[1, 3]`, maps `{k=1}`, structs `Struct{A=1,b=2}`,
// and the ISO forms of DATE, TIME and TIMESTAMP in UTC.
import { javaFiniteDouble, SqlDecimal, type SqlType, type SqlValue } from '../types/index.js';

/** Java's Double.toString: plain between 10^-3 and 10^7, else computerized scientific notation. */
export function javaDoubleText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  return javaFiniteDouble(value);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `2022-04-28T21:44:47.943` (UTC), as ksqlDB prints a TIMESTAMP. */
export function timestampText(ms: number): string {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  const yearText = year >= 0 && year <= 9999 ? pad(year, 4) : String(year);
  return (
    `${yearText}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`
  );
}

const DAY_MS = 86_400_000;

export function dateText(days: number): string {
  return timestampText(days * DAY_MS).slice(0, 10);
}

/** LocalTime.toString: `HH:mm`, `HH:mm:ss` or `HH:mm:ss.SSS`, the shortest that is exact. */
export function timeText(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const milli = ms % 1000;
  let text = `${pad(h)}:${pad(m)}`;
  if (s !== 0 || milli !== 0) text += `:${pad(s)}`;
  if (milli !== 0) text += `.${pad(milli, 3)}`;
  return text;
}

/** The text of a value of `type` as Java's toString gives it (the type tells DATE from INTEGER). */
export function javaText(value: SqlValue, type: SqlType | null): string {
  if (value === null) return 'null';
  switch (type?.kind) {
    case 'DATE':
      return dateText(value as number);
    case 'TIME':
      return timeText(value as number);
    case 'TIMESTAMP':
      return timestampText(value as number);
    case 'DOUBLE':
      return javaDoubleText(value as number);
    case 'ARRAY': {
      const element = type.element;
      return `[${(value as readonly SqlValue[]).map((v) => javaText(v, element)).join(', ')}]`;
    }
    case 'MAP': {
      const entries = [...(value as ReadonlyMap<SqlValue, SqlValue>)].map(
        ([k, v]) => `${javaText(k, type.key)}=${javaText(v, type.value)}`,
      );
      return `{${entries.join(', ')}}`;
    }
    case 'STRUCT': {
      const struct = value as Readonly<Record<string, SqlValue>>;
      const fields = type.fields
        .filter((f) => struct[f.name] !== undefined && struct[f.name] !== null)
        .map((f) => `${f.name}=${javaText(struct[f.name] ?? null, f.type)}`);
      return `Struct{${fields.join(',')}}`;
    }
    case 'BYTES':
      return Buffer.from(value as Uint8Array).toString('base64');
    default:
      if (value instanceof SqlDecimal) return value.toString();
      if (typeof value === 'number' && type === null) return javaDoubleText(value);
      return String(value);
  }
}

// ---------------------------------------------------------------- parsing

const TIMESTAMP_PATTERN =
  /^(\d{4,})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * ksqlDB's timestamp text: `yyyy-MM-dd['T'HH[:mm[:ss[.S...]]]]` with an optional zone (`Z`, `+02:00`),
 * UTC when none. Undefined when the text is not one.
 */
export function parseTimestampText(text: string): number | undefined {
  const m = TIMESTAMP_PATTERN.exec(text.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59)
    return undefined;
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
    t -= sign * offset * 60_000;
  }
  return Number.isNaN(t) ? undefined : t;
}

/** ksqlDB's date text, `yyyy-MM-dd`, or a partial one completed with its first month and day ('2020-05'). */
export function parseDateText(text: string): number | undefined {
  const trimmed = text.trim();
  const parts = trimmed.split('-').length;
  const complete = parts === 1 ? `${trimmed}-01-01` : parts === 2 ? `${trimmed}-01` : trimmed;
  const m = /^(\d{4,})-(\d{2})-(\d{2})$/.exec(complete);
  if (m === null) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // Date.UTC would read years 0-99 as 19xx
  // No rolling over: 2021-02-30 is not a date.
  if (Number.isNaN(date.getTime()) || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return undefined;
  return date.getTime() / DAY_MS;
}

export function parseTimeText(text: string): number | undefined {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(text.trim());
  if (m === null) return undefined;
  const [, h, mi, s = '0', frac = ''] = m;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  return ((Number(h) * 60 + Number(mi)) * 60 + Number(s)) * 1000 + Number(frac.padEnd(3, '0').slice(0, 3));
}

export { DAY_MS };
