// Disk stores compared for the SQL engine's state stores (issue #10), on what a store does there:
//   restore   changelog records written in batches of 10,000 (a restart reading its changelog)
//   put       a batch end writing 1,000 changed keys at a time (one transaction per batch)
//   get       one key at a time, in random order (a cache miss on the hot path; must be synchronous)
//   range     one key's 10 windowed entries (a stream-stream join's fetch, EMIT FINAL's held rows)
//   scan      every entry in key order
// Keys are state-store keys (a group key's JSON, then `|` and a zero-padded timestamp), values the
// changelog form of an aggregation's accumulators (~120 bytes). 100,000 entries: 10,000 keys × 10.
// Every candidate runs in the same process, taking turns within each trial, each trial on a fresh
// directory; the figure is the median of 3 trials. A candidate that is not installed is skipped: the project
// installs only the chosen one; install the others elsewhere and point STORE_CANDIDATES at that
// folder's node_modules' parent to compare (e.g. STORE_CANDIDATES=/tmp/store-candidates).
// Run: npm run bench:sql-state-store
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const KEYS = 10_000;
const PER_KEY = 10;
const ENTRIES = KEYS * PER_KEY;
const RESTORE_BATCH = 10_000;
const PUT_BATCH = 1_000;
const TRIALS = 3;

interface Candidate {
  readonly name: string;
  /** Sync reads: the KeyValueStore interface is synchronous (get, entries). */
  readonly syncReads: boolean;
  open(dir: string): Promise<OpenStore>;
}

interface OpenStore {
  writeBatch(entries: readonly (readonly [string, Buffer])[]): Promise<void>;
  get(key: string): Buffer | undefined | Promise<Buffer | undefined>;
  /** Counts the entries in [from, to]. */
  range(from: string | undefined, to: string | undefined): number | Promise<number>;
  close(): Promise<void>;
}

const requireFrom = createRequire(
  process.env.STORE_CANDIDATES === undefined
    ? import.meta.url
    : path.join(process.env.STORE_CANDIDATES, 'package.json'),
);
const projectRequire = createRequire(import.meta.url);

function load<T>(name: string): T | undefined {
  for (const req of [projectRequire, requireFrom]) {
    try {
      return req(name) as T;
    } catch {
      // not installed there
    }
  }
  return undefined;
}

interface LmdbDb {
  get(key: string): Buffer | undefined;
  putSync(key: string, value: Buffer): boolean;
  transactionSync<T>(action: () => T): T;
  getRange(options: { start?: string; end?: string; snapshot?: boolean }): Iterable<unknown>;
  close(): Promise<void>;
}

function lmdbCandidate(): Candidate | undefined {
  const lmdb = load<{ open(options: object): LmdbDb }>('lmdb');
  if (lmdb === undefined) return undefined;
  return {
    name: 'lmdb',
    syncReads: true,
    async open(dir) {
      const db = lmdb.open({ path: dir, encoding: 'binary', compression: false, noSync: true });
      return {
        async writeBatch(entries) {
          db.transactionSync(() => {
            for (const [k, v] of entries) db.putSync(k, v);
          });
        },
        get: (key) => db.get(key),
        range(from, to) {
          let n = 0;
          // getRange's end is exclusive: the bench's upper bounds end in `~`, above every key it wants.
          for (const _ of db.getRange({ start: from, end: to, snapshot: false })) n++;
          return n;
        },
        close: () => db.close(),
      };
    },
  };
}

interface LevelDb {
  open(): Promise<void>;
  batch(ops: { type: 'put'; key: string; value: Buffer }[]): Promise<void>;
  getSync?(key: string): Buffer | undefined;
  get(key: string): Promise<Buffer | undefined>;
  keys(options: { gte?: string; lt?: string }): AsyncIterable<string>;
  close(): Promise<void>;
}

