import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  decodeMessageIndexes,
  decodePayload,
  decodeProtobufWithIndexes,
  decodeWire,
  encodeMessageIndexes,
  encodePayload,
  encodeWire,
  messageIndexesOf,
  parseSchema,
  SerializationError,
  WireFormatError,
} from '../../src/serdes/index.js';

const require = createRequire(import.meta.url);

describe('wire format', () => {
  it('frames a payload with magic byte 0 and a big-endian schema id', () => {
    const framed = encodeWire(0x01020304, Buffer.from([0xaa, 0xbb]));
    expect([...framed]).toEqual([0, 1, 2, 3, 4, 0xaa, 0xbb]);
    expect(decodeWire(framed)).toEqual({ schemaId: 0x01020304, payload: Buffer.from([0xaa, 0xbb]) });
  });

  it('rejects a wrong magic byte, short input and bad ids', () => {
    expect(() => decodeWire(Buffer.from([1, 0, 0, 0, 1, 9]))).toThrow(/magic byte 1/);
    expect(() => decodeWire(Buffer.from([0, 0, 1]))).toThrow(WireFormatError);
    expect(() => encodeWire(-1, Buffer.alloc(0))).toThrow(WireFormatError);
  });

  it('encodes message indexes as zigzag varints, with the single 0 shortcut for the first message', () => {
    expect([...encodeMessageIndexes([0])]).toEqual([0]);
    expect([...encodeMessageIndexes([1])]).toEqual([2, 2]);
    expect([...encodeMessageIndexes([1, 0])]).toEqual([4, 2, 0]);
    expect([...encodeMessageIndexes([0, 70])]).toEqual([4, 0, 0x8c, 0x01]);
    for (const indexes of [[0], [3], [1, 0], [0, 2, 5], [200]]) {
      const bytes = Buffer.concat([encodeMessageIndexes(indexes), Buffer.from([0x08, 0x01])]);
      const decoded = decodeMessageIndexes(bytes);
      expect(decoded.indexes).toEqual(indexes);
      expect(bytes.subarray(decoded.next)).toEqual(Buffer.from([0x08, 0x01]));
    }
  });
});

const AVRO_USER =
  '{"type":"record","name":"User","namespace":"com.example","fields":[{"name":"id","type":"long"},{"name":"name","type":"string"},{"name":"tags","type":{"type":"array","items":"string"}},{"name":"nick","type":["null","string"],"default":null}]}';
const JSON_USER =
  '{"$schema":"http://json-schema.org/draft-07/schema#","title":"User","type":"object","properties":{"id":{"type":"integer"},"email":{"type":"string","format":"email"}},"required":["id"]}';
const PROTO_SHOP = `syntax = "proto3";
package shop;
message Order { string id = 1; Line first = 2; message Line { string sku = 1; int32 quantity = 2; } }
enum Kind { KIND_UNKNOWN = 0; KIND_GIFT = 1; }
message Customer { string name = 1; Kind kind = 2; message Address { string city = 1; message Geo { double lat = 1; } } }`;

