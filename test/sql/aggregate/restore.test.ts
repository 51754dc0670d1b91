// Windowed aggregations stopped and started again over a real broker: the state kept in memory comes
// back from the store changelogs (written once per batch through the stores' codecs), so a tumbling
// count goes on, a session merges with one from before the restart, and EMIT FINAL emits a window held
// back before the restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, type Kafka } from '../../../src/client/index.js';
import { createBuiltinRegistry } from '../../../src/sql/functions/index.js';
import { parseStatements, type Query } from '../../../src/sql/parser/index.js';
import '../../../src/sql/planner/aggregation.js';
import type { DataSource } from '../../../src/sql/planner/data-source.js';
import { planQuery } from '../../../src/sql/planner/index.js';
import { queryGroupId, startPersistentQuery, type RuntimeDeps } from '../../../src/sql/runtime/index.js';
import { decodeWindowedKey } from '../../../src/sql/runtime/windowed-key.js';
import { SqlTypes } from '../../../src/sql/types/index.js';
import { startTestBroker } from '../../helpers/broker.js';
import { readAll, testRuntimeDeps } from '../helpers/runtime.js';
import { jsonSource, keyColumn, valueColumn } from '../helpers/data-source.js';

const functions = createBuiltinRegistry();

const clicks = jsonSource({
  name: 'CLICKS',
  topic: 'clicks',
  key: [keyColumn('ID', SqlTypes.STRING)],
  value: [valueColumn('USERID', SqlTypes.STRING)],
});

function queryOf(sql: string): Query {
  const [statement] = parseStatements(sql);
  if (statement?.kind === 'CreateAsSelect') return statement.query;
  throw new Error(`not a CTAS: ${sql}`);
}

interface Row {
  readonly user: string;
  readonly start: number;
  readonly end: number;
  readonly n: number | null;
}

