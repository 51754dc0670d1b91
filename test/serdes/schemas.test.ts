import { describe, expect, it } from 'vitest';
import {
  checkCompatibility,
  decodePayload,
  encodePayload,
  InvalidSchemaError,
  parseSchema,
  type ResolvedReference,
} from '../../src/serdes/index.js';

describe('canonical forms', () => {
  it('Avro: whitespace, attribute order, namespaces and primitive spelling do not matter', () => {
    const a = parseSchema(
      'AVRO',
      '{"type":"record","name":"User","namespace":"com.example","fields":[{"name":"id","type":"int"},{"name":"tags","type":{"type":"array","items":"string"}}]}',
    );
    const b = parseSchema(
      'AVRO',
      `{
        "fields": [
          { "type": { "type": "int" }, "name": "id" },
          { "name": "tags", "type": { "items": { "type": "string" }, "type": "array" } }
        ],
        "name": "com.example.User",
        "type": "record"
      }`,
    );
    expect(a.canonical).toBe(b.canonical);
    expect(a.canonical).toBe(
      '{"type":"record","name":"com.example.User","fields":[{"name":"id","type":"int"},{"name":"tags","type":{"type":"array","items":"string"}}]}',
    );
  });

  it('Avro: defaults, docs, aliases and logical types are kept, so they make schemas differ', () => {
    const plain = parseSchema('AVRO', '{"type":"record","name":"R","fields":[{"name":"at","type":"long"}]}');
    const logical = parseSchema(
      'AVRO',
      '{"type":"record","name":"R","fields":[{"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}}]}',
    );
    const withDefault = parseSchema(
      'AVRO',
      '{"type":"record","name":"R","fields":[{"name":"at","type":"long","default":0}]}',
    );
    const withDoc = parseSchema(
      'AVRO',
      '{"type":"record","name":"R","doc":"why","fields":[{"name":"at","type":"long"}]}',
    );
    const canonicals = new Set([plain, logical, withDefault, withDoc].map((schema) => schema.canonical));
    expect(canonicals.size).toBe(4);
    expect(logical.canonical).toContain('"logicalType":"timestamp-millis"');
    expect(withDefault.canonical).toContain('"default":0');
  });

  it('JSON Schema: key order and whitespace do not matter, content does', () => {
    const a = parseSchema(
      'JSON',
      '{"type":"object","properties":{"a":{"type":"string","maxLength":3}},"required":["a"]}',
    );
    const b = parseSchema(
      'JSON',
      '{ "required": ["a"],\n "properties": { "a": { "maxLength": 3, "type": "string" } },\n "type": "object" }',
    );
    const c = parseSchema(
      'JSON',
      '{"type":"object","properties":{"a":{"type":"string","maxLength":4}},"required":["a"]}',
    );
    expect(a.canonical).toBe(b.canonical);
    expect(a.canonical).not.toBe(c.canonical);
    expect(a.canonical).not.toMatch(/\s/);
  });

  it('Protobuf: layout, comments, field order and name qualification do not matter', () => {
    const a = parseSchema(
      'PROTOBUF',
      `syntax = "proto3";
package foo;
// a comment
message TestMessage {
    .foo.TestMessage.Status status = 2;
    string test_string = 1 [deprecated = true];
    message Status { string text = 1; }
}`,
    );
    const b = parseSchema(
      'PROTOBUF',
      'syntax="proto3";package foo;message TestMessage{string test_string=1[deprecated=true];Status status=2;message Status{string text=1;}}',
    );
    expect(a.canonical).toBe(b.canonical);
    expect(a.canonical).toContain('string test_string = 1 [deprecated = true];');
    expect(a.canonical).toContain('.foo.TestMessage.Status status = 2;');
  });

  it('Protobuf: a different field or a different message order (message indexes change) is a different schema', () => {
    const base = parseSchema(
      'PROTOBUF',
      'syntax = "proto3"; message A { int32 x = 1; } message B { int32 y = 1; }',
    );
    const field = parseSchema(
      'PROTOBUF',
      'syntax = "proto3"; message A { int64 x = 1; } message B { int32 y = 1; }',
    );
    const order = parseSchema(
      'PROTOBUF',
      'syntax = "proto3"; message B { int32 y = 1; } message A { int32 x = 1; }',
    );
    expect(field.canonical).not.toBe(base.canonical);
    expect(order.canonical).not.toBe(base.canonical);
  });

  it('Protobuf: options, reserved ranges, maps, oneofs, enums and services survive normalization', () => {
    const text = `syntax = "proto3";
package shop.v1;
import "google/protobuf/timestamp.proto";
option java_package = "com.shop";
option optimize_for = SPEED;
enum Status { UNKNOWN = 0; PAID = 1; }
message Order {
  reserved 8 to 10, 15;
  reserved "legacy";
  string id = 1;
  map<string, int32> quantities = 2;
  oneof payment { string card = 3; string iban = 4; }
  optional Status status = 5;
  google.protobuf.Timestamp at = 6;
  repeated int64 amounts = 7 [packed = false];
}
service Orders { rpc Get(Order) returns (Order); }`;
    const parsed = parseSchema('PROTOBUF', text);
    expect(parsed.canonical).toContain('option java_package = "com.shop";');
    expect(parsed.canonical).toContain('option optimize_for = SPEED;');
    expect(parsed.canonical).toContain('reserved 8 to 10, 15;');
    expect(parsed.canonical).toContain('reserved "legacy";');
    expect(parsed.canonical).toContain('map<string, int32> quantities = 2;');
    expect(parsed.canonical).toContain('oneof payment {');
    expect(parsed.canonical).toContain('optional .shop.v1.Status status = 5;');
    expect(parsed.canonical).toContain('.google.protobuf.Timestamp at = 6;');
    expect(parsed.canonical).toContain('repeated int64 amounts = 7 [packed = false];');
    expect(parsed.canonical).toContain('rpc Get(.shop.v1.Order) returns (.shop.v1.Order);');
    // The canonical text is itself a valid schema with the same canonical form.
    expect(parseSchema('PROTOBUF', parsed.canonical).canonical).toBe(parsed.canonical);
  });
});

