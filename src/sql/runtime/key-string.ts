// A record's key as a string, for state stores and de-duplication: equal keys give equal strings
// whatever their JS representation (1n and a DECIMAL 1.0 differ, as they are different SQL values).
import { SqlDecimal, type SqlValue } from '../types/index.js';

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
