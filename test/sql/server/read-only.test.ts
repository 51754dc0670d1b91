// A read-only user of the sql component, against the real engine and a real broker: everything that
// reads is answered (SHOW, LIST, DESCRIBE [EXTENDED], EXPLAIN, SET, pull and push queries over
// /query-stream and /query, PRINT, a WebSocket query); everything that changes state (CREATE, DROP,
// INSERT, TERMINATE, ALTER SYSTEM, /inserts-stream) is refused with 403 and ksqlDB's error body, and
// nothing of it happens. The statements are judged by the parser, so a DEFINE or a session variable
// cannot hide a CREATE.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuthConfig } from '../../helpers/http-users.js';
import { clientFetch } from '../../../src/service/http-client.js';
import { silentLogger } from '../../../src/service/index.js';
import { startSql, type RunningSql } from '../../../src/sql/service.js';
import { firstStateChange } from '../../../src/sql/parser/statement-effects.js';
import { startTestBroker, temporaryDataDir } from '../../helpers/broker.js';
import { uniqueName } from './real-engine.js';

const PASSWORD = 'read-Only-Secret-99';

describe('a read-only user of the sql component', () => {
  let broker: Awaited<ReturnType<typeof startTestBroker>>;
  let sql: RunningSql;
  const stream = uniqueName('ro_orders');
  const topic = stream.toLowerCase();

  beforeAll(async () => {
    broker = await startTestBroker();
    sql = await startSql({
      bootstrapServers: broker.bootstrap,
      port: 0,
      dataDir: temporaryDataDir('sql-read-only'),
      logger: silentLogger(),
      properties: { 'ksql.streams.auto.offset.reset': 'earliest' },
      http: basicAuthConfig({
        admin: { name: 'admin', password: PASSWORD },
        readOnly: { name: 'viewer', password: PASSWORD },
      }),
    });
    const created = await ksql(
      'admin',
      `CREATE STREAM ${stream} (id INT KEY, total DOUBLE) ` +
        `WITH (kafka_topic='${topic}', value_format='JSON', partitions=1);` +
        `INSERT INTO ${stream} (id, total) VALUES (1, 9.5);`,
    );
    expect(created.status, created.text).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await sql?.stop();
    await broker?.stop();
  });

  const as = (user: string) => clientFetch({ user, password: PASSWORD, ca: null });
  async function ksql(user: string, statements: string, sessionVariables?: Record<string, string>) {
    const response = await as(user)(`${sql.url}/ksql`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.ksql.v1+json' },
      body: JSON.stringify({ ksql: statements, ...(sessionVariables ? { sessionVariables } : {}) }),
    });
    return { status: response.status, text: await response.text() };
  }

  it('runs SHOW, LIST, DESCRIBE [EXTENDED], EXPLAIN and SET through /ksql', async () => {
    for (const statement of [
      'SHOW STREAMS;',
      'LIST TOPICS;',
      'SHOW QUERIES;',
      'SHOW PROPERTIES;',
      `DESCRIBE ${stream};`,
      `DESCRIBE ${stream} EXTENDED;`,
      'DESCRIBE STREAMS EXTENDED;',
      `EXPLAIN SELECT * FROM ${stream} EMIT CHANGES;`,
      "SET 'auto.offset.reset'='earliest'; SHOW TABLES;",
      "DEFINE what = 'x'; SHOW STREAMS;",
    ]) {
      const answer = await ksql('viewer', statement);
      expect(answer.status, `${statement} ${answer.text}`).toBe(200);
    }
    expect((await ksql('viewer', 'SHOW STREAMS;')).text).toContain(stream);
  });

  it('refuses every statement that changes state with 403 and a 40300 body, and runs none of it', async () => {
    const other = uniqueName('ro_refused');
    const refusals: [string, string, Record<string, string>?][] = [
      [
        `CREATE STREAM ${other} (id INT) WITH (kafka_topic='${other.toLowerCase()}', value_format='JSON', partitions=1);`,
        'CREATE STREAM',
      ],
      [`CREATE STREAM ${other} AS SELECT * FROM ${stream} EMIT CHANGES;`, 'CREATE STREAM AS SELECT'],
      [`INSERT INTO ${stream} (id, total) VALUES (2, 1.0);`, 'INSERT INTO ... VALUES'],
      [`DROP STREAM ${stream};`, 'DROP STREAM'],
      ['TERMINATE ALL;', 'TERMINATE'],
      ["ALTER SYSTEM 'auto.offset.reset'='latest';", 'ALTER SYSTEM'],
      ['CREATE TYPE ADDRESS AS STRUCT<street VARCHAR>;', 'CREATE TYPE'],
      // A read before the write, a DEFINE and a session variable do not hide it.
      [`SHOW STREAMS; DROP STREAM ${stream};`, 'DROP STREAM'],
      [`DEFINE s = '${stream}'; DROP STREAM \${s};`, 'DROP STREAM'],
      ['DROP STREAM ${s};', 'DROP STREAM', { s: stream }],
    ];
    for (const [statement, named, variables] of refusals) {
      const answer = await ksql('viewer', statement, variables);
      expect(answer.status, `${statement} ${answer.text}`).toBe(403);
      const body = JSON.parse(answer.text) as Record<string, unknown>;
      expect(body).toMatchObject({ '@type': 'generic_error', error_code: 40300 });
      expect(body.message).toBe(
        `user viewer is read-only and may not run ${named}: ` +
          'log in as a user with a role outside http.readOnlyRoles to change anything',
      );
    }
    const shown = await ksql('admin', 'SHOW STREAMS; SHOW TYPES;');
    expect(shown.text).toContain(stream);
    expect(shown.text).not.toContain(other);
    expect(shown.text).not.toContain('ADDRESS');
    const inserts = await as('viewer')(`${sql.url}/inserts-stream`, {
      method: 'POST',
      body: `{"target":"${stream}"}\n{"ID":3,"TOTAL":2.0}\n`,
    });
    expect(inserts.status).toBe(403);
  });

  it('answers pull and push queries on /query-stream, and PRINT on /query', async () => {
    const pull = await as('viewer')(`${sql.url}/query-stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/vnd.ksqlapi.delimited.v1' },
      body: JSON.stringify({ sql: `SELECT * FROM ${stream};` }),
    });
    const pullText = await pull.text();
    expect(pull.status, pullText).toBe(200);
    expect(pullText).toContain('9.5');

    const push = await as('viewer')(`${sql.url}/query-stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/vnd.ksqlapi.delimited.v1' },
      body: JSON.stringify({ sql: `SELECT * FROM ${stream} EMIT CHANGES LIMIT 1;` }),
    });
    const pushText = await push.text();
    expect(push.status, pushText).toBe(200);
    expect(pushText).toContain('9.5');

    const print = await as('viewer')(`${sql.url}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.ksql.v1+json' },
      body: JSON.stringify({ ksql: `PRINT '${topic}' FROM BEGINNING LIMIT 1;` }),
    });
    const printText = await print.text();
    expect(print.status, printText).toBe(200);
    expect(printText).toContain('9.5');
  }, 60_000);

  it('upgrades a WebSocket query for a read-only user', async () => {
    const url = new URL(sql.url);
    const query = encodeURIComponent(
      JSON.stringify({ ksql: `SELECT * FROM ${stream} EMIT CHANGES LIMIT 1;` }),
    );
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.get({
        host: url.hostname,
        port: url.port,
        path: `/ws/query?request=${query}`,
        headers: {
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
          authorization: `Basic ${Buffer.from(`viewer:${PASSWORD}`).toString('base64')}`,
        },
      });
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('upgrade', (_response, socket) => {
        socket.destroy();
        resolve(101);
      });
      request.on('error', reject);
    });
    expect(status).toBe(101);
  });
});

describe('which statements change state (the parser decides)', () => {
  it('names the first write of a script and leaves reads alone', () => {
    expect(
      firstStateChange('SHOW STREAMS; DESCRIBE s EXTENDED; EXPLAIN CREATE STREAM x AS SELECT * FROM s;'),
    ).toBe(null);
    expect(firstStateChange("PRINT 'orders' FROM BEGINNING; SELECT * FROM s EMIT CHANGES;")).toBe(null);
    expect(firstStateChange('-- a comment\nCREATE TABLE t AS SELECT id, COUNT(*) FROM s GROUP BY id;')).toBe(
      'CREATE TABLE AS SELECT',
    );
    expect(firstStateChange('TERMINATE CTAS_T_1;')).toBe('TERMINATE');
    expect(firstStateChange('INSERT INTO s SELECT * FROM other;')).toBe('INSERT INTO ... SELECT');
    expect(firstStateChange('DROP ${what} s;', new Map([['WHAT', 'TABLE']]))).toBe('DROP TABLE');
    // A script that does not parse runs nothing: the engine answers its parse error.
    expect(firstStateChange('CREATE STREAM (')).toBe(null);
  });
});
