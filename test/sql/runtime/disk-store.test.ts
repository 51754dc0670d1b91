// The disk-backed state store: a write-back cache over LMDB. Live values stay live until written back or
// evicted, and what was written since the last commit stays off the disk (a crash image holds only
// committed values, which a running checkpoint describes); range reads merge the cache and the disk in key order; a directory left behind starts
// empty and is restored from changelog records.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeStoreValue } from '../../../src/sql/runtime/changelog.js';
import type { KeyValueStore, ProcessingError, StoreCodec } from '../../../src/sql/runtime/operator.js';
import { QueryContext } from '../../../src/sql/runtime/query-context.js';
import { InMemoryKeyValueStore, type StoreFactory } from '../../../src/sql/runtime/state-store.js';
import { CachedDiskStore } from '../../../src/sql/runtime/stores/cached-store.js';
import {
  checkpointIntervalMs,
  diskStores,
  stateCacheEntries,
} from '../../../src/sql/runtime/stores/index.js';
import { RunningCheckpoints } from '../../../src/sql/runtime/stores/running-checkpoints.js';
import { silentLogger } from '../../../src/service/index.js';
import { temporaryDataDir } from '../../helpers/broker.js';

const open: StoreFactory[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()));
});

function factory(maxEntries: number, dir = temporaryDataDir('store')): StoreFactory {
  const stores = diskStores(dir, maxEntries);
  open.push(stores);
  return stores;
}

function bound<V>(stores: StoreFactory, name: string, codec?: StoreCodec<V>, errors: ProcessingError[] = []) {
  const store = stores.create(name) as CachedDiskStore<V>;
  store.bind({ name, codec, onError: (e) => errors.push(e) });
  return store;
}

const key = (i: number) => `k${String(i).padStart(5, '0')}`;

/** A live value: a counter object changed in place, with a codec to its changelog data. */
interface Counter {
  count: number;
}
const counterCodec: StoreCodec<Counter> = {
  toData: (c) => ({ n: c.count }),
  fromData: (d) => ({ count: (d as { n: number }).n }),
};

