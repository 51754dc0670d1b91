// A stream re-keyed to meet a table whose key is in a registry format (AVRO): the repartition topic's keys
// are written with the schema the table's producer registered, so each order lands on the partition of its
// customer's record (the bytes, and so the murmur2 partition, are the producer's), rather than on the
// partition of the key's text.
import { beforeAll, describe, expect, it } from 'vitest';
import { keyPartition, type ProduceRecord } from '../../../src/client/index.js';
import { SchemaRegistryClient, Serdes } from '../../../src/serdes/index.js';
import type { SqlEngine } from '../../../src/sql/engine/index.js';
import { waitFor } from '../../helpers/wait.js';
import { useEngineOnBroker } from '../engine/engine-on-broker.js';

const SERVICE = 'jreg_';
const PARTITIONS = 4;
const USERS = ['ann', 'bob', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal'];
const earliest = { 'ksql.streams.auto.offset.reset': 'earliest' };
// A producer's own key schema: named, so it differs from the bare "string" ksqlDB would derive.
const KEY_SCHEMA = JSON.stringify({ type: 'string', name: 'CustomerId', namespace: 'com.example' });

const onBroker = useEngineOnBroker({ registry: true });
const kafka = () => onBroker.kafka();
let engine: SqlEngine;

beforeAll(async () => {
  engine = await onBroker.startEngine(SERVICE);
}, 60_000);

async function sql(text: string): Promise<void> {
  await engine.execute({ sql: text, properties: earliest });
}

/** Each record's key bytes and partition. */
async function placements(topic: string): Promise<{ key: Buffer; partition: number }[]> {
  const found: { key: Buffer; partition: number }[] = [];
  for await (const record of kafka().consume({ topic, from: { kind: 'beginning' }, stopAtEnd: true })) {
    if (record.key !== null) found.push({ key: record.key, partition: record.partition });
  }
  return found;
}

describe('a join side re-keyed to meet a registry-format key', () => {
  it("is partitioned by the key as the other side's producer wrote it", async () => {
    await kafka().topics.create({ name: 'jreg_customers', partitions: PARTITIONS, replicationFactor: 1 });
    const serdes = new Serdes(new SchemaRegistryClient({ url: onBroker.registryUrl() }));
    const customerKeys = new Map<string, Buffer>();
    const customers: ProduceRecord[] = [];
    for (const [i, user] of USERS.entries()) {
      const key = await serdes.serialize('jreg_customers', user, { schema: KEY_SCHEMA, isKey: true });
      customerKeys.set(user, key);
      customers.push({
        topic: 'jreg_customers',
        key,
        partition: keyPartition(key, PARTITIONS),
        value: Buffer.from(JSON.stringify({ NAME: user.toUpperCase() })),
        timestamp: BigInt(1_000 + i),
      });
    }
    await kafka().produce(customers);
    await sql(
      "CREATE TABLE customers (id STRING PRIMARY KEY, name STRING) WITH (kafka_topic='jreg_customers', key_format='AVRO', value_format='JSON');",
    );
    await sql(
      `CREATE STREAM orders (order_id STRING KEY, customer STRING, amount INT) WITH (kafka_topic='jreg_orders', value_format='JSON', partitions=${PARTITIONS});`,
    );
    const orders: ProduceRecord[] = [];
    for (let i = 0; i < 40; i++) {
      orders.push({
        topic: 'jreg_orders',
        key: Buffer.from(`order-${i}`),
        value: Buffer.from(JSON.stringify({ CUSTOMER: USERS[i % USERS.length], AMOUNT: i })),
        timestamp: BigInt(10_000 + i),
      });
    }
    await kafka().produce(orders);
    await sql(
      "CREATE STREAM enriched WITH (kafka_topic='jreg_enriched', value_format='JSON') AS SELECT o.customer, o.amount, c.name FROM orders o JOIN customers c ON o.customer = c.id EMIT CHANGES;",
    );
    const entities = await engine.execute({ sql: 'SHOW QUERIES;' });
    const queryId = /CSAS_ENRICHED_\d+/.exec(JSON.stringify(entities))?.[0];
    const repartition = `_confluent-ksql-${SERVICE}query_${queryId}-Join-repartition`;

    await waitFor(async () => (await placements('jreg_enriched')).length >= orders.length, {
      what: 'every order joined',
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    const written = await placements(repartition);
    expect(written).toHaveLength(orders.length);
    const partitionOf = new Map(
      [...customerKeys.values()].map((key) => [key.toString('hex'), keyPartition(key, PARTITIONS)]),
    );
    for (const { key, partition } of written) {
      // The producer's bytes (its schema id included), on its customer's partition.
      expect(partitionOf.get(key.toString('hex'))).toBe(partition);
    }
  }, 120_000);
});