describe('invalid schemas', () => {
  const invalid: [string, Parameters<typeof parseSchema>[0], string, RegExp][] = [
    [
      'Avro: bad JSON',
      'AVRO',
      '{"type": "record", "name": "X", "fields": [}',
      /Avro schema is not valid JSON/,
    ],
    [
      'Avro: unknown type',
      'AVRO',
      '{"type":"record","name":"X","fields":[{"name":"a","type":"Foo"}]}',
      /Foo/,
    ],
    [
      'Avro: bad default',
      'AVRO',
      '{"type":"record","name":"X","fields":[{"name":"a","type":"int","default":"x"}]}',
      /default/,
    ],
    ['Avro: anonymous record', 'AVRO', '{"type":"record","fields":[]}', /name/],
    ['JSON: bad JSON', 'JSON', '{"type": "object",\n "properties": {', /JSON schema is not valid JSON/],
    ['JSON: invalid keyword value', 'JSON', '{"type":"objekt"}', /invalid JSON schema: schema is invalid/],
    ['JSON: unresolved $ref', 'JSON', '{"properties":{"a":{"$ref":"missing.json"}}}', /missing\.json/],
    ['Protobuf: syntax error', 'PROTOBUF', 'syntax = "proto3";\nmessage X { int32 a = 1 }', /line 2/],
    ['Protobuf: unknown type', 'PROTOBUF', 'syntax = "proto3"; message X { Foo a = 1; }', /Foo/],
    [
      'Protobuf: import without reference',
      'PROTOBUF',
      'syntax = "proto3"; import "other.proto"; message X { other.Y y = 1; }',
      /other\.proto/,
    ],
  ];
  it.each(invalid)('%s', (_name, schemaType, text, message) => {
    expect(() => parseSchema(schemaType, text)).toThrow(InvalidSchemaError);
    expect(() => parseSchema(schemaType, text)).toThrow(message);
  });

  it('an empty schema and an unknown type are rejected', () => {
    expect(() => parseSchema('AVRO', '  ')).toThrow(InvalidSchemaError);
    expect(() => parseSchema('XML' as 'AVRO', '{}')).toThrow(/unknown schema type 'XML'/);
  });
});

