// The in-memory KeyValueStore behind OperatorContext.store. Entries sit in a Map; the key order that
// `entries` promises is computed when asked for and kept until the next write, since range reads
// (windowed keys) are rare next to gets and puts.
import type { KeyValueStore } from './operator.js';

/** Called on every write, so that the store's changelog can follow it (undefined value: a delete). */
export type StoreListener<V> = (key: string, value: V | undefined) => void;

export class InMemoryKeyValueStore<V> implements KeyValueStore<V> {
  readonly #entries = new Map<string, V>();
  #sorted: string[] | undefined;

  constructor(private readonly listener?: StoreListener<V>) {}

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): V | undefined {
    return this.#entries.get(key);
  }

  put(key: string, value: V): void {
    if (!this.#entries.has(key)) this.#sorted = undefined;
    this.#entries.set(key, value);
    this.listener?.(key, value);
  }

  delete(key: string): void {
    if (this.#entries.delete(key)) this.#sorted = undefined;
    this.listener?.(key, undefined);
  }

  /** Restores an entry from the changelog without telling the listener. */
  restore(key: string, value: V | undefined): void {
    if (value === undefined) {
      if (this.#entries.delete(key)) this.#sorted = undefined;
      return;
    }
    if (!this.#entries.has(key)) this.#sorted = undefined;
    this.#entries.set(key, value);
  }

  *entries(fromKey?: string, toKey?: string): IterableIterator<[string, V]> {
    this.#sorted ??= [...this.#entries.keys()].sort();
    const keys = this.#sorted;
    let i = fromKey === undefined ? 0 : lowerBound(keys, fromKey);
    for (; i < keys.length; i++) {
      const key = keys[i] as string;
      if (toKey !== undefined && key > toKey) return;
      const value = this.#entries.get(key);
      if (value !== undefined) yield [key, value];
    }
  }
}

function lowerBound(keys: readonly string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
