// The string a join stores and looks up a key under. Two keys that are equal as SQL values must give
// the same string (1n and 1n, DECIMAL 1.10 and 1.10), and a windowed key includes its window, since
// windowed sources join window by window.
import { SqlDecimal, type SqlValue } from '../../types/index.js';
import type { WindowBounds } from '../records.js';

export function joinKeyString(key: readonly SqlValue[], window?: WindowBounds): string {
  const text = key.map(encodeValue).join(',');
  return window === undefined ? text : `${text}@${window.start}-${window.end}`;
}

function encodeValue(value: SqlValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'bigint':
      return `${value}n`;
    case 'number':
    case 'boolean':
      return String(value);
    case 'string':
      return JSON.stringify(value);
    default:
      break;
  }
  if (value instanceof SqlDecimal) return `${value.toString()}d`;
  if (value instanceof Uint8Array) return `b${Buffer.from(value).toString('base64')}`;
  if (Array.isArray(value)) return `[${(value as readonly SqlValue[]).map(encodeValue).join(',')}]`;
  if (value instanceof Map) {
    const entries = [...(value as ReadonlyMap<SqlValue, SqlValue>)];
    return `{${entries.map(([k, v]) => `${encodeValue(k)}:${encodeValue(v)}`).join(',')}}`;
  }
  const struct = value as Readonly<Record<string, SqlValue>>;
  return `(${Object.keys(struct)
    .map((field) => `${JSON.stringify(field)}:${encodeValue(struct[field] ?? null)}`)
    .join(',')})`;
}