function classicLevelCandidate(): Candidate | undefined {
  const level = load<{ ClassicLevel: new (dir: string, options: object) => LevelDb }>('classic-level');
  if (level === undefined) return undefined;
  return {
    name: 'classic-level',
    syncReads: false,
    async open(dir) {
      const db = new level.ClassicLevel(dir, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
      await db.open();
      return {
        writeBatch: (entries) => db.batch(entries.map(([key, value]) => ({ type: 'put', key, value }))),
        get: (key) => (db.getSync === undefined ? db.get(key) : db.getSync(key)),
        async range(from, to) {
          let n = 0;
          const options: { gte?: string; lt?: string } = {};
          if (from !== undefined) options.gte = from;
          if (to !== undefined) options.lt = to;
          for await (const _ of db.keys(options)) n++;
          return n;
        },
        close: () => db.close(),
      };
    },
  };
}

interface SqliteDb {
  exec(sql: string): void;
  pragma(sql: string): unknown;
  prepare(sql: string): {
    run(...args: unknown[]): unknown;
    get(...args: unknown[]): { v: Buffer } | undefined;
    iterate(...args: unknown[]): Iterable<unknown>;
  };
  transaction(
    fn: (entries: readonly (readonly [string, Buffer])[]) => void,
  ): (entries: readonly (readonly [string, Buffer])[]) => void;
  close(): void;
}

function sqliteCandidate(): Candidate | undefined {
  const Database = load<new (file: string) => SqliteDb>('better-sqlite3');
  if (Database === undefined) return undefined;
  return {
    name: 'better-sqlite3',
    syncReads: true,
    async open(dir) {
      const db = new Database(path.join(dir, 'store.db'));
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = OFF');
      db.exec('CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID');
      const put = db.prepare('INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)');
      const get = db.prepare('SELECT v FROM kv WHERE k = ?');
      const rangeStatement = db.prepare('SELECT k FROM kv WHERE k >= ? AND k < ? ORDER BY k');
      const all = db.prepare('SELECT k FROM kv ORDER BY k');
      const write = db.transaction((entries) => {
        for (const [k, v] of entries) put.run(k, v);
      });
      return {
        async writeBatch(entries) {
          write(entries);
        },
        get: (key) => get.get(key)?.v,
        range(from, to) {
          let n = 0;
          const rows = from === undefined ? all.iterate() : rangeStatement.iterate(from, to);
          for (const _ of rows) n++;
          return n;
        },
        async close() {
          db.close();
        },
      };
    },
  };
}

function keyOf(user: number, slot: number): string {
  return `${JSON.stringify([`user-${String(user).padStart(6, '0')}`])}|${String(1_700_000_000_000 + slot * 60_000).padStart(16, '0')}`;
}

function valueOf(i: number): Buffer {
  const data = {
    windows: [
      {
        start: 1_700_000_000_000 + (i % PER_KEY) * 60_000,
        end: 1_700_000_060_000 + (i % PER_KEY) * 60_000,
        timestamp: 1_700_000_000_000 + i,
        accumulators: [{ $n: String(i) }, { sum: i * 1.5, count: { $n: String(i % 97) } }],
      },
    ],
  };
  return Buffer.from(JSON.stringify(data));
}

/** A deterministic shuffle, the same for every candidate. */
function shuffled(n: number): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  let seed = 42;
  for (let i = n - 1; i > 0; i--) {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j] as number, out[i] as number];
  }
  return out;
}

const keys = Array.from({ length: ENTRIES }, (_, i) => keyOf(Math.floor(i / PER_KEY), i % PER_KEY));
const values = keys.map((_, i) => valueOf(i));
const order = shuffled(ENTRIES);

interface Figures {
  restore: number;
  put: number;
  get: number;
  range: number;
  scan: number;
}

