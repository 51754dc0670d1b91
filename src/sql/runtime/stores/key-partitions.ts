// The changelog partition of each key a store holds: which keys to drop when a partition is revoked,
// and which partition a key's next changelog record goes to. It lives with the store's entries, so that
// a disk-backed store does not keep a per-key index in memory (stores/cached-store.ts keeps it in LMDB).

/** The partition index of a store's keys (the input partition that first wrote each key). */
export interface KeyPartitions {
  /** The partition of a held key, undefined if the index does not know it. */
  get(key: string): number | undefined;
  /** Records a key's partition; undefined forgets the key (it was deleted). */
  set(key: string, partition: number | undefined): void;
  /** The keys whose partition passes `test` (a snapshot: safe to change the store while using it). */
  keysWhere(test: (partition: number) => boolean): string[];
}

/** The index of an in-memory store: a Map, as large as the store itself. */
export class InMemoryKeyPartitions implements KeyPartitions {
  readonly #partitions = new Map<string, number>();

  get(key: string): number | undefined {
    return this.#partitions.get(key);
  }

  set(key: string, partition: number | undefined): void {
    if (partition === undefined) this.#partitions.delete(key);
    else this.#partitions.set(key, partition);
  }

  keysWhere(test: (partition: number) => boolean): string[] {
    const keys: string[] = [];
    for (const [key, partition] of this.#partitions) if (test(partition)) keys.push(key);
    return keys;
  }
}
