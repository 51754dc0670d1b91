// A record read without a key (null bytes) and a key whose columns were all computed to NULL look alike as
// column values, but ksqlDB writes them differently: the first stays a null key, the second is written as
// a record of nulls ({"K1":null,"K2":null}). Keys read from null bytes are therefore marked, by identity,
// so that a key passed through unchanged is written back as null bytes.
import type { SqlValue } from '../types/index.js';

const nullKeys = new WeakSet<readonly SqlValue[]>();

/** The all-NULL key of `width` columns that stands for a record without a key. */
export function missingKey(width: number): SqlValue[] {
  const key = new Array<SqlValue>(width).fill(null);
  nullKeys.add(key);
  return key;
}

/** Whether these key values are a missing key read from null bytes (not computed NULLs). */
export function isMissingKey(values: readonly SqlValue[]): boolean {
  return nullKeys.has(values);
}
