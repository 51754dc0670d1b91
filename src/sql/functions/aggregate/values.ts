// What the aggregate functions need to know about SQL values: their order (MIN, MAX, TOPK), an identity
// for sets and histograms (COLLECT_SET, COUNT_DISTINCT), and a lossless JSON form for the changelog,
// where a bigint, a SqlDecimal, bytes or a map would not survive JSON.stringify.
import { SqlDecimal, type SqlStruct, type SqlValue } from '../../types/index.js';

/**
 * Orders two non-null values of one type as ksqlDB's Java types do: numbers numerically, strings by
 * UTF-16 code units (String.compareTo), bytes as ByteBuffer.compareTo (signed bytes), false < true.
 */
export function compareValues(a: SqlValue, b: SqlValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof SqlDecimal && b instanceof SqlDecimal) return a.compare(b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return compareBytes(a, b);
  throw new Error(
    `values of different or unordered types cannot be compared: ${describe(a)}, ${describe(b)}`,
  );
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = ((a[i] ?? 0) << 24) >> 24;
    const y = ((b[i] ?? 0) << 24) >> 24;
    if (x !== y) return x - y;
  }
  return a.length - b.length;
}

function describe(value: SqlValue): string {
  return value === null ? 'null' : typeof value === 'object' ? value.constructor.name : typeof value;
}

/** A string equal for equal values (Java's equals: a DECIMAL's scale counts, as BigDecimal.equals). */
export function valueIdentity(value: SqlValue): string {
  const json = valueToJson(value);
  return JSON.stringify(typeof json === 'object' && json !== null ? mapsInKeyOrder(json) : json);
}

/** Java's Map.equals ignores entry order: entries sorted by key make equal maps one identity. */
function mapsInKeyOrder(json: JsonData): JsonData {
  if (json === null || typeof json !== 'object') return json;
  if (Array.isArray(json)) return json.map(mapsInKeyOrder);
  const entries = json.$m;
  if (Array.isArray(entries)) {
    const keyed = entries.map((entry) => {
      const [key, item] = entry as JsonData[];
      return { text: JSON.stringify(key), entry: [key, mapsInKeyOrder(item)] };
    });
    keyed.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
    return { $m: keyed.map((item) => item.entry) };
  }
  const result: { [key: string]: JsonData } = {};
  for (const [field, item] of Object.entries(json)) result[field] = mapsInKeyOrder(item);
  return result;
}

/**
 * The value as JSON data. Plain JSON stands for itself where it is unambiguous (null, booleans, finite
 * numbers, strings, arrays); everything else is a one-key object tagged with `$`.
 */
export type JsonData = null | boolean | number | string | JsonData[] | { [key: string]: JsonData };

export function valueToJson(value: SqlValue): JsonData {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $n: String(value) };
  if (typeof value === 'bigint') return { $l: value.toString() };
  if (value instanceof SqlDecimal) return { $d: value.toString() };
  if (value instanceof Uint8Array) return { $y: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return (value as readonly SqlValue[]).map(valueToJson);
  if (value instanceof Map) {
    return {
      $m: [...(value as ReadonlyMap<SqlValue, SqlValue>)].map(([k, v]) => [valueToJson(k), valueToJson(v)]),
    };
  }
  const struct: { [key: string]: JsonData } = {};
  for (const [field, v] of Object.entries(value as SqlStruct)) struct[field] = valueToJson(v);
  return { $s: struct };
}

export function valueFromJson(data: unknown): SqlValue {
  if (data === null || typeof data === 'boolean' || typeof data === 'string' || typeof data === 'number') {
    return data;
  }
  if (Array.isArray(data)) return data.map(valueFromJson);
  if (typeof data !== 'object') throw new Error(`not a stored SQL value: ${String(data)}`);
  const tagged = data as Record<string, unknown>;
  if (typeof tagged.$n === 'string') return Number(tagged.$n);
  if (typeof tagged.$l === 'string') return BigInt(tagged.$l);
  if (typeof tagged.$d === 'string') return SqlDecimal.parse(tagged.$d);
  if (typeof tagged.$y === 'string') return new Uint8Array(Buffer.from(tagged.$y, 'base64'));
  if (Array.isArray(tagged.$m)) {
    return new Map((tagged.$m as unknown[][]).map(([k, v]) => [valueFromJson(k), valueFromJson(v)]));
  }
  if (typeof tagged.$s === 'object' && tagged.$s !== null) {
    const struct: Record<string, SqlValue> = {};
    for (const [field, v] of Object.entries(tagged.$s)) struct[field] = valueFromJson(v);
    return struct;
  }
  throw new Error(`not a stored SQL value: ${JSON.stringify(data)}`);
}
