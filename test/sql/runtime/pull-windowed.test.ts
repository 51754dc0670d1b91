// Pull queries over a windowed table on a real in-process broker: SELECT * gives WINDOWSTART and WINDOWEND
// after the key, the header marks them KEY, each row carries its window's bounds, and a WHERE on the
// bounds picks windows, as ksqlDB's pull queries do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, type Kafka } from '../../../src/client/index.js';
import { createBuiltinRegistry } from '../../../src/sql/functions/index.js';
import { parseStatements, type Query } from '../../../src/sql/parser/index.js';
import type { DataSource } from '../../../src/sql/planner/data-source.js';
import { planQuery } from '../../../src/sql/planner/index.js';
import { runPullQuery, type RuntimeDeps } from '../../../src/sql/runtime/index.js';
import { encodeWindowedKey } from '../../../src/sql/runtime/windowed-key.js';
import type { QueryHandle } from '../../../src/sql/engine/api.js';
import { SqlTypes, type SqlValue } from '../../../src/sql/types/index.js';
import '../../../src/sql/planner/aggregation.js';
import { startTestBroker } from '../../helpers/broker.js';
import { testRuntimeDeps } from '../helpers/runtime.js';

const functions = createBuiltinRegistry();

const counts: DataSource = {
  name: 'COUNTS',
  kind: 'TABLE',
  topic: 'counts',
  schema: {
    key: [{ name: 'ID', type: SqlTypes.STRING, namespace: 'KEY' }],
    value: [{ name: 'COUNT', type: SqlTypes.BIGINT, namespace: 'VALUE' }],
  },
  keyFormat: 'KAFKA',
  valueFormat: 'JSON',
  keyOptions: {},
  valueOptions: {},
  window: { type: 'TUMBLING', sizeMs: 1000 },
  isSource: false,
  sqlText: '',
};

const catalog = { source: (name: string) => (name === 'COUNTS' ? counts : undefined) };

function queryOf(sql: string): Query {
  const [statement] = parseStatements(sql);
  if (statement?.kind === 'QueryStatement') return statement.query;
  throw new Error(`not a query: ${sql}`);
}

async function rowsOf(handle: QueryHandle): Promise<SqlValue[][]> {
  const rows: SqlValue[][] = [];
  for await (const row of handle.rows()) rows.push([...row.values]);
  return rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1]));
}

describe('a pull query on a windowed table', () => {
  let broker: Awaited<ReturnType<typeof startTestBroker>>;
  let kafka: Kafka;
  let deps: RuntimeDeps;
  let next = 0;
  const pull = (sql: string): Promise<QueryHandle> =>
    runPullQuery(
      {
        queryId: `transient_COUNTS_${next++}`,
        plan: planQuery(queryOf(sql), catalog, { type: 'PULL', functions }),
      },
      deps,
    );

  beforeAll(async () => {
    broker = await startTestBroker();
    kafka = openKafka({ bootstrapServers: broker.bootstrap });
    deps = testRuntimeDeps(kafka, functions);
    await kafka.topics.create({ name: 'counts', partitions: 1 });
    const windows = [
      { id: 'a', start: 0, count: 1 },
      { id: 'a', start: 1000, count: 2 },
      { id: 'b', start: 1000, count: 5 },
      { id: 'a', start: 2000, count: 3 },
    ];
    await kafka.produce(
      windows.map((w) => ({
        topic: 'counts',
        key: encodeWindowedKey(Buffer.from(w.id), { start: w.start, end: w.start + 1000 }, 'TUMBLING'),
        value: Buffer.from(JSON.stringify({ COUNT: w.count })),
        timestamp: BigInt(w.start + 10),
      })),
    );
  }, 60_000);

  afterAll(async () => {
    await kafka.close();
    await broker.stop();
  });

  it('SELECT * gives the window bounds as BIGINT key columns after the key, with their values', async () => {
    const handle = await pull('SELECT * FROM COUNTS;');
    expect(handle.columns).toEqual([
      { name: 'ID', type: 'STRING' },
      { name: 'WINDOWSTART', type: 'BIGINT' },
      { name: 'WINDOWEND', type: 'BIGINT' },
      { name: 'COUNT', type: 'BIGINT' },
    ]);
    expect(handle.keyColumns).toEqual(['ID', 'WINDOWSTART', 'WINDOWEND']);
    expect(await rowsOf(handle)).toEqual([
      ['a', 0n, 1000n, 1n],
      ['a', 1000n, 2000n, 2n],
      ['a', 2000n, 3000n, 3n],
      ['b', 1000n, 2000n, 5n],
    ]);
  }, 60_000);

  it("answers a table scan by key then window start, as ksqlDB's window store iterates", async () => {
    // Produced a@0, a@1000, b@1000, a@2000: b's window comes after all of a's, not in arrival order.
    const handle = await pull('SELECT ID, WINDOWSTART, COUNT FROM COUNTS;');
    const rows: SqlValue[][] = [];
    for await (const row of handle.rows()) rows.push([...row.values]);
    expect(rows).toEqual([
      ['a', 0n, 1n],
      ['a', 1000n, 2n],
      ['a', 2000n, 3n],
      ['b', 1000n, 5n],
    ]);
  }, 60_000);

  it('filters windows on a WINDOWSTART/WINDOWEND range and keeps explicit bounds as key columns', async () => {
    const handle = await pull(
      "SELECT ID, WINDOWEND, COUNT FROM COUNTS WHERE ID = 'a' AND WINDOWSTART >= 1000 AND WINDOWEND <= 2000;",
    );
    expect(handle.columns.map((c) => c.name)).toEqual(['ID', 'WINDOWEND', 'COUNT']);
    expect(handle.keyColumns).toEqual(['ID', 'WINDOWSTART', 'WINDOWEND']);
    expect(await rowsOf(handle)).toEqual([['a', 2000n, 2n]]);
  }, 60_000);

  it('reads datetime text compared with a window bound as UTC epoch milliseconds', async () => {
    const handle = await pull(
      "SELECT * FROM COUNTS WHERE '1970-01-01T00:00:01' <= WINDOWSTART AND WINDOWEND < '1970-01-01T00:00:02.500';",
    );
    expect(await rowsOf(handle)).toEqual([
      ['a', 1000n, 2000n, 2n],
      ['b', 1000n, 2000n, 5n],
    ]);
  }, 60_000);
});