async function trial(candidate: Candidate): Promise<Figures> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `venice-bench-${candidate.name}-`));
  try {
    const store = await candidate.open(dir);
    const perSecond = (count: number, started: bigint): number =>
      count / (Number(process.hrtime.bigint() - started) / 1e9);

    let started = process.hrtime.bigint();
    for (let i = 0; i < ENTRIES; i += RESTORE_BATCH) {
      const batch: [string, Buffer][] = [];
      for (let j = i; j < i + RESTORE_BATCH; j++) batch.push([keys[j] as string, values[j] as Buffer]);
      await store.writeBatch(batch);
    }
    const restore = perSecond(ENTRIES, started);

    started = process.hrtime.bigint();
    for (let i = 0; i < ENTRIES; i += PUT_BATCH) {
      const batch: [string, Buffer][] = [];
      for (let j = i; j < i + PUT_BATCH; j++) {
        const at = order[j] as number;
        batch.push([keys[at] as string, values[(at + 1) % ENTRIES] as Buffer]);
      }
      await store.writeBatch(batch);
    }
    const put = perSecond(ENTRIES, started);

    started = process.hrtime.bigint();
    let found = 0;
    for (const at of order) if ((await store.get(keys[at] as string)) !== undefined) found++;
    const get = perSecond(ENTRIES, started);
    if (found !== ENTRIES) throw new Error(`${candidate.name}: found ${found} of ${ENTRIES}`);

    started = process.hrtime.bigint();
    for (let i = 0; i < KEYS; i++) {
      const user = order[i] as number;
      const prefix = JSON.stringify([`user-${String(user % KEYS).padStart(6, '0')}`]);
      const n = await store.range(`${prefix}|`, `${prefix}|~`);
      if (n !== PER_KEY) throw new Error(`${candidate.name}: range gave ${n}`);
    }
    const range = perSecond(KEYS, started);

    started = process.hrtime.bigint();
    const all = await store.range(undefined, undefined);
    const scan = perSecond(all, started);
    if (all !== ENTRIES) throw new Error(`${candidate.name}: scan gave ${all}`);

    await store.close();
    return { restore, put, get, range, scan };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const candidates = [lmdbCandidate(), classicLevelCandidate(), sqliteCandidate()];
const present = candidates.filter((c): c is Candidate => c !== undefined);
console.log(
  `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}, Node ${process.version}; ${ENTRIES.toLocaleString('en')} entries, median of ${TRIALS}`,
);
if (present.length < 3)
  console.log(
    `not installed (skipped): ${['lmdb', 'classic-level', 'better-sqlite3'].filter((n) => !present.some((c) => c.name === n)).join(', ')}`,
  );

// Candidates take turns within each trial, so that a change in the machine's load falls on all of them.
for (const candidate of present) await trial(candidate); // warm-up
const trialsOf = new Map<string, Figures[]>(present.map((c) => [c.name, []]));
for (let t = 0; t < TRIALS; t++) {
  for (const candidate of present) trialsOf.get(candidate.name)?.push(await trial(candidate));
}
const results = new Map<string, Figures>();
for (const [name, trials] of trialsOf) {
  const figure = (k: keyof Figures) => median(trials.map((f) => f[k]));
  results.set(name, {
    restore: figure('restore'),
    put: figure('put'),
    get: figure('get'),
    range: figure('range'),
    scan: figure('scan'),
  });
}

const base = results.get('lmdb') ?? [...results.values()][0];
const fmt = (n: number) => Math.round(n).toLocaleString('en').padStart(11);
console.log(
  `${'store'.padEnd(16)}${'restore/s'.padStart(11)}${'put/s'.padStart(11)}${'get/s'.padStart(11)}${'range/s'.padStart(11)}${'scan/s'.padStart(11)}  sync reads`,
);
for (const [name, f] of results) {
  const sync = present.find((c) => c.name === name)?.syncReads ? 'yes' : 'no';
  console.log(
    `${name.padEnd(16)}${fmt(f.restore)}${fmt(f.put)}${fmt(f.get)}${fmt(f.range)}${fmt(f.scan)}  ${sync}`,
  );
  if (base !== undefined && f !== base) {
    const r = (k: keyof Figures) => `${(f[k] / base[k]).toFixed(2)}×`.padStart(11);
    console.log(`${'  vs first'.padEnd(16)}${r('restore')}${r('put')}${r('get')}${r('range')}${r('scan')}`);
  }
}

// The hot path through the engine's own stores: an aggregation's get, change in place and put of a
// live value per record (10,000 keys, uniformly at random), `commit` called every 500 records as a
// batch's commit does. In memory; on disk with the state fitting the cache; on disk with a cache of a
// tenth of the keys (the rest read back from LMDB and decoded on each miss, evictions written back);
// and, to show why the store does not do it, the cache written back to disk at every batch end.
const { InMemoryKeyValueStore } = await import('../src/sql/runtime/state-store.js');
const { diskStores } = await import('../src/sql/runtime/stores/index.js');
type Live = { count: bigint; sum: number };
const liveCodec = {
  toData: (v: Live) => [v.count, v.sum],
  fromData: (d: unknown) => ({ count: (d as [bigint, number])[0], sum: (d as [bigint, number])[1] }),
};
const HOT_RECORDS = 500_000;
const hotKeys = Array.from({ length: KEYS }, (_, i) => JSON.stringify([`user-${i}`]));
const hotOrder = Array.from({ length: HOT_RECORDS }, (_, i) => order[i % ENTRIES] as number);

async function hotPath(maxEntries: number | undefined, writeBack = false): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'venice-bench-hot-'));
  const factory = maxEntries === undefined ? undefined : diskStores(dir, maxEntries);
  try {
    const store = factory === undefined ? new InMemoryKeyValueStore<unknown>() : factory.create('hot');
    store.bind({ name: 'hot', codec: liveCodec as never, onError: () => undefined });
    const started = process.hrtime.bigint();
    for (let i = 0; i < HOT_RECORDS; i++) {
      const key = hotKeys[(hotOrder[i] as number) % KEYS] as string;
      const live = (store.get(key) as Live | undefined) ?? { count: 0n, sum: 0 };
      live.count += 1n;
      live.sum += i;
      store.put(key, live);
      if (i % 500 === 499) {
        store.commit();
        if (writeBack) (store as { writeBack?(): void }).writeBack?.();
      }
    }
    store.commit();
    return HOT_RECORDS / (Number(process.hrtime.bigint() - started) / 1e9);
  } finally {
    await factory?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const hot: [string, number | undefined, boolean][] = [
  ['in memory', undefined, false],
  ['disk, cache fits', KEYS * 2, false],
  ['  + written back per batch', KEYS * 2, true],
  ['disk, cache 1/10', KEYS / 10, false],
];
console.log(
  `\nhot path (get, change in place, put; commit per 500), ${HOT_RECORDS.toLocaleString('en')} records:`,
);
// Variants take turns within each trial, as the candidates above do.
for (const [, bound, writeBack] of hot) await hotPath(bound, writeBack); // warm-up
const hotTrials = hot.map((): number[] => []);
for (let t = 0; t < TRIALS; t++) {
  for (const [i, [, bound, writeBack]] of hot.entries()) hotTrials[i]?.push(await hotPath(bound, writeBack));
}
const memory = median(hotTrials[0] ?? []);
for (const [i, [label]] of hot.entries()) {
  const rate = median(hotTrials[i] ?? []);
  console.log(`${label.padEnd(28)}${fmt(rate)}/s  ${(rate / memory).toFixed(2)}×`);
}
