// SQL values as JSON text, the way ksqlDB's REST API writes them. JSON.stringify cannot be used as it
// is: a BIGINT is a JS bigint and a DECIMAL a SqlDecimal, both of which must come out as exact number
// text (9223372036854775807, 1.10), never as a rounded double or a quoted string.
//
// The column's type decides the rest: DATE, TIME and TIMESTAMP values are numbers in memory but strings
// on the wire (as ksqlDB's API mapper formats them), BYTES are base64, MAPs and STRUCTs are objects.
import { javaDouble } from '../formats/json/json-writer.js';
import { TokenCursor } from '../parser/cursor.js';
import { tokenize } from '../parser/lexer.js';
import { parseType } from '../parser/types.js';
import { SqlDecimal, fromAst, type SqlType, type SqlValue } from '../types/index.js';

const typeCache = new Map<string, SqlType | null>();

/** The runtime type of a column's type text (`ARRAY<STRING>`); null when the text cannot be read. */
export function columnType(text: string): SqlType | null {
  let type = typeCache.get(text);
  if (type === undefined) {
    try {
      type = fromAst(parseType(new TokenCursor(text, tokenize(text))));
    } catch {
      type = null;
    }
    typeCache.set(text, type);
  }
  return type;
}

/** One value as JSON text; `type` null writes it by its JS shape alone. */
export function sqlValueToJson(value: SqlValue, type: SqlType | null): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return numberToJson(value, type);
  }
  if (value instanceof SqlDecimal) return value.toString();
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (Array.isArray(value)) {
    const element = type?.kind === 'ARRAY' ? type.element : null;
    return `[${value.map((item: SqlValue) => sqlValueToJson(item, element)).join(',')}]`;
  }
  if (value instanceof Map) {
    const valueType = type?.kind === 'MAP' ? type.value : null;
    const entries: string[] = [];
    for (const [key, item] of value as ReadonlyMap<SqlValue, SqlValue>)
      entries.push(`${JSON.stringify(mapKeyText(key))}:${sqlValueToJson(item, valueType)}`);
    return `{${entries.join(',')}}`;
  }
  const struct = value as Readonly<Record<string, SqlValue>>;
  const fields = type?.kind === 'STRUCT' ? type.fields : null;
  if (fields)
    return `{${fields.map((field) => `${JSON.stringify(field.name)}:${sqlValueToJson(struct[field.name] ?? null, field.type)}`).join(',')}}`;
  return `{${Object.entries(struct)
    .map(([name, item]) => `${JSON.stringify(name)}:${sqlValueToJson(item, null)}`)
    .join(',')}}`;
}

/** A row's values, typed by its columns. */
export function rowToJson(values: readonly SqlValue[], types: readonly (SqlType | null)[]): string {
  return `[${values.map((value, index) => sqlValueToJson(value, types[index] ?? null)).join(',')}]`;
}

function numberToJson(value: number, type: SqlType | null): string {
  switch (type?.kind) {
    case 'DATE':
      return JSON.stringify(formatDate(value));
    case 'TIME':
      return JSON.stringify(formatTime(value));
    case 'TIMESTAMP':
      return JSON.stringify(formatTimestamp(value));
  }
  // JSON has no NaN or infinities; Jackson writes them as these strings.
  if (Number.isNaN(value)) return '"NaN"';
  if (!Number.isFinite(value)) return value > 0 ? '"Infinity"' : '"-Infinity"';
  // Jackson writes a DOUBLE as Double.toString does: 10.0, not 10.
  return type?.kind === 'DOUBLE' ? javaDouble(value) : String(value);
}

function mapKeyText(key: SqlValue): string {
  if (key === null) return 'null';
  if (typeof key === 'string') return key;
  if (typeof key === 'bigint' || typeof key === 'number' || typeof key === 'boolean') return String(key);
  if (key instanceof SqlDecimal) return key.toString();
  return sqlValueToJson(key, null);
}

const DAY_MS = 86_400_000;

/** Days since the epoch as yyyy-MM-dd. */
export function formatDate(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/** Milliseconds since midnight as HH:mm:ss, with .SSS when there are milliseconds. */
export function formatTime(ms: number): string {
  const text = new Date(ms).toISOString().slice(11, 23);
  return text.endsWith('.000') ? text.slice(0, 8) : text;
}

/** Milliseconds since the epoch as ksqlDB's yyyy-MM-dd'T'HH:mm:ss.SSS in UTC. */
export function formatTimestamp(ms: number): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return String(ms);
  return date.toISOString().slice(0, 23);
}
