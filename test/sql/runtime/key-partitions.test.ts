// The changelog partition of each key a disk-backed store holds lives in the store's LMDB environment,
// not in a Map: against the real broker, with a cache of 20 entries over 200 keys on 4 partitions, a
// revoked partition drops exactly its keys, before and after a restart restores the store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, type Kafka, type ProduceRecord } from '../../../src/client/index.js';
import { silentLogger } from '../../../src/service/index.js';
import { QueryContext } from '../../../src/sql/runtime/query-context.js';
import type { StoreFactory } from '../../../src/sql/runtime/state-store.js';
import { StoreChangelogs } from '../../../src/sql/runtime/store-changelogs.js';
import type { CachedDiskStore } from '../../../src/sql/runtime/stores/cached-store.js';
import { diskStores } from '../../../src/sql/runtime/stores/index.js';
import { startTestBroker, temporaryDataDir } from '../../helpers/broker.js';

const KEYS = 200;
const PARTITIONS = 4;
const CACHE = 20;
const INPUT = 'kp_input';

let broker: Awaited<ReturnType<typeof startTestBroker>>;
let kafka: Kafka;
const dir = temporaryDataDir('key-partitions');

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = openKafka({ bootstrapServers: broker.bootstrap });
}, 60_000);

afterAll(async () => {
  await kafka?.close();
  await broker?.stop();
});

/** A query's store `counts` on disk, with its changelog, as persistent-query.ts wires them. */
function openQuery() {
  const outputs: ProduceRecord[] = [];
  const stores: StoreFactory = diskStores(dir, CACHE);
  const changelogs = new StoreChangelogs(kafka, silentLogger(), 'kp_', 'Q1', outputs, PARTITIONS);
  const context = new QueryContext(
    'Q1',
    (error) => {
      throw new Error(error.message);
    },
    (name, codec, store) => changelogs.listener(name, codec, store.keyPartitions),
    stores,
  );
  const store = context.store<number>('counts') as CachedDiskStore<number>;
  const subTopologiesOf = () => [0];
  const partitions = (ids: number[]) => ids.map((partition) => ({ topic: INPUT, partition }));
  return {
    store,
    changelogs,
    restore: (ids: number[]) => changelogs.restore(partitions(ids), subTopologiesOf, context.stores()),
    drop: (ids: number[]) => changelogs.drop(partitions(ids), subTopologiesOf, context.stores()),
    async flush() {
      await changelogs.ready();
      changelogs.flush();
      await kafka.produce(outputs.splice(0));
      // The batch's changelog records are durable: its writes may leave the cache.
      context.commit();
    },
    close: () => context.close(),
  };
}

const key = (i: number) => `k${String(i).padStart(3, '0')}`;

/** The numbers of the keys the store holds, in order. */
function held(store: CachedDiskStore<number>): number[] {
  return [...store.entries()].map(([, value]) => value);
}

const all = Array.from({ length: KEYS }, (_, i) => i);
const deleted = (i: number) => i < 4;

describe('key partitions of a disk store', () => {
  it('keeps each key partition on disk, drops a revoked partition exactly, also after a restart', async () => {
    const first = openQuery();
    for (const i of all) {
      first.changelogs.partition = i % PARTITIONS;
      first.store.put(key(i), i);
    }
    // A delete written while another partition's record is processed: the tombstone follows the key.
    first.changelogs.partition = 3;
    for (const i of all.filter(deleted)) first.store.delete(key(i));
    await first.flush();
    expect(first.store.cached).toBeLessThanOrEqual(CACHE);
    for (const i of all.filter((i) => !deleted(i))) {
      expect(first.store.keyPartitions?.get(key(i))).toBe(i % PARTITIONS);
    }
    first.drop([1]);
    expect(held(first.store)).toEqual(all.filter((i) => !deleted(i) && i % PARTITIONS !== 1));
    await first.close();

    // The directory starts empty: the changelog fills the store and its partition index again.
    const second = openQuery();
    expect(held(second.store)).toEqual([]);
    await second.restore([0, 1, 2, 3]);
    expect(held(second.store)).toEqual(all.filter((i) => !deleted(i)));
    expect(second.store.cached).toBeLessThanOrEqual(CACHE);
    second.drop([2]);
    second.drop([0]);
    expect(held(second.store)).toEqual(all.filter((i) => !deleted(i) && i % 2 === 1));
    // A dropped partition assigned again comes back, with its keys' partitions.
    await second.restore([2]);
    expect(held(second.store)).toEqual(all.filter((i) => !deleted(i) && i % 4 !== 0));
    second.drop([3]);
    second.drop([1]);
    expect(held(second.store)).toEqual(all.filter((i) => !deleted(i) && i % 4 === 2));
    await second.close();
  }, 60_000);
});
