// The state stores behind OperatorContext.store, and the factory that makes them. A running query's
// stores are either all in memory (transient queries, tests) or disk-backed with an in-memory cache
// (persistent queries with a state directory: stores/cached-store.ts). Either one is bound when an
// operator first asks for it (`bind`), then restored from its changelog records (`restore`) as the
// group assigns input partitions.
import { decodeStoreValue } from './changelog.js';
import type { KeyValueStore, ProcessingError, StoreCodec } from './operator.js';
import type { Checkpoint } from './stores/checkpoint.js';
import type { KeyPartitions } from './stores/key-partitions.js';

/** Called on every write, so that the store's changelog can follow it (undefined value: a delete). */
export type StoreListener<V> = (key: string, value: V | undefined) => void;

/** What a store learns when an operator first asks for it. */
export interface StoreBinding<V> {
  /** The store's name in its query, for messages. */
  readonly name: string;
  /** Live values' changelog data; without one, values are their own data. */
  readonly codec?: StoreCodec<V>;
  /** Told of every write (the changelog). */
  readonly listener?: StoreListener<V>;
  /** A restored entry this version cannot read: it is reported and the key starts over. */
  readonly onError: (error: ProcessingError) => void;
}

/** A KeyValueStore as the query runner drives it: restored, bound to its operator, flushed, closed. */
export interface StateStore<V> extends KeyValueStore<V> {
  /**
   * One changelog record, as read from the topic (value null: a tombstone or a dropped key), once the
   * store is bound: a partition assigned or revoked.
   */
  restore(key: string, value: Buffer | null): void;
  /** Called once, when an operator first asks for the store, before any `restore`. */
  bind(binding: StoreBinding<V>): void;
  /**
   * The batch's outputs (its changelog records with them) are durable: a disk-backed store may now write
   * its writes so far to disk (stores/cached-store.ts).
   */
  commit(): void;
  /** Where a disk-backed store keeps its keys' changelog partitions (else its changelog keeps a Map). */
  readonly keyPartitions?: KeyPartitions;
}

/** Makes a query's stores, one per name, and releases what they hold when the query stops. */
export interface StoreFactory {
  create(name: string): StateStore<unknown>;
  /**
   * The changelog offsets (by checkpointKey) that stores kept from the last clean close reflect: their
   * restore starts there. Undefined: the stores start empty.
   */
  readonly checkpoint?: Checkpoint;
  /**
   * While the query runs, right after a commit: writes the stores to disk and a checkpoint of `offsets`
   * (the changelogs' ends), so that a start after a crash restores only the tails. False: not written
   * (writes since the commit). Absent: the stores keep nothing across starts.
   */
  saveCheckpoint?(offsets: Checkpoint): boolean;
  /** Takes the running checkpoint away: state is about to leave it behind (partitions revoked). */
  dropCheckpoint?(): void;
  /** Releases the stores; with a checkpoint (a clean stop), a disk store keeps its directory. */
  close(checkpoint?: Checkpoint): Promise<void>;
}

export const inMemoryStores: StoreFactory = {
  create: () => new InMemoryKeyValueStore<unknown>(),
  close: async () => undefined,
};

/**
 * Entries sit in a Map; the key order that `entries` promises is computed when asked for and kept
 * until the next write, since range reads (windowed keys) are rare next to gets and puts.
 */
export class InMemoryKeyValueStore<V> implements StateStore<V> {
  readonly #entries = new Map<string, V>();
  #sorted: string[] | undefined;
  #binding: StoreBinding<V> | undefined;

  constructor(private listener?: StoreListener<V>) {}

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

  restore(key: string, value: Buffer | null): void {
    const binding = this.#binding;
    if (binding === undefined)
      throw new Error('a state store is restored only once its operator has it (bind)');
    // A partition assigned (or dropped: null): the changelog has this write already, so the listener
    // is not told.
    this.#sorted = undefined;
    if (value === null) this.#entries.delete(key);
    else this.#restoreEntry(binding, key, () => decodeStoreValue(value));
  }

  bind(binding: StoreBinding<V>): void {
    this.#binding = binding;
    this.listener = binding.listener;
  }

  #restoreEntry({ name, codec, onError }: StoreBinding<V>, key: string, read: () => unknown): void {
    try {
      const data = read();
      this.#entries.set(key, codec === undefined ? (data as V) : codec.fromData(data));
    } catch (error) {
      // A changelog entry this version cannot read: the key starts over rather than the query failing.
      onError({ message: `Could not restore ${key} of state store ${name}`, cause: error });
    }
  }

  commit(): void {}

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

/** The index of the first key at or after `target` in sorted `keys`. */
export function lowerBound(keys: readonly string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
