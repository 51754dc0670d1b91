// The REST API's wire format against a scripted engine: framing of /query and /query-stream in each
// content type, errors, /close-query, /inserts-stream acks, HTTP/2 on the same port, exact BIGINT and
// DECIMAL values. What statements mean is tested with the real engine in rest-api.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/service/index.js';
import { startSql, type RunningSql } from '../../../src/sql/service.js';
import { SqlDecimal } from '../../../src/sql/types/index.js';
import { temporaryDataDir } from '../../helpers/broker.js';
import { get, post, postHttp2, readLinesUntil } from './http.js';
import { ScriptedEngine } from './scripted-engine.js';

const engine = new ScriptedEngine();
let sql: RunningSql;

const showStreams = {
  '@type': 'streams' as const,
  statementText: 'SHOW STREAMS;',
  warnings: [],
  streams: [],
};

beforeAll(async () => {
  engine.statements.set('SHOW STREAMS;', [showStreams]);
  engine.statements.set(
    "CREATE STREAM S (ID STRING KEY, V INT) WITH (kafka_topic='s', value_format='JSON', partitions=1);",
    [
      {
        '@type': 'currentStatus',
        statementText: 'CREATE STREAM S ...',
        warnings: [],
        commandId: 'stream/`S`/create',
        commandStatus: { status: 'SUCCESS', message: 'Stream created' },
        commandSequenceNumber: 2,
      },
    ],
  );
  engine.queries.set("SELECT * FROM T WHERE ID = 'a';", {
    columns: [
      { name: 'ID', type: 'STRING' },
      { name: 'TOTAL', type: 'BIGINT' },
      { name: 'PRICE', type: 'DECIMAL(4, 2)' },
      { name: 'RAW', type: 'BYTES' },
      { name: 'TAGS', type: 'MAP<STRING, BIGINT>' },
    ],
    keyColumns: ['ID'],
    isPullQuery: true,
    rows: [
      {
        values: [
          'a',
          9223372036854775807n,
          new SqlDecimal(110n, 2),
          new Uint8Array([33]),
          new Map([['x', 1n]]),
        ],
      },
    ],
  });
  engine.queries.set('SELECT ID, V FROM S EMIT CHANGES LIMIT 2;', {
    columns: [
      { name: 'ID', type: 'STRING' },
      { name: 'V', type: 'INTEGER' },
    ],
    isPullQuery: false,
    rows: [{ values: ['a', 1] }, { values: ['b', 2] }],
  });
  engine.queries.set('SELECT ID, V FROM S EMIT CHANGES;', {
    columns: [
      { name: 'ID', type: 'STRING' },
      { name: 'V', type: 'INTEGER' },
    ],
    isPullQuery: false,
    rows: [{ values: ['a', 1] }],
    endless: true,
  });
  engine.queries.set('SELECT * FROM BROKEN EMIT CHANGES;', {
    columns: [{ name: 'V', type: 'INTEGER' }],
    isPullQuery: false,
    rows: [{ values: [1] }],
    failAfterRows: 'the state store is gone',
  });
  sql = await startSql({
    bootstrapServers: '127.0.0.1:1',
    port: 0,
    dataDir: temporaryDataDir('sql-wire'),
    logger: silentLogger(),
    createEngine: () => engine,
  });
});

afterAll(async () => {
  await sql?.stop();
});

