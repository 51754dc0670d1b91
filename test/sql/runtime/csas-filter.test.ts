// End to end on a real in-process broker: CREATE STREAM ... AS SELECT with a filter and a projection,
// JSON in and out, through planQuery and startPersistentQuery; then a push query with LIMIT, a pull query
// and INSERT VALUES through the same runtime.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, type Kafka } from '../../../src/client/index.js';
import { createBuiltinRegistry } from '../../../src/sql/functions/index.js';
import { parseExpression, parseStatements, type Query } from '../../../src/sql/parser/index.js';
import type { DataSource } from '../../../src/sql/planner/data-source.js';
import { planQuery } from '../../../src/sql/planner/index.js';
import {
  insertValues,
  queryGroupId,
  runPullQuery,
  startPersistentQuery,
  startPushQuery,
  type RuntimeDeps,
} from '../../../src/sql/runtime/index.js';
import { SqlTypes } from '../../../src/sql/types/index.js';
// Registers the aggregation planner with planQuery, as the engine does.
import '../../../src/sql/planner/aggregation.js';
import { startTestBroker } from '../../helpers/broker.js';
import { testRuntimeDeps, readAll } from '../helpers/runtime.js';
import { jsonSource, keyColumn, valueColumn } from '../helpers/data-source.js';

const functions = createBuiltinRegistry();

const orders = jsonSource({
  name: 'ORDERS',
  topic: 'orders',
  key: [keyColumn('ID', SqlTypes.INTEGER)],
  value: [
    valueColumn('ITEM', SqlTypes.STRING),
    valueColumn('QTY', SqlTypes.INTEGER),
    valueColumn('PRICE', SqlTypes.decimal(6, 2)),
  ],
});

const catalog = { source: (name: string) => (name === 'ORDERS' ? orders : undefined) };

function queryOf(sql: string): Query {
  const [statement] = parseStatements(sql);
  if (statement?.kind === 'CreateAsSelect' || statement?.kind === 'QueryStatement') return statement.query;
  throw new Error(`not a query: ${sql}`);
}

const int32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

