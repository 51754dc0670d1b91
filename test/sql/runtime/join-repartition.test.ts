// Joins on a non-key column over multi-partition inputs, against the real broker: the re-keyed sides go
// through ksqlDB's repartition topics (`Join-repartition` for a stream-table join's stream,
// `Join-left/right-repartition` for a stream-stream join), partitioned so that each join key meets its
// match on one partition, and every expected row comes out.
import { beforeAll, describe, expect, it } from 'vitest';
import { type ProduceRecord } from '../../../src/client/index.js';
import type { SqlEngine } from '../../../src/sql/engine/index.js';
import { waitFor } from '../../helpers/wait.js';
import { useEngineOnBroker } from '../engine/engine-on-broker.js';

const SERVICE = 'jrep_';
const PARTITIONS = 4;
const USERS = ['ann', 'bob', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal'];
const earliest = { 'ksql.streams.auto.offset.reset': 'earliest' };

const onBroker = useEngineOnBroker();
const kafka = () => onBroker.kafka();
let engine: SqlEngine;

beforeAll(async () => {
  engine = await onBroker.startEngine(SERVICE);
}, 60_000);

async function sql(text: string): Promise<void> {
  await engine.execute({ sql: text, properties: earliest });
}

interface Row {
  readonly key: string;
  readonly value: Record<string, unknown>;
}

/** Every record of a topic: its key as text, its value's JSON. */
async function rowsOf(topic: string): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const record of kafka().consume({ topic, from: { kind: 'beginning' }, stopAtEnd: true })) {
    if (record.value === null) continue;
    const value = JSON.parse(record.value.toString()) as Record<string, unknown>;
    rows.push({ key: record.key?.toString() ?? '', value });
  }
  return rows;
}

async function topicPartitions(name: string): Promise<number | undefined> {
  const description = await kafka()
    .topics.describe(name)
    .catch(() => undefined);
  return description?.partitions.length;
}

async function queryIdOf(sink: string): Promise<string> {
  const entities = await engine.execute({ sql: 'SHOW QUERIES;' });
  const id = new RegExp(`CSAS_${sink}_\\d+`).exec(JSON.stringify(entities))?.[0];
  if (id === undefined) throw new Error(`no query writes ${sink}`);
  return id;
}

describe('joins on a non-key column', () => {
  it('repartition a stream joined to a table by a value column', async () => {
    await sql(
      `CREATE TABLE customers (id STRING PRIMARY KEY, name STRING) WITH (kafka_topic='jrep_customers', value_format='JSON', partitions=${PARTITIONS});`,
    );
    await sql(
      `CREATE STREAM orders (order_id STRING KEY, customer STRING, amount INT) WITH (kafka_topic='jrep_orders', value_format='JSON', partitions=${PARTITIONS});`,
    );
    // The table first, at earlier timestamps: every order finds its customer.
    await kafka().produce(
      USERS.map((user, i) => ({
        topic: 'jrep_customers',
        key: Buffer.from(user),
        value: Buffer.from(JSON.stringify({ NAME: user.toUpperCase() })),
        timestamp: BigInt(1_000 + i),
      })),
    );
    const orders: ProduceRecord[] = [];
    for (let i = 0; i < 80; i++) {
      orders.push({
        topic: 'jrep_orders',
        key: Buffer.from(`order-${i}`),
        value: Buffer.from(JSON.stringify({ CUSTOMER: USERS[i % USERS.length], AMOUNT: i })),
        timestamp: BigInt(10_000 + i),
      });
    }
    await kafka().produce(orders);
    await sql(
      "CREATE STREAM enriched WITH (kafka_topic='jrep_enriched') AS SELECT o.customer, o.amount, c.name FROM orders o JOIN customers c ON o.customer = c.id EMIT CHANGES;",
    );
    const queryId = await queryIdOf('ENRICHED');
    const repartition = `_confluent-ksql-${SERVICE}query_${queryId}-Join-repartition`;
    expect(await topicPartitions(repartition)).toBe(PARTITIONS);

    await waitFor(async () => (await rowsOf('jrep_enriched')).length >= orders.length, {
      what: 'every order joined',
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    const rows = await rowsOf('jrep_enriched');
    // Keyed by the join expression, each order once, with its own customer's name.
    expect(rows.map((row) => row.value.AMOUNT).sort((a, b) => Number(a) - Number(b))).toEqual(
      orders.map((_, i) => i),
    );
    for (const row of rows) expect(row.value.NAME).toBe(row.key.toUpperCase());
  }, 120_000);

  it('repartition both streams of a stream-stream join by a value column', async () => {
    await sql(
      `CREATE STREAM clicks (click_id STRING KEY, user STRING, page STRING) WITH (kafka_topic='jrep_clicks', value_format='JSON', partitions=${PARTITIONS});`,
    );
    await sql(
      `CREATE STREAM views (view_id STRING KEY, user STRING, ad STRING) WITH (kafka_topic='jrep_views', value_format='JSON', partitions=${PARTITIONS});`,
    );
    // Each user: 3 clicks and 2 views, all within the window: 6 pairs each.
    const records: ProduceRecord[] = [];
    USERS.forEach((user, u) => {
      for (let c = 0; c < 3; c++)
        records.push({
          topic: 'jrep_clicks',
          key: Buffer.from(`click-${u}-${c}`),
          value: Buffer.from(JSON.stringify({ USER: user, PAGE: `p${c}` })),
          timestamp: BigInt(20_000 + u * 10 + c),
        });
      for (let v = 0; v < 2; v++)
        records.push({
          topic: 'jrep_views',
          key: Buffer.from(`view-${u}-${v}`),
          value: Buffer.from(JSON.stringify({ USER: user, AD: `a${v}` })),
          timestamp: BigInt(20_005 + u * 10 + v),
        });
    });
    await kafka().produce(records);
    await sql(
      "CREATE STREAM pairs WITH (kafka_topic='jrep_pairs') AS SELECT c.user, c.page, v.ad FROM clicks c JOIN views v WITHIN 1 HOUR ON c.user = v.user EMIT CHANGES;",
    );
    const queryId = await queryIdOf('PAIRS');
    for (const side of ['left', 'right'])
      expect(
        await topicPartitions(`_confluent-ksql-${SERVICE}query_${queryId}-Join-${side}-repartition`),
      ).toBe(PARTITIONS);

    const expected = USERS.flatMap((user) =>
      ['p0', 'p1', 'p2'].flatMap((page) => ['a0', 'a1'].map((ad) => `${user}/${page}/${ad}`)),
    ).sort();
    const pairs = async () =>
      (await rowsOf('jrep_pairs'))
        .map((row) => `${row.key}/${String(row.value.PAGE)}/${String(row.value.AD)}`)
        .sort();
    await waitFor(async () => (await pairs()).length >= expected.length, {
      what: 'every click paired with every view of its user',
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    expect(await pairs()).toEqual(expected);
  }, 120_000);
});
