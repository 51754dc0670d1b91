// How functions compare and print values of any SQL type, as ksqlDB's Java does: deep equality for arrays,
// maps and structs (List.equals, Map.equals), natural order for sorting, and Java's toString for text.
import { javaFiniteDouble, SqlDecimal, type SqlType, type SqlValue } from '../types/index.js';

const isArray = (v: SqlValue): v is readonly SqlValue[] => Array.isArray(v);
const isMap = (v: SqlValue): v is ReadonlyMap<SqlValue, SqlValue> => v instanceof Map;
const isStruct = (v: SqlValue): v is Readonly<Record<string, SqlValue>> =>
  typeof v === 'object' &&
  v !== null &&
  !isArray(v) &&
  !isMap(v) &&
  !(v instanceof Uint8Array) &&
  !(v instanceof SqlDecimal);

/** Deep equality; NULL equals NULL here (as Java's equals on collections). */
export function valuesEqual(a: SqlValue, b: SqlValue): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (a instanceof SqlDecimal && b instanceof SqlDecimal) return a.compare(b) === 0;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (isArray(a) && isArray(b))
    return a.length === b.length && a.every((x, i) => valuesEqual(x, b[i] ?? null));
  if (isMap(a) && isMap(b)) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) {
      const key = [...b.keys()].find((bk) => valuesEqual(bk, k));
      if (key === undefined || !valuesEqual(v, b.get(key) ?? null)) return false;
    }
    return true;
  }
  if (isStruct(a) && isStruct(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => valuesEqual(a[k] ?? null, b[k] ?? null));
  }
  return false;
}

/** The distinct values, first occurrence kept. */
export function distinct(values: readonly SqlValue[]): SqlValue[] {
  const out: SqlValue[] = [];
  for (const v of values) if (!out.some((o) => valuesEqual(o, v))) out.push(v);
  return out;
}

export const contains = (values: readonly SqlValue[], v: SqlValue): boolean =>
  values.some((x) => valuesEqual(x, v));

/** Natural order of two non-NULL values of one type (strings by UTF-16 unit, as Java's compareTo). */
export function compareValues(a: SqlValue, b: SqlValue): number {
  if (a instanceof SqlDecimal && b instanceof SqlDecimal) return a.compare(b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const d = (a[i] ?? 0) - (b[i] ?? 0);
      if (d !== 0) return d;
    }
    return a.length - b.length;
  }
  throw new Error('these values cannot be ordered');
}

/** Java's Double.toString: '0.0', '1.23', '1.0E7', '1.0E-4', 'NaN', 'Infinity'. */
export function javaDouble(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (!Number.isFinite(d)) return d > 0 ? 'Infinity' : '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  return javaFiniteDouble(d);
}

/** A value as Java's toString prints it inside ksqlDB (ARRAY_JOIN, ...). */
export function javaString(v: SqlValue): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? String(v) : javaDouble(v);
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof SqlDecimal) return v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (isArray(v)) return `[${v.map(javaString).join(', ')}]`;
  if (isMap(v)) return `{${[...v].map(([k, x]) => `${javaString(k)}=${javaString(x)}`).join(', ')}}`;
  return `Struct{${Object.entries(v)
    .filter(([, x]) => x !== null)
    .map(([k, x]) => `${k}=${javaString(x)}`)
    .join(',')}}`;
}

/** javaString knowing the type, so that a DOUBLE 0 prints as '0.0', as Java's Double does. */
export function javaStringOf(type: SqlType, v: SqlValue): string {
  if (v === null) return 'null';
  switch (type.kind) {
    case 'DOUBLE':
      return javaDouble(v as number);
    case 'ARRAY':
      return `[${(v as readonly SqlValue[]).map((x) => javaStringOf(type.element, x)).join(', ')}]`;
    case 'MAP':
      return `{${[...(v as ReadonlyMap<SqlValue, SqlValue>)]
        .map(([k, x]) => `${javaStringOf(type.key, k)}=${javaStringOf(type.value, x)}`)
        .join(', ')}}`;
    default:
      return javaString(v);
  }
}
