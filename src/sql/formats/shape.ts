// Whether a row is written as a record of its columns or as the bare value of its single column.
import type { SerdeTarget } from './format.js';

/**
 * ksqlDB unwraps a single key column always (a key is its value), and a single value column only with
 * WRAP_SINGLE_VALUE=false. Multi-column keys and values are records.
 */
export function isUnwrapped(target: SerdeTarget): boolean {
  if (target.columns.length !== 1) return false;
  return target.isKey || target.options.wrapSingleValue === false;
}

/** "key" or "value", as the messages name the side of the record. */
export function sideOf(target: SerdeTarget): 'key' | 'value' {
  return target.isKey ? 'key' : 'value';
}
