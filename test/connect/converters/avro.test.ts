// AvroConverter against a real broker and Venice registry: every Avro type read into Connect data, Connect
// data written and read back, subject naming, and the errors for bytes it cannot read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findConverterPlugin } from '../../../src/connect/converters/index.js';
import { LOGICAL_TYPES, type ConnectSchema } from '../../../src/connect/api/data.js';
import { ConnectConfigError, ConversionError, RetriableError } from '../../../src/connect/api/errors.js';
import type { Converter } from '../../../src/connect/api/converter.js';
import { SchemaRegistryClient, Serdes } from '../../../src/serdes/index.js';
import { startBrokerAndRegistry } from '../../registry/helpers.js';

let stack: Awaited<ReturnType<typeof startBrokerAndRegistry>>;
let client: SchemaRegistryClient;
let serdes: Serdes;

beforeAll(async () => {
  stack = await startBrokerAndRegistry();
  client = new SchemaRegistryClient({ url: stack.registry.url });
  serdes = new Serdes(client);
});
afterAll(async () => {
  await stack?.stop();
});

function avroConverter(settings: Record<string, string> = {}, isKey = false): Converter {
  const plugin = findConverterPlugin('io.confluent.connect.avro.AvroConverter');
  if (!plugin) throw new Error('AvroConverter is not registered');
  return plugin.create({ 'schema.registry.url': stack.registry.url, ...settings }, isKey, {});
}

const EVERY_TYPE = {
  type: 'record',
  name: 'Everything',
  namespace: 'srctest.avro',
  doc: 'one field of each kind',
  fields: [
    { name: 'flag', type: 'boolean' },
    { name: 'small', type: 'int' },
    { name: 'big', type: 'long' },
    { name: 'ratio', type: 'float' },
    { name: 'precise', type: 'double' },
    { name: 'raw', type: 'bytes' },
    { name: 'text', type: 'string' },
    { name: 'maybe', type: ['null', 'string'], default: null },
    { name: 'color', type: { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN'] } },
    { name: 'digest', type: { type: 'fixed', name: 'Digest', size: 4 } },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'counts', type: { type: 'map', values: 'long' } },
    {
      name: 'address',
      type: { type: 'record', name: 'Address', fields: [{ name: 'city', type: 'string' }] },
    },
    { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'clock', type: { type: 'int', logicalType: 'time-millis' } },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'either', type: ['int', 'string', 'null'] },
    { name: 'wrapped', type: ['int', 'double'] },
    { name: 'choice', type: ['string', 'Address'] },
  ],
};

