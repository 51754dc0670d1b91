import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import avro from 'avsc';
import {
  RecordCodec,
  splitWindowedKey,
  windowedKey,
  type SideLayout,
  type TopicLayout,
} from '../../../tools/conformance/codecs.js';
import { firstDifference } from '../../../tools/conformance/compare.js';
import { parseJsonText } from '../../../tools/conformance/json-text.js';
import { windowSizeOf } from '../../../tools/conformance/layouts.js';
import { RegistryClient } from '../../../tools/conformance/registry-client.js';
import { startBrokerAndRegistry } from '../../registry/helpers.js';

function side(format: string, columns: [string, string][] = []): SideLayout {
  return { format, columns: columns.map(([name, type]) => ({ name, type })), wrapped: true };
}

function layout(key: SideLayout, value: SideLayout, topic = 't'): TopicLayout {
  return { topic, key, value };
}

describe('codecs without a registry', () => {
  const codec = new RecordCodec(undefined);

  it('writes KAFKA keys as the column type says and reads them back', async () => {
    for (const [type, given, bytes] of [
      ['INTEGER', '7', '00000007'],
      ['BIGINT', '-1', 'ffffffffffffffff'],
      ['DOUBLE', '1.5', '3ff8000000000000'],
      ['STRING', '"ab"', '6162'],
    ] as const) {
      const topic = layout(side('KAFKA', [['K', type]]), side('JSON'));
      const encoded = await codec.encode(parseJsonText(given), topic, true);
      expect(encoded?.toString('hex')).toBe(bytes);
      expect(firstDifference(parseJsonText(given), await codec.decode(encoded, topic, true))).toBeUndefined();
    }
  });

  it('passes DELIMITED text through and keeps JSON numbers as written', async () => {
    const topic = layout(side('DELIMITED', [['K', 'INTEGER']]), side('DELIMITED'));
    expect((await codec.encode('1,a,0.0', topic, false))?.toString()).toBe('1,a,0.0');
    expect(await codec.decode(Buffer.from('1,a'), topic, false)).toBe('1,a');
    // ksqlDB's runner compares DELIMITED keys as text too.
    expect(await codec.decode(Buffer.from('5'), topic, true)).toBe('5');
    const json = layout(side('JSON'), side('JSON'));
    expect((await codec.encode(parseJsonText('{"A":1.10}'), json, false))?.toString()).toBe('{"A":1.10}');
    expect(await codec.encode(null, json, false)).toBeNull();
    expect(await codec.decode(null, json, false)).toBeNull();
  });

  it('says which formats it cannot handle', async () => {
    const topic = layout(side('KAFKA'), side('XML'));
    await expect(codec.encode(parseJsonText('{}'), topic, false)).rejects.toThrow(/cannot write XML/);
  });

  it('appends and splits windows as Kafka Streams lays them out', () => {
    const key = Buffer.from('k');
    const time = windowedKey(key, { start: 1000, end: 2000, type: 'TIME' });
    expect(time.length).toBe(9);
    expect(splitWindowedKey(time, 'TUMBLING', 1000)).toEqual({
      key,
      window: { start: 1000, end: 2000, type: 'TIME' },
    });
    const session = windowedKey(key, { start: 10, end: 20, type: 'SESSION' });
    expect(splitWindowedKey(session, 'SESSION', undefined)).toEqual({
      key,
      window: { start: 10, end: 20, type: 'SESSION' },
    });
  });

  it('reads window sizes from the statement', () => {
    expect(windowSizeOf('SELECT ... WINDOW TUMBLING (SIZE 30 SECONDS, GRACE PERIOD 1 MINUTE)')).toBe(30_000);
    expect(windowSizeOf('WINDOW HOPPING (SIZE 1 MINUTE, ADVANCE BY 10 SECONDS)')).toBe(60_000);
    expect(windowSizeOf('WINDOW SESSION (30 SECONDS)')).toBeUndefined();
  });
});

