// Which state stores a query gets. A persistent query with a state directory keeps its stores on disk
// (`<state dir>/<service id>query_<QUERY_ID>`, one LMDB environment, one database per store) behind a
// cache of at most `ksql.streams.state.cache.max.entries` entries per store (and a second database per store:
// its keys' changelog partitions); anything else (transient
// queries, tests without a state directory) keeps them in memory. The changelog topics are the source
// of truth: a clean stop (the server shutting down) leaves the directory with a checkpoint
// (stores/checkpoint.ts), so that the next start restores only the changelogs' tails; without one the
// directory is emptied when the query starts and the stores are restored from the beginning. A query
// terminated, dropped or failed removes its directory.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { open } from 'lmdb';
import type { RuntimeDeps } from '../context.js';
import { inMemoryStores, type StoreFactory } from '../state-store.js';
import { CachedDiskStore, type DiskDatabase } from './cached-store.js';
import { takeCheckpoint, writeCheckpoint, type Checkpoint } from './checkpoint.js';

export const STATE_CACHE_PROPERTY = 'ksql.streams.state.cache.max.entries';
export const DEFAULT_STATE_CACHE_ENTRIES = 100_000;

/** The cache bound from the query's properties; a value that is not a positive whole number is refused. */
export function stateCacheEntries(properties: Readonly<Record<string, string>> | undefined): number {
  const text = properties?.[STATE_CACHE_PROPERTY];
  if (text === undefined) return DEFAULT_STATE_CACHE_ENTRIES;
  const entries = Number(text);
  if (!Number.isSafeInteger(entries) || entries < 1) {
    throw new Error(
      `${STATE_CACHE_PROPERTY} must be a whole number of entries of at least 1 (got '${text}'), for example ${DEFAULT_STATE_CACHE_ENTRIES}`,
    );
  }
  return entries;
}

export function stateDirectory(stateDir: string, serviceId: string, queryId: string): string {
  return path.join(stateDir, `${serviceId}query_${queryId}`);
}

/** The stores of a persistent query: on disk under deps.stateDir if it is set, else in memory. */
export function persistentQueryStores(deps: RuntimeDeps, queryId: string): StoreFactory {
  if (deps.stateDir === undefined) return inMemoryStores;
  return diskStores(
    stateDirectory(deps.stateDir, deps.serviceId, queryId),
    stateCacheEntries(deps.properties),
  );
}

/**
 * Stores in an LMDB environment at `dir`: the one a clean close left with a checkpoint, else a fresh one
 * (what was there is removed). `close` keeps it with a checkpoint when given one, else removes it.
 */
export function diskStores(dir: string, maxEntries: number): StoreFactory {
  const checkpoint = takeCheckpoint(dir);
  if (checkpoint === undefined) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // No fsync while running: the changelog, not this directory, is what survives a crash (a checkpoint
  // syncs the data file before it is written).
  // noSubdir false: a directory even when its name has a dot (a service id may), which LMDB takes for a file.
  const root = open({
    path: dir,
    noSubdir: false,
    maxDbs: 1024,
    noSync: true,
    noMetaSync: true,
    compression: false,
  });
  const stores: CachedDiskStore<unknown>[] = [];
  return {
    create(name) {
      const database = (dbName: string): DiskDatabase =>
        root.openDB<Buffer, Buffer>({
          name: dbName,
          keyEncoding: 'binary',
          encoding: 'binary',
          compression: false,
          cache: false,
        });
      // The store's values, and its keys' changelog partitions next to them.
      const store = new CachedDiskStore<unknown>(database(name), maxEntries, database(`${name}/partitions`));
      stores.push(store);
      return store;
    },
    checkpoint,
    async close(offsets?: Checkpoint) {
      if (offsets === undefined) {
        // The next start rebuilds the stores from the changelogs.
        await root.close();
        rmSync(dir, { recursive: true, force: true });
        return;
      }
      for (const store of stores) store.writeBack();
      await root.close();
      writeCheckpoint(dir, offsets, ['data.mdb']);
    },
  };
}