describe('/ksql', () => {
  it('answers a JSON array of entities in ksqlDB v1 JSON', async () => {
    const answer = await post(sql.url, '/ksql', { ksql: 'SHOW STREAMS;', streamsProperties: {} });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toContain('application/vnd.ksql.v1+json');
    expect(JSON.parse(answer.text)).toEqual([showStreams]);
  });

  it('answers application/json when that is what the client accepts', async () => {
    const answer = await post(sql.url, '/ksql', { ksql: 'SHOW STREAMS;' }, 'application/json');
    expect(answer.contentType).toContain('application/json');
  });

  it('a bad statement is a 400 statement_error with its text', async () => {
    const answer = await post(sql.url, '/ksql', { ksql: 'SHOW STREAMZ;' });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({
      '@type': 'statement_error',
      error_code: 40001,
      statementText: 'SHOW STREAMZ;',
      entities: [],
    });
  });

  it('a body without ksql, or that is not JSON, is a 400 generic_error', async () => {
    for (const body of [{ sql: 'SHOW STREAMS;' }, '{"ksql": ']) {
      const answer = await post(sql.url, '/ksql', body);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text)).toMatchObject({ '@type': 'generic_error', error_code: 40000 });
    }
  });

  it('records command statuses for GET /status', async () => {
    const create =
      "CREATE STREAM S (ID STRING KEY, V INT) WITH (kafka_topic='s', value_format='JSON', partitions=1);";
    expect((await post(sql.url, '/ksql', { ksql: create })).status).toBe(200);
    expect((await get(sql.url, '/status')).json).toEqual({
      commandStatuses: { 'stream/`S`/create': 'SUCCESS' },
    });
    expect((await get(sql.url, '/status/stream/`S`/create')).json).toEqual({
      status: 'SUCCESS',
      message: 'Stream created',
    });
    expect((await get(sql.url, '/status/stream/NOPE/create')).status).toBe(404);
  });
});

describe('/query', () => {
  it('a pull query: header with KEY columns, rows with exact BIGINT and DECIMAL, no final message', async () => {
    const answer = await post(sql.url, '/query', { ksql: "SELECT * FROM T WHERE ID = 'a';" });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('9223372036854775807,1.10,');
    const items = JSON.parse(answer.text) as unknown[];
    expect(items).toEqual([
      {
        header: {
          queryId: expect.any(String),
          schema:
            '`ID` STRING KEY, `TOTAL` BIGINT, `PRICE` DECIMAL(4, 2), `RAW` BYTES, `TAGS` MAP<STRING, BIGINT>',
        },
      },
      { row: { columns: ['a', expect.any(Number), 1.1, 'IQ==', { x: 1 }] } },
    ]);
  });

  it('a push query with LIMIT ends with "Limit Reached"', async () => {
    const answer = await post(sql.url, '/query', { ksql: 'SELECT ID, V FROM S EMIT CHANGES LIMIT 2;' });
    expect(JSON.parse(answer.text)).toEqual([
      { header: { queryId: expect.stringMatching(/^transient_/), schema: '`ID` STRING, `V` INTEGER' } },
      { row: { columns: ['a', 1] } },
      { row: { columns: ['b', 2] } },
      { finalMessage: 'Limit Reached' },
    ]);
  });

  it('a query that fails while streaming ends with an errorMessage', async () => {
    const answer = await post(sql.url, '/query', { ksql: 'SELECT * FROM BROKEN EMIT CHANGES;' });
    const items = JSON.parse(answer.text) as Record<string, unknown>[];
    expect(items.at(-1)).toEqual({
      errorMessage: { '@type': 'generic_error', error_code: 50000, message: 'the state store is gone' },
    });
  });

  it('a statement the engine refuses is a 400 statement_error', async () => {
    const answer = await post(sql.url, '/query', { ksql: 'SELECT nonsense;' });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({
      '@type': 'statement_error',
      statementText: 'SELECT nonsense;',
    });
  });
});

