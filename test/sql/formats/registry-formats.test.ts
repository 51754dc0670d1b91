// AVRO, PROTOBUF and JSON_SR against a real Venice broker and schema registry started in-process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaRegistryClient, Serdes } from '../../../src/serdes/index.js';
import {
  createSerde,
  inferColumns,
  SchemaNotLoadedError,
  type FormatName,
  type SerdeTarget,
} from '../../../src/sql/formats/index.js';
import type { Column } from '../../../src/sql/planner/schema.js';
import {
  formatType,
  SqlDecimal,
  SqlTypes,
  type SqlType,
  type SqlValue,
} from '../../../src/sql/types/index.js';
import { startBrokerAndRegistry } from '../../registry/helpers.js';
import { conformanceDir } from '../parser/conformance-cases.js';
import { passthroughCases } from './qtt-passthrough.js';

let stack: Awaited<ReturnType<typeof startBrokerAndRegistry>>;
let client: SchemaRegistryClient;
let topicCount = 0;

beforeAll(async () => {
  stack = await startBrokerAndRegistry();
  client = new SchemaRegistryClient({ url: stack.registry.url });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
}, 30_000);

const col = (name: string, type: SqlType, namespace: 'KEY' | 'VALUE' = 'VALUE'): Column => ({
  name,
  type,
  namespace,
});
const topic = () => `formats-${++topicCount}`;
const target = (format: FormatName, columns: Column[], extra: Partial<SerdeTarget> = {}): SerdeTarget => ({
  topic: topic(),
  isKey: false,
  columns,
  format,
  options: {},
  ...extra,
});
const describeColumns = (columns: Column[]) =>
  columns.map((c) => `${c.name} ${formatType(c.type)}${c.namespace === 'KEY' ? ' KEY' : ''}`).join(', ');

const everyType = [
  col('B', SqlTypes.BOOLEAN),
  col('I', SqlTypes.INTEGER),
  col('L', SqlTypes.BIGINT),
  col('D', SqlTypes.DOUBLE),
  col('DEC', SqlTypes.decimal(6, 4)),
  col('S', SqlTypes.STRING),
  col('BY', SqlTypes.BYTES),
  col('DT', SqlTypes.DATE),
  col('TM', SqlTypes.TIME),
  col('TS', SqlTypes.TIMESTAMP),
  col('A', SqlTypes.array(SqlTypes.BIGINT)),
  col('M', SqlTypes.map(SqlTypes.STRING, SqlTypes.DOUBLE)),
  col(
    'ST',
    SqlTypes.struct([
      { name: 'F0', type: SqlTypes.INTEGER },
      { name: 'F1', type: SqlTypes.STRING },
    ]),
  ),
];
const everyValue: SqlValue[] = [
  true,
  -5,
  998877665544332211n,
  1.5,
  SqlDecimal.parse('12.3650'),
  'héllo',
  new Uint8Array([1, 2, 255]),
  19000,
  3_600_123,
  1_700_000_000_123,
  [12n, 34n],
  new Map([['a', 1.5]]),
  { F0: 7, F1: 'x' },
];

