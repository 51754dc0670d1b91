// Which rows a push query sends through /query, and which push queries it accepts, as ksqlDB's REST API
// does: window bounds and key-only projections in a transient aggregate, no row for a stream record
// without a value, a windowed table's tombstone keeping its window bounds, no tombstone for a table row
// that never matched the WHERE, and ksqlDB's error for arithmetic on an untyped NULL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kafka } from '../../../src/client/index.js';
import { post } from './http.js';
import { startRealSql, uniqueName, type RealSqlSetup } from './real-engine.js';

type QueryLine = { header?: { schema: string }; row?: { columns: unknown[]; tombstone?: boolean } };

describe('push query rows, with the real engine', () => {
  let setup: RealSqlSetup;
  let kafka: Kafka;
  const ksql = async (statements: string) => {
    const answer = await post(setup.sql.url, '/ksql', { ksql: statements, streamsProperties: {} });
    expect(answer.status, answer.text).toBe(200);
  };
  const query = async (sql: string) => post(setup.sql.url, '/query', { ksql: sql, streamsProperties: {} });
  const lines = async (sql: string): Promise<QueryLine[]> => {
    const answer = await query(sql);
    expect(answer.status, answer.text).toBe(200);
    return JSON.parse(answer.text) as QueryLine[];
  };
  const rows = (answer: QueryLine[]) => answer.flatMap((line) => (line.row ? [line.row] : []));
  const header = (answer: QueryLine[]) => answer.find((line) => line.header)?.header?.schema;

  /** A stream on a new one-partition topic holding these JSON records (key: INT as 4 bytes). */
  const streamWith = async (
    records: readonly { key: number; value: string | null; timestamp: number }[],
  ): Promise<string> => {
    const name = uniqueName('push_rows');
    const topic = name.toLowerCase();
    await kafka.topics.create({ name: topic, partitions: 1 });
    await kafka.produce(
      records.map((r) => {
        const key = Buffer.alloc(4);
        key.writeInt32BE(r.key);
        return {
          topic,
          key,
          value: r.value === null ? null : Buffer.from(r.value),
          timestamp: BigInt(r.timestamp),
        };
      }),
    );
    await ksql(
      `CREATE STREAM ${name} (K INT KEY, V INT) WITH (KAFKA_TOPIC='${topic}', VALUE_FORMAT='JSON');`,
    );
    return name;
  };

  beforeAll(async () => {
    setup = await startRealSql();
    kafka = setup.kafka;
  }, 60_000);

  afterAll(async () => {
    await setup?.stop();
  });

  it('a windowed aggregate may select WINDOWSTART and WINDOWEND, and only its key', async () => {
    const name = await streamWith([
      { key: 1, value: '{"V":1}', timestamp: 10_500 },
      { key: 1, value: '{"V":2}', timestamp: 13_200 },
    ]);
    const bounds = await lines(
      `SELECT WINDOWSTART, WINDOWEND, COUNT(1) AS C FROM ${name} WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY K EMIT CHANGES LIMIT 2;`,
    );
    expect(header(bounds)).toBe('`WINDOWSTART` BIGINT, `WINDOWEND` BIGINT, `C` BIGINT');
    expect(rows(bounds).map((row) => row.columns)).toEqual([
      [10_000, 11_000, 1],
      [13_000, 14_000, 1],
    ]);
    const keyOnly = await lines(`SELECT K FROM ${name} GROUP BY K HAVING COUNT(K) > 0 EMIT CHANGES LIMIT 2;`);
    expect(header(keyOnly)).toBe('`K` INTEGER');
    expect(rows(keyOnly).map((row) => row.columns)).toEqual([[1], [1]]);
  });

  it('a stream record without a value is no row', async () => {
    const name = await streamWith([
      { key: 1, value: null, timestamp: 1 },
      { key: 2, value: '{"V":20}', timestamp: 2 },
      { key: 3, value: '{"V":30}', timestamp: 3 },
    ]);
    const answer = await lines(`SELECT * FROM ${name} EMIT CHANGES LIMIT 2;`);
    expect(rows(answer).map((row) => row.columns)).toEqual([
      [2, 20],
      [3, 30],
    ]);
  });

  it("a windowed table's deleted row keeps its key and window bounds", async () => {
    const name = await streamWith([
      { key: 11, value: '{"V":10}', timestamp: 1 },
      { key: 11, value: '{"V":-20}', timestamp: 2 },
      { key: 11, value: '{"V":21}', timestamp: 3 },
    ]);
    const table = uniqueName('push_sums');
    await ksql(
      `CREATE TABLE ${table} AS SELECT K, SUM(V) AS S FROM ${name} WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY K HAVING SUM(V) > 0;`,
    );
    const answer = await lines(`SELECT S, WINDOWSTART, WINDOWEND FROM ${table} EMIT CHANGES LIMIT 3;`);
    expect(rows(answer)).toEqual([
      { columns: [10, 0, 1000] },
      { columns: [null, 0, 1000], tombstone: true },
      { columns: [11, 0, 1000] },
    ]);
  });

  it('a table row that never matched the WHERE sends no tombstone', async () => {
    const name = await streamWith([
      { key: 1, value: '{"V":1}', timestamp: 1 },
      { key: 2, value: '{"V":2}', timestamp: 2 },
    ]);
    const table = uniqueName('push_latest');
    await ksql(`CREATE TABLE ${table} AS SELECT K, LATEST_BY_OFFSET(V) AS V FROM ${name} GROUP BY K;`);
    const answer = await lines(`SELECT * FROM ${table} WHERE K = 2 EMIT CHANGES LIMIT 1;`);
    expect(rows(answer)).toEqual([{ columns: [2, 2] }]);
  });

  it('arithmetic with an untyped NULL is refused as ksqlDB refuses it', async () => {
    const name = await streamWith([]);
    for (const [sql, message] of [
      [`SELECT 1 + NULL FROM ${name} EMIT CHANGES;`, '(1 + null). Arithmetic on types INTEGER and null'],
      [
        `SELECT ARRAY[1, 2] + NULL FROM ${name} EMIT CHANGES;`,
        '(ARRAY[1, 2] + null). Arithmetic on types ARRAY<INTEGER> and null are not supported.',
      ],
      [`SELECT 5.0 / NULL FROM ${name} EMIT CHANGES;`, 'Arithmetic on types DECIMAL(2, 1) and null'],
    ]) {
      const answer = await query(sql);
      expect(answer.status).toBe(400);
      expect((JSON.parse(answer.text) as { message: string }).message).toContain(message);
    }
  });
});
