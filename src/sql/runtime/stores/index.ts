// Which state stores a query gets. A persistent query with a state directory keeps its stores on disk
// (`<state dir>/<service id>query_<QUERY_ID>`, one LMDB environment, one database per store) behind a
// cache of at most `ksql.streams.state.cache.max.entries` entries per store (and a second database per store:
// its keys' changelog partitions); anything else (transient
// queries, tests without a state directory) keeps them in memory. The changelog topics are the source
// of truth. A checkpoint (stores/checkpoint.ts) is written at a clean stop (the server shutting down),
// and while the query runs after a commit at most every `ksql.streams.state.checkpoint.interval.ms`, so
// that the next start, after a crash too, restores only the changelogs' tails; without one the
// directory is emptied when the query starts and the stores are restored from the beginning. A query
// terminated, dropped or failed removes its directory.
//
// Unlike Kafka Streams, which under exactly once writes its checkpoint only at a clean close (its stores
// may hold writes of an open transaction), the checkpoints here are the same under both guarantees: the
// disk never holds a write whose changelog record is not committed (stores/cached-store.ts), so the
// stores plus the changelogs after the checkpoint are the changelogs' state.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { open } from 'lmdb';
import type { RuntimeDeps } from '../context.js';
import { inMemoryStores, type StoreFactory } from '../state-store.js';
import { CachedDiskStore, type DiskDatabase } from './cached-store.js';
import {
  hasCheckpoint,
  removeCheckpoint,
  takeCheckpoint,
  writeCheckpoint,
  type Checkpoint,
} from './checkpoint.js';

export const STATE_CACHE_PROPERTY = 'ksql.streams.state.cache.max.entries';
export const DEFAULT_STATE_CACHE_ENTRIES = 100_000;
export const CHECKPOINT_INTERVAL_PROPERTY = 'ksql.streams.state.checkpoint.interval.ms';
/** Kafka Streams' commit interval under at least once, after which it checkpoints. */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 30_000;

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

/** How often a running query checkpoints its disk stores, from its properties; 0: only at a clean stop. */
export function checkpointIntervalMs(properties: Readonly<Record<string, string>> | undefined): number {
  const text = properties?.[CHECKPOINT_INTERVAL_PROPERTY];
  if (text === undefined) return DEFAULT_CHECKPOINT_INTERVAL_MS;
  const ms = Number(text);
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new Error(
      `${CHECKPOINT_INTERVAL_PROPERTY} must be a whole number of milliseconds of at least 0 (got '${text}'), for example ${DEFAULT_CHECKPOINT_INTERVAL_MS}; 0 checkpoints only at a clean stop`,
    );
  }
  return ms;
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
 * Stores in an LMDB environment at `dir`: the one a checkpoint was left with, else a fresh one (what was
 * there is removed). `close` keeps it with a checkpoint when given one, else removes it.
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
    saveCheckpoint(offsets) {
      // Only right after a commit: a write-back must not put the disk ahead of the offsets.
      if (stores.some((store) => store.uncommitted)) return false;
      for (const store of stores) store.writeBack();
      writeCheckpoint(dir, offsets, ['data.mdb'], true);
      return true;
    },
    dropCheckpoint() {
      removeCheckpoint(dir);
    },
    async close(offsets?: Checkpoint) {
      if (offsets !== undefined && !stores.some((store) => store.uncommitted)) {
        for (const store of stores) store.writeBack();
        await root.close();
        writeCheckpoint(dir, offsets, ['data.mdb']);
        return;
      }
      await root.close();
      // Stopped in the middle of a batch, the caches hold writes that the changelogs lack: the disk stays
      // as the last running checkpoint has it (evictions since wrote only committed values), if any.
      if (offsets !== undefined && hasCheckpoint(dir)) return;
      // The next start rebuilds the stores from the changelogs.
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
