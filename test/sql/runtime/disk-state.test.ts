// State larger than its cache, against the real broker: an aggregation over 3,000 keys whose store
// caches 100 entries gives the same rows as one that keeps everything in memory, and its state comes
// back from the changelog when the engine starts again on the same state directory, also after a
// crash left a stale copy of the store there.
import { cpSync, existsSync, renameSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, type Kafka, type ProduceRecord } from '../../../src/client/index.js';
import { createSqlEngine, type SqlEngine } from '../../../src/sql/engine/index.js';
import { stateDirectory } from '../../../src/sql/runtime/stores/index.js';
import { silentLogger } from '../../../src/service/index.js';
import { startTestBroker, temporaryDataDir } from '../../helpers/broker.js';
import { waitFor } from '../../helpers/wait.js';

const KEYS = 3_000;
const SERVICE = 'disk_';

let broker: Awaited<ReturnType<typeof startTestBroker>>;
let kafka: Kafka;
let running: SqlEngine | undefined;
const stateDir = temporaryDataDir('sql-state');

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = openKafka({ bootstrapServers: broker.bootstrap });
}, 60_000);

afterAll(async () => {
  await running?.stop();
  await kafka?.close();
  await broker?.stop();
});

async function startEngine(): Promise<SqlEngine> {
  const engine = createSqlEngine({
    kafka: { bootstrapServers: broker.bootstrap },
    serviceId: SERVICE,
    stateDir,
    logger: silentLogger(),
  });
  await engine.start();
  running = engine;
  return engine;
}

async function stopEngine(): Promise<void> {
  await running?.stop();
  running = undefined;
}

function intKey(id: number): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt32BE(id);
  return key;
}

/** One record per key, value `round`. */
async function produceRound(round: number): Promise<void> {
  const records: ProduceRecord[] = [];
  for (let id = 0; id < KEYS; id++) {
    records.push({ topic: 'disk_src', key: intKey(id), value: Buffer.from(JSON.stringify({ V: round })) });
  }
  for (let i = 0; i < records.length; i += 500) await kafka.produce(records.slice(i, i + 500));
}

/** Every output record of a topic, in order, as `key=value`. */
async function outputs(topic: string): Promise<string[]> {
  const rows: string[] = [];
  for await (const record of kafka.consume({ topic, from: { kind: 'beginning' }, stopAtEnd: true })) {
    rows.push(`${record.key?.readInt32BE(0)}=${record.value?.toString() ?? 'null'}`);
  }
  return rows;
}

/** Each key's latest row of a table's topic. */
async function latest(topic: string): Promise<Map<number, { N: number; TOTAL: number }>> {
  const rows = new Map<number, { N: number; TOTAL: number }>();
  for await (const record of kafka.consume({ topic, from: { kind: 'beginning' }, stopAtEnd: true })) {
    if (record.key !== null && record.value !== null) {
      rows.set(
        record.key.readInt32BE(0),
        JSON.parse(record.value.toString()) as { N: number; TOTAL: number },
      );
    }
  }
  return rows;
}

/** Waits until every key's latest row counts `n` records whose values sum to `total`. */
async function waitForCounts(topic: string, n: number, total: number): Promise<void> {
  await waitFor(
    async () => {
      const rows = await latest(topic);
      return rows.size === KEYS && [...rows.values()].every((r) => r.N === n && r.TOTAL === total);
    },
    { what: `${KEYS} keys counted ${n} times in ${topic}`, timeoutMs: 120_000, intervalMs: 500 },
  );
}

describe('state stores on disk', () => {
  it('bounds the cache, matches the in-memory result, and comes back after restarts', async () => {
    const engine = await startEngine();
    await engine.execute({
      sql: "CREATE STREAM src (id INT KEY, v INT) WITH (kafka_topic='disk_src', value_format='JSON', partitions=1);",
    });
    await produceRound(1);
    await produceRound(2);
    const earliest = { 'ksql.streams.auto.offset.reset': 'earliest' };
    await engine.execute({
      sql: "CREATE TABLE small WITH (kafka_topic='disk_small') AS SELECT id, COUNT(*) AS n, SUM(v) AS total FROM src GROUP BY id EMIT CHANGES;",
      properties: { ...earliest, 'ksql.streams.state.cache.max.entries': 100 },
    });
    await engine.execute({
      sql: "CREATE TABLE big WITH (kafka_topic='disk_big') AS SELECT id, COUNT(*) AS n, SUM(v) AS total FROM src GROUP BY id EMIT CHANGES;",
      properties: earliest,
    });
    await waitForCounts('disk_small', 2, 3);
    await waitForCounts('disk_big', 2, 3);
    // The same rows in the same order, whether the state fits the cache or not.
    expect(await outputs('disk_small')).toEqual(await outputs('disk_big'));
    const smallDir = stateDirectory(stateDir, SERVICE, 'CTAS_SMALL_1');
    expect(existsSync(smallDir)).toBe(true);
    cpSync(smallDir, `${smallDir}-stale`, { recursive: true });

    // A restart on the same state directory: the state comes back and the counts go on.
    await stopEngine();
    // Kept at the stop with a checkpoint: the start restores only what came after it.
    expect(existsSync(`${smallDir}/checkpoint.json`)).toBe(true);
    await produceRound(3);
    await startEngine();
    await waitForCounts('disk_small', 3, 6);

    // A crash left an old copy of the store (two rounds behind, no checkpoint): the changelog wins.
    await stopEngine();
    rmSync(smallDir, { recursive: true });
    renameSync(`${smallDir}-stale`, smallDir);
    await produceRound(4);
    await startEngine();
    await waitForCounts('disk_small', 4, 10);
    await waitForCounts('disk_big', 4, 10);
    expect(await outputs('disk_small')).toEqual(await outputs('disk_big'));
  }, 600_000);
});
