// A disk-backed state store: LMDB under the query's state directory, behind a write-back cache of live
// values. Operators get and put live values (accumulators changed in place) at memory speed: a value
// is encoded (its codec's changelog form) and written to disk only when the cache is over its bound
// and evicts it, in batches of a tenth of the bound, or when a checkpoint writes the cache back
// (writeBack). Not at each batch end: a batch-end write measured 16 times slower than the cache alone
// (docs/benchmarks.md). Misses read the disk and decode; range reads merge the cache's keys with the
// disk's in key order. While every key on disk is in the cache too (the store never evicted a value),
// misses and range reads skip the disk. The disk holds each value's changelog bytes.
//
// The disk never holds a value that the changelog may not have: an entry written since the last
// commit (the batch in hand, whose changelog records are not durable yet), or read while it had
// unwritten changes (its live value may be changed in place before its put), is held in the cache until
// `commit`. So what the disk holds is always some committed state of each key, and a checkpoint
// written after a commit and a write-back (stores/index.ts) stays true while evictions go on: a key
// written to disk after it has a changelog record past the checkpoint, which a restore reads again.
// The cache may then pass its bound by the keys of one batch.
//
// The store is also its keys' partition index (KeyPartitions): a second database of the environment maps
// each key on disk to its changelog partition. A cached entry carries its partition, and the index is
// written in the same transaction as the value, only when the partition changed (a key's first write).
import type { Database } from 'lmdb';
import { decodeStoreValue, encodeStoreValue } from '../changelog.js';
import type { ProcessingError, StoreCodec } from '../operator.js';
import { lowerBound, type StateStore, type StoreBinding, type StoreListener } from '../state-store.js';
import type { KeyPartitions } from './key-partitions.js';

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
  /** Its value may be newer than the changelog's until the next commit: not evicted (see the top). */
  held: boolean;
  /** Its changelog partition, when known (see partitionKnown). */
  partition?: number;
  /** The partition above is the key's (not to be read from the index): set once read or written. */
  partitionKnown?: boolean;
  /** The partition changed since the index was last written. */
  partitionDirty?: boolean;
}

/** Whether the entry's partition is its own, or must be read from the index (the key came from disk). */
function knowsPartition(entry: CacheEntry<unknown>): boolean {
  return entry.partitionKnown === true || !entry.onDisk;
}