describe('CachedDiskStore', () => {
  it('gets, puts, deletes and lists in key order within the cache', () => {
    const store = bound<number>(factory(100), 's');
    for (const k of ['b', 'd', 'a', 'c']) store.put(k, k.charCodeAt(0));
    store.delete('d');
    store.delete('never');
    expect(store.get('a')).toBe(97);
    expect(store.get('d')).toBeUndefined();
    expect([...store.entries()].map(([k]) => k)).toEqual(['a', 'b', 'c']);
    expect([...store.entries('b', 'c')].map(([k]) => k)).toEqual(['b', 'c']);
    expect(store.size).toBe(3);
  });

  it('keeps live values live until they are evicted', () => {
    const store = bound<Counter>(factory(10), 'live', counterCodec);
    const counter = { count: 1 };
    store.put('a', counter);
    counter.count = 5;
    store.commit();
    store.writeBack();
    expect(store.get('a')).toBe(counter); // still the same object after a batch end and a write-back
    for (let i = 0; i < 30; i++) store.put(key(i), { count: i });
    store.commit(); // 'a' is evicted, its latest value written
    expect(store.cached).toBeLessThanOrEqual(10);
    expect(store.get('a')).toEqual({ count: 5 });
    expect(store.get('a')).not.toBe(counter);
  });

  it('evicts past its bound and reads evicted entries back, merged in key order', () => {
    const errors: ProcessingError[] = [];
    const store = bound<Counter>(factory(100), 'big', counterCodec, errors);
    const model = new InMemoryKeyValueStore<number>();
    // Several thousand keys through a 100-entry cache, each updated in place a few times.
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 3000; i += 1 + round) {
        const k = key(i);
        const counter = store.get(k) ?? { count: 0 };
        counter.count += 1;
        store.put(k, counter);
        model.put(k, (model.get(k) ?? 0) + 1);
        if (i % 7 === 0 && round === 2) {
          store.delete(k);
          model.delete(k);
        }
      }
      store.commit();
    }
    expect(store.cached).toBeLessThanOrEqual(100);
    expect(store.size).toBe(model.size);
    const actual = [...store.entries()].map(([k, v]) => [k, v.count]);
    expect(actual).toEqual([...model.entries()]);
    expect([...store.entries(key(100), key(120))].map(([k, v]) => [k, v.count])).toEqual([
      ...model.entries(key(100), key(120)),
    ]);
    for (const i of [0, 1, 7, 2999, 1500]) expect(store.get(key(i))?.count).toBe(model.get(key(i)));
    expect(errors).toEqual([]);
  });

  it('merges unflushed cache entries with older disk entries in a range read', () => {
    const store = bound<number>(factory(10), 'merge');
    for (let i = 0; i < 50; i += 2) store.put(key(i), i); // evicted to disk as the cache fills
    store.commit();
    for (let i = 1; i < 50; i += 2) store.put(key(i), i);
    store.put(key(4), 400);
    store.delete(key(6));
    const keys = [...store.entries(key(2), key(9))];
    expect(keys).toEqual([
      [key(2), 2],
      [key(3), 3],
      [key(4), 400],
      [key(5), 5],
      [key(7), 7],
      [key(8), 8],
      [key(9), 9],
    ]);
    expect(store.size).toBe(49);
  });

  it('lists every entry once, in order, while the caller writes and evicts during the iteration', () => {
    const store = bound<number>(factory(50), 'busy');
    for (let i = 0; i < 500; i++) store.put(key(i), i);
    let visited = 0;
    for (const [k, v] of store.entries()) {
      visited++;
      store.put(k, v + 1000);
      store.put(`z${k}`, 1); // keys added meanwhile are not visited, as in the in-memory store
    }
    expect(visited).toBe(500);
    expect(store.get(key(1))).toBe(1001);
    const keys = [...store.entries()].map(([k]) => k);
    expect(keys).toEqual([...keys].sort());
    expect(keys).toHaveLength(1000);
    expect(store.size).toBe(1000);
  });

  it('keeps a value without a changelog form in the cache rather than losing it', () => {
    const store = bound<unknown>(factory(2), 'odd');
    const odd = new (class Odd {})();
    store.put('odd', odd);
    for (let i = 0; i < 10; i++) store.put(key(i), i);
    store.commit();
    expect(store.get('odd')).toBe(odd);
    expect(store.get(key(0))).toBe(0);
  });

  it('keeps a key too long for LMDB in the cache', () => {
    const store = bound<number>(factory(2), 'long');
    const long = 'x'.repeat(3000);
    store.put(long, 1);
    for (let i = 0; i < 10; i++) store.put(key(i), i);
    store.commit();
    expect(store.get(long)).toBe(1);
    expect([...store.entries()].length).toBe(11);
  });

  it('is restored from changelog records once bound, and refuses them before', () => {
    const stores = factory(100);
    const store = stores.create('restored') as CachedDiskStore<Counter>;
    expect(() => store.restore(key(0), null)).toThrow(/only once its operator has it/);
    store.bind({ name: 'restored', codec: counterCodec, onError: () => undefined });
    for (let i = 0; i < 50; i++) store.restore(key(i), encodeStoreValue({ n: i }) ?? null);
    store.restore(key(3), null);
    store.restore(key(4), encodeStoreValue({ n: 44 }) ?? null);
    expect(store.size).toBe(49);
    expect(store.get(key(4))).toEqual({ count: 44 });
    expect(store.get(key(3))).toBeUndefined();
  });

  it('streams a restore larger than the cache to disk, and reports an unreadable entry', () => {
    const errors: ProcessingError[] = [];
    const stores = factory(100);
    const store = stores.create('restored') as CachedDiskStore<Counter>;
    store.bind({ name: 'restored', codec: counterCodec, onError: (e) => errors.push(e) });
    for (let i = 0; i < 25_000; i++) store.restore(key(i % 20_000), encodeStoreValue({ n: i }) ?? null);
    store.restore('bad', Buffer.from('{not json'));
    expect(store.cached).toBeLessThanOrEqual(100);
    expect(store.get(key(1))).toEqual({ count: 20_001 });
    expect(store.get(key(19_999))).toEqual({ count: 19_999 });
    expect(store.get('bad')).toBeUndefined();
    expect(errors.map((e) => e.message)).toEqual(['Could not restore bad of state store restored']);
    expect([...store.entries(key(10), key(12))].map(([k, v]) => [k, v.count])).toEqual([
      [key(10), 20_010],
      [key(11), 20_011],
      [key(12), 20_012],
    ]);
  });

  it('holds what was written or changed since the last commit from the disk, and evicts it after', () => {
    const store = bound<Counter>(factory(10), 'held', counterCodec);
    for (let i = 0; i < 40; i++) store.put(key(i), { count: i });
    expect(store.cached).toBe(40); // one batch's writes, past the bound
    expect(store.uncommitted).toBe(true);
    store.commit();
    expect(store.cached).toBeLessThanOrEqual(10);
    expect(store.uncommitted).toBe(false);
    // Misses that do not write stay within the bound.
    for (let i = 0; i < 40; i++) expect(store.get(key(i))).toEqual({ count: i });
    expect(store.cached).toBeLessThanOrEqual(10);
  });

  it('leaves a crash image that a running checkpoint describes: committed values only', async () => {
    const dir = temporaryDataDir('store');
    const stores = diskStores(dir, 10);
    const store = bound<Counter>(stores, 's', counterCodec);
    const offsets = new Map([['changelog\u00000', 40n]]);
    const round = (n: number) => {
      for (let i = 0; i < 40; i++) {
        const counter = store.get(key(i)) ?? { count: 0 };
        counter.count = n; // changed in place, then put, as aggregations do
        store.put(key(i), counter);
      }
    };
    round(1);
    store.commit();
    expect(stores.saveCheckpoint?.(offsets)).toBe(true);
    round(2);
    store.commit(); // committed, not checkpointed: evictions write round 2 (the changelog has it past 40)
    round(3); // the batch in hand: its writes reach no disk
    expect(stores.saveCheckpoint?.(offsets)).toBe(false);
    const image = `${dir}-crash`;
    cpSync(dir, image, { recursive: true });
    await stores.close(); // a query failing: the directory goes
    expect(existsSync(dir)).toBe(false);

    const after = factory(10, image);
    expect(after.checkpoint).toEqual(offsets);
    const restored = bound<Counter>(after, 's', counterCodec);
    const counts = new Set([...restored.entries()].map(([, c]) => c.count));
    expect(restored.size).toBe(40);
    expect([...counts].every((n) => n === 1 || n === 2)).toBe(true);
  });

  it('at a stop in the middle of a batch keeps the last running checkpoint, or nothing', async () => {
    const offsets = new Map([['changelog\u00000', 5n]]);
    for (const checkpointed of [true, false]) {
      const dir = temporaryDataDir('store');
      const stores = diskStores(dir, 10);
      const store = bound<number>(stores, 's');
      store.put('a', 1);
      store.commit();
      if (checkpointed) expect(stores.saveCheckpoint?.(offsets)).toBe(true);
      store.put('a', 2); // stopped before this batch's commit
      await stores.close(new Map([['changelog\u00000', 6n]]));
      expect(existsSync(dir)).toBe(checkpointed);
      if (!checkpointed) continue;
      const again = factory(10, dir);
      expect(again.checkpoint).toEqual(offsets);
      expect(bound<number>(again, 's').get('a')).toBe(1);
    }
  });

  it('does not trust a running checkpoint from an earlier boot of the machine', async () => {
    const dir = temporaryDataDir('store');
    const stores = diskStores(dir, 10);
    const store = bound<number>(stores, 's');
    store.put('a', 1);
    store.commit();
    expect(stores.saveCheckpoint?.(new Map([['changelog\u00000', 1n]]))).toBe(true);
    const file = path.join(dir, 'checkpoint.json');
    const written = JSON.parse(readFileSync(file, 'utf8')) as { boot: string };
    expect(written.boot).toMatch(/^(id|time):/);
    writeFileSync(file, JSON.stringify({ ...written, boot: 'id:another-boot' }));
    const copy = `${dir}-copy`;
    cpSync(dir, copy, { recursive: true });
    await stores.close();
    const again = factory(10, copy);
    expect(again.checkpoint).toBeUndefined();
    expect(bound<number>(again, 's').size).toBe(0);
  });

  it('starts empty on a directory left by a crash, and removes its directory when closed', async () => {
    const dir = temporaryDataDir('store');
    const crashed = diskStores(dir, 5);
    const store = bound<number>(crashed, 's');
    for (let i = 0; i < 20; i++) store.put(key(i), i);
    (store as CachedDiskStore<number>).writeBack();
    const copy = `${dir}-copy`;
    cpSync(dir, copy, { recursive: true }); // what a crash leaves behind
    await crashed.close();
    expect(existsSync(dir)).toBe(false);
    const again = factory(5, copy);
    expect(bound<number>(again, 's').size).toBe(0);
  });
});