describe('round trips through the wire format', () => {
  it('Avro', () => {
    const schema = parseSchema('AVRO', AVRO_USER);
    const value = { id: 42, name: 'Ada', tags: ['a', 'b'], nick: 'ada' };
    const framed = encodeWire(7, encodePayload(schema, value).payload);
    const { schemaId, payload } = decodeWire(framed);
    expect(schemaId).toBe(7);
    expect(decodePayload(schema, payload)).toEqual(value);
  });

  it('Avro longs beyond 2^53 come back exactly, as bigint', () => {
    const schema = parseSchema('AVRO', AVRO_USER);
    const value = { id: 2n ** 62n + 1n, name: 'x', tags: [], nick: null };
    expect(decodePayload(schema, encodePayload(schema, value).payload)).toEqual(value);
  });

  it('Avro rejects values that do not match, saying where', () => {
    const schema = parseSchema('AVRO', AVRO_USER);
    expect(() => encodePayload(schema, { id: 1, name: 5, tags: [], nick: null })).toThrow(SerializationError);
    expect(() => encodePayload(schema, { id: 1, name: 5, tags: [], nick: null })).toThrow(
      /name: 5 is not a valid string/,
    );
  });

  it('Avro reads old data with a newer reader schema', () => {
    const writer = parseSchema('AVRO', '{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}');
    const reader = parseSchema(
      'AVRO',
      '{"type":"record","name":"R","fields":[{"name":"a","type":"long"},{"name":"b","type":"string","default":"none"}]}',
    );
    const { payload } = encodePayload(writer, { a: 3 });
    expect(decodePayload(writer, payload, { readerSchema: reader })).toEqual({ a: 3, b: 'none' });
  });

  it('JSON Schema: validated on encode, optionally on decode', () => {
    const schema = parseSchema('JSON', JSON_USER);
    const value = { id: 1, email: 'ada@example.com' };
    const framed = encodeWire(9, encodePayload(schema, value).payload);
    expect(decodePayload(schema, decodeWire(framed).payload, { validate: true })).toEqual(value);
    expect(() => encodePayload(schema, { email: 'not-an-email' })).toThrow(/required property 'id'/);
    const bad = Buffer.from(JSON.stringify({ id: 'x' }));
    expect(decodePayload(schema, bad)).toEqual({ id: 'x' });
    expect(() => decodePayload(schema, bad, { validate: true })).toThrow(SerializationError);
  });

  it('JSON Schema 2020-12 is validated with its own dialect', () => {
    const schema = parseSchema(
      'JSON',
      '{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","prefixItems":[{"type":"string"}],"items":{"type":"number"}}',
    );
    expect(() => encodePayload(schema, ['a', 1, 2])).not.toThrow();
    expect(() => encodePayload(schema, ['a', 'b'])).toThrow(SerializationError);
  });

  it('Protobuf: first message by default, with the single 0 index', () => {
    const schema = parseSchema('PROTOBUF', PROTO_SHOP);
    const encoded = encodePayload(schema, { id: 'o1', first: { sku: 'A', quantity: 2 } });
    expect(encoded.messageIndexes).toEqual([0]);
    const framed = encodeWire(3, encoded.payload, encoded.messageIndexes);
    expect(framed[5]).toBe(0);
    const { schemaId, messageIndexes, payload } = decodeWire(framed, { messageIndexes: true });
    expect({ schemaId, messageIndexes }).toEqual({ schemaId: 3, messageIndexes: [0] });
    expect(decodePayload(schema, payload, { messageIndexes })).toEqual({
      id: 'o1',
      first: { sku: 'A', quantity: 2 },
    });
  });

  it('Protobuf: nested and non-first messages get their index paths (enums do not count)', () => {
    const schema = parseSchema('PROTOBUF', PROTO_SHOP);
    const detail = (name: string): number[] =>
      encodePayload(schema, {}, { messageName: name }).messageIndexes ?? [];
    expect(detail('shop.Order.Line')).toEqual([0, 0]);
    expect(detail('shop.Customer')).toEqual([1]);
    expect(detail('shop.Customer.Address.Geo')).toEqual([1, 0, 0]);

    const encoded = encodePayload(
      schema,
      { name: 'Ada', kind: 'KIND_GIFT' },
      { messageName: 'shop.Customer' },
    );
    const framed = encodeWire(4, encoded.payload, encoded.messageIndexes);
    expect([...framed.subarray(5, 7)]).toEqual([2, 2]);
    const unframed = decodeWire(framed, { messageIndexes: true });
    expect(decodePayload(schema, unframed.payload, { messageIndexes: unframed.messageIndexes })).toEqual({
      name: 'Ada',
      kind: 'KIND_GIFT',
    });
    expect(() => encodePayload(schema, {}, { messageName: 'shop.Nope' })).toThrow(/shop\.Nope/);
  });

  it('Protobuf: messageIndexesOf walks the file definitions', () => {
    const schema = parseSchema('PROTOBUF', PROTO_SHOP);
    const geo = encodePayload(schema, { lat: 45.4 }, { messageName: '.shop.Customer.Address.Geo' });
    expect(geo.messageIndexes).toEqual([1, 0, 0]);
    expect(typeof messageIndexesOf).toBe('function');
  });
});

