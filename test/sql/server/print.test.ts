// PRINT against the real engine, registry and broker: lines of text on /query (the formats that fit,
// then a line per record), registry-framed Avro shown decoded, INTERVAL and LIMIT, each record as a
// JSON string over the WebSocket, a clear error for a topic that is not there, and a reader that
// leaves no consumer group behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kafka } from '../../../src/client/index.js';
import { KsqlRestClient } from '../../../src/cli/ksql/client.js';
import { Serdes, SchemaRegistryClient } from '../../../src/serdes/index.js';
import { post, readLinesUntil } from './http.js';
import { startRealSql, type RealSqlSetup } from './real-engine.js';
import { openWebSocket } from './ws-client.js';

const KSQL_JSON = 'application/vnd.ksql.v1+json';
const RECORD_LINE =
  /^rowtime: \d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d{3} Z, key: (.*), value: (.*), partition: (\d+)$/;

describe('PRINT, with the real engine', () => {
  let setup: RealSqlSetup;
  let kafka: Kafka;

  beforeAll(async () => {
    setup = await startRealSql();
    kafka = setup.kafka;
  }, 60_000);

  afterAll(async () => {
    await setup?.stop();
  });

  const print = (sql: string, until: (lines: string[]) => boolean) =>
    readLinesUntil(setup.sql.url, '/query', { ksql: sql, streamsProperties: {} }, KSQL_JSON, until);

  it('prints JSON values with string keys, naming the formats that fit, up to the LIMIT', async () => {
    await kafka.topics.create({ name: 'print_json', partitions: 2 });
    await kafka.produce([
      { topic: 'print_json', partition: 0, key: Buffer.from('k1'), value: Buffer.from('{"qty":2}') },
      { topic: 'print_json', partition: 1, key: Buffer.from('k2'), value: Buffer.from('{"qty":3}') },
      { topic: 'print_json', partition: 1, key: null, value: null },
    ]);
    const lines = await print('PRINT print_json FROM BEGINNING LIMIT 3;', (seen) => seen.length >= 7);
    const records = lines.filter((line) => line.startsWith('rowtime:'));
    expect(records).toHaveLength(3);
    const parsed = records.map((line) => RECORD_LINE.exec(line)?.slice(1));
    expect(parsed).toContainEqual(['k1', '{"qty":2}', '0']);
    expect(parsed).toContainEqual(['k2', '{"qty":3}', '1']);
    expect(parsed).toContainEqual(['<null>', '<null>', '1']);
    expect(lines[0]).toMatch(/^Key format: /);
    expect(lines).toContain('Key format: KAFKA_STRING');
    expect(lines).toContain('Value format: JSON or KAFKA_STRING');
  });

  it('decodes registry-framed Avro, and INTERVAL shows every n-th record', async () => {
    await kafka.topics.create({ name: 'print_avro', partitions: 1 });
    const serdes = new Serdes(new SchemaRegistryClient({ url: setup.registryUrl }));
    const schema = JSON.stringify({
      type: 'record',
      name: 'Order',
      fields: [
        { name: 'id', type: 'int' },
        { name: 'item', type: 'string' },
      ],
    });
    const records = [];
    for (let id = 0; id < 6; id++) {
      const value = await serdes.serialize(
        'print_avro',
        { id, item: `i${id}` },
        { schemaType: 'AVRO', schema },
      );
      const key = Buffer.alloc(4);
      key.writeInt32BE(id);
      records.push({ topic: 'print_avro', key, value });
    }
    await kafka.produce(records);
    const lines = await print(
      'PRINT print_avro FROM BEGINNING INTERVAL 2 LIMIT 3;',
      (seen) => seen.filter((line) => line.startsWith('rowtime:')).length >= 3,
    );
    const values = lines
      .filter((line) => line.startsWith('rowtime:'))
      .map((line) => RECORD_LINE.exec(line)?.slice(1, 3));
    expect(values).toEqual([
      ['0', '{"id":0,"item":"i0"}'],
      ['2', '{"id":2,"item":"i2"}'],
      ['4', '{"id":4,"item":"i4"}'],
    ]);
    expect(lines.find((line) => line.startsWith('Value format: '))).toMatch(/^Value format: AVRO/);
    expect(lines.find((line) => line.startsWith('Key format: '))).toMatch(/KAFKA_INT/);
  });

  it('sends each record over the WebSocket as a JSON string, then done', async () => {
    await kafka.topics.create({ name: 'print_ws', partitions: 1 });
    await kafka.produce([{ topic: 'print_ws', key: Buffer.from('a'), value: Buffer.from('hello') }]);
    const request = encodeURIComponent(
      JSON.stringify({ ksql: "PRINT 'print_ws' FROM BEGINNING LIMIT 1;", streamsProperties: {} }),
    );
    const socket = await openWebSocket(setup.sql.url, `/ws/query?request=${request}`);
    const transcript = await socket.waitFor((t) => t.close !== undefined);
    await socket.ended;
    expect(transcript.messages).toHaveLength(2);
    const line = JSON.parse(transcript.messages[0]) as string;
    expect(RECORD_LINE.exec(line)?.slice(1)).toEqual(['a', 'hello', '0']);
    expect(transcript.close).toEqual({ code: 1000, reason: 'done' });
  });

  it('names the topic it cannot find and suggests one that differs only in case', async () => {
    await kafka.topics.create({ name: 'Print_Case', partitions: 1 });
    const missing = await post(setup.sql.url, '/query', {
      ksql: "PRINT 'print_case';",
      streamsProperties: {},
    });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain("Could not find topic 'print_case'");
    expect(missing.text).toContain("print 'Print_Case';");
    const fromStream = await post(setup.sql.url, '/query-stream', {
      sql: 'PRINT print_json;',
      properties: {},
    });
    expect(fromStream.status).toBe(400);
    expect(fromStream.text).toContain('send it to /query');
  });

  it("`venice ksql`'s client prints the lines and ends at the LIMIT", async () => {
    const client = new KsqlRestClient(setup.sql.url);
    const lines: string[] = [];
    await client.print(
      "PRINT 'print_json' FROM BEGINNING LIMIT 2;",
      { properties: {}, variables: {} },
      (line) => lines.push(line),
      new AbortController().signal,
    );
    expect(lines.filter((line) => line.startsWith('rowtime:'))).toHaveLength(2);
    expect(lines.every((line) => line !== '')).toBe(true);
  });

  it('reads without a consumer group', async () => {
    const groups = await kafka.groups.list();
    expect(groups.filter((group) => !group.id.startsWith('_confluent-ksql'))).toEqual([]);
  });
});
