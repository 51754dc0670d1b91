// The parts of ksqlDB's REST API that clients notice beyond the basics, against the real engine, broker
// and registry: the WebSocket query endpoint (through a small RFC 6455 client, ws-client.ts), exact
// numbers through /inserts-stream, the processing log's records and its KSQL_PROCESSING_LOG stream,
// short property names (SET 'auto.offset.reset'), and the order of a pull query's table scan.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kafka } from '../../../src/client/index.js';
import { post } from './http.js';
import { startRealSql, uniqueName, type RealSqlSetup } from './real-engine.js';
import { openWebSocket } from './ws-client.js';

const DELIMITED = 'application/vnd.ksqlapi.delimited.v1';
const EARLIEST = { 'auto.offset.reset': 'earliest' };

/** Polls until `check` passes (no timing asserts: the test's own timeout is the limit). */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('ksqlDB parity of the REST API, with the real engine', () => {
  let setup: RealSqlSetup;
  let url: string;
  let kafka: Kafka;
  const ksql = async (statements: string, streamsProperties: Record<string, string> = {}) => {
    const answer = await post(url, '/ksql', { ksql: statements, streamsProperties });
    expect(answer.status, answer.text).toBe(200);
    return JSON.parse(answer.text) as unknown[];
  };
  const createStream = async (name: string, columns: string, partitions = 1) =>
    ksql(
      `CREATE STREAM ${name} (${columns}) WITH (KAFKA_TOPIC='${name.toLowerCase()}', ` +
        `VALUE_FORMAT='JSON', PARTITIONS=${partitions});`,
    );
  const pull = async (sql: string) => {
    const answer = await post(url, '/query', { ksql: sql, streamsProperties: {} });
    expect(answer.status, answer.text).toBe(200);
    return (JSON.parse(answer.text) as { row?: { columns: unknown[] } }[])
      .filter((item) => item.row)
      .map((item) => item.row!.columns);
  };

  beforeAll(async () => {
    setup = await startRealSql({
      // Queries start at the end unless asked otherwise, as in ksqlDB, so that SET is seen to work.
      'ksql.streams.auto.offset.reset': 'latest',
      'ksql.logging.processing.stream.auto.create': 'true',
      'ksql.logging.processing.rows.include': 'true',
    });
    url = setup.sql.url;
    kafka = setup.kafka;
  }, 60_000);

  afterAll(async () => {
    await setup?.stop();
  });

  describe('WebSocket queries', () => {
    const request = (sql: string, properties: Record<string, string> = EARLIEST) =>
      encodeURIComponent(JSON.stringify({ ksql: sql, streamsProperties: properties }));

    it('/ws/query sends the columns, then each row, then {"error":"done"} and close 1000', async () => {
      const name = uniqueName('ws');
      await createStream(name, 'ID STRING KEY, V BIGINT');
      await ksql(`INSERT INTO ${name} (ID, V) VALUES ('a', 9223372036854775807);`);
      await ksql(`INSERT INTO ${name} (ID, V) VALUES ('b', 2);`);
      const socket = await openWebSocket(
        url,
        `/ws/query?request=${request(`SELECT ID, V FROM ${name} EMIT CHANGES LIMIT 2;`)}`,
      );
      expect(socket.transcript.status).toBe(101);
      const transcript = await socket.waitFor((t) => t.close !== undefined);
      await socket.ended;
      expect(JSON.parse(transcript.messages[0])).toEqual([
        { name: 'ID', schema: { type: 'STRING', fields: null, memberSchema: null } },
        { name: 'V', schema: { type: 'BIGINT', fields: null, memberSchema: null } },
      ]);
      // BIGINT exact on the wire: compared as text.
      expect(transcript.messages.slice(1)).toEqual([
        '{"row":{"columns":["a",9223372036854775807]}}',
        '{"row":{"columns":["b",2]}}',
        '{"error":"done"}',
      ]);
      expect(transcript.close).toEqual({ code: 1000, reason: 'done' });
    });

    it('GET /query upgrades too; a ping is answered; closing the socket ends the push query', async () => {
      const name = uniqueName('wsquery');
      await createStream(name, 'ID STRING KEY, V INT');
      await ksql(`INSERT INTO ${name} (ID, V) VALUES ('x', 1);`);
      const socket = await openWebSocket(
        url,
        `/query?request=${request(`SELECT * FROM ${name} EMIT CHANGES;`)}`,
      );
      await socket.waitFor((t) => t.messages.length >= 2);
      expect(JSON.parse(socket.transcript.messages[0])).toEqual([
        { name: 'ID', schema: { type: 'STRING', fields: null, memberSchema: null } },
        { name: 'V', schema: { type: 'INTEGER', fields: null, memberSchema: null } },
      ]);
      expect(JSON.parse(socket.transcript.messages[1])).toEqual({ row: { columns: ['x', 1] } });
      socket.sendPing('still there?');
      await socket.waitFor((t) => t.pongs.length > 0);
      expect(socket.transcript.pongs).toEqual(['still there?']);
      expect(setup.sql.health().openQueries).toBe(1);
      socket.sendClose(1000);
      await socket.ended;
      await eventually(
        async () => setup.sql.health().openQueries,
        (open) => open === 0,
      );
    });

    it('a request that cannot run gets {"error": why} and close 1003', async () => {
      const missing = await openWebSocket(url, '/ws/query');
      const noRequest = await missing.waitFor((t) => t.close !== undefined);
      expect(noRequest.messages).toEqual(['{"error":"Error parsing request: missing request parameter"}']);
      expect(noRequest.close?.code).toBe(1003);

      const bad = await openWebSocket(
        url,
        `/ws/query?request=${request('SELECT * FROM NO_SUCH_STREAM EMIT CHANGES;')}`,
      );
      const unknown = await bad.waitFor((t) => t.close !== undefined);
      expect(unknown.close?.code).toBe(1003);
      expect((JSON.parse(unknown.messages[0]) as { error: string }).error).toMatch(/NO_SUCH_STREAM/);

      const version = await openWebSocket(url, `/ws/query?version=7&request=${request('SELECT 1;')}`);
      expect((await version.waitFor((t) => t.close !== undefined)).messages).toEqual([
        '{"error":"Received invalid api version: 7"}',
      ]);
    });

    it('an upgrade that is not a WebSocket (curl --http2 asks for h2c) is answered as plain HTTP/1.1', async () => {
      const { port, hostname } = new URL(url);
      const body = JSON.stringify({ ksql: 'SHOW STREAMS;', streamsProperties: {} });
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(port), hostname, () => {
          socket.write(
            `POST /ksql HTTP/1.1\r\nHost: ${hostname}\r\nConnection: Upgrade, HTTP2-Settings\r\n` +
              'Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n' +
              `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
          );
        });
        let text = '';
        socket.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
          if (text.includes('"@type":"streams"')) {
            socket.destroy();
            resolve(text);
          }
        });
        socket.on('error', reject);
        socket.on('close', () => resolve(text));
      });
      expect(answer.startsWith('HTTP/1.1 200')).toBe(true);
      expect(answer).toContain('"@type":"streams"');
    });
  });

  it('/inserts-stream keeps BIGINT and DECIMAL digits beyond a double', async () => {
    const name = uniqueName('exactins');
    await createStream(name, 'ID STRING KEY, V BIGINT, D DECIMAL(38, 10)');
    const body = [
      `{"target":"${name}"}`,
      '{"ID":"big","V":9223372036854775807,"D":1234567890123456789012345678.0123456789}',
      '{"ID":"neg","V":-9007199254740993,"D":-0.0000000001}',
      '',
    ].join('\n');
    const acks = await post(url, '/inserts-stream', body, DELIMITED);
    expect(acks.text.trim().split('\n')).toEqual(['{"status":"ok","seq":0}', '{"status":"ok","seq":1}']);
    const answer = await post(
      url,
      '/query-stream',
      { sql: `SELECT ID, V, D FROM ${name} EMIT CHANGES LIMIT 2;`, properties: EARLIEST },
      DELIMITED,
    );
    expect(answer.text.trim().split('\n').slice(1)).toEqual([
      '["big",9223372036854775807,1234567890123456789012345678.0123456789]',
      '["neg",-9007199254740993,-0.0000000001]',
    ]);
  });

  it('/inserts-stream refuses an unknown or read-only target before any row, as ksqlDB (400, 40001)', async () => {
    const unknown = await post(url, '/inserts-stream', '{"target":"NOPE_NOT_HERE"}\n{"ID":"a"}\n', DELIMITED);
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.text)).toEqual({
      '@type': 'generic_error',
      error_code: 40001,
      message: 'Cannot insert values into an unknown stream/table: `NOPE_NOT_HERE`',
    });
    const readOnly = await post(url, '/inserts-stream', '{"target":"ksql_processing_log"}\n{}\n', DELIMITED);
    expect(readOnly.status).toBe(400);
    expect(JSON.parse(readOnly.text)).toMatchObject({
      error_code: 40001,
      message: 'Cannot insert values into read-only topic: default_ksql_processing_log',
    });
    const invalid = await post(url, '/inserts-stream', '{"target":"S; DROP STREAM X"}\n', DELIMITED);
    expect(JSON.parse(invalid.text)).toMatchObject({
      error_code: 40001,
      message: 'Invalid target name: S; DROP STREAM X',
    });

    // An unquoted name is upper-cased, as an identifier in SQL is.
    const name = uniqueName('lower');
    await createStream(name, 'ID STRING KEY, V INT');
    const acks = await post(
      url,
      '/inserts-stream',
      `{"target":"${name.toLowerCase()}"}\n{"ID":"a","V":1}\n`,
      DELIMITED,
    );
    expect(acks.text.trim()).toBe('{"status":"ok","seq":0}');

    // A row without its key, or with a value that does not fit, is the client's error (40000).
    const keyless = await post(url, '/inserts-stream', `{"target":"${name}"}\n{"V":1}\n`, DELIMITED);
    expect(JSON.parse(keyless.text.trim())).toEqual({
      status: 'error',
      seq: 0,
      error_code: 40000,
      message: 'Key field must be specified: ID',
    });
    const unfit = await post(url, '/inserts-stream', `{"target":"${name}"}\n{"ID":"b","V":"x"}\n`, DELIMITED);
    expect(JSON.parse(unfit.text.trim())).toMatchObject({ status: 'error', seq: 0, error_code: 40000 });
  });

  it('a record that cannot be read goes to the processing log as ksqlDB writes it, and the query goes on', async () => {
    const source = uniqueName('badjson');
    const sink = uniqueName('badjson_out');
    await createStream(source, 'ID STRING KEY, V INT');
    const topic = source.toLowerCase();
    await kafka.produce([
      { topic, key: Buffer.from('bad'), value: Buffer.from('{"V": not json') },
      { topic, key: Buffer.from('good'), value: Buffer.from('{"V": 7}') },
    ]);
    // SET's short name, as the CLI sends it: the server's default here is latest.
    await ksql(`SET 'auto.offset.reset'='earliest'; CREATE STREAM ${sink} AS SELECT * FROM ${source};`);
    // The good record after the bad one arrives: the query kept running.
    const rows = await eventually(
      async () => pull(`SELECT * FROM ${sink};`),
      (found) => found.length >= 1,
    );
    expect(rows).toEqual([['good', 7]]);

    // The topic's record, field for field ksqlDB's ProcessingLogRecord.
    const entries = await eventually(
      async () => {
        const found: Record<string, unknown>[] = [];
        for await (const record of kafka.consume({
          topic: 'default_ksql_processing_log',
          from: { kind: 'beginning' },
          stopAtEnd: true,
        }))
          found.push(JSON.parse(record.value!.toString('utf8')) as Record<string, unknown>);
        return found.filter((entry) => JSON.stringify(entry).includes(`"topic":"${topic}"`));
      },
      (found) => found.length > 0,
    );
    expect(entries[0]).toEqual({
      level: 'ERROR',
      logger: expect.stringMatching(/^processing\.CSAS_.*\.KsqlTopic\.Source\.deserializer$/),
      time: expect.any(Number),
      message: {
        type: 0,
        deserializationError: {
          target: 'value',
          errorMessage: expect.stringMatching(
            new RegExp(`^Failed to deserialize value from topic: ${topic}\\.`),
          ),
          recordB64: Buffer.from('{"V": not json').toString('base64'),
          cause: [],
          topic,
        },
        recordProcessingError: null,
        productionError: null,
        serializationError: null,
        kafkaStreamsThreadError: null,
      },
    });

    // The KSQL_PROCESSING_LOG stream the server created reads the same record.
    const answer = await post(
      url,
      '/query-stream',
      {
        sql:
          'SELECT MESSAGE->TYPE AS T, MESSAGE->DESERIALIZATIONERROR->`topic` AS SRC FROM KSQL_PROCESSING_LOG ' +
          `WHERE MESSAGE->DESERIALIZATIONERROR->\`topic\` = '${topic}' EMIT CHANGES LIMIT 1;`,
        properties: EARLIEST,
      },
      DELIMITED,
    );
    expect(answer.status, answer.text).toBe(200);
    expect(answer.text.trim().split('\n')[1]).toBe(`[0,"${topic}"]`);
  });

  it('a pull query scans a table partition by partition, each in serialized-key order, as ksqlDB does', async () => {
    const table = uniqueName('scan');
    const materialized = uniqueName('scan_mat');
    await ksql(
      `CREATE TABLE ${table} (ID STRING PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='${table.toLowerCase()}', ` +
        "VALUE_FORMAT='JSON', PARTITIONS=3);",
    );
    const keys = ['m', 'b', 'zz', 'a', 'k', 'B', 'z'];
    for (const [index, key] of keys.entries())
      await ksql(`INSERT INTO ${table} (ID, V) VALUES ('${key}', ${index});`);
    await ksql(`INSERT INTO ${table} (ID, V) VALUES ('m', 100);`);
    await ksql(`CREATE TABLE ${materialized} AS SELECT * FROM ${table};`, EARLIEST);
    const rows = await eventually(
      async () => pull(`SELECT * FROM ${materialized};`),
      (found) => found.length === keys.length && found.some((row) => row[1] === 100),
    );

    // Where each key landed, read back from the table's topic.
    const partitionOf = new Map<string, number>();
    for await (const record of kafka.consume({
      topic: materialized,
      from: { kind: 'beginning' },
      stopAtEnd: true,
    }))
      partitionOf.set(record.key!.toString('utf8'), record.partition);
    const expected = [...keys].sort(
      (a, b) => partitionOf.get(a)! - partitionOf.get(b)! || Buffer.compare(Buffer.from(a), Buffer.from(b)),
    );
    expect(rows.map((row) => row[0])).toEqual(expected);
  });
});
