// Two `venice sql` processes with the same ksql.service.id over one real broker, as ksqlDB scales out:
// they share the command topic (a statement run on one is run by the other while both run), split the
// partitions of a persistent query's input and repartition topics through its consumer group, and a
// pull query on either gets the whole table. Killed with SIGKILL, one leaves its partitions to the
// other, which restores their counts from the changelog partitions and goes on counting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, type Kafka } from '../../src/client/index.js';
import { startTestBroker, temporaryDataDir } from '../helpers/broker.js';
import {
  groupHoldings,
  ksql as runStatement,
  pullRows,
  startSqlProcess,
  stopSqlProcess,
  type SqlProcess,
} from './helpers/sql-process.js';

const SERVICE_ID = 'scale_';
const INPUT = 'scale_clicks';
const USERS = ['ann', 'bob', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal'];
const QUERY_ID = /CTAS_CLICK_COUNTS_\d+/;

const start = (bootstrap: string, name: string) =>
  startSqlProcess(bootstrap, { name, serviceId: SERVICE_ID, dataDir: temporaryDataDir(`scale-${name}`) });

const ksql = (url: string, statement: string, guarantee = 'at_least_once') =>
  runStatement(url, statement, { 'processing.guarantee': guarantee });

/** The table as a pull query on `url` answers it: user → count. */
async function pullCounts(url: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [user, count] of await pullRows(url, 'SELECT * FROM CLICK_COUNTS;'))
    counts[user as string] = count as number;
  return counts;
}

// Exactly once as well: each server's transactional producer has its own id (its process id), so the
// two do not fence each other, and the survivor reads the dead one's committed outputs.
describe.each(['at_least_once', 'exactly_once_v2'])(
  'two sql servers with the same service id (%s)',
  (guarantee) => {
    let broker: Awaited<ReturnType<typeof startTestBroker>>;
    let kafka: Kafka;
    let first: SqlProcess;
    let second: SqlProcess;
    const expected: Record<string, number> = {};
    let sent = 0;

    /** `count` clicks spread over the users and (by their keys) over the input's partitions. */
    const produce = async (count: number) => {
      const records = [];
      for (let i = 0; i < count; i++, sent++) {
        const user = USERS[sent % USERS.length]!;
        expected[user] = (expected[user] ?? 0) + 1;
        records.push({
          topic: INPUT,
          key: Buffer.from(`click-${sent}`),
          value: Buffer.from(JSON.stringify({ USERID: user })),
        });
      }
      await kafka.produce(records);
    };

    beforeAll(async () => {
      broker = await startTestBroker();
      kafka = openKafka({ bootstrapServers: broker.bootstrap });
      await kafka.topics.create({ name: INPUT, partitions: 4 });
      [first, second] = await Promise.all([start(broker.bootstrap, 'a'), start(broker.bootstrap, 'b')]);
    }, 180_000);

    afterAll(async () => {
      for (const server of [first, second]) await stopSqlProcess(server, 'SIGTERM');
      await kafka?.close();
      await broker?.stop();
    });

    it('run a statement run on either, split the query, answer pull queries fully and take over', async () => {
      await ksql(
        first.url,
        `CREATE STREAM CLICKS (ID STRING KEY, USERID STRING) WITH (KAFKA_TOPIC='${INPUT}', VALUE_FORMAT='JSON');`,
      );
      await ksql(
        first.url,
        'CREATE TABLE CLICK_COUNTS AS SELECT USERID, COUNT(*) AS N FROM CLICKS GROUP BY USERID EMIT CHANGES;',
        guarantee,
      );
      // The second server was already running: it reads the statements from the command topic.
      await expect
        .poll(async () => JSON.stringify(await ksql(second.url, 'SHOW QUERIES;')), { timeout: 30_000 })
        .toMatch(QUERY_ID);
      const queries = JSON.stringify(await ksql(first.url, 'SHOW QUERIES;'));
      const queryId = QUERY_ID.exec(queries)![0];
      const group = `_confluent-ksql-${SERVICE_ID}query_${queryId}`;

      await produce(200);

      // Both servers are members and each holds input and repartition partitions.
      const holdings = () => groupHoldings(kafka, group);
      await expect.poll(holdings, { timeout: 60_000, interval: 500 }).toEqual(['I2,R2', 'I2,R2']);
      const topics = (await kafka.topics.list({ includeInternal: true })).map((t) => t.name);
      expect(topics).toContain(`${group}-Aggregate-GroupBy-repartition`);
      expect(topics).toContain(`${group}-Aggregate-Aggregate-Materialize-changelog`);
      const changelog = await kafka.topics.describe(`${group}-Aggregate-Aggregate-Materialize-changelog`);
      expect(changelog.partitions).toHaveLength(4);

      // A pull query on either server answers the whole table.
      for (const server of [first, second])
        await expect.poll(() => pullCounts(server.url), { timeout: 60_000, interval: 500 }).toEqual(expected);

      // One server dies; the other takes its partitions (after the session timeout) and goes on counting
      // from the counts restored from the changelog.
      await stopSqlProcess(first, 'SIGKILL');
      await produce(200);
      await expect.poll(holdings, { timeout: 60_000, interval: 500 }).toEqual(['I4,R4']);
      await expect.poll(() => pullCounts(second.url), { timeout: 60_000, interval: 500 }).toEqual(expected);
    }, 300_000);
  },
);
