// An independent ksqlDB client from npm (ksqldb-client, which speaks cleartext HTTP/2) against Venice's
// sql component with the real engine: statements, listings, inserts, pull and push queries, closing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ksqldbClient, type KsqldbClient } from './ksqldb-client-types.js';
import { startRealSql, uniqueName, type RealSqlSetup } from './real-engine.js';

describe('ksqldb-client (npm) against Venice', () => {
  let setup: RealSqlSetup;
  let client: KsqldbClient;
  const stream = uniqueName('npm');

  beforeAll(async () => {
    setup = await startRealSql();
    client = ksqldbClient(setup.sql.host, setup.sql.port);
    await client.connect();
  }, 60_000);

  afterAll(async () => {
    await client?.disconnect();
    await setup?.stop();
  });

  it('executes CREATE STREAM and lists it', async () => {
    const created = await client.executeStatement(
      `CREATE STREAM ${stream} (ID STRING KEY, V INT) WITH (KAFKA_TOPIC='${stream.toLowerCase()}', VALUE_FORMAT='JSON', PARTITIONS=1);`,
    );
    expect(created.status, JSON.stringify(created.error)).toBe(200);
    expect((await client.listStreams()).map((s) => s.name)).toContain(stream);
  });

  it('inserts rows and reads them with a push query that stops at its LIMIT', async () => {
    expect((await client.insertInto(stream, { ID: 'a', V: 1 })).status).toBe(200);
    expect((await client.insertInto(stream, { ID: 'b', V: 2 })).status).toBe(200);
    const rows: Record<string, unknown>[] = [];
    const answer = await client.streamQuery(`SELECT ID, V FROM ${stream} EMIT CHANGES LIMIT 2;`, (data) =>
      rows.push(...(data.rows ?? [])),
    );
    expect(answer.status).toBe(200);
    expect(rows).toEqual([
      { ID: 'a', V: 1 },
      { ID: 'b', V: 2 },
    ]);
  });

  it('terminates a push query by the id it was given', async () => {
    let queryId = '';
    const rows: Record<string, unknown>[] = [];
    const running = client.streamQuery(`SELECT ID FROM ${stream} EMIT CHANGES;`, (data) => {
      queryId = data.metadata?.queryId ?? queryId;
      rows.push(...(data.rows ?? []));
    });
    await expect.poll(() => rows.length, { timeout: 20_000 }).toBe(2);
    expect((await client.terminatePushQuery(queryId)).status).toBe(200);
    expect((await running).status).toBe(200);
  });

  it('pull-queries a table, and lists its table, topic and query; describeSource describes it', async () => {
    const table = uniqueName('npm_totals');
    const created = await client.executeStatement(
      `CREATE TABLE ${table} AS SELECT ID, SUM(V) AS TOTAL FROM ${stream} GROUP BY ID;`,
      { streamsProperties: { 'auto.offset.reset': 'earliest' } },
    );
    expect(created.status, JSON.stringify(created.error)).toBe(200);

    // The table fills from the stream's two rows; a pull query reads them by key.
    let pulled: Awaited<ReturnType<KsqldbClient['query']>> | undefined;
    await expect
      .poll(
        async () => {
          pulled = await client.query(`SELECT ID, TOTAL FROM ${table} WHERE ID = 'b';`);
          return pulled.data?.rows ?? [];
        },
        { timeout: 20_000 },
      )
      .toHaveLength(1);
    expect(pulled!.status).toBe(200);
    expect(pulled!.data!.metadata).toMatchObject({
      columnNames: ['ID', 'TOTAL'],
      columnTypes: ['STRING', 'INTEGER'],
    });
    expect(pulled!.data!.rows).toEqual([{ ID: 'b', TOTAL: 2 }]);

    const tables = await client.listTables();
    expect(tables).toContainEqual(
      expect.objectContaining({
        name: table,
        type: 'TABLE',
        topic: table,
        keyFormat: 'KAFKA',
        valueFormat: 'JSON',
      }),
    );

    const topics = await client.listTopics();
    expect(topics).toContainEqual({ name: stream.toLowerCase(), replicaInfo: [1] });
    expect(topics.map((topic) => topic.name)).toContain(table);

    const queries = await client.listQueries();
    const query = queries.find((q) => q.sinks.includes(table));
    expect(query).toMatchObject({ queryType: 'PERSISTENT', sinkKafkaTopics: [table], state: 'RUNNING' });
    expect(query!.queryString).toContain(`CREATE TABLE ${table}`);

    const description = await client.describeSource(table);
    expect(description).toMatchObject({ name: table, type: 'TABLE', topic: table, keyFormat: 'KAFKA' });
    expect(description.fields.map((field) => [field.name, field.schema.type])).toEqual([
      ['ID', 'STRING'],
      ['TOTAL', 'INTEGER'],
    ]);
    expect(description.writeQueries?.map((q) => q.id)).toEqual([query!.id]);
  });

  it('a bad statement comes back as the error the client reports', async () => {
    const answer = await client.executeStatement('DROP STREAM NO_SUCH_STREAM_HERE;');
    expect(answer.status).toBe(400);
    expect(answer.error?.message).toBeTruthy();
  });
});
