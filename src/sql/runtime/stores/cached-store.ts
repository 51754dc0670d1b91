// A disk-backed state store: LMDB under the query's state directory, behind a write-back cache of live
// values. Operators get and put live values (accumulators changed in place) at memory speed: a value
// is encoded (its codec's changelog form) and written to disk only when the cache is over its bound
// and evicts it, in batches of a tenth of the bound. Not at each batch end: the directory is rebuilt
// from the changelog when the query starts, so a batch-end write would buy nothing, and it measured
// 16 times slower than the cache alone (docs/benchmarks.md). Misses read the disk and decode; range reads
// merge the cache's keys with the disk's in key order. While every key on disk is in the cache too
// (the store never evicted a value), misses and range reads skip the disk. The disk holds each
// value's changelog bytes.
import type { Database } from 'lmdb';
import { decodeStoreValue, encodeStoreValue } from '../changelog.js';
import type { ProcessingError, StoreCodec } from '../operator.js';
import { lowerBound, type StateStore, type StoreBinding, type StoreListener } from '../state-store.js';

/** LMDB's largest key (its default build); a longer key's entry stays in the cache. */
const MAX_KEY_BYTES = 1978;
/** An eviction makes room for this share of the bound, so that evictions come in batches. */
const EVICT_SHARE = 0.1;

interface CacheEntry<V> {
  /** undefined: deleted, or known to be absent. */
  value: V | undefined;
  /** Changed since it was last written to disk. */
  dirty: boolean;
  /** Read or written since the last eviction sweep passed it (its second chance). */
  used: boolean;
  /** The disk has the key, as of the last write. */
  onDisk: boolean;
  /** Cannot be written to disk (its key is too long, or its value has no changelog form): never evicted. */
  pinned: boolean;
}

export type DiskDatabase = Database<Buffer, Buffer>;

export class CachedDiskStore<V> implements StateStore<V> {
  readonly #cache = new Map<string, CacheEntry<V>>();
  #sorted: string[] | undefined;
  #size = 0;
  #complete = true;
  #name = '';
  #bound = false;
  #codec: StoreCodec<V> | undefined;
  #listener: StoreListener<V> | undefined;
  #onError: (error: ProcessingError) => void = () => undefined;

  constructor(
    private readonly db: DiskDatabase,
    /** The cache's bound, in entries. */
    private readonly maxEntries: number,
  ) {}

  get size(): number {
    return this.#size;
  }

  /** Entries in the cache now (for tests and metrics). */
  get cached(): number {
    return this.#cache.size;
  }

  get(key: string): V | undefined {
    const cached = this.#cache.get(key);
    if (cached !== undefined) {
      cached.used = true;
      return cached.value;
    }
    if (this.#complete) return undefined;
    const bytes = this.#diskGet(key);
    if (bytes === undefined) {
      // Remembered as absent: the put that usually follows a miss then needs no disk look-up.
      this.#insert(key, { value: undefined, dirty: false, used: true, onDisk: false, pinned: false });
      return undefined;
    }
    const value = this.#decode(key, bytes);
    const entry: CacheEntry<V> = { value, dirty: false, used: true, onDisk: true, pinned: false };
    if (value === undefined) this.#forgetUnreadable(entry);
    this.#insert(key, entry);
    return value;
  }

  put(key: string, value: V): void {
    this.#set(key, value);
    this.#listener?.(key, value);
  }

  delete(key: string): void {
    this.#remove(key);
    this.#listener?.(key, undefined);
  }

  #set(key: string, value: V): void {
    const cached = this.#cache.get(key);
    if (cached !== undefined) {
      if (cached.value === undefined) this.#size++;
      cached.value = value;
      cached.used = true;
      cached.dirty = true;
    } else {
      const onDisk = !this.#complete && this.#diskHas(key);
      if (!onDisk) this.#size++;
      this.#insert(key, { value, dirty: true, used: true, onDisk, pinned: false });
    }
  }