describe.each(['AVRO', 'PROTOBUF', 'JSON_SR'] as const)('%s through the registry', (format) => {
  it('round-trips every type, registering the schema under <topic>-value', async () => {
    const t = target(format, everyType);
    const serde = await createSerde(t, client);
    const bytes = serde.serialize(everyValue);
    expect(bytes?.[0]).toBe(0);
    const latest = await client.getLatest(`${t.topic}-value`);
    expect(bytes?.readInt32BE(1)).toBe(latest.id);
    expect(serde.deserialize(bytes)).toEqual(everyValue);
    // The registered schema gives the same columns back.
    expect(describeColumns(await inferColumns(t.topic, false, format, client))).toBe(
      describeColumns(everyType),
    );
  });

  it('reports a writer schema it has not loaded, and reads after load(id)', async () => {
    const writer = await createSerde(target(format, [col('V', SqlTypes.STRING)]), client);
    const bytes = writer.serialize(['x']) as Buffer;
    // A reader of another shape registers another schema, so the writer's is not loaded yet.
    const reader = await createSerde(
      target(format, [col('V', SqlTypes.STRING), col('W', SqlTypes.INTEGER)]),
      client,
    );
    if (format === 'JSON_SR') {
      // JSON_SR reads the JSON itself, as ksqlDB does: no writer schema needed.
      expect(reader.deserialize(bytes)).toEqual(['x', null]);
      return;
    }
    let missing: unknown;
    try {
      reader.deserialize(bytes);
    } catch (error) {
      missing = error;
    }
    expect(missing).toBeInstanceOf(SchemaNotLoadedError);
    await reader.load?.((missing as SchemaNotLoadedError).schemaId);
    expect(reader.deserialize(bytes)).toEqual(['x', null]);
  });

  it('writes a single key column as ksqlDB does (bare for AVRO/JSON_SR, a message for PROTOBUF)', async () => {
    const t = target(format, [col('K', SqlTypes.BIGINT, 'KEY')], { isKey: true });
    const serde = await createSerde(t, client);
    const bytes = serde.serialize([998877665544332211n]);
    expect(serde.deserialize(bytes)).toEqual([998877665544332211n]);
    expect(serde.serialize([null])).toBeNull();
    const latest = await client.getLatest(`${t.topic}-key`);
    if (format === 'AVRO') expect(latest.schema).toBe('"long"');
    if (format === 'PROTOBUF') expect(latest.schema).toContain('int64 K = 1;');
    if (format === 'JSON_SR')
      expect(JSON.parse(latest.schema)).toEqual({
        oneOf: [{ type: 'null' }, { type: 'integer', 'connect.type': 'int64' }],
      });
    const inferred = await inferColumns(t.topic, true, format, client);
    expect(describeColumns(inferred)).toBe(format === 'PROTOBUF' ? 'K BIGINT KEY' : 'ROWKEY BIGINT KEY');
  });

  it('writes a computed all-NULL key of several columns as a record of nulls, a missing key as null bytes', async () => {
    const t = target(format, [col('K1', SqlTypes.STRING, 'KEY'), col('K2', SqlTypes.INTEGER, 'KEY')], {
      isKey: true,
    });
    const serde = await createSerde(t, client);
    const missing = serde.deserialize(null);
    expect(missing).toEqual([null, null]);
    expect(serde.serialize(missing)).toBeNull();
    const computed = serde.serialize([null, null]);
    if (format === 'PROTOBUF') {
      expect(computed).toBeNull();
      return;
    }
    expect(computed).not.toBeNull();
    if (format === 'JSON_SR') expect(computed?.toString('utf8', 5)).toBe('{"K1":null,"K2":null}');
    const read = serde.deserialize(computed);
    expect(read).toEqual([null, null]);
    expect(serde.serialize(read)).toEqual(computed);
  });

  it('says when a subject has no schema', async () => {
    await expect(inferColumns('nothing-here', false, format, client)).rejects.toThrow(
      "Schema for message values on topic 'nothing-here' does not exist in the Schema Registry.",
    );
  });
});

describe('AVRO', () => {
  it("registers ksqlDB's record of optional fields", async () => {
    const t = target('AVRO', [
      col('FOO', SqlTypes.INTEGER),
      col('BAR', SqlTypes.struct([{ name: 'X', type: SqlTypes.STRING }])),
    ]);
    await createSerde(t, client);
    const schema = JSON.parse((await client.getLatest(`${t.topic}-value`)).schema) as Record<string, unknown>;
    expect(schema).toMatchObject({
      type: 'record',
      name: 'KsqlDataSourceSchema',
      namespace: 'io.confluent.ksql.avro_schemas',
      fields: [
        { name: 'FOO', type: ['null', 'int'], default: null },
        {
          name: 'BAR',
          type: [
            'null',
            {
              type: 'record',
              name: 'KsqlDataSourceSchema_BAR',
              fields: [{ name: 'X', type: ['null', 'string'], default: null }],
            },
          ],
          default: null,
        },
      ],
    });
  });

  it('reads records written by another producer, inferring the columns (upper-cased) from the latest schema', async () => {
    const name = topic();
    const schema = JSON.stringify({
      name: 'blah',
      type: 'record',
      fields: [
        { name: 'c1', type: 'boolean' },
        { name: 'c2', type: 'int' },
        { name: 'c3', type: 'long' },
        { name: 'c4', type: 'float' },
        { name: 'c5', type: { type: 'enum', name: 'Suit', symbols: ['SPADES', 'HEARTS'] } },
        { name: 'c6', type: ['null', { type: 'fixed', size: 2, name: 'md5' }] },
        { name: 'c7', type: { type: 'long', logicalType: 'timestamp-millis' } },
      ],
    });
    const bytes = await new Serdes(client).serialize(
      name,
      { c1: true, c2: 1, c3: 400000000000, c4: 4.0, c5: 'HEARTS', c6: null, c7: 1700000000000 },
      { schema },
    );
    const columns = await inferColumns(name, false, 'AVRO', client);
    expect(describeColumns(columns)).toBe(
      'C1 BOOLEAN, C2 INTEGER, C3 BIGINT, C4 DOUBLE, C5 STRING, C6 BYTES, C7 TIMESTAMP',
    );
    const serde = await createSerde(
      { topic: name, isKey: false, columns, format: 'AVRO', options: {} },
      client,
    );
    const id = bytes.readInt32BE(1);
    await serde.load?.(id);
    expect(serde.deserialize(bytes)).toEqual([true, 1, 400000000000n, 4, 'HEARTS', null, 1700000000000]);
  });
});