it('opens a directory whose name has a dot (a service id may have one) as a directory', () => {
  const store = bound<number>(factory(5, `${temporaryDataDir('store')}/my.service_query_CTAS_T_1`), 'dotted');
  for (let i = 0; i < 20; i++) store.put(key(i), i);
  expect(store.get(key(0))).toBe(0);
});

describe('QueryContext with disk stores', () => {
  it('restores a store an operator has, and tells its changelog only of writes', () => {
    const writes: string[] = [];
    const context = new QueryContext(
      'Q',
      () => undefined,
      (name) => (k) => writes.push(`${name}:${k}`),
      factory(10),
    );
    const store: KeyValueStore<Counter> = context.store('agg', counterCodec);
    const restore = (k: string, value: Buffer | null) => context.stores().get('agg')?.restore(k, value);
    restore('a', encodeStoreValue({ n: 1 }) ?? null);
    expect(store.get('a')).toEqual({ count: 1 });
    store.put('b', { count: 2 });
    context.commit();
    expect(writes).toEqual(['agg:b']);
    // A partition assigned while the query runs: its records arrive after the operator has the store.
    restore('c', encodeStoreValue({ n: 3 }) ?? null);
    restore('a', null);
    expect(store.get('c')).toEqual({ count: 3 });
    expect(store.get('a')).toBeUndefined();
    expect(writes).toEqual(['agg:b']);
  });

  it('checkpoints after a commit at most every interval, and at once after a revocation took one', async () => {
    const dir = temporaryDataDir('store');
    const context = new QueryContext('Q', () => undefined, undefined, factory(10, dir));
    const store = context.store<number>('s');
    let now = 0;
    let asked = 0;
    const offsets = async () => new Map([['changelog\u00000', BigInt(++asked)]]);
    const checkpoints = new RunningCheckpoints(context, 1_000, offsets, silentLogger(), 'Q', () => now);
    const file = path.join(dir, 'checkpoint.json');
    const batch = async (at: number) => {
      now = at;
      store.put('a', at);
      context.commit();
      await checkpoints.afterCommit();
    };
    await batch(500);
    expect(existsSync(file)).toBe(false);
    await batch(1_000);
    expect(checkpoints.written).toBe(1);
    await batch(1_500);
    expect(checkpoints.written).toBe(1);
    checkpoints.drop(); // partitions revoked
    expect(existsSync(file)).toBe(false);
    await batch(1_600);
    expect(checkpoints.written).toBe(2);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ offsets: [['changelog', 0, '2']] });
  });

  it('reads its running checkpoints interval from ksql.streams.state.checkpoint.interval.ms', () => {
    expect(checkpointIntervalMs(undefined)).toBe(30_000);
    expect(checkpointIntervalMs({ 'ksql.streams.state.checkpoint.interval.ms': '500' })).toBe(500);
    expect(checkpointIntervalMs({ 'ksql.streams.state.checkpoint.interval.ms': '0' })).toBe(0);
    expect(() => checkpointIntervalMs({ 'ksql.streams.state.checkpoint.interval.ms': '-1' })).toThrow(
      /must be a whole number of milliseconds of at least 0 \(got '-1'\)/,
    );
  });

  it('reads its cache bound from ksql.streams.state.cache.max.entries', () => {
    expect(stateCacheEntries(undefined)).toBe(100_000);
    expect(stateCacheEntries({ 'ksql.streams.state.cache.max.entries': '100' })).toBe(100);
    expect(() => stateCacheEntries({ 'ksql.streams.state.cache.max.entries': '0' })).toThrow(
      /at least 1 \(got '0'\)/,
    );
  });
});
