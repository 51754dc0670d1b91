// A record's key as a string: the one encoding of keys for state stores (tables, aggregations, joins),
// repartition keys and de-duplication. Equal SQL values give equal strings whatever their JS
// representation (DECIMAL 1.10 built either way), and different ones differ (1n and a DECIMAL 1.0 are
// different SQL values). A windowed key includes its window, since windowed sources join window by window.
import { SqlDecimal, type SqlValue } from '../types/index.js';
import type { WindowBounds } from './records.js';

function valueText(value: SqlValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return `${value}n`;
    case 'number':
    case 'boolean':
      return String(value);
    default:
      break;
  }
  if (value instanceof SqlDecimal) return `${value.toString()}d`;
  if (value instanceof Uint8Array) return `b${Buffer.from(value).toString('base64')}`;
  if (Array.isArray(value)) return `[${(value as readonly SqlValue[]).map(valueText).join(',')}]`;
  if (value instanceof Map) {
    const entries = [...(value as ReadonlyMap<SqlValue, SqlValue>)].map(
      ([k, v]) => `${valueText(k)}:${valueText(v)}`,
    );
    return `m{${entries.join(',')}}`;
  }
  const struct = value as Readonly<Record<string, SqlValue>>;
  return `{${Object.keys(struct)
    .map((k) => `${JSON.stringify(k)}:${valueText(struct[k] ?? null)}`)
    .join(',')}}`;
}

export function keyString(key: readonly SqlValue[]): string {
  if (key.length === 1) return valueText(key[0] ?? null);
  return key.map(valueText).join('\u0000');
}

/** The key string with the record's window, when it has one. */
export function windowedKeyString(key: readonly SqlValue[], window?: WindowBounds): string {
  const text = keyString(key);
  return window === undefined ? text : `${text}@${window.start}-${window.end}`;
}
