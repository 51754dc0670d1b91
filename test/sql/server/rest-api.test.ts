// ksqlDB's REST API with the real engine, a real broker and registry: statements through /ksql, rows
// through /inserts-stream and INSERT INTO, queries through /query and /query-stream, values exact on
// the wire, errors with their position, and a server that carries on after each bad statement.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KsqlEntity } from '../../../src/sql/engine/entities.js';
import { get, post, readLinesUntil } from './http.js';
import { startRealSql, uniqueName, type RealSqlSetup } from './real-engine.js';

describe('REST API with the real engine', () => {
  let setup: RealSqlSetup;
  let url: string;
  const ksql = async (statements: string) => post(url, '/ksql', { ksql: statements, streamsProperties: {} });

  beforeAll(async () => {
    setup = await startRealSql();
    url = setup.sql.url;
  }, 60_000);

  afterAll(async () => {
    await setup?.stop();
  });

  const createStream = async (name: string) => {
    const answer = await ksql(
      `CREATE STREAM ${name} (ID STRING KEY, V BIGINT, D DECIMAL(20, 2)) ` +
        `WITH (KAFKA_TOPIC='${name.toLowerCase()}', VALUE_FORMAT='JSON', PARTITIONS=1);`,
    );
    expect(answer.status, answer.text).toBe(200);
    return JSON.parse(answer.text) as KsqlEntity[];
  };

  it('CREATE STREAM answers currentStatus; SHOW STREAMS and DESCRIBE see the stream', async () => {
    const name = uniqueName('created');
    const [created] = await createStream(name);
    expect(created).toMatchObject({ '@type': 'currentStatus', commandStatus: { status: 'SUCCESS' } });

    const [streams] = JSON.parse((await ksql('SHOW STREAMS;')).text) as KsqlEntity[];
    expect(streams['@type']).toBe('streams');
    expect(streams['@type'] === 'streams' && streams.streams.map((stream) => stream.name)).toContain(name);

    const [description] = JSON.parse((await ksql(`DESCRIBE ${name};`)).text) as KsqlEntity[];
    expect(description).toMatchObject({
      '@type': 'sourceDescription',
      sourceDescription: { name, type: 'STREAM', topic: name.toLowerCase(), valueFormat: 'JSON' },
    });
  });

  it('a bad statement is a 400 statement_error naming its position; the server carries on', async () => {
    const answer = await ksql('SELECT * FORM nothing;');
    expect(answer.status).toBe(400);
    const error = JSON.parse(answer.text) as Record<string, unknown>;
    expect(error).toMatchObject({ '@type': 'statement_error', error_code: 40001 });
    expect(String(error.message)).toMatch(/line 1:\d+/);

    for (const bad of [
      'DROP STREAM NO_SUCH_STREAM;',
      "CREATE STREAM X (A INT) WITH (VALUE_FORMAT='NOPE');",
      ';;garbage',
    ])
      expect((await ksql(bad)).status, bad).toBeGreaterThanOrEqual(400);
    expect((await get(url, '/info')).status).toBe(200);
  });

  it('a failing statement after a good one carries the good one’s entity', async () => {
    const name = uniqueName('first');
    const answer = await ksql(
      `CREATE STREAM ${name} (ID STRING KEY, V INT) WITH (KAFKA_TOPIC='${name.toLowerCase()}', VALUE_FORMAT='JSON', PARTITIONS=1);` +
        ' DROP STREAM NOT_THERE_AT_ALL;',
    );
    expect(answer.status).toBe(400);
    const error = JSON.parse(answer.text) as { entities: KsqlEntity[]; statementText: string };
    expect(error.entities).toHaveLength(1);
    expect(error.statementText).toContain('NOT_THERE_AT_ALL');
  });

  it('INSERT INTO keeps BIGINT and DECIMAL exact through the topic and back out of /query-stream', async () => {
    const name = uniqueName('exact');
    await createStream(name);
    const insert = await ksql(
      `INSERT INTO ${name} (ID, V, D) VALUES ('max', 9223372036854775807, 123456789012345678.10);`,
    );
    expect(insert.status, insert.text).toBe(200);
    const answer = await post(
      url,
      '/query-stream',
      {
        sql: `SELECT ID, V, D FROM ${name} EMIT CHANGES LIMIT 1;`,
        properties: { 'auto.offset.reset': 'earliest' },
      },
      'application/vnd.ksqlapi.delimited.v1',
    );
    const lines = answer.text.trim().split('\n');
    expect(JSON.parse(lines[0])).toMatchObject({
      columnNames: ['ID', 'V', 'D'],
      columnTypes: ['STRING', 'BIGINT', 'DECIMAL(20, 2)'],
    });
    expect(lines[1]).toBe('["max",9223372036854775807,123456789012345678.10]');
  });

  it('/inserts-stream acknowledges each row; /query with LIMIT reads them back and says "Limit Reached"', async () => {
    const name = uniqueName('inserted');
    await createStream(name);
    const body = [`{"target":"${name}"}`, '{"ID":"a","V":1,"D":1.5}', '{"ID":"b","V":2,"D":2.25}', ''].join(
      '\n',
    );
    const acks = await post(url, '/inserts-stream', body, 'application/vnd.ksqlapi.delimited.v1');
    expect(
      acks.text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([
      { status: 'ok', seq: 0 },
      { status: 'ok', seq: 1 },
    ]);
    const answer = await post(url, '/query', {
      ksql: `SELECT ID, V FROM ${name} EMIT CHANGES LIMIT 2;`,
      streamsProperties: { 'auto.offset.reset': 'earliest' },
    });
    expect(JSON.parse(answer.text)).toEqual([
      { header: { queryId: expect.any(String), schema: '`ID` STRING, `V` BIGINT' } },
      { row: { columns: ['a', 1] } },
      { row: { columns: ['b', 2] } },
      { finalMessage: 'Limit Reached' },
    ]);
  });

  it('a row that does not fit the stream gets an error ack', async () => {
    const name = uniqueName('refused');
    await createStream(name);
    const body = [`{"target":"${name}"}`, '{"ID":"a","V":"not a number"}', ''].join('\n');
    const answer = await post(url, '/inserts-stream', body, 'application/json');
    const [ack] = JSON.parse(answer.text) as { status: string; seq: number }[];
    expect(ack).toMatchObject({ status: 'error', seq: 0 });
  });

  it('a push query streams rows as they arrive, and ends when the client goes away', async () => {
    const name = uniqueName('live');
    await createStream(name);
    const reading = readLinesUntil(
      url,
      '/query-stream',
      { sql: `SELECT ID FROM ${name} EMIT CHANGES;`, properties: { 'auto.offset.reset': 'earliest' } },
      'application/vnd.ksqlapi.delimited.v1',
      (lines) => lines.length >= 3,
    );
    await ksql(`INSERT INTO ${name} (ID, V) VALUES ('x', 1); INSERT INTO ${name} (ID, V) VALUES ('y', 2);`);
    const lines = await reading;
    expect(lines.slice(1)).toEqual(['["x"]', '["y"]']);
  });

  it('/close-query ends a push query by its id', async () => {
    const name = uniqueName('closed');
    await createStream(name);
    const response = await fetch(url + '/query-stream', {
      method: 'POST',
      headers: { accept: 'application/vnd.ksqlapi.delimited.v1' },
      body: JSON.stringify({ sql: `SELECT * FROM ${name} EMIT CHANGES;` }),
    });
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const { queryId } = JSON.parse(first.split('\n')[0]) as { queryId: string };
    expect((await post(url, '/close-query', { queryId })).status).toBe(200);
    for (;;) if ((await reader.read()).done) break;
  });

  it('/info and /healthcheck describe a healthy server', async () => {
    expect((await get(url, '/info')).json).toMatchObject({
      KsqlServerInfo: { ksqlServiceId: 'default_', serverStatus: 'RUNNING' },
    });
    expect((await get(url, '/healthcheck')).json).toMatchObject({ isHealthy: true });
  });
});