/** The npm client's own encoders and decoders, used without a registry. */
interface KafkajsWire {
  encode(registryId: number, payload: Buffer): Buffer;
}
interface KafkajsSchema {
  toBuffer(value: unknown): Buffer;
  fromBuffer(buffer: Buffer): unknown;
}

describe('interop with @kafkajs/confluent-schema-registry 3.9 (no registry needed)', () => {
  const wireEncoder = require('@kafkajs/confluent-schema-registry/dist/wireEncoder') as KafkajsWire;
  const wireDecoder = (
    require('@kafkajs/confluent-schema-registry/dist/wireDecoder') as {
      default: (buffer: Buffer) => { registryId: number; payload: Buffer };
    }
  ).default;
  const AvroHelper = (
    require('@kafkajs/confluent-schema-registry/dist/AvroHelper') as {
      default: new () => { getAvroSchema(schema: unknown): KafkajsSchema };
    }
  ).default;
  const JsonSchema = (
    require('@kafkajs/confluent-schema-registry/dist/JsonSchema') as {
      default: new (schema: unknown) => KafkajsSchema;
    }
  ).default;
  const ProtoSchema = (
    require('@kafkajs/confluent-schema-registry/dist/ProtoSchema') as {
      default: new (schema: unknown, opts?: unknown) => KafkajsSchema;
    }
  ).default;

  it('Avro both ways', () => {
    const ours = parseSchema('AVRO', AVRO_USER);
    const theirs = new AvroHelper().getAvroSchema({ type: 'AVRO', schema: AVRO_USER });
    const value = { id: 5, name: 'Ada', tags: ['x'], nick: null };
    const framed = encodeWire(11, encodePayload(ours, value).payload);
    const unframed = wireDecoder(framed);
    expect(unframed.registryId).toBe(11);
    expect(theirs.fromBuffer(unframed.payload)).toEqual(value);

    const theirFramed = wireEncoder.encode(12, theirs.toBuffer(value));
    const { schemaId, payload } = decodeWire(theirFramed);
    expect(schemaId).toBe(12);
    expect(decodePayload(ours, payload)).toEqual(value);
  });

  it('JSON Schema both ways', () => {
    const ours = parseSchema('JSON', JSON_USER);
    const theirs = new JsonSchema({ type: 'JSON', schema: JSON_USER.replace(',"format":"email"', '') });
    const value = { id: 3, email: 'ada@example.com' };
    expect(theirs.fromBuffer(wireDecoder(encodeWire(1, encodePayload(ours, value).payload)).payload)).toEqual(
      value,
    );
    const theirFramed = wireEncoder.encode(2, theirs.toBuffer(value));
    expect(decodePayload(ours, decodeWire(theirFramed).payload, { validate: true })).toEqual(value);
  });

  it('Protobuf: they read our framing; we read theirs, which omits the message indexes', () => {
    const ours = parseSchema('PROTOBUF', PROTO_SHOP);
    const theirs = new ProtoSchema({ type: 'PROTOBUF', schema: PROTO_SHOP }, { messageName: 'Order' });
    const value = { id: 'o-9', first: { sku: 'B', quantity: 3 } };
    const encoded = encodePayload(ours, value);
    const framed = encodeWire(21, encoded.payload, encoded.messageIndexes);
    const decodedByThem = theirs.fromBuffer(wireDecoder(framed).payload) as { toJSON(): unknown };
    expect(decodedByThem.toJSON()).toEqual(value);

    const theirFramed = wireEncoder.encode(22, theirs.toBuffer(value));
    const { schemaId, payload } = decodeWire(theirFramed);
    expect(schemaId).toBe(22);
    expect(decodeProtobufWithIndexes(ours, payload)).toEqual({ value, messageIndexes: [0] });
  });
});
