// State larger than its cache, against the real broker: an aggregation over 3,000 keys whose store
// caches 100 entries gives the same rows as one that keeps everything in memory, and its state comes
// back from the changelog when the engine starts again on the same state directory, also after a
// crash left a stale copy of the store there.
import { cpSync, existsSync, renameSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ProduceRecord } from '../../../src/client/index.js';
import { stateDirectory } from '../../../src/sql/runtime/stores/index.js';
import { waitFor } from '../../helpers/wait.js';
import { intKey, restartableEngine } from '../helpers/restartable-engine.js';

const KEYS = 3_000;
const SERVICE = 'disk_';

const engines = restartableEngine('sql-state');
const startEngine = () => engines.start(SERVICE);
const stopEngine = () => engines.stop();

/** One record per key, value `round`. */
async function produceRound(round: number): Promise<void> {
  const records: ProduceRecord[] = [];
  for (let id = 0; id < KEYS; id++) {
    records.push({ topic: 'disk_src', key: intKey(id), value: Buffer.from(JSON.stringify({ V: round })) });
  }
  await engines.produce(records);
}

/** Every output record of a topic, in order, as `key=value`. */
async function outputs(topic: string): Promise<string[]> {
  const rows: string[] = [];
  for await (const record of engines.kafka.consume({ topic, from: { kind: 'beginning' }, stopAtEnd: true })) {
    rows.push(`${record.key?.readInt32BE(0)}=${record.value?.toString() ?? 'null'}`);
  }
  return rows;
}

/** Each key's latest row of a table's topic. */
async function latest(topic: string): Promise<Map<number, { N: number; TOTAL: number }>> {
  const rows = new Map<number, { N: number; TOTAL: number }>();
  for await (const record of engines.kafka.consume({ topic, from: { kind: 'beginning' }, stopAtEnd: true })) {
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
      // No running checkpoint: the copy below stands for a crash that left none.
      properties: {
        ...earliest,
        'ksql.streams.state.cache.max.entries': 100,
        'ksql.streams.state.checkpoint.interval.ms': 0,
      },
    });
    await engine.execute({
      sql: "CREATE TABLE big WITH (kafka_topic='disk_big') AS SELECT id, COUNT(*) AS n, SUM(v) AS total FROM src GROUP BY id EMIT CHANGES;",
      properties: earliest,
    });
    await waitForCounts('disk_small', 2, 3);
    await waitForCounts('disk_big', 2, 3);
    // The same rows in the same order, whether the state fits the cache or not.
    expect(await outputs('disk_small')).toEqual(await outputs('disk_big'));
    const smallDir = stateDirectory(engines.stateDir, SERVICE, 'CTAS_SMALL_1');
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
