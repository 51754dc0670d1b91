// Statements that run queries, through the engine facade with a real broker: INSERT VALUES and
// /inserts-stream rows, INSERT INTO ... SELECT and what DROP says while it runs, push and pull queries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, type Kafka } from '../../../src/client/index.js';
import {
  createSqlEngine,
  SqlStatementError,
  type CurrentStatusEntity,
  type ResultRow,
  type SqlEngine,
} from '../../../src/sql/engine/index.js';
import { silentLogger } from '../../../src/service/index.js';
import { startTestBroker, temporaryDataDir } from '../../helpers/broker.js';
import { waitFor } from '../../helpers/wait.js';

let broker: Awaited<ReturnType<typeof startTestBroker>>;
let kafka: Kafka;
let engine: SqlEngine;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = openKafka({ bootstrapServers: broker.bootstrap });
  engine = createSqlEngine({
    kafka: { bootstrapServers: broker.bootstrap },
    serviceId: 'queries_',
    stateDir: temporaryDataDir('sql-state'),
    logger: silentLogger(),
    properties: { 'ksql.streams.auto.offset.reset': 'earliest' },
  });
  await engine.start();
  await engine.execute({
    sql: `
      CREATE STREAM clicks (user STRING KEY, page STRING, n INT) WITH (kafka_topic='clicks', value_format='JSON', partitions=1);
      CREATE STREAM all_clicks (user STRING KEY, page STRING, n INT) WITH (kafka_topic='all_clicks', value_format='JSON', partitions=1);
    `,
  });
}, 60_000);

afterAll(async () => {
  await engine?.stop();
  await kafka?.close();
  await broker?.stop();
});

async function valuesIn(topic: string): Promise<string[]> {
  const values: string[] = [];
  for await (const record of kafka.consume({ topic, from: { kind: 'beginning' }, stopAtEnd: true })) {
    values.push(record.value?.toString() ?? 'null');
  }
  return values;
}

async function firstRows(rows: AsyncIterable<ResultRow>, count: number): Promise<ResultRow[]> {
  const taken: ResultRow[] = [];
  for await (const row of rows) {
    taken.push(row);
    if (taken.length === count) break;
  }
  return taken;
}

describe('INSERT VALUES and inserted rows', () => {
  it('writes a row and answers no entity', async () => {
    const entities = await engine.execute({
      sql: "INSERT INTO clicks (user, page, n) VALUES ('ann', '/home', 1);",
    });
    expect(entities).toEqual([]);
    await engine.insertRow('CLICKS', { USER: 'bob', page: '/about', n: 2 });
    await waitFor(async () => (await valuesIn('clicks')).length === 2, { what: 'two rows in clicks' });
    expect(await valuesIn('clicks')).toEqual(['{"PAGE":"/home","N":1}', '{"PAGE":"/about","N":2}']);
  });

  it('refuses unknown targets with ksqlDB messages', async () => {
    const error = await engine
      .execute({ sql: 'INSERT INTO "clicks" (page) VALUES (\'x\');' })
      .catch((e: unknown) => e as SqlStatementError);
    expect((error as SqlStatementError).message).toBe(
      'Cannot insert values into an unknown stream/table: `clicks`\nDid you mean CLICKS? Hint: try removing double quotes from the source name.',
    );
    await expect(engine.insertRow('NOWHERE', { a: 1 })).rejects.toThrow(
      'Cannot insert values into an unknown stream/table: `NOWHERE`',
    );
  });
});

describe('INSERT INTO ... SELECT', () => {
  it('starts INSERTQUERY_<n> and keeps DROP from removing what it reads or writes', async () => {
    const [entity] = await engine.execute({
      sql: 'INSERT INTO all_clicks SELECT * FROM clicks EMIT CHANGES;',
    });
    const status = entity as CurrentStatusEntity;
    expect(status.commandId).toBe('stream/`ALL_CLICKS`/create');
    expect(status.commandStatus.queryId).toBe(`INSERTQUERY_${status.commandSequenceNumber}`);
    expect(status.commandStatus.message).toBe(
      `Created query with ID INSERTQUERY_${status.commandSequenceNumber}`,
    );
    await waitFor(async () => (await valuesIn('all_clicks')).length === 2, { what: 'the copied rows' });

    const id = status.commandStatus.queryId ?? '';
    const refused = await engine.execute({ sql: 'DROP STREAM clicks;' }).catch((e: unknown) => e as Error);
    expect((refused as Error).message).toBe(
      `Cannot drop CLICKS.\nThe following queries read from this source: [${id}].\n` +
        'The following queries write into this source: [].\nYou need to terminate them before dropping CLICKS.',
    );
    const [described] = await engine.execute({ sql: 'DESCRIBE all_clicks;' });
    expect(described).toMatchObject({ sourceDescription: { writeQueries: [{ id, state: 'RUNNING' }] } });
    await engine.execute({ sql: `TERMINATE ${id};` });
  });

  it('refuses a table as the target', async () => {
    await engine.execute({
      sql: "CREATE TABLE users (id STRING PRIMARY KEY, name STRING) WITH (kafka_topic='users', value_format='JSON', partitions=1);",
    });
    await expect(engine.execute({ sql: 'INSERT INTO users SELECT * FROM clicks;' })).rejects.toThrow(
      'INSERT INTO can only be used to insert into a stream. USERS is a table.',
    );
  });
});

