// State store changelogs: each write of a persistent query's store is also a record of the compacted
// topic `_confluent-ksql-<serviceId>query_<QUERYID>-<store>-changelog`, produced with the query's outputs
// (so before its input offsets are committed), and read back into the store when the query starts again.
// Values are JSON with tags for what JSON lacks (BIGINT, DECIMAL, BYTES, Map, Set). A value that would
// not come back the same (a class instance) turns its store's changelog off, with a warning, rather than
// restoring something different.
import { SqlDecimal } from '../types/index.js';

export const CHANGELOG_SUFFIX = '-changelog';

export function changelogPrefix(serviceId: string, queryId: string): string {
  return `_confluent-ksql-${serviceId}query_${queryId}-`;
}

export function changelogTopic(serviceId: string, queryId: string, store: string): string {
  return `${changelogPrefix(serviceId, queryId)}${store}${CHANGELOG_SUFFIX}`;
}

class NotEncodable extends Error {}

function tag(value: unknown): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $f: String(value) };
  if (typeof value === 'bigint') return { $n: value.toString() };
  if (value === undefined) return { $u: 1 };
  if (value instanceof SqlDecimal) return { $d: value.toString() };
  if (value instanceof Uint8Array) return { $b: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(tag);
  if (value instanceof Map) return { $m: [...value].map(([k, v]) => [tag(k), tag(v)]) };
  if (value instanceof Set) return { $s: [...value].map(tag) };
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k.startsWith('$') ? `$${k}` : k] = tag(v);
    return out;
  }
  throw new NotEncodable(
    `a ${typeof value} (${Object.prototype.toString.call(value)}) has no changelog form`,
  );
}

function untag(data: unknown): unknown {
  if (data === null || typeof data !== 'object') return data;
  if (Array.isArray(data)) return data.map(untag);
  const o = data as Record<string, unknown>;
  if ('$f' in o) return Number(o.$f);
  if ('$n' in o) return BigInt(o.$n as string);
  if ('$u' in o) return undefined;
  if ('$d' in o) return SqlDecimal.parse(o.$d as string);
  if ('$b' in o) return new Uint8Array(Buffer.from(o.$b as string, 'base64'));
  if ('$m' in o) return new Map((o.$m as [unknown, unknown][]).map(([k, v]) => [untag(k), untag(v)]));
  if ('$s' in o) return new Set((o.$s as unknown[]).map(untag));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k.startsWith('$$') ? k.slice(1) : k] = untag(v);
  return out;
}

/**
 * The tagged form of a row's column values: the same array when every value is plain JSON (the common
 * case), else a copy with each other value tagged. Faster than tag() on the whole row, which copies it.
 * Throws NotEncodable (caught by the callers that catch tag's) for a value with no changelog form.
 */
export function tagColumns(values: readonly unknown[]): readonly unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || typeof value === 'string' || typeof value === 'boolean') continue;
    if (typeof value === 'number' && Number.isFinite(value)) continue;
    out ??= values.slice();
    out[i] = typeof value === 'bigint' ? { $n: value.toString() } : tag(value);
  }
  return out ?? values;
}

/** Undoes tagColumns in place on an array fresh from JSON.parse. */
export function untagColumnsInPlace(values: unknown[]): unknown[] {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value !== null && typeof value === 'object') values[i] = untag(value);
  }
  return values;
}

/** Whether an error is tag's "this value has no changelog form". */
export function isNotEncodable(error: unknown): boolean {
  return error instanceof NotEncodable;
}

/** The value's changelog bytes (null for a delete), or undefined when it has no faithful form. */
export function encodeStoreValue(value: unknown): Buffer | null | undefined {
  if (value === undefined) return null;
  try {
    return Buffer.from(JSON.stringify(tag(value)));
  } catch (error) {
    if (error instanceof NotEncodable) return undefined;
    throw error;
  }
}

export function decodeStoreValue(bytes: Buffer | null): unknown {
  return bytes === null ? undefined : untag(JSON.parse(bytes.toString('utf8')));
}
