// Checkpointed state stores, against the real broker: a clean stop leaves a query's disk stores with a
// checkpoint, and the next start reads only the changelog records written after it (counted from the
// runtime's 'changelog records restored' log lines) with the same pull-query answers; a start after a
// crash (the directory without its checkpoint, which each start takes away) restores every record, and
// so does a checkpoint past the changelog's end.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { ProduceRecord } from '../../../src/client/index.js';
import type { SqlEngine } from '../../../src/sql/engine/index.js';
import { stateDirectory } from '../../../src/sql/runtime/stores/index.js';
import { waitFor } from '../../helpers/wait.js';
import { intKey, restartableEngine } from '../helpers/restartable-engine.js';

const KEYS = 300;

const engines = restartableEngine('sql-checkpoint');
/** Changelog records restored for query `counted` since the engine started. */
let restored = 0;
let counted = '';
/** Each case its own service id: its own command topic and queries. */
let service = '';

/** A debug logger that counts the records the state stores' restores read. */
function countingLogger(): pino.Logger {
  const lines = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.includes('changelog records restored')) continue;
        const entry = JSON.parse(line) as { records: number; queryId: string };
        if (entry.queryId === counted) restored += entry.records;
      }
      done();
    },
  });
  return pino({ level: 'debug' }, lines);
}

async function startEngine(): Promise<SqlEngine> {
  restored = 0;
  return engines.start(service, countingLogger());
}

const stopEngine = () => engines.stop();

async function produce(topic: string, ids: number[]): Promise<void> {
  const records: ProduceRecord[] = ids.map((id) => ({
    topic,
    key: intKey(id),
    value: Buffer.from(JSON.stringify({ V: 1 })),
  }));
  await engines.produce(records);
}

const all = Array.from({ length: KEYS }, (_, i) => i);

/** The table's rows by pull query, as `id:count`, in id order. */
async function pullRows(engine: SqlEngine, table: string): Promise<string[]> {
  const handle = await engine.query({ sql: `SELECT * FROM ${table};` });
  const rows: string[] = [];
  for await (const row of handle.rows()) rows.push(`${String(row.values[0])}:${String(row.values[1])}`);
  return rows.sort((a, b) => Number(a.split(':')[0]) - Number(b.split(':')[0]));
}

/** Waits until the pull query counts `n` for every key. */
async function waitForCounts(engine: SqlEngine, table: string, n: number): Promise<string[]> {
  let rows: string[] = [];
  await waitFor(
    async () => {
      rows = await pullRows(engine, table).catch(() => []);
      return rows.length === KEYS && rows.every((row) => row.endsWith(`:${n}`));
    },
    { what: `${KEYS} keys counted ${n} times in ${table}`, timeoutMs: 120_000, intervalMs: 500 },
  );
  return rows;
}

async function runCase(guarantee: string, name: string): Promise<void> {
  const source = `${name}_src`;
  const table = `${name.toUpperCase()}_COUNTS`;
  counted = `CTAS_${table}_1`;
  service = `ckpt_${name}_`;
  const checkpoint = path.join(stateDirectory(engines.stateDir, service, counted), 'checkpoint.json');
  let engine = await startEngine();
  await engine.execute({
    sql: `CREATE STREAM ${name}_s (id INT KEY, v INT) WITH (kafka_topic='${source}', value_format='JSON', partitions=2);`,
  });
  await produce(source, all);
  await engine.execute({
    sql: `CREATE TABLE ${table} AS SELECT id, COUNT(*) AS n FROM ${name}_s GROUP BY id EMIT CHANGES;`,
    properties: {
      'processing.guarantee': guarantee,
      'ksql.streams.auto.offset.reset': 'earliest',
      'ksql.streams.state.cache.max.entries': 50,
      // Only the clean stops' checkpoints here (test/sql/state-crash.test.ts has the running ones).
      'ksql.streams.state.checkpoint.interval.ms': 0,
    },
  });
  const once = await waitForCounts(engine, table, 1);
  expect(restored).toBe(0);

  // A clean stop checkpoints; the next start restores what was written after it: nothing.
  await stopEngine();
  expect(existsSync(checkpoint)).toBe(true);
  engine = await startEngine();
  expect(await waitForCounts(engine, table, 1)).toEqual(once);
  expect(existsSync(checkpoint)).toBe(false); // taken at the start: a crash finds none
  expect(restored).toBe(0);

  // Counted on from the kept state, checkpointed again at the stop: its changelog writes are not read.
  await produce(source, all.slice(0, 100));
  const twice = (rows: string[]) => rows.filter((row) => row.endsWith(':2')).length === 100;
  await waitFor(async () => twice(await pullRows(engine, table)), {
    what: '100 keys counted twice',
    timeoutMs: 120_000,
    intervalMs: 500,
  });
  const expected = await pullRows(engine, table);
  await stopEngine();
  engine = await startEngine();
  await waitFor(async () => twice(await pullRows(engine, table)), {
    what: 'the state back',
    timeoutMs: 120_000,
  });
  expect(await pullRows(engine, table)).toEqual(expected);
  expect(restored).toBe(0);

  // A crash leaves the directory without its checkpoint: every changelog record is read again.
  await stopEngine();
  const kept = readFileSync(checkpoint, 'utf8');
  rmSync(checkpoint);
  engine = await startEngine();
  await waitFor(async () => twice(await pullRows(engine, table)), {
    what: 'the state back',
    timeoutMs: 120_000,
  });
  expect(await pullRows(engine, table)).toEqual(expected);
  expect(restored).toBeGreaterThanOrEqual(KEYS);

  // A checkpoint past the changelog's end (the topic was made again): the store starts over.
  await stopEngine();
  const file = JSON.parse(kept) as { version: 1; offsets: [string, number, string][] };
  const ahead = file.offsets.map(([topic, partition, offset]) => [
    topic,
    partition,
    String(BigInt(offset) + 1000n),
  ]);
  writeFileSync(checkpoint, JSON.stringify({ ...file, offsets: ahead }));
  engine = await startEngine();
  await waitFor(async () => twice(await pullRows(engine, table)), {
    what: 'the state back',
    timeoutMs: 120_000,
  });
  expect(await pullRows(engine, table)).toEqual(expected);
  expect(restored).toBeGreaterThanOrEqual(KEYS);
  await stopEngine();
}

describe('state store checkpoints', () => {
  it('at least once: restores the tail after a clean stop, everything after a crash', async () => {
    await runCase('at_least_once', 'alos');
  }, 600_000);

  it('exactly_once_v2: restores the tail after a clean stop, everything after a crash', async () => {
    await runCase('exactly_once_v2', 'eos');
  }, 600_000);
});