describe('AvroConverter', () => {
  it('is found by class name and alias, and needs a registry', () => {
    expect(findConverterPlugin('AvroConverter')).toBe(
      findConverterPlugin('io.confluent.connect.avro.AvroConverter'),
    );
    const plugin = findConverterPlugin('avroconverter');
    expect(() => plugin?.create({}, false, {})).toThrow(ConnectConfigError);
    expect(() => plugin?.create({}, false, {})).toThrow(/schema\.registry\.url/);
    // The worker's registry is the fallback.
    expect(plugin?.create({}, false, { schemaRegistryUrl: 'http://127.0.0.1:1' })).toBeDefined();
    expect(() =>
      plugin?.create({ 'schema.registry.url': 'http://x', 'value.subject.name.strategy': 'Nope' }, false, {}),
    ).toThrow(/subject name strategy/);
  });

  it('reads every Avro type as Connect data', async () => {
    const value = {
      flag: true,
      small: -7,
      big: 2n ** 60n,
      ratio: 1.5,
      precise: 2.25,
      raw: Buffer.from([1, 2, 3]),
      text: 'hello',
      maybe: null,
      color: 'GREEN',
      digest: Buffer.from([9, 9, 9, 9]),
      tags: ['a', 'b'],
      counts: { x: 1, y: 2 },
      address: { city: 'Venice' },
      price: Buffer.from([0x30, 0x39]), // 12345 unscaled: 123.45
      day: 19_000,
      clock: 3_723_000,
      at: 1_700_000_000_123,
      either: 5,
      choice: { city: 'Mestre' },
      wrapped: { double: 0.25 },
    };
    const bytes = await serdes.serialize('srctest-every', value, { schema: JSON.stringify(EVERY_TYPE) });
    const { schema, value: data } = await avroConverter().toConnectData('srctest-every', bytes, []);
    expect(schema?.type).toBe('struct');
    expect(schema?.name).toBe('srctest.avro.Everything');
    expect(schema?.doc).toBe('one field of each kind');
    const field = (name: string): ConnectSchema => {
      const found = schema?.fields?.find((candidate) => candidate.name === name);
      if (!found) throw new Error(`no field ${name}`);
      return found.schema;
    };
    expect(field('flag')).toMatchObject({ type: 'boolean', optional: false });
    expect(field('small').type).toBe('int32');
    expect(field('big').type).toBe('int64');
    expect(field('ratio').type).toBe('float32');
    expect(field('precise').type).toBe('float64');
    expect(field('raw').type).toBe('bytes');
    expect(field('text').type).toBe('string');
    expect(field('maybe')).toMatchObject({ type: 'string', optional: true });
    expect(field('color')).toMatchObject({ type: 'string', name: 'srctest.avro.Color' });
    expect(field('color').parameters?.['io.confluent.connect.avro.Enum.RED']).toBe('RED');
    expect(field('digest')).toMatchObject({ type: 'bytes', parameters: { 'connect.fixed.size': '4' } });
    expect(field('tags')).toMatchObject({ type: 'array', valueSchema: { type: 'string' } });
    expect(field('counts')).toMatchObject({
      type: 'map',
      keySchema: { type: 'string' },
      valueSchema: { type: 'int64' },
    });
    expect(field('address')).toMatchObject({ type: 'struct', name: 'srctest.avro.Address' });
    expect(field('price')).toMatchObject({
      type: 'bytes',
      name: LOGICAL_TYPES.decimal,
      parameters: { scale: '2', 'connect.decimal.precision': '10' },
    });
    expect(field('day')).toMatchObject({ type: 'int32', name: LOGICAL_TYPES.date });
    expect(field('clock')).toMatchObject({ type: 'int32', name: LOGICAL_TYPES.time });
    expect(field('at')).toMatchObject({ type: 'int64', name: LOGICAL_TYPES.timestamp });
    expect(field('either')).toMatchObject({
      type: 'struct',
      name: 'io.confluent.connect.avro.Union',
      optional: true,
    });
    expect(field('choice').fields?.map((member) => member.name)).toEqual(['string', 'Address']);

    expect(data).toEqual({
      flag: true,
      small: -7,
      big: 2n ** 60n,
      ratio: 1.5,
      precise: 2.25,
      raw: Buffer.from([1, 2, 3]),
      text: 'hello',
      maybe: null,
      color: 'GREEN',
      digest: Buffer.from([9, 9, 9, 9]),
      tags: ['a', 'b'],
      counts: new Map([
        ['x', 1n],
        ['y', 2n],
      ]),
      address: { city: 'Venice' },
      price: '123.45',
      day: new Date(19_000 * 86_400_000),
      clock: new Date(3_723_000),
      at: new Date(1_700_000_000_123),
      either: { int: 5, string: null },
      choice: { string: null, Address: { city: 'Mestre' } },
      wrapped: { int: null, double: 0.25 },
    });
  });

  it('writes Connect data and reads it back unchanged', async () => {
    const schema: ConnectSchema = {
      type: 'struct',
      optional: false,
      name: 'srctest.Order',
      fields: [
        { name: 'id', index: 0, schema: { type: 'int64', optional: false } },
        { name: 'tiny', index: 1, schema: { type: 'int8', optional: false } },
        { name: 'short', index: 2, schema: { type: 'int16', optional: false } },
        { name: 'note', index: 3, schema: { type: 'string', optional: true } },
        {
          name: 'amount',
          index: 4,
          schema: {
            type: 'bytes',
            optional: false,
            name: LOGICAL_TYPES.decimal,
            version: 1,
            parameters: { scale: '3' },
          },
        },
        {
          name: 'placed',
          index: 5,
          schema: { type: 'int64', optional: false, name: LOGICAL_TYPES.timestamp, version: 1 },
        },
        {
          name: 'due',
          index: 6,
          schema: { type: 'int32', optional: true, name: LOGICAL_TYPES.date, version: 1 },
        },
        {
          name: 'byCode',
          index: 7,
          schema: {
            type: 'map',
            optional: false,
            keySchema: { type: 'int32', optional: false },
            valueSchema: { type: 'string', optional: false },
          },
        },
        {
          name: 'lines',
          index: 8,
          schema: {
            type: 'array',
            optional: false,
            valueSchema: {
              type: 'struct',
              optional: false,
              fields: [
                { name: 'sku', index: 0, schema: { type: 'string', optional: false } },
                { name: 'qty', index: 1, schema: { type: 'float64', optional: false } },
              ],
            },
          },
        },
        { name: 'blob', index: 9, schema: { type: 'bytes', optional: true } },
        { name: 'ok', index: 10, schema: { type: 'boolean', optional: false } },
        { name: 'weight', index: 11, schema: { type: 'float32', optional: false } },
      ],
    };
    const value = {
      id: 42n,
      tiny: -3,
      short: 300,
      note: null,
      amount: '-12.500',
      placed: new Date(1_700_000_000_000),
      due: new Date(Date.UTC(2026, 11, 5)),
      byCode: new Map([
        [1, 'one'],
        [2, 'two'],
      ]),
      lines: [
        { sku: 'A', qty: 1.5 },
        { sku: 'B', qty: 2 },
      ],
      blob: new Uint8Array([0, 255]),
      ok: false,
      weight: 0.5,
    };
    const converter = avroConverter();
    const bytes = await converter.fromConnectData('srctest-orders', schema, value);
    expect(bytes?.[0]).toBe(0);
    expect(await client.versions('srctest-orders-value')).toEqual([1]);
    const back = await converter.toConnectData('srctest-orders', bytes, []);
    expect(back.value).toEqual({ ...value, blob: Buffer.from([0, 255]) });
    expect(back.schema?.name).toBe('srctest.Order');
    expect(
      back.schema?.fields?.map((field) => [field.name, field.schema.type, field.schema.optional]),
    ).toEqual(schema.fields?.map((field) => [field.name, field.schema.type, field.schema.optional]));
    // A tombstone stays null both ways.
    expect(await converter.fromConnectData('srctest-orders', schema, null)).toBeNull();
    expect(await converter.toConnectData('srctest-orders', null, [])).toEqual({ schema: null, value: null });
  });

  it('names subjects by the configured strategy, and registers only when allowed', async () => {
    const schema: ConnectSchema = {
      type: 'struct',
      optional: false,
      name: 'srctest.Named',
      fields: [{ name: 'n', index: 0, schema: { type: 'int32', optional: false } }],
    };
    await avroConverter({
      'value.subject.name.strategy': 'io.confluent.kafka.serializers.subject.RecordNameStrategy',
    }).fromConnectData('srctest-a', schema, { n: 1 });
    await avroConverter({ 'key.subject.name.strategy': 'TopicRecordNameStrategy' }, true).fromConnectData(
      'srctest-a',
      schema,
      { n: 1 },
    );
    const subjects = await client.subjects();
    expect(subjects).toContain('srctest.Named');
    expect(subjects).toContain('srctest-a-srctest.Named');

    const noRegister = avroConverter({ 'auto.register.schemas': 'false' });
    await expect(noRegister.fromConnectData('srctest-unregistered', schema, { n: 1 })).rejects.toThrow(
      ConversionError,
    );

    // use.latest.version: writes with the subject's latest schema, whatever this record's schema says.
    await client.register('srctest-latest-value', {
      schemaType: 'AVRO',
      schema: JSON.stringify({
        type: 'record',
        name: 'Named',
        namespace: 'srctest',
        fields: [
          { name: 'n', type: 'int' },
          { name: 'extra', type: 'string', default: 'x' },
        ],
      }),
    });
    const latest = avroConverter({ 'auto.register.schemas': 'false', 'use.latest.version': 'true' });
    const bytes = await latest.fromConnectData('srctest-latest', schema, { n: 5 });
    const read = await latest.toConnectData('srctest-latest', bytes, []);
    expect(read.value).toEqual({ n: 5, extra: 'x' });
  });

  it('refuses bytes it cannot read with a message saying what it expected', async () => {
    const converter = avroConverter();
    const plain = converter.toConnectData('srctest-bad', Buffer.from('{"a":1}'), []);
    await expect(plain).rejects.toBeInstanceOf(ConversionError);
    await expect(plain).rejects.toThrow(/magic byte 0/);
    const unknownId = Buffer.from([0, 0, 0, 0x7f, 0x7f, 2]);
    await expect(converter.toConnectData('srctest-bad', unknownId, [])).rejects.toThrow(ConversionError);
    await expect(converter.toConnectData('srctest-bad', unknownId, [])).rejects.toThrow(/32639/);
    const jsonBytes = await serdes.serialize(
      'srctest-bad-json',
      { a: 1 },
      {
        schemaType: 'JSON',
        schema: '{"type":"object"}',
      },
    );
    await expect(converter.toConnectData('srctest-bad-json', jsonBytes, [])).rejects.toThrow(
      /is JSON, not AVRO/,
    );
    const schema: ConnectSchema = {
      type: 'struct',
      optional: false,
      fields: [{ name: 'n', index: 0, schema: { type: 'int32', optional: false } }],
    };
    await expect(converter.fromConnectData('srctest-bad', schema, { n: 'seven' })).rejects.toThrow(
      /\(root\)\.n/,
    );
    await expect(converter.fromConnectData('srctest-bad', null, { free: 'form' })).rejects.toThrow(
      ConversionError,
    );
  });

  it('reports an unreachable registry as a retriable failure', async () => {
    const plugin = findConverterPlugin('AvroConverter');
    const down = plugin?.create({ 'schema.registry.url': 'http://127.0.0.1:1' }, false, {}) as Converter;
    await expect(down.toConnectData('t', Buffer.from([0, 0, 0, 0, 1, 0]), [])).rejects.toBeInstanceOf(
      RetriableError,
    );
    await expect(down.fromConnectData('t', { type: 'string', optional: false }, 'x')).rejects.toBeInstanceOf(
      RetriableError,
    );
  });
});