describe('CREATE TABLE ... AS SELECT', () => {
  it('registers the aggregate as a table with a compacted topic and starts CTAS_<SINK>_<n>', async () => {
    const [entity] = await engine.execute({
      sql: 'CREATE TABLE counts AS SELECT user, COUNT(*) AS c FROM clicks GROUP BY user EMIT CHANGES;',
    });
    const status = entity as CurrentStatusEntity;
    expect(status).toMatchObject({
      commandId: 'table/`COUNTS`/create',
      commandStatus: { queryId: `CTAS_COUNTS_${status.commandSequenceNumber}` },
    });
    const [described] = await engine.execute({ sql: 'DESCRIBE counts;' });
    expect(described).toMatchObject({
      sourceDescription: {
        type: 'TABLE',
        topic: 'COUNTS',
        keyFormat: 'KAFKA',
        valueFormat: 'JSON',
        fields: [
          { name: 'USER', type: 'KEY', schema: { type: 'STRING' } },
          { name: 'C', schema: { type: 'BIGINT' } },
        ],
      },
    });
    const topic = await kafka.topics.describe('COUNTS');
    expect(topic.partitions).toHaveLength(1);
    expect(topic.configs.find((c) => c.name === 'cleanup.policy')?.value).toBe('compact');
    await waitFor(async () => (await valuesIn('COUNTS')).length >= 2, { what: 'counts in COUNTS' });
    expect(await valuesIn('COUNTS')).toEqual(['{"C":1}', '{"C":1}']);
    const refused = await engine
      .execute({ sql: 'CREATE STREAM wrong AS SELECT user, COUNT(*) AS c FROM clicks GROUP BY user;' })
      .catch((e: unknown) => e as Error);
    expect((refused as Error).message).toBe(
      'Invalid result type. Your SELECT query produces a TABLE. Please use CREATE TABLE AS SELECT statement instead.',
    );
    const [dropped] = await engine.execute({ sql: 'DROP TABLE counts DELETE TOPIC;' });
    expect(dropped).toMatchObject({
      commandStatus: { message: 'Source `COUNTS` (topic: COUNTS) was dropped.' },
    });
    const [queries] = await engine.execute({ sql: 'SHOW QUERIES;' });
    expect((queries as unknown as { queries: { id: string }[] }).queries.map((q) => q.id)).not.toContain(
      status.commandStatus.queryId,
    );
  });
});

describe('a single value column', () => {
  it("is wrapped in a sink unless the sink's WITH or ksql.persistence.wrap.single.values says not to", async () => {
    await engine.execute({
      sql: `
        CREATE STREAM bare (k STRING KEY, v INT) WITH (kafka_topic='bare', value_format='JSON', wrap_single_value=false, partitions=1);
        INSERT INTO bare (k, v) VALUES ('a', 1);
        CREATE STREAM wrapped AS SELECT * FROM bare;
      `,
    });
    await engine.execute({
      sql: 'CREATE STREAM unwrapped AS SELECT * FROM bare;',
      properties: { 'ksql.persistence.wrap.single.values': 'false' },
    });
    await waitFor(async () => (await valuesIn('WRAPPED')).length >= 1, { what: 'a row in WRAPPED' });
    await waitFor(async () => (await valuesIn('UNWRAPPED')).length >= 1, { what: 'a row in UNWRAPPED' });
    expect(await valuesIn('WRAPPED')).toEqual(['{"V":1}']);
    expect(await valuesIn('UNWRAPPED')).toEqual(['1']);
  });
});

describe('queries through query()', () => {
  it('runs a push query until closed', async () => {
    const handle = await engine.query({ sql: 'SELECT page, n FROM clicks EMIT CHANGES;' });
    expect(handle.isPullQuery).toBe(false);
    expect(handle.columns).toEqual([
      { name: 'PAGE', type: 'STRING' },
      { name: 'N', type: 'INTEGER' },
    ]);
    const rows = await firstRows(handle.rows(), 2);
    expect(rows.map((r) => r.values)).toEqual([
      ['/home', 1],
      ['/about', 2],
    ]);
    await handle.close();
  });

  it('answers a pull query and ends', async () => {
    const handle = await engine.query({ sql: "SELECT * FROM clicks WHERE user = 'ann';" });
    expect(handle.isPullQuery).toBe(true);
    const rows: ResultRow[] = [];
    for await (const row of handle.rows()) rows.push(row);
    expect(rows.map((r) => r.values)).toEqual([['ann', '/home', 1]]);
  });

  it('refuses statements other than SELECT', async () => {
    await expect(engine.query({ sql: 'SHOW STREAMS;' })).rejects.toThrow(SqlStatementError);
  });
});