describe('a persistent CSAS with a filter and a projection over JSON', () => {
  let broker: Awaited<ReturnType<typeof startTestBroker>>;
  let kafka: Kafka;
  let deps: RuntimeDeps;

  beforeAll(async () => {
    broker = await startTestBroker();
    kafka = openKafka({ bootstrapServers: broker.bootstrap });
    deps = testRuntimeDeps(kafka, functions, { 'ksql.streams.auto.offset.reset': 'earliest' });
    for (const name of ['orders', 'BIG_ORDERS']) await kafka.topics.create({ name, partitions: 2 });
  });

  afterAll(async () => {
    await kafka.close();
    await broker.stop();
  });

  it('writes the matching rows, keyed and projected, then commits its offsets', async () => {
    const inputs = [
      { id: 1, value: { ITEM: 'apple', QTY: 5, PRICE: 1.25 }, ts: 1000 },
      { id: 2, value: { ITEM: 'pear', QTY: 50, PRICE: 0.5 }, ts: 2000 },
      { id: 3, value: { ITEM: 'plum', QTY: 12, PRICE: 2 }, ts: 3000 },
      { id: 4, value: 'not json', ts: 4000 },
    ];
    await kafka.produce(
      inputs.map((i) => ({
        topic: 'orders',
        key: int32(i.id),
        value: Buffer.from(typeof i.value === 'string' ? i.value : JSON.stringify(i.value)),
        timestamp: BigInt(i.ts),
      })),
    );
    const plan = planQuery(
      queryOf(
        'CREATE STREAM BIG_ORDERS AS SELECT ID, UCASE(ITEM) AS ITEM, QTY * PRICE AS TOTAL FROM ORDERS WHERE QTY > 10;',
      ),
      catalog,
      { type: 'PERSISTENT', functions, sink: { kind: 'CREATE', sourceType: 'STREAM', name: 'BIG_ORDERS' } },
    );
    expect(plan.schema.key.map((c) => c.name)).toEqual(['ID']);
    expect(plan.schema.value.map((c) => c.name)).toEqual(['ITEM', 'TOTAL']);
    const sink: DataSource = { ...orders, name: 'BIG_ORDERS', topic: 'BIG_ORDERS', schema: plan.schema };
    const query = await startPersistentQuery({ queryId: 'CSAS_BIG_ORDERS_1', plan, sink }, deps);
    try {
      const out = await readAll(kafka, 'BIG_ORDERS', 2);
      const rows = out
        .map((r) => ({
          id: r.key?.readInt32BE(),
          value: JSON.parse(r.value?.toString() ?? 'null') as unknown,
          ts: r.timestamp,
        }))
        .sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
      expect(rows).toEqual([
        { id: 2, value: { ITEM: 'PEAR', TOTAL: 25 }, ts: 2000n },
        { id: 3, value: { ITEM: 'PLUM', TOTAL: 24 }, ts: 3000n },
      ]);
      // The bad record went to the processing log, and the query went on.
      await expect.poll(() => query.stats().errors, { timeout: 20_000 }).toBe(1);
      await expect
        .poll(
          async () => (await kafka.groups.describe(queryGroupId('default_', 'CSAS_BIG_ORDERS_1'))).totalLag,
          {
            timeout: 20_000,
          },
        )
        .toBe(0n);
      expect(query.state()).toBe('RUNNING');
    } finally {
      await query.stop();
    }
    expect(query.state()).toBe('STOPPED');
  });

  it('answers a push query with LIMIT, a pull query, and takes INSERT VALUES', async () => {
    const push = await startPushQuery(
      {
        queryId: 'transient_ORDERS_1',
        plan: planQuery(
          queryOf("SELECT ID, ITEM FROM ORDERS WHERE ITEM <> 'x' EMIT CHANGES LIMIT 2;"),
          catalog,
          { type: 'PUSH', functions },
        ),
      },
      { ...deps, properties: {} },
    );
    expect(push.columns).toEqual([
      { name: 'ID', type: 'INTEGER' },
      { name: 'ITEM', type: 'STRING' },
    ]);
    // The push query reads from the latest offsets: what is inserted now reaches it.
    const inserting = (async () => {
      for (const [id, item] of [
        [10, 'kiwi'],
        [11, 'fig'],
        [12, 'lime'],
      ] as const) {
        await new Promise((r) => setTimeout(r, 300));
        await insertValues(
          orders,
          ['ID', 'ITEM', 'QTY'],
          [parseExpression(String(id)), parseExpression(`'${item}'`), parseExpression('1')],
          deps,
        );
      }
    })();
    const pushed = [];
    for await (const row of push.rows()) pushed.push(row.values);
    await inserting;
    expect(pushed.length).toBe(2);
    expect(pushed[0]?.[1]).toBe('kiwi');

    const pull = await runPullQuery(
      {
        queryId: 'transient_ORDERS_2',
        plan: planQuery(queryOf('SELECT ITEM, QTY FROM ORDERS WHERE QTY < 10;'), catalog, {
          type: 'PULL',
          functions,
        }),
      },
      deps,
    );
    const pulled = [];
    for await (const row of pull.rows()) pulled.push(row.values[0]);
    expect(pulled.sort()).toEqual(['apple', 'fig', 'kiwi', 'lime']);
  });

  it('restores a GROUP BY state from its changelog topic after a restart', async () => {
    await kafka.topics.create({ name: 'COUNTS', partitions: 1 });
    const plan = () =>
      planQuery(
        queryOf('CREATE TABLE COUNTS AS SELECT ITEM, COUNT(*) AS N FROM ORDERS GROUP BY ITEM;'),
        catalog,
        {
          type: 'PERSISTENT',
          functions,
          sink: { kind: 'CREATE', sourceType: 'TABLE', name: 'COUNTS' },
        },
      );
    const first = plan();
    const sink: DataSource = {
      ...orders,
      name: 'COUNTS',
      kind: 'TABLE',
      topic: 'COUNTS',
      schema: first.schema,
      keyFormat: 'JSON',
    };
    const send = (n: number) =>
      kafka.produce([
        {
          topic: 'orders',
          key: int32(100 + n),
          value: Buffer.from(JSON.stringify({ ITEM: 'melon', QTY: n })),
        },
      ]);
    /** The latest count of melons in the sink topic so far (the topic also counts the other tests' items). */
    const melons = async (): Promise<number | undefined> => {
      let latest: number | undefined;
      const signal = AbortSignal.timeout(2_000);
      try {
        for await (const r of kafka.consume({
          topic: 'COUNTS',
          from: { kind: 'beginning' },
          stopAtEnd: true,
          signal,
        })) {
          if (r.key?.toString().includes('melon') === true)
            latest = (JSON.parse(r.value?.toString() ?? 'null') as { N: number }).N;
        }
      } catch {
        // the signal: what was read so far
      }
      return latest;
    };
    let query = await startPersistentQuery({ queryId: 'CTAS_COUNTS_7', plan: first, sink }, deps);
    await send(1);
    await send(2);
    await expect.poll(melons, { timeout: 20_000 }).toBe(2);
    await expect
      .poll(async () => (await kafka.groups.describe(queryGroupId('default_', 'CTAS_COUNTS_7'))).totalLag, {
        timeout: 20_000,
      })
      .toBe(0n);
    await query.stop();
    await send(3);
    query = await startPersistentQuery({ queryId: 'CTAS_COUNTS_7', plan: plan(), sink }, deps);
    try {
      // Counted on from the restored state: 3, not 1.
      await expect.poll(melons, { timeout: 20_000 }).toBe(3);
    } finally {
      await query.stop();
    }
  });
});