describe('windowed aggregations restored from their changelogs', () => {
  let broker: Awaited<ReturnType<typeof startTestBroker>>;
  let kafka: Kafka;
  let deps: RuntimeDeps;
  let clickNumber = 0;

  beforeAll(async () => {
    broker = await startTestBroker();
    kafka = openKafka({ bootstrapServers: broker.bootstrap });
    deps = testRuntimeDeps(kafka, functions, { 'ksql.streams.auto.offset.reset': 'earliest' });
  }, 60_000);

  afterAll(async () => {
    await kafka?.close();
    await broker?.stop();
  });

  const send = (topic: string, user: string, timestamp: number) =>
    kafka.produce([
      {
        topic,
        key: Buffer.from(`click-${clickNumber++}`),
        value: Buffer.from(JSON.stringify({ USERID: user })),
        timestamp: BigInt(timestamp),
      },
    ]);

  /** A CTAS over its own input topic, run (and run again) as the same query. */
  async function windowedCtas(name: string, select: string) {
    const source: DataSource = { ...clicks, topic: `${name}_in` };
    await kafka.topics.create({ name: source.topic, partitions: 1 });
    await kafka.topics.create({ name, partitions: 1 });
    const plan = () =>
      planQuery(
        queryOf(`CREATE TABLE ${name} AS ${select}`),
        { source: () => source },
        {
          type: 'PERSISTENT',
          functions,
          sink: { kind: 'CREATE', sourceType: 'TABLE', name },
        },
      );
    const planned = plan();
    const window = planned.window;
    if (window === undefined) throw new Error('expected a windowed table');
    const sink: DataSource = { ...clicks, name, kind: 'TABLE', topic: name, schema: planned.schema, window };
    const queryId = `CTAS_${name}_1`;
    let sent = 0n;
    const committed = async (): Promise<bigint | null | undefined> => {
      const group = await kafka.groups.describe(queryGroupId('default_', queryId));
      return group.offsets.find((o) => o.topic === source.topic)?.committedOffset;
    };
    return {
      send: async (user: string, timestamp: number) => {
        await send(source.topic, user, timestamp);
        sent++;
      },
      /** Runs the query until it has committed all its input so far (its changelogs written), then stops it. */
      async runToEnd(): Promise<void> {
        const query = await startPersistentQuery({ queryId, plan: plan(), sink }, deps);
        try {
          await expect.poll(committed, { timeout: 30_000 }).toBe(sent);
        } finally {
          await query.stop();
        }
      },
      async rows(count: number): Promise<Row[]> {
        const records = await readAll(kafka, name, count);
        return records.map((r) => {
          const { key, window: bounds } = decodeWindowedKey(
            r.key ?? Buffer.alloc(0),
            window.type,
            window.sizeMs,
          );
          const value = r.value === null ? null : (JSON.parse(r.value.toString()) as { N: number });
          return { user: key.toString(), start: bounds.start, end: bounds.end, n: value?.N ?? null };
        });
      },
    };
  }

  it('goes on counting a tumbling window from its restored count', async () => {
    const ctas = await windowedCtas(
      'TUMBLING_COUNTS',
      'SELECT USERID, COUNT(*) AS N FROM CLICKS WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY USERID EMIT CHANGES;',
    );
    await ctas.send('ann', 1_000);
    await ctas.send('ann', 2_000);
    await ctas.runToEnd();
    await ctas.send('ann', 3_000);
    await ctas.send('ann', 61_000);
    await ctas.runToEnd();
    expect(await ctas.rows(4)).toEqual([
      { user: 'ann', start: 0, end: 60_000, n: 1 },
      { user: 'ann', start: 0, end: 60_000, n: 2 },
      { user: 'ann', start: 0, end: 60_000, n: 3 },
      { user: 'ann', start: 60_000, end: 120_000, n: 1 },
    ]);
  }, 90_000);

  it('merges a session with one from before the restart', async () => {
    const ctas = await windowedCtas(
      'SESSION_COUNTS',
      'SELECT USERID, COUNT(*) AS N FROM CLICKS WINDOW SESSION (30 SECONDS) GROUP BY USERID EMIT CHANGES;',
    );
    await ctas.send('bob', 1_000);
    await ctas.runToEnd();
    await ctas.send('bob', 5_000);
    await ctas.runToEnd();
    expect(await ctas.rows(3)).toEqual([
      { user: 'bob', start: 1_000, end: 1_000, n: 1 },
      { user: 'bob', start: 1_000, end: 1_000, n: null },
      { user: 'bob', start: 1_000, end: 5_000, n: 2 },
    ]);
  }, 90_000);

  it('emits a window held back before the restart when it closes (EMIT FINAL)', async () => {
    const ctas = await windowedCtas(
      'FINAL_COUNTS',
      'SELECT USERID, COUNT(*) AS N FROM CLICKS WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 0 SECONDS) ' +
        'GROUP BY USERID EMIT FINAL;',
    );
    await ctas.send('cat', 1_000);
    await ctas.send('cat', 2_000);
    await ctas.runToEnd();
    await ctas.send('cat', 61_000);
    await ctas.runToEnd();
    expect(await ctas.rows(1)).toEqual([{ user: 'cat', start: 0, end: 60_000, n: 2 }]);
  }, 90_000);

  it('does not emit a window again when a late record reaches it after the restart (EMIT FINAL)', async () => {
    const ctas = await windowedCtas(
      'REFINAL_COUNTS',
      'SELECT USERID, COUNT(*) AS N FROM CLICKS WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 30 SECONDS) ' +
        'GROUP BY USERID EMIT FINAL;',
    );
    await ctas.send('eve', 1_000);
    await ctas.send('eve', 95_000); // closes [0, 60 s)
    await ctas.runToEnd();
    // The restarted aggregation's stream time starts over: it takes the record at 3 s, into a window
    // that was emitted before the restart and stays so.
    await ctas.send('eve', 3_000);
    await ctas.send('eve', 96_000);
    await ctas.send('eve', 160_000); // closes [60 s, 120 s)
    await ctas.runToEnd();
    expect(await ctas.rows(2)).toEqual([
      { user: 'eve', start: 0, end: 60_000, n: 1 },
      { user: 'eve', start: 60_000, end: 120_000, n: 2 },
    ]);
  }, 90_000);

  it('closes windows on the stream time after the GROUP BY repartition, not on the input stream time', async () => {
    const ctas = await windowedCtas(
      'ONE_BATCH_COUNTS',
      'SELECT USERID, COUNT(*) AS N FROM CLICKS WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 0 SECONDS) ' +
        'GROUP BY USERID EMIT FINAL;',
    );
    // Read in one batch: the input's stream time passes the window's end before the repartitioned
    // records reach the aggregation, which must not see them as late.
    await ctas.send('dee', 1_000);
    await ctas.send('dee', 2_000);
    await ctas.send('dee', 61_000);
    await ctas.runToEnd();
    expect(await ctas.rows(1)).toEqual([{ user: 'dee', start: 0, end: 60_000, n: 2 }]);
  }, 90_000);
});
