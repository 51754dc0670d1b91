// A `venice sql` killed with SIGKILL in the middle of a stream, with a state far larger than its cache:
// its running checkpoints (written after commits, stores/running-checkpoints.ts) let the restarted
// server restore only the changelog written after the last one (counted from its 'changelog records
// restored' log line), and the counts come out exact under exactly_once_v2; at least once loses none
// (a batch produced but not committed when killed is counted again, as at least once allows).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, type Kafka, type ProduceRecord } from '../../src/client/index.js';
import { stateDirectory } from '../../src/sql/runtime/stores/index.js';
import { startTestBroker, temporaryDataDir } from '../helpers/broker.js';
import { waitFor } from '../helpers/wait.js';
import {
  ksql,
  logLines,
  pullRows,
  queryId,
  startSqlProcess,
  stopSqlProcess,
  type SqlProcess,
} from './helpers/sql-process.js';

const KEYS = 20_000;
const CACHE_ENTRIES = '1000';
const CHECKPOINT_INTERVAL_MS = '300';

let broker: Awaited<ReturnType<typeof startTestBroker>>;
let kafka: Kafka;
const servers: SqlProcess[] = [];

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = openKafka({ bootstrapServers: broker.bootstrap });
}, 60_000);

afterAll(async () => {
  for (const server of servers) await stopSqlProcess(server, 'SIGTERM');
  await kafka?.close();
  await broker?.stop();
});

/** One click per key, spread over the input's partitions by key. */
async function produceRound(topic: string): Promise<void> {
  const records: ProduceRecord[] = [];
  for (let id = 0; id < KEYS; id++)
    records.push({ topic, key: Buffer.from(`k${id}`), value: Buffer.from('{"V":1}') });
  for (let i = 0; i < records.length; i += 2_000) await kafka.produce(records.slice(i, i + 2_000));
}

/** The changelog's end offsets, summed over its partitions. */
async function changelogEnd(topic: string): Promise<bigint> {
  const description = await kafka.topics.describe(topic).catch(() => undefined);
  return (description?.partitions ?? []).reduce((sum, p) => sum + p.highOffset, 0n);
}

/** key → count, by pull query. */
async function counts(server: SqlProcess, table: string): Promise<Map<string, number>> {
  const rows = await pullRows(server.url, `SELECT * FROM ${table};`).catch(() => []);
  return new Map(rows.map(([key, n]) => [key as string, n as number]));
}

describe.each(['exactly_once_v2', 'at_least_once'])('a sql server killed mid-stream (%s)', (guarantee) => {
  it('restores only the changelog tail after its last running checkpoint, and counts on', async () => {
    const name = guarantee === 'at_least_once' ? 'alos' : 'eos';
    const serviceId = `crash_${name}_`;
    const dataDir = temporaryDataDir(`sql-crash-${name}`);
    const input = `crash_${name}_clicks`;
    const table = `CRASH_${name.toUpperCase()}_COUNTS`;
    const start = async () => {
      const server = await startSqlProcess(broker.bootstrap, { name, serviceId, dataDir });
      servers.push(server);
      return server;
    };
    await kafka.topics.create({ name: input, partitions: 2 });
    let server = await start();
    await ksql(
      server.url,
      `CREATE STREAM CRASH_${name}_CLICKS (ID STRING KEY, V INT) WITH (KAFKA_TOPIC='${input}', VALUE_FORMAT='JSON');`,
    );
    await produceRound(input);
    await ksql(
      server.url,
      `CREATE TABLE ${table} AS SELECT ID, COUNT(*) AS N FROM CRASH_${name}_CLICKS GROUP BY ID EMIT CHANGES;`,
      {
        'processing.guarantee': guarantee,
        'ksql.streams.state.cache.max.entries': CACHE_ENTRIES,
        'ksql.streams.state.checkpoint.interval.ms': CHECKPOINT_INTERVAL_MS,
      },
    );
    const id = (await queryId(server.url, new RegExp(`CTAS_${table}_\\d+`)))!;
    const changelog = `_confluent-ksql-${serviceId}query_${id}-Aggregate-Aggregate-Materialize-changelog`;
    const checkpointFile = path.join(
      stateDirectory(path.join(dataDir, 'state'), serviceId, id),
      'checkpoint.json',
    );
    const counted = async (n: number) => {
      const now = await counts(server, table);
      return now.size === KEYS && [...now.values()].every((count) => count >= n);
    };
    await waitFor(() => counted(1), { what: `${KEYS} keys counted`, timeoutMs: 180_000, intervalMs: 1000 });
    const firstRound = await changelogEnd(changelog);

    // Two more rounds; killed once a fifth of the second is in the changelog.
    await produceRound(input);
    await produceRound(input);
    await waitFor(async () => (await changelogEnd(changelog)) >= firstRound + BigInt(KEYS / 5), {
      what: 'the second round under way',
      timeoutMs: 180_000,
      intervalMs: 50,
    });
    await stopSqlProcess(server, 'SIGKILL');
    const killedAt = await changelogEnd(changelog);
    expect(existsSync(checkpointFile)).toBe(true);
    const checkpoint = JSON.parse(readFileSync(checkpointFile, 'utf8')) as {
      offsets: [string, number, string][];
      boot?: string;
    };
    expect(checkpoint.boot).toBeDefined(); // written while running
    const checkpointed = checkpoint.offsets.reduce((sum, [, , offset]) => sum + BigInt(offset), 0n);
    expect(checkpointed).toBeGreaterThanOrEqual(firstRound);

    server = await start();
    await waitFor(() => counted(3), { what: 'three rounds counted', timeoutMs: 240_000, intervalMs: 1000 });
    // Mid-stream: the restarted server wrote changelog records the killed one had not.
    expect(await changelogEnd(changelog)).toBeGreaterThan(killedAt);
    const restores = logLines(server, 'changelog records restored').filter((l) => l.queryId === id);
    const restored = restores.reduce((sum, l) => sum + (l.records as number), 0);
    // Only the tail: what the killed server wrote after its last checkpoint (less transaction markers).
    expect(restores.reduce((sum, l) => sum + (l.fromCheckpoint as number), 0)).toBe(2);
    expect(BigInt(restored)).toBeLessThanOrEqual(killedAt - checkpointed);
    expect(restored).toBeLessThan(KEYS);

    const final = await counts(server, table);
    if (guarantee === 'exactly_once_v2') {
      expect([...final.values()].every((n) => n === 3)).toBe(true);
    } else {
      expect([...final.values()].every((n) => n >= 3)).toBe(true);
    }
    expect(final.size).toBe(KEYS);
  }, 600_000);
});