describe('/query-stream', () => {
  it('delimited: a metadata line, then one array a line', async () => {
    const answer = await post(
      sql.url,
      '/query-stream',
      { sql: 'SELECT ID, V FROM S EMIT CHANGES LIMIT 2;', properties: {} },
      'application/vnd.ksqlapi.delimited.v1',
    );
    expect(answer.contentType).toContain('application/vnd.ksqlapi.delimited.v1');
    const lines = answer.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(lines).toEqual([
      { queryId: expect.any(String), columnNames: ['ID', 'V'], columnTypes: ['STRING', 'INTEGER'] },
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('application/json: the same items in one array', async () => {
    const answer = await post(
      sql.url,
      '/query-stream',
      { sql: 'SELECT ID, V FROM S EMIT CHANGES LIMIT 2;' },
      'application/json',
    );
    expect(JSON.parse(answer.text)).toEqual([
      { queryId: expect.any(String), columnNames: ['ID', 'V'], columnTypes: ['STRING', 'INTEGER'] },
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('a push query runs until /close-query ends it', async () => {
    const reading = readLinesUntil(
      sql.url,
      '/query-stream',
      { sql: 'SELECT ID, V FROM S EMIT CHANGES;' },
      'application/vnd.ksqlapi.delimited.v1',
      (lines) => lines.length >= 2,
    );
    const lines = await reading;
    const { queryId } = JSON.parse(lines[0]) as { queryId: string };
    expect(JSON.parse(lines[1])).toEqual(['a', 1]);
    // The client went away (abort): the server closed the query itself.
    await expect.poll(() => engine.closed.includes(queryId)).toBe(true);
  });

  it('/close-query closes a running query by id, and refuses an unknown id', async () => {
    const controller = new AbortController();
    const response = await fetch(sql.url + '/query-stream', {
      method: 'POST',
      headers: { accept: 'application/vnd.ksqlapi.delimited.v1' },
      body: JSON.stringify({ sql: 'SELECT ID, V FROM S EMIT CHANGES;' }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const { queryId } = JSON.parse(first.split('\n')[0]) as { queryId: string };
    const closing = await post(sql.url, '/close-query', { queryId });
    expect(closing.status).toBe(200);
    // The response ends once the query is closed.
    for (;;) if ((await reader.read()).done) break;
    expect(engine.closed).toContain(queryId);
    const unknown = await post(sql.url, '/close-query', { queryId: 'nope' });
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.text)).toMatchObject({
      '@type': 'generic_error',
      message: 'No query with id nope',
    });
  });

  it('works over cleartext HTTP/2 on the same port', async () => {
    const answer = await postHttp2(
      sql.url,
      '/query-stream',
      JSON.stringify({ sql: 'SELECT ID, V FROM S EMIT CHANGES LIMIT 2;' }),
      'application/json',
    );
    expect(answer.status).toBe(200);
    expect((JSON.parse(answer.text) as unknown[]).slice(1)).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });
});

describe('/inserts-stream', () => {
  it('acknowledges each row in order, one a line', async () => {
    const body = ['{"target":"S"}', '{"ID":"a","V":1}', '{"ID":"b","V":2}', ''].join('\n');
    const answer = await post(sql.url, '/inserts-stream', body, 'application/vnd.ksqlapi.delimited.v1');
    expect(answer.status).toBe(200);
    expect(
      answer.text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([
      { status: 'ok', seq: 0 },
      { status: 'ok', seq: 1 },
    ]);
    expect(engine.inserted.slice(-2).map((insert) => insert.row)).toEqual([
      { ID: 'a', V: 1 },
      { ID: 'b', V: 2 },
    ]);
  });

  it('a row that cannot be written gets an error ack and ends the stream', async () => {
    const body = ['{"target":"S"}', '{"ID":"c"}', '{"BAD":1}', '{"ID":"d"}'].join('\n');
    const answer = await post(sql.url, '/inserts-stream', body, 'application/json');
    expect(JSON.parse(answer.text)).toEqual([
      { status: 'ok', seq: 0 },
      { status: 'error', seq: 1, error_code: 40000, message: 'Cannot coerce BAD' },
    ]);
  });

  it('works over HTTP/2, the last row without its newline', async () => {
    const answer = await postHttp2(
      sql.url,
      '/inserts-stream',
      '{"target":"S"}\n{"ID":"e","V":5}',
      'application/json',
    );
    expect(JSON.parse(answer.text)).toEqual([{ status: 'ok', seq: 0 }]);
  });
});

describe('/info, /healthcheck, /health', () => {
  it('/info says the server runs', async () => {
    expect((await get(sql.url, '/info')).json).toEqual({
      KsqlServerInfo: {
        version: expect.any(String),
        kafkaClusterId: expect.any(String),
        ksqlServiceId: 'scripted_',
        serverStatus: 'RUNNING',
      },
    });
  });

  it('/healthcheck in ksqlDB shape, /health in the service kit shape', async () => {
    expect((await get(sql.url, '/healthcheck')).json).toEqual({
      isHealthy: true,
      details: {
        metastore: { isHealthy: true },
        kafka: { isHealthy: true },
        commandRunner: { isHealthy: true },
      },
    });
    const health = await get(sql.url, '/health');
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ status: 'ok', component: 'sql' });
  });

  it('an unknown path is a 404 generic_error', async () => {
    const answer = await get(sql.url, '/nope');
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({ '@type': 'generic_error', error_code: 40400 });
  });
});