describe('AVRO schemas registered by others', () => {
  it('reads and writes a named long key schema past 2^53 (avsc sees the object form as its own long)', async () => {
    const name = topic();
    const schema = JSON.stringify({ type: 'long', name: 'KeySchema', namespace: 'com.example' });
    const id = await client.register(`${name}-key`, { schema, schemaType: 'AVRO' });
    const serde = await createSerde(
      {
        topic: name,
        isKey: true,
        columns: [col('ROWKEY', SqlTypes.BIGINT, 'KEY')],
        format: 'AVRO',
        options: { schemaId: id },
      },
      client,
    );
    const bytes = serde.serialize([998877665544332211n]);
    expect(bytes).not.toBeNull();
    await serde.load?.(id);
    expect(serde.deserialize(bytes as Buffer)).toEqual([998877665544332211n]);
  });

  it("writes a non-optional field's default for a NULL, as ksqlDB does", async () => {
    const name = topic();
    const schema = JSON.stringify({
      type: 'record',
      name: 'Value',
      fields: [
        { name: 'N', type: 'int', default: 7 },
        { name: 'S', type: 'string' },
      ],
    });
    const id = await client.register(`${name}-value`, { schema, schemaType: 'AVRO' });
    const columns = [col('N', SqlTypes.INTEGER), col('S', SqlTypes.STRING)];
    const serde = await createSerde(
      { topic: name, isKey: false, columns, format: 'AVRO', options: { schemaId: id } },
      client,
    );
    const bytes = serde.serialize([null, 'x']) as Buffer;
    await serde.load?.(id);
    expect(serde.deserialize(bytes)).toEqual([7, 'x']);
    expect(() => serde.serialize([1, null])).toThrow(/non-optional Avro string/);
  });
});

describe('PROTOBUF', () => {
  it('writes NULL scalars as proto3 defaults, and infers ksqlDB types for the other scalars', async () => {
    const t = target('PROTOBUF', [
      col('I', SqlTypes.INTEGER),
      col('S', SqlTypes.STRING),
      col('ST', SqlTypes.struct([{ name: 'F', type: SqlTypes.INTEGER }])),
    ]);
    const serde = await createSerde(t, client);
    expect(serde.deserialize(serde.serialize([null, null, null]))).toEqual([0, '', null]);
    expect((await client.getLatest(`${t.topic}-value`)).schema).toContain('message ConnectDefault1');

    const name = topic();
    await client.register(`${name}-value`, {
      schemaType: 'PROTOBUF',
      schema:
        'syntax = "proto3"; message ConfluentDefault1 {float c1 = 1; uint32 c2 = 2; uint64 c3 = 3; sint32 c4 = 4; sint64 c5 = 5; repeated string c6 = 6; message Something {int32 f1 = 1;} Something c7 = 7;}',
    });
    expect(describeColumns(await inferColumns(name, false, 'PROTOBUF', client))).toBe(
      'C1 DOUBLE, C2 BIGINT, C3 BIGINT, C4 INTEGER, C5 BIGINT, C6 ARRAY<STRING>, C7 STRUCT<`F1` INTEGER>',
    );
  });
});

describe('JSON_SR', () => {
  it("refuses plain JSON with ksqlDB's message", async () => {
    const serde = await createSerde(target('JSON_SR', [col('V', SqlTypes.INTEGER)]), client);
    expect(() => serde.deserialize(Buffer.from('{"V":1}'))).toThrow(/did not start with the magic byte/);
  });
});

const dir = conformanceDir();
/**
 * Cases Venice answers differently, on purpose: a PROTOBUF key that is all NULL (a single column, or
 * several) is written as a null key, where ksqlDB writes a Protobuf message of defaults.
 */
const KNOWN_DEVIATIONS = new Set([
  'protobuf.json: STRUCT BIGINT - key - no inference',
  'protobuf.json: STRUCT DOUBLE - key - no inference',
  'protobuf.json: STRUCT STRING - key - no inference',
  'protobuf.json: STRUCT ARRAY STRING - key - no inference',
  'protobuf.json: STRUCT multi field - key - no inference',
]);
describe.skipIf(dir === undefined)("ksqlDB's registry-format cases through the serdes", () => {
  for (const file of ['avro.json', 'json_sr.json', 'protobuf.json']) {
    it(
      file,
      async () => {
        const failures: string[] = [];
        let ran = 0;
        for (const testCase of passthroughCases(dir as string, file, client)) {
          const problem = await testCase.run();
          if (problem === 'SKIP' || KNOWN_DEVIATIONS.has(`${file}: ${testCase.name}`)) continue;
          ran++;
          if (problem !== undefined) failures.push(`${testCase.name}: ${problem}`);
        }
        expect(failures).toEqual([]);
        expect(ran).toBeGreaterThan(0);
      },
      60_000,
    );
  }
});