describe('codecs with the schema registry', () => {
  let stack: Awaited<ReturnType<typeof startBrokerAndRegistry>>;
  let registry: RegistryClient;

  beforeAll(async () => {
    stack = await startBrokerAndRegistry();
    registry = new RegistryClient(stack.registry.url);
    await registry.allowAnySchema();
  });
  afterAll(async () => stack?.stop());

  it('writes AVRO with the latest schema of the subject, matching field names case-insensitively', async () => {
    const schema = {
      type: 'record',
      name: 'KsqlDataSourceSchema',
      namespace: 'io.confluent.ksql.avro_schemas',
      fields: [
        { name: 'ID', type: ['null', 'long'], default: null },
        { name: 'PRICE', type: ['null', { type: 'bytes', logicalType: 'decimal', precision: 4, scale: 2 }] },
        { name: 'TAGS', type: ['null', { type: 'array', items: ['null', 'string'] }] },
        { name: 'M', type: ['null', { type: 'map', values: ['null', 'int'] }] },
      ],
    };
    const id = await registry.register('avro_topic-value', JSON.stringify(schema), 'AVRO');
    const topic = layout(side('KAFKA', [['K', 'STRING']]), side('AVRO'), 'avro_topic');
    const codec = new RecordCodec(registry);
    const given = parseJsonText('{"id":5,"price":"-1.50","tags":["a",null],"m":{"x":1}}');
    const bytes = await codec.encode(given, topic, false);
    expect(bytes?.readUInt8(0)).toBe(0);
    expect(bytes?.readInt32BE(1)).toBe(id);
    // Readable by an independent Avro reader.
    const decoded = avro.Type.forSchema(schema as avro.Schema, { wrapUnions: true }).fromBuffer(
      bytes!.subarray(5),
    );
    expect(decoded.ID).toEqual({ long: 5 });
    const roundTrip = await codec.decode(bytes, topic, false);
    expect(
      firstDifference(parseJsonText('{"ID":5,"PRICE":"-1.50","TAGS":["a",null],"M":{"x":1}}'), roundTrip),
    ).toBeUndefined();
  });

  it('writes anonymous primitives and JSON_SR with the magic byte and id', async () => {
    await registry.register('prim-value', '"int"', 'AVRO');
    const codec = new RecordCodec(registry);
    const prim = layout(side('KAFKA'), side('AVRO'), 'prim');
    const bytes = await codec.encode(parseJsonText('10'), prim, false);
    expect(firstDifference(parseJsonText('10'), await codec.decode(bytes, prim, false))).toBeUndefined();
    const id = await registry.register('sr-value', JSON.stringify({ type: 'object' }), 'JSON');
    const sr = layout(side('KAFKA'), side('JSON_SR'), 'sr');
    const srBytes = await codec.encode(parseJsonText('{"A":1}'), sr, false);
    expect(srBytes?.readInt32BE(1)).toBe(id);
    expect(firstDifference(parseJsonText('{"A":1}'), await codec.decode(srBytes, sr, false))).toBeUndefined();
  });

  it('writes PROTOBUF with the message index, decimals as confluent.type.Decimal, and reads defaults back', async () => {
    const proto =
      'syntax = "proto3"; import "confluent/type/decimal.proto"; message ConfluentDefault1 {bool c1 = 1; ' +
      'int32 c2 = 2; int64 c3 = 3; double c4 = 4; string c5 = 5; confluent.type.Decimal c6 = 6 ' +
      '[(confluent.field_meta) = { params: [{ value: "4", key: "precision" }, { value: "2", key: "scale" }]}];}';
    const id = await registry.register('pb-value', proto, 'PROTOBUF');
    const codec = new RecordCodec(registry);
    const topic = layout(side('KAFKA'), side('PROTOBUF'), 'pb');
    const given = parseJsonText(
      '{"c1":true,"c2":1,"c3":400000000000,"c4":1.284765648,"C5":"hello","c6":10.01}',
    );
    const bytes = await codec.encode(given, topic, false);
    expect(bytes?.readInt32BE(1)).toBe(id);
    expect(bytes?.readUInt8(5)).toBe(0);
    const back = await codec.decode(bytes, topic, false);
    expect(
      firstDifference(
        parseJsonText('{"c1":true,"c2":1,"c3":400000000000,"c4":1.284765648,"c5":"hello","c6":10.01}'),
        back,
      ),
    ).toBeUndefined();
    const empty = await codec.decode(await codec.encode(parseJsonText('{}'), topic, false), topic, false);
    expect(
      firstDifference(parseJsonText('{"c1":false,"c2":0,"c3":0,"c4":0,"c5":"","c6":null}'), empty),
    ).toBeUndefined();
  });

  it('writes PROTOBUF_NOSR from the columns', async () => {
    const codec = new RecordCodec(undefined);
    const topic = layout(
      side('KAFKA'),
      side('PROTOBUF_NOSR', [
        ['ID', 'BIGINT'],
        ['NAME', 'STRING'],
      ]),
    );
    const bytes = await codec.encode(parseJsonText('{"id":5,"name":"a"}'), topic, false);
    expect(
      firstDifference(parseJsonText('{"ID":5,"NAME":"a"}'), await codec.decode(bytes, topic, false)),
    ).toBeUndefined();
  });

  it('writes PROTOBUF_NOSR arrays, maps, structs, decimals and temporal types from DESCRIBE schemas', async () => {
    const codec = new RecordCodec(undefined);
    const scalar = (type: string) => ({ type, fields: null, memberSchema: null });
    const columns = [
      { name: 'IDS', type: 'ARRAY', schema: { type: 'ARRAY', fields: null, memberSchema: scalar('BIGINT') } },
      { name: 'AT', type: 'MAP', schema: { type: 'MAP', fields: null, memberSchema: scalar('TIMESTAMP') } },
      {
        name: 'S',
        type: 'STRUCT',
        schema: { type: 'STRUCT', fields: [{ name: 'D', schema: scalar('DATE') }], memberSchema: null },
      },
      {
        name: 'PRICE',
        type: 'DECIMAL(4, 2)',
        schema: { ...scalar('DECIMAL'), parameters: { precision: 4, scale: 2 } },
      },
      { name: 'T', type: 'TIME', schema: scalar('TIME') },
    ];
    const topic = layout(side('KAFKA'), { format: 'PROTOBUF_NOSR', columns, wrapped: true });
    const value = '{"IDS":[2147483648,1],"AT":{"a":10},"S":{"D":19000},"PRICE":12.30,"T":3723004}';
    const bytes = await codec.encode(parseJsonText(value), topic, false);
    const decoded = await codec.decode(bytes, topic, false);
    expect(firstDifference(parseJsonText(value), decoded)).toBeUndefined();
  });

  it('registers a case schema under the id it names, with its references', async () => {
    const id = await registry.register(
      'refs-value',
      'syntax = "proto3"; import "event.proto"; message Logistics { Event event = 1; }',
      'PROTOBUF',
      {
        id: 4242,
        references: [
          {
            name: 'event.proto',
            schema: 'syntax = "proto3"; message Event { int64 t = 1; }',
            schemaType: 'PROTOBUF',
          },
        ],
      },
    );
    expect(id).toBe(4242);
    expect((await registry.latest('refs-value'))?.id).toBe(4242);
  });

  it('explains a missing subject', async () => {
    const codec = new RecordCodec(registry);
    await expect(
      codec.encode(parseJsonText('1'), layout(side('KAFKA'), side('AVRO'), 'none'), false),
    ).rejects.toThrow(/no schema registered for none-value/);
  });
});