  #remove(key: string): void {
    const cached = this.#cache.get(key);
    if (cached !== undefined) {
      if (cached.value !== undefined) {
        this.#size--;
        cached.value = undefined;
        cached.dirty = true;
      }
    } else if (!this.#complete && this.#diskHas(key)) {
      this.#size--;
      this.#insert(key, { value: undefined, dirty: true, used: false, onDisk: true, pinned: false });
    }
  }

  *entries(fromKey?: string, toKey?: string): IterableIterator<[string, V]> {
    this.#sorted ??= [...this.#cache.keys()].sort();
    // A snapshot: keys the caller adds while iterating are not visited (as in the in-memory store).
    const cachedKeys = this.#sorted;
    let i = fromKey === undefined ? 0 : lowerBound(cachedKeys, fromKey);
    const past = (key: string): boolean => toKey !== undefined && key > toKey;
    const disk = this.#complete ? undefined : this.#diskRange(fromKey);
    let diskNext = disk?.next();
    for (;;) {
      // Disk keys that were in the cache when the iteration started come from the cache's side.
      while (diskNext !== undefined && !diskNext.done && contains(cachedKeys, diskNext.value[0])) {
        diskNext = disk?.next();
      }
      const diskKey =
        diskNext === undefined || diskNext.done || past(diskNext.value[0]) ? undefined : diskNext.value[0];
      const cacheKey = i < cachedKeys.length && !past(cachedKeys[i] as string) ? cachedKeys[i] : undefined;
      if (cacheKey === undefined && diskKey === undefined) return;
      if (cacheKey !== undefined && (diskKey === undefined || cacheKey < diskKey)) {
        i++;
        const value = this.#currentValue(cacheKey);
        if (value !== undefined) yield [cacheKey, value];
      } else if (diskKey !== undefined && diskNext !== undefined && !diskNext.done) {
        const value = this.#decode(diskKey, diskNext.value[1]);
        diskNext = disk?.next();
        if (value !== undefined) yield [diskKey, value];
      }
    }
  }

  restore(key: string, value: Buffer | null): void {
    if (!this.#bound) throw new Error('a state store is restored only once its operator has it (bind)');
    // A partition assigned (or dropped: null): a write that the changelog already has, so the listener
    // is not told.
    const decoded = value === null ? undefined : this.#decode(key, value);
    if (decoded === undefined) this.#remove(key);
    else this.#set(key, decoded);
  }

  bind({ name, codec, listener, onError }: StoreBinding<V>): void {
    this.#name = name;
    this.#codec = codec;
    this.#listener = listener;
    this.#onError = onError;
    this.#bound = true;
    // The directory is emptied when the query starts; what it holds otherwise is read on demand.
    this.#size = this.db.getCount();
    this.#complete = this.#size === 0;
  }

  /** Nothing to do at a batch end: changed values reach the disk when they are evicted. */
  flush(): void {}

  /** Writes every changed cached value to disk (e.g. before a checkpoint; tests). */
  writeBack(): void {
    this.#write([...this.#cache].filter(([, entry]) => entry.dirty));
  }

  #insert(key: string, entry: CacheEntry<V>): void {
    this.#cache.set(key, entry);
    this.#sorted = undefined;
    if (this.#cache.size > this.maxEntries) this.#evict();
  }

  /** A disk value that cannot be decoded: the key starts over (deleted from disk when evicted). */
  #forgetUnreadable(entry: CacheEntry<V>): void {
    this.#size--;
    entry.dirty = true;
  }

  /** Evicts the entries not used since the sweep last passed them, writing the changed ones first. */
  #evict(): void {
    let excess = this.#cache.size - Math.floor(this.maxEntries * (1 - EVICT_SHARE));
    const victims: [string, CacheEntry<V>][] = [];
    for (const [key, entry] of this.#cache) {
      if (excess <= 0) break;
      if (entry.pinned) continue;
      if (entry.used) {
        // Its second chance: to the back of the queue (the sweep meets it again, unused, if need be).
        entry.used = false;
        this.#cache.delete(key);
        this.#cache.set(key, entry);
        continue;
      }
      victims.push([key, entry]);
      excess--;
    }
    this.#write(victims.filter(([, entry]) => entry.dirty));
    for (const [key, entry] of victims) {
      if (entry.pinned) continue;
      this.#cache.delete(key);
      if (entry.value !== undefined) this.#complete = false;
    }
    this.#sorted = undefined;
  }

  /** Writes the entries to disk in one transaction; those that cannot be written are pinned. */
  #write(entries: readonly [string, CacheEntry<V>][]): void {
    if (entries.length === 0) return;
    this.db.transactionSync(() => {
      for (const [key, entry] of entries) {
        entry.dirty = false;
        const tooLong = isTooLong(key);
        if (entry.value === undefined) {
          if (entry.onDisk && !tooLong) this.db.removeSync(Buffer.from(key, 'utf8'));
          entry.onDisk = false;
          continue;
        }
        const bytes = tooLong ? undefined : this.#encode(entry.value);
        if (bytes === undefined) {
          entry.pinned = true;
          continue;
        }
        this.db.putSync(Buffer.from(key, 'utf8'), bytes);
        entry.onDisk = true;
      }
    });
  }

  #encode(value: V): Buffer | undefined {
    try {
      const bytes = encodeStoreValue(this.#codec === undefined ? value : this.#codec.toData(value));
      return bytes ?? undefined;
    } catch {
      return undefined;
    }
  }

  #decode(key: string, bytes: Buffer): V | undefined {
    try {
      const data = decodeStoreValue(bytes);
      return this.#codec === undefined ? (data as V) : this.#codec.fromData(data);
    } catch (error) {
      this.#onError({ message: `Could not restore ${key} of state store ${this.#name}`, cause: error });
      return undefined;
    }
  }

  /** A key's value for a range read: the cache's, or the disk's when it was evicted meanwhile. */
  #currentValue(key: string): V | undefined {
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached.value;
    const bytes = this.#diskGet(key);
    return bytes === undefined ? undefined : this.#decode(key, bytes);
  }

  #diskGet(key: string): Buffer | undefined {
    return isTooLong(key) ? undefined : this.db.get(Buffer.from(key, 'utf8'));
  }

  #diskHas(key: string): boolean {
    return !isTooLong(key) && this.db.doesExist(Buffer.from(key, 'utf8'));
  }

  /** The disk's entries from `fromKey` on, in key order, keys as strings. */
  *#diskRange(fromKey: string | undefined): Generator<[string, Buffer]> {
    const range = this.db.getRange(fromKey === undefined ? {} : { start: Buffer.from(fromKey, 'utf8') });
    for (const { key, value } of range) yield [key.toString('utf8'), value];
  }
}

function isTooLong(key: string): boolean {
  return key.length * 3 > MAX_KEY_BYTES && Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES;
}

/** Whether sorted `keys` has `key`. */
function contains(keys: readonly string[], key: string): boolean {
  const at = lowerBound(keys, key);
  return at < keys.length && keys[at] === key;
}
