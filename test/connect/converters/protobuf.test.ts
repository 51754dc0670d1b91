// ProtobufConverter against a real broker and Venice registry: Connect data written as proto3 and read back,
// a .proto another producer registered read into Connect schemas, and bytes it cannot read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGICAL_TYPES } from '../../../src/connect/api/data.js';
import { ConversionError } from '../../../src/connect/api/errors.js';
import { SchemaRegistryClient, Serdes } from '../../../src/serdes/index.js';
import { startBrokerAndRegistry } from '../../registry/helpers.js';
import { ORDER_SCHEMA, ORDER_VALUE, converterFor } from './helpers.js';

let stack: Awaited<ReturnType<typeof startBrokerAndRegistry>>;
let client: SchemaRegistryClient;

beforeAll(async () => {
  stack = await startBrokerAndRegistry();
  client = new SchemaRegistryClient({ url: stack.registry.url });
});
afterAll(async () => {
  await stack?.stop();
});

describe('ProtobufConverter', () => {
  it('writes Connect data as proto3 with a registered schema and reads it back', async () => {
    const converter = converterFor('io.confluent.connect.protobuf.ProtobufConverter', stack.registry.url);
    const bytes = await converter.fromConnectData('srctest-proto', ORDER_SCHEMA, ORDER_VALUE);
    expect(bytes?.[0]).toBe(0);
    const registered = await client.getLatest('srctest-proto-value');
    expect(registered.schemaType).toBe('PROTOBUF');
    expect(registered.schema).toContain('message Order');
    expect(registered.references.map((reference) => reference.name).sort()).toEqual([
      'confluent/type/decimal.proto',
      'google/type/date.proto',
    ]);

    const back = await converter.toConnectData('srctest-proto', bytes, []);
    expect(back.schema?.name).toBe('srctest.Order');
    expect(back.value).toEqual(ORDER_VALUE);
    expect(
      back.schema?.fields?.map((field) => [field.name, field.schema.type, field.schema.optional]),
    ).toEqual(
      ORDER_SCHEMA.fields?.map((field) => [
        field.name,
        field.schema.type,
        // Messages (logical types, structs) are optional in Protobuf whatever the Connect schema said.
        field.schema.optional || field.schema.type === 'struct' || field.schema.name !== undefined,
      ]),
    );
  });

  it('reads a .proto another producer registered', async () => {
    const serdes = new Serdes(client);
    const schema = `syntax = "proto3";
package srctest.shop;
import "google/protobuf/timestamp.proto";
import "google/protobuf/wrappers.proto";
message Item {
  enum Kind { BOOK = 0; GAME = 1; }
  string sku = 1;
  uint32 qty = 2;
  sint64 delta = 3;
  float weight = 4;
  Kind kind = 5;
  repeated int32 sizes = 6;
  map<int32, string> labels = 7;
  google.protobuf.Timestamp at = 8;
  google.protobuf.StringValue maybe = 9;
  optional bool gift = 10;
}`;
    const bytes = await serdes.serialize(
      'srctest-proto-foreign',
      {
        sku: 'A1',
        qty: 4,
        delta: '-5',
        weight: 0.5,
        kind: 'GAME',
        sizes: [1, 2],
        labels: { 7: 'seven' },
        at: { seconds: '1700000000', nanos: 5_000_000 },
        maybe: { value: 'here' },
      },
      { schemaType: 'PROTOBUF', schema },
    );
    const read = await converterFor('ProtobufConverter', stack.registry.url).toConnectData(
      'srctest-proto-foreign',
      bytes,
      [],
    );
    expect(read.schema?.name).toBe('srctest.shop.Item');
    expect(
      read.schema?.fields?.map((field) => [
        field.name,
        field.schema.type,
        field.schema.optional,
        field.schema.name,
      ]),
    ).toEqual([
      ['sku', 'string', false, undefined],
      ['qty', 'int64', false, undefined],
      ['delta', 'int64', false, undefined],
      ['weight', 'float32', false, undefined],
      ['kind', 'string', false, 'srctest.shop.Item.Kind'],
      ['sizes', 'array', false, undefined],
      ['labels', 'map', false, undefined],
      ['at', 'int64', true, LOGICAL_TYPES.timestamp],
      ['maybe', 'string', true, undefined],
      ['gift', 'boolean', true, undefined],
    ]);
    expect(read.value).toEqual({
      sku: 'A1',
      qty: 4n,
      delta: -5n,
      weight: 0.5,
      kind: 'GAME',
      sizes: [1, 2],
      labels: new Map([[7, 'seven']]),
      at: new Date(1_700_000_000_005),
      maybe: 'here',
      gift: null,
    });
  });

  it('refuses what it cannot read or write with a message saying why', async () => {
    const converter = converterFor('ProtobufConverter', stack.registry.url);
    await expect(
      converter.toConnectData('srctest-proto', Buffer.from([1, 2, 3, 4, 5, 6]), []),
    ).rejects.toThrow(/magic byte 0/);
    await expect(
      converter.fromConnectData('srctest-proto', { type: 'string', optional: false }, 'x'),
    ).rejects.toThrow(ConversionError);
  });
});