function partitionBytes(partition: number): Buffer {
  const bytes = Buffer.allocUnsafe(4);
  bytes.writeUInt32BE(partition, 0);
  return bytes;
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
  /** The entries held until the next commit. */
  readonly #holding: CacheEntry<V>[] = [];
  /** Puts and deletes since the last commit. */
  #uncommittedWrites = 0;

  constructor(
    private readonly db: DiskDatabase,
    /** The cache's bound, in entries. */
    private readonly maxEntries: number,
    /** Each key's changelog partition (uint32, big-endian), for the keys on disk. */
    private readonly partitionsDb: DiskDatabase,
  ) {}

  /** This store's keys' changelog partitions, kept as its entries are (see the top of the file). */
  readonly keyPartitions: KeyPartitions = {
    get: (key) => this.#partitionOf(key),
    set: (key, partition) => this.#setPartition(key, partition),
    keysWhere: (test) => this.#keysWhere(test),
  };

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
      // A live value with unwritten changes may be changed in place before its put: not evicted meanwhile.
      if (cached.dirty) this.#hold(cached);
      return cached.value;
    }
    if (this.#complete) return undefined;
    const bytes = this.#diskGet(key);
    if (bytes === undefined) {
      // Remembered as absent: the put that usually follows a miss then needs no disk look-up.
      this.#insert(key, {
        value: undefined,
        dirty: false,
        used: true,
        onDisk: false,
        pinned: false,
        held: false,
      });
      return undefined;
    }
    const value = this.#decode(key, bytes);
    const entry: CacheEntry<V> = {
      value,
      dirty: false,
      used: true,
      onDisk: true,
      pinned: false,
      held: false,
    };
    if (value === undefined) this.#forgetUnreadable(entry);
    this.#insert(key, entry);
    return value;
  }

  // An operator's write is held in the cache until its changelog record is durable (commit).
  put(key: string, value: V): void {
    this.#uncommittedWrites++;
    this.#set(key, value, true);
    this.#listener?.(key, value);
  }

  delete(key: string): void {
    this.#uncommittedWrites++;
    this.#remove(key, true);
    this.#listener?.(key, undefined);
  }

  #hold(entry: CacheEntry<V>): void {
    if (entry.held) return;
    entry.held = true;
    this.#holding.push(entry);
  }

  /** Whether operators wrote since the last commit (a write-back would put the disk ahead of it). */
  get uncommitted(): boolean {
    return this.#uncommittedWrites > 0;
  }

  /** `hold`: an operator's write, kept from the disk until the commit (a restore's is the changelog's). */
  #set(key: string, value: V, hold: boolean): void {
    const cached = this.#cache.get(key);
    if (cached !== undefined) {
      if (cached.value === undefined) this.#size++;
      cached.value = value;
      cached.used = true;
      cached.dirty = true;
      if (hold) this.#hold(cached);
    } else {
      const onDisk = !this.#complete && this.#diskHas(key);
      if (!onDisk) this.#size++;
      const entry: CacheEntry<V> = { value, dirty: true, used: true, onDisk, pinned: false, held: false };
      // Held before it is inserted: the insert's eviction must not write it.
      if (hold) this.#hold(entry);
      this.#insert(key, entry);
    }
  }

  #remove(key: string, hold: boolean): void {
    const cached = this.#cache.get(key);
    if (cached !== undefined) {
      if (cached.value !== undefined) {
        this.#size--;
        cached.value = undefined;
        cached.dirty = true;
      }
      if (hold) this.#hold(cached);
    } else if (!this.#complete && this.#diskHas(key)) {
      this.#size--;
      const entry: CacheEntry<V> = {
        value: undefined,
        dirty: true,
        used: false,
        onDisk: true,
        pinned: false,
        held: false,
      };
      if (hold) this.#hold(entry);
      this.#insert(key, entry);
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
    if (decoded === undefined) this.#remove(key, false);
    else this.#set(key, decoded, false);
  }

  /** The key's partition, from its cached entry or else the index on disk. */
  #partitionOf(key: string): number | undefined {
    const cached = this.#cache.get(key);
    if (cached !== undefined && knowsPartition(cached)) return cached.partition;
    const partition = this.#diskPartition(key);
    if (cached !== undefined) {
      cached.partition = partition;
      cached.partitionKnown = true;
    }
    return partition;
  }

  /** Kept on the cached entry and written with it (the key was just written or restored). */
  #setPartition(key: string, partition: number | undefined): void {
    const cached = this.#cache.get(key);
    if (cached === undefined) {
      // Not cached (restored before bind): straight to the index, which the value joins or left.
      if (isTooLong(key)) return;
      const diskKey = Buffer.from(key, 'utf8');
      if (partition !== undefined) this.partitionsDb.putSync(diskKey, partitionBytes(partition));
      else if (this.partitionsDb.doesExist(diskKey)) this.partitionsDb.removeSync(diskKey);
      return;
    }
    if (knowsPartition(cached) && cached.partition === partition) return;
    cached.partition = partition;
    cached.partitionKnown = true;
    cached.partitionDirty = true;
    cached.dirty = true;
  }

  /** The held keys whose partition passes `test`, from the cache and the index on disk. */
  #keysWhere(test: (partition: number) => boolean): string[] {
    const keys: string[] = [];
    for (const [key, entry] of this.#cache) {
      if (!knowsPartition(entry) || entry.value === undefined || entry.partition === undefined) continue;
      if (test(entry.partition)) keys.push(key);
    }
    for (const { key, value } of this.partitionsDb.getRange({})) {
      const text = key.toString('utf8');
      const cached = this.#cache.get(text);
      if (cached !== undefined && knowsPartition(cached)) continue;
      if (test(value.readUInt32BE(0))) keys.push(text);
    }
    return keys;
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

  /**
   * The writes so far are durable in the changelog: the entries held for them may be evicted (and the
   * cache comes back within its bound). Nothing is written: changed values reach the disk when evicted.
   */
  commit(): void {
    for (const entry of this.#holding) entry.held = false;
    this.#holding.length = 0;
    this.#uncommittedWrites = 0;
    if (this.#cache.size > this.maxEntries) this.#evict();
  }

  /** Writes every changed cached value to disk (before a checkpoint, after a commit; tests). */
  writeBack(): void {
    this.#write([...this.#cache].filter(([, entry]) => entry.dirty));
  }

  #insert(key: string, entry: CacheEntry<V>): void {
    this.#cache.set(key, entry);
    this.#sorted = undefined;
    // Held entries are not evicted: only the others count against the bound until the commit.
    if (this.#cache.size - this.#holding.length > this.maxEntries) this.#evict();
  }

  /** A disk value that cannot be decoded: the key starts over (deleted from disk when evicted). */
  #forgetUnreadable(entry: CacheEntry<V>): void {
    this.#size--;
    entry.dirty = true;
  }

  /** Evicts the entries not used since the sweep last passed them, writing the changed ones first. */
  #evict(): void {
    let excess = this.#cache.size - this.#holding.length - Math.floor(this.maxEntries * (1 - EVICT_SHARE));
    const victims: [string, CacheEntry<V>][] = [];
    for (const [key, entry] of this.#cache) {
      if (excess <= 0) break;
      if (entry.pinned || entry.held) continue;
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
          if (entry.onDisk && !tooLong) {
            const diskKey = Buffer.from(key, 'utf8');
            this.db.removeSync(diskKey);
            this.partitionsDb.removeSync(diskKey);
          }
          entry.onDisk = false;
          entry.partitionDirty = false;
          continue;
        }
        const bytes = tooLong ? undefined : this.#encode(entry.value);
        if (bytes === undefined) {
          entry.pinned = true;
          continue;
        }
        const diskKey = Buffer.from(key, 'utf8');
        this.db.putSync(diskKey, bytes);
        if (entry.partitionDirty === true) {
          if (entry.partition === undefined) this.partitionsDb.removeSync(diskKey);
          else this.partitionsDb.putSync(diskKey, partitionBytes(entry.partition));
          entry.partitionDirty = false;
        }
        if (knowsPartition(entry)) entry.partitionKnown = true;
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
    if (cached !== undefined) {
      if (cached.dirty) this.#hold(cached);
      return cached.value;
    }
    const bytes = this.#diskGet(key);
    return bytes === undefined ? undefined : this.#decode(key, bytes);
  }

  #diskGet(key: string): Buffer | undefined {
    return isTooLong(key) ? undefined : this.db.get(Buffer.from(key, 'utf8'));
  }

  #diskPartition(key: string): number | undefined {
    if (isTooLong(key)) return undefined;
    return this.partitionsDb.get(Buffer.from(key, 'utf8'))?.readUInt32BE(0);
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
