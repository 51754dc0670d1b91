// Aggregations end to end on a real in-process broker: CREATE TABLE ... AS SELECT with GROUP BY, planned
// by planQuery (which calls planAggregation) and run by the runtime's startPersistentQuery, JSON values
// and KAFKA keys in and out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, type Kafka } from '../../../src/client/index.js';
import { createBuiltinRegistry } from '../../../src/sql/functions/index.js';
import { parseStatements, type Query } from '../../../src/sql/parser/index.js';
import '../../../src/sql/planner/aggregation.js';
import type { DataSource } from '../../../src/sql/planner/data-source.js';
import { planQuery } from '../../../src/sql/planner/index.js';
import { startPersistentQuery, type RuntimeDeps } from '../../../src/sql/runtime/index.js';
import { SqlTypes } from '../../../src/sql/types/index.js';
import { startTestBroker } from '../../helpers/broker.js';
import { testRuntimeDeps, readAll } from '../helpers/runtime.js';
import { jsonSource, keyColumn, valueColumn } from '../helpers/data-source.js';

const functions = createBuiltinRegistry();

const pageviews = jsonSource({
  name: 'PAGEVIEWS',
  topic: 'pageviews',
  key: [keyColumn('ID', SqlTypes.STRING)],
  value: [valueColumn('PAGE', SqlTypes.STRING), valueColumn('USERID', SqlTypes.STRING)],
});

const users: DataSource = {
  ...pageviews,
  name: 'USERS',
  kind: 'TABLE',
  topic: 'users',
  schema: {
    key: [{ name: 'ID', type: SqlTypes.STRING, namespace: 'KEY' }],
    value: [{ name: 'REGION', type: SqlTypes.STRING, namespace: 'VALUE' }],
  },
};

const sources = new Map([
  ['PAGEVIEWS', pageviews],
  ['USERS', users],
]);
const catalog = { source: (name: string) => sources.get(name) };

function queryOf(sql: string): Query {
  const [statement] = parseStatements(sql);
  if (statement?.kind === 'CreateAsSelect') return statement.query;
  throw new Error(`not a CTAS: ${sql}`);
}

/** Kafka Streams' time-windowed key: the key's bytes, then the window start as a big-endian int64. */
function timeWindowedKey(key: string, start: number): string {
  const suffix = Buffer.alloc(8);
  suffix.writeBigInt64BE(BigInt(start));
  return Buffer.concat([Buffer.from(key), suffix]).toString('hex');
}

describe('aggregations over a real broker', () => {
  let broker: Awaited<ReturnType<typeof startTestBroker>>;
  let kafka: Kafka;
  let deps: RuntimeDeps;

  beforeAll(async () => {
    broker = await startTestBroker();
    kafka = openKafka({ bootstrapServers: broker.bootstrap });
    deps = testRuntimeDeps(kafka, functions, { 'ksql.streams.auto.offset.reset': 'earliest' });
    await kafka.topics.create({ name: 'pageviews', partitions: 1 });
    await kafka.topics.create({ name: 'users', partitions: 1 });
    const changes: [string, string | null, number][] = [
      ['u1', 'east', 1_000],
      ['u2', 'east', 2_000],
      ['u1', 'west', 3_000],
      ['u2', null, 4_000],
    ];
    await kafka.produce(
      changes.map(([id, region, ts]) => ({
        topic: 'users',
        key: Buffer.from(id),
        value: region === null ? null : Buffer.from(JSON.stringify({ REGION: region })),
        timestamp: BigInt(ts),
      })),
    );
    const views: [string, string, number][] = [
      ['home', 'alice', 1_000],
      ['cart', 'bob', 2_000],
      ['home', 'bob', 61_000],
      ['home', 'carol', 62_000],
    ];
    await kafka.produce(
      views.map(([page, user, ts], i) => ({
        topic: 'pageviews',
        key: Buffer.from(`view-${i}`),
        value: Buffer.from(JSON.stringify({ PAGE: page, USERID: user })),
        timestamp: BigInt(ts),
      })),
    );
  }, 60_000);

  afterAll(async () => {
    await kafka?.close();
    await broker?.stop();
  });

  /** Runs a CTAS until it has written `count` rows; the rows as hex key, JSON value and timestamp. */
  async function runCtas(sql: string, name: string, count: number) {
    const plan = planQuery(queryOf(sql), catalog, {
      type: 'PERSISTENT',
      functions,
      sink: { kind: 'CREATE', sourceType: 'TABLE', name },
    });
    await kafka.topics.create({ name, partitions: 1 });
    const sink: DataSource = {
      ...pageviews,
      name,
      kind: 'TABLE',
      topic: name,
      schema: plan.schema,
      ...(plan.window === undefined ? {} : { window: plan.window }),
    };
    const query = await startPersistentQuery({ queryId: `CTAS_${name}_1`, plan, sink }, deps);
    try {
      const out = await readAll(kafka, name, count);
      return out.map((r) => ({
        key: r.key?.toString('hex'),
        value: r.value?.toString() ?? null,
        timestamp: Number(r.timestamp),
      }));
    } finally {
      await query.stop();
    }
  }

  it('counts views per page (GROUP BY with COUNT)', async () => {
    const rows = await runCtas(
      'CREATE TABLE VIEWS_BY_PAGE AS SELECT PAGE, COUNT(*) AS VIEWS FROM PAGEVIEWS GROUP BY PAGE;',
      'VIEWS_BY_PAGE',
      4,
    );
    const key = (page: string) => Buffer.from(page).toString('hex');
    expect(rows).toEqual([
      { key: key('home'), value: '{"VIEWS":1}', timestamp: 1_000 },
      { key: key('cart'), value: '{"VIEWS":1}', timestamp: 2_000 },
      { key: key('home'), value: '{"VIEWS":2}', timestamp: 61_000 },
      { key: key('home'), value: '{"VIEWS":3}', timestamp: 62_000 },
    ]);
  }, 60_000);

  it('counts views per page and minute (a tumbling window)', async () => {
    const rows = await runCtas(
      'CREATE TABLE VIEWS_PER_MINUTE AS SELECT PAGE, COUNT(*) AS VIEWS FROM PAGEVIEWS ' +
        'WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY PAGE;',
      'VIEWS_PER_MINUTE',
      4,
    );
    expect(rows).toEqual([
      { key: timeWindowedKey('home', 0), value: '{"VIEWS":1}', timestamp: 1_000 },
      { key: timeWindowedKey('cart', 0), value: '{"VIEWS":1}', timestamp: 2_000 },
      { key: timeWindowedKey('home', 60_000), value: '{"VIEWS":1}', timestamp: 61_000 },
      { key: timeWindowedKey('home', 60_000), value: '{"VIEWS":2}', timestamp: 62_000 },
    ]);
  }, 60_000);

  it('follows a table: a row moving between groups and a deleted row are counted out', async () => {
    const rows = await runCtas(
      'CREATE TABLE USERS_BY_REGION AS SELECT REGION, COUNT(*) AS N FROM USERS GROUP BY REGION;',
      'USERS_BY_REGION',
      5,
    );
    const key = (region: string) => Buffer.from(region).toString('hex');
    expect(rows).toEqual([
      { key: key('east'), value: '{"N":1}', timestamp: 1_000 },
      { key: key('east'), value: '{"N":2}', timestamp: 2_000 },
      { key: key('east'), value: '{"N":1}', timestamp: 3_000 },
      { key: key('west'), value: '{"N":1}', timestamp: 3_000 },
      { key: key('east'), value: '{"N":0}', timestamp: 4_000 },
    ]);
  }, 60_000);
});
