// Two `venice sql` processes with one ksql.service.id sharing a join on a non-key column: orders joined
// to their customers' table by a value column go through the query's `Join-repartition` topic (4
// partitions, as its input), so each order meets its customer on whichever server holds that
// partition. The joined output is complete and correct while both run, and after one is killed with
// SIGKILL the other takes its partitions over (restoring their part of the table from the changelog)
// and joins what comes next: every order once under exactly_once_v2, at least once otherwise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, type Kafka, type ProduceRecord } from '../../src/client/index.js';
import { startTestBroker, temporaryDataDir } from '../helpers/broker.js';
import { waitFor } from '../helpers/wait.js';
import {
  groupHoldings,
  ksql,
  queryId,
  startSqlProcess,
  stopSqlProcess,
  type SqlProcess,
} from './helpers/sql-process.js';

const PARTITIONS = 4;
const CUSTOMERS = ['ann', 'bob', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal', 'ida', 'jim', 'kim', 'lea'];

describe.each(['at_least_once', 'exactly_once_v2'])(
  'two sql servers sharing a repartitioned join (%s)',
  (guarantee) => {
    const name = guarantee === 'at_least_once' ? 'alos' : 'eos';
    const serviceId = `sjoin_${name}_`;
    const customersTopic = `sjoin_${name}_customers`;
    const ordersTopic = `sjoin_${name}_orders`;
    const sinkTopic = `sjoin_${name}_enriched`;
    let broker: Awaited<ReturnType<typeof startTestBroker>>;
    let kafka: Kafka;
    let first: SqlProcess;
    let second: SqlProcess;
    let ordered = 0;

    /** `count` orders over the customers, keyed by order id (so spread over the partitions otherwise). */
    const produceOrders = async (count: number) => {
      const records: ProduceRecord[] = [];
      for (let i = 0; i < count; i++, ordered++)
        records.push({
          topic: ordersTopic,
          key: Buffer.from(`order-${ordered}`),
          value: Buffer.from(
            JSON.stringify({ CUSTOMER: CUSTOMERS[ordered % CUSTOMERS.length], AMOUNT: ordered }),
          ),
          timestamp: BigInt(100_000 + ordered),
        });
      await kafka.produce(records);
    };

    /** The joined rows: amount → the name it was joined with, and how many rows each amount has. */
    const joined = async () => {
      const names = new Map<number, string[]>();
      for await (const record of kafka.consume({
        topic: sinkTopic,
        from: { kind: 'beginning' },
        stopAtEnd: true,
      })) {
        if (record.value === null) continue;
        const value = JSON.parse(record.value.toString()) as { AMOUNT: number; NAME: string };
        names.set(value.AMOUNT, [...(names.get(value.AMOUNT) ?? []), value.NAME]);
        // Keyed by the join expression: the customer.
        expect(value.NAME).toBe(record.key?.toString().toUpperCase());
      }
      return names;
    };

    /** Every order so far joined with its own customer (exactly once: once each). */
    const expectComplete = async () => {
      let names = new Map<number, string[]>();
      await waitFor(async () => (names = await joined()).size >= ordered, {
        what: `${ordered} orders joined`,
        timeoutMs: 120_000,
        intervalMs: 500,
      });
      expect([...names.keys()].sort((a, b) => a - b)).toEqual([...Array(ordered).keys()]);
      for (const [amount, rows] of names) {
        const customer = CUSTOMERS[amount % CUSTOMERS.length]!.toUpperCase();
        expect(new Set(rows)).toEqual(new Set([customer]));
        if (guarantee === 'exactly_once_v2') expect(rows).toHaveLength(1);
      }
    };

    beforeAll(async () => {
      broker = await startTestBroker();
      kafka = openKafka({ bootstrapServers: broker.bootstrap });
      await kafka.topics.create({ name: customersTopic, partitions: PARTITIONS });
      await kafka.topics.create({ name: ordersTopic, partitions: PARTITIONS });
      const start = (server: string) =>
        startSqlProcess(broker.bootstrap, {
          name: server,
          serviceId,
          dataDir: temporaryDataDir(`sql-sjoin-${name}-${server}`),
        });
      [first, second] = await Promise.all([start('a'), start('b')]);
    }, 180_000);

    afterAll(async () => {
      for (const server of [first, second]) await stopSqlProcess(server, 'SIGTERM');
      await kafka?.close();
      await broker?.stop();
    });

    it('join every order on either server, and on the survivor after a SIGKILL', async () => {
      await ksql(
        first.url,
        `CREATE TABLE CUSTOMERS (ID STRING PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='${customersTopic}', VALUE_FORMAT='JSON');`,
      );
      await ksql(
        first.url,
        `CREATE STREAM ORDERS (ORDER_ID STRING KEY, CUSTOMER STRING, AMOUNT INT) WITH (KAFKA_TOPIC='${ordersTopic}', VALUE_FORMAT='JSON');`,
      );
      // The table first, at earlier timestamps: every order finds its customer.
      await kafka.produce(
        CUSTOMERS.map((customer, i) => ({
          topic: customersTopic,
          key: Buffer.from(customer),
          value: Buffer.from(JSON.stringify({ NAME: customer.toUpperCase() })),
          timestamp: BigInt(1_000 + i),
        })),
      );
      await produceOrders(120);
      await ksql(
        first.url,
        `CREATE STREAM ENRICHED WITH (KAFKA_TOPIC='${sinkTopic}') AS SELECT O.CUSTOMER, O.AMOUNT, C.NAME FROM ORDERS O JOIN CUSTOMERS C ON O.CUSTOMER = C.ID EMIT CHANGES;`,
        { 'processing.guarantee': guarantee },
      );
      const pattern = /CSAS_ENRICHED_\d+/;
      let id: string | undefined;
      await waitFor(async () => (id = await queryId(second.url, pattern)) !== undefined, {
        what: 'the second server running the query',
        timeoutMs: 30_000,
      });
      const group = `_confluent-ksql-${serviceId}query_${id!}`;
      const repartition = await kafka.topics.describe(`${group}-Join-repartition`);
      expect(repartition.partitions).toHaveLength(PARTITIONS);

      // Both servers hold half of each input and of the repartition topic.
      const holdings = () => groupHoldings(kafka, group);
      await expect.poll(holdings, { timeout: 60_000, interval: 500 }).toEqual(['I2,I2,R2', 'I2,I2,R2']);
      await expectComplete();
      await produceOrders(120);
      await expectComplete();

      // One dies mid-stream; the other takes all partitions over and joins on.
      await produceOrders(120);
      await stopSqlProcess(first, 'SIGKILL');
      await produceOrders(120);
      await expect.poll(holdings, { timeout: 90_000, interval: 500 }).toEqual(['I4,I4,R4']);
      await expectComplete();
    }, 420_000);
  },
);