describe('references', () => {
  it('Avro: a record uses a named type from a reference', () => {
    const address: ResolvedReference = {
      name: 'com.example.Address',
      schemaType: 'AVRO',
      schema:
        '{"type":"record","name":"Address","namespace":"com.example","fields":[{"name":"city","type":"string"}]}',
      references: [],
    };
    const text =
      '{"type":"record","name":"User","namespace":"com.example","fields":[{"name":"home","type":"Address"},{"name":"work","type":["null","com.example.Address"],"default":null}]}';
    const user = parseSchema('AVRO', text, [address]);
    // The canonical text names the referenced type rather than inlining it.
    expect(user.canonical).toContain('"type":"com.example.Address"');
    expect(user.canonical).not.toContain('city');
    const value = { home: { city: 'Venice' }, work: { city: 'Mestre' } };
    const { payload } = encodePayload(user, value);
    expect(decodePayload(user, payload)).toEqual(value);
    expect(() => parseSchema('AVRO', text)).toThrow(/Address/);

    const changed = { ...address, schema: address.schema.replace('"string"', '"int"') };
    const result = checkCompatibility('BACKWARD', parseSchema('AVRO', text, [changed]), [user]);
    expect(result.compatible).toBe(false);
    expect(result.messages[0]).toContain('/fields/home/fields/city');
  });

  it('Protobuf: a file imports another', () => {
    const common: ResolvedReference = {
      name: 'common/money.proto',
      schemaType: 'PROTOBUF',
      schema: 'syntax = "proto3"; package common; message Money { string currency = 1; int64 units = 2; }',
      references: [],
    };
    const text =
      'syntax = "proto3"; package shop; import "common/money.proto"; message Order { string id = 1; common.Money total = 2; }';
    const order = parseSchema('PROTOBUF', text, [common]);
    expect(order.canonical).toContain('import "common/money.proto";');
    expect(order.canonical).toContain('.common.Money total = 2;');
    expect(order.canonical).not.toContain('message Money');
    const encoded = encodePayload(order, { id: 'o-1', total: { currency: 'EUR', units: 1250 } });
    expect(encoded.messageIndexes).toEqual([0]);
    expect(decodePayload(order, encoded.payload)).toEqual({
      id: 'o-1',
      total: { currency: 'EUR', units: '1250' },
    });
  });

  it('JSON Schema: $ref to a referenced schema is used for validation and compatibility', () => {
    const address: ResolvedReference = {
      name: 'address.json',
      schemaType: 'JSON',
      schema: '{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}',
      references: [],
    };
    const text = '{"type":"object","properties":{"home":{"$ref":"address.json"}},"required":["home"]}';
    const user = parseSchema('JSON', text, [address]);
    expect(() => encodePayload(user, { home: { city: 'Venice' } })).not.toThrow();
    expect(() => encodePayload(user, { home: {} })).toThrow(/city/);

    const narrowed = { ...address, schema: address.schema.replace('"string"', '"string","maxLength":3') };
    const result = checkCompatibility('BACKWARD', parseSchema('JSON', text, [narrowed]), [user]);
    expect(result.compatible).toBe(false);
    expect(result.messages[0]).toContain('#/properties/home/properties/city/maxLength');
  });
});

describe('Avro longs', () => {
  /** The zigzag varint Avro specifies, computed with bigints (the reference the fast paths must match). */
  function varint(value: bigint): Buffer {
    let zigzag = value >= 0n ? value << 1n : (-value << 1n) - 1n;
    const bytes: number[] = [];
    do {
      const low = Number(zigzag & 0x7fn);
      zigzag >>= 7n;
      bytes.push(zigzag === 0n ? low : low | 0x80);
    } while (zigzag !== 0n);
    return Buffer.from(bytes);
  }

  it('encode numbers and bigints of every size to the spec bytes and decode them exactly', () => {
    const schema = parseSchema('AVRO', '{"type":"record","name":"R","fields":[{"name":"n","type":"long"}]}');
    const edges = [0n, 1n, -1n, 63n, -64n, 2n ** 30n, -(2n ** 30n) - 1n, 2n ** 48n - 1n, -(2n ** 48n)];
    edges.push(2n ** 48n, 2n ** 52n, -(2n ** 52n), 2n ** 52n + 1n, 2n ** 53n - 1n, -(2n ** 53n) + 1n);
    edges.push(2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n));
    for (const value of edges) {
      const safe = value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER);
      const expected = varint(value);
      expect(encodePayload(schema, { n: value }).payload, String(value)).toEqual(expected);
      if (safe) expect(encodePayload(schema, { n: Number(value) }).payload, String(value)).toEqual(expected);
      expect(decodePayload(schema, expected), String(value)).toEqual({ n: safe ? Number(value) : value });
    }
  });
});
