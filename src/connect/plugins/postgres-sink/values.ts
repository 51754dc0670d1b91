// Connect values as PostgreSQL text. Every column travels as one text[] parameter per statement (see
// statements.ts), and PostgreSQL casts each element to the column's own type, so a value only needs the
// text form its column type reads.
import type { ConnectValue } from '../../api/data.js';
import type { ColumnCategory, ColumnKind } from './columns.js';

const DAY_MS = 86_400_000;

function pad(number: number, width = 2): string {
  return String(number).padStart(width, '0');
}

function asDate(value: ConnectValue, kind: ColumnKind): Date | null {
  if (value instanceof Date) return value;
  if (typeof value === 'number' || typeof value === 'bigint') {
    const number = Number(value);
    return new Date(kind === 'date' ? number * DAY_MS : number);
  }
  return null;
}

function dateText(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

function timeText(date: Date): string {
  return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}`;
}

function isPlainObject(value: object): value is { readonly [field: string]: ConnectValue } {
  return (
    !(value instanceof Uint8Array) &&
    !(value instanceof Date) &&
    !(value instanceof Map) &&
    !Array.isArray(value)
  );
}

/** JSON text of any Connect value: bigints keep their digits, bytes become base64, maps objects. */
export function jsonText(value: ConnectValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'bigint':
      return value.toString();
    case 'string':
      return JSON.stringify(value);
  }
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${(value as readonly ConnectValue[]).map(jsonText).join(',')}]`;
  if (value instanceof Map) {
    const entries: string[] = [];
    for (const [key, item] of value as ReadonlyMap<ConnectValue, ConnectValue>) {
      const name =
        typeof key === 'string' ? key : key === null || typeof key !== 'object' ? String(key) : jsonText(key);
      entries.push(`${JSON.stringify(name)}:${jsonText(item)}`);
    }
    return `{${entries.join(',')}}`;
  }
  if (isPlainObject(value)) {
    const entries: string[] = [];
    for (const [name, item] of Object.entries(value)) {
      if (item !== undefined) entries.push(`${JSON.stringify(name)}:${jsonText(item)}`);
    }
    return `{${entries.join(',')}}`;
  }
  return 'null';
}

function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The text PostgreSQL casts to the column's type, or null for SQL NULL.
 * `kind` says what the value is (a Connect Date may be a date, a time or a timestamp); `category` what the
 * table's column takes. A string bound for a JSON column that is already JSON text goes in as that JSON.
 */
export function sqlText(
  value: ConnectValue | undefined,
  kind: ColumnKind,
  category: ColumnCategory,
): string | null {
  if (value === null || value === undefined) return null;
  if (category === 'json') {
    if (typeof value === 'string') return isJsonText(value) ? value : JSON.stringify(value);
    if (kind === 'date' || kind === 'time' || kind === 'timestamp') {
      const date = asDate(value, kind);
      if (date)
        return JSON.stringify(
          kind === 'date' ? dateText(date) : kind === 'time' ? timeText(date) : date.toISOString(),
        );
    }
    return jsonText(value);
  }
  if (category === 'bytes') {
    const bytes = value instanceof Uint8Array ? Buffer.from(value) : Buffer.from(String(value));
    return `\\x${bytes.toString('hex')}`;
  }
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      if (kind === 'date' || kind === 'time' || kind === 'timestamp') break;
      return String(value);
    case 'bigint':
      if (kind === 'timestamp') break;
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
  }
  const date = asDate(value, kind);
  if (date) {
    if (Number.isNaN(date.getTime())) return 'invalid date';
    if (kind === 'date') return dateText(date);
    if (kind === 'time') return timeText(date);
    return date.toISOString();
  }
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return jsonText(value);
}

/** A PostgreSQL array literal of text elements ('{"a","b",NULL}'), for one text[] parameter. */
export function textArrayLiteral(items: readonly (string | null)[]): string {
  const parts = new Array<string>(items.length);
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    if (item === null) {
      parts[index] = 'NULL';
    } else {
      parts[index] = /["\\]/.test(item) ? `"${item.replace(/["\\]/g, '\\$&')}"` : `"${item}"`;
    }
  }
  return `{${parts.join(',')}}`;
}
