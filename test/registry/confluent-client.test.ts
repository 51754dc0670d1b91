// The npm client written for Confluent's registry (@kafkajs/confluent-schema-registry) against
// Venice's: it registers, encodes and decodes Avro, JSON Schema and Protobuf, references included.
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOf, startBrokerAndRegistry } from './helpers.js';

let setup: Awaited<ReturnType<typeof startBrokerAndRegistry>>;

beforeAll(async () => {
  setup = await startBrokerAndRegistry();
});

afterAll(async () => {
  await setup?.stop();
});

/** A client with an empty cache, so every schema it needs comes from the registry. */
const freshClient = () => new SchemaRegistry({ host: setup.registry.url });

describe('@kafkajs/confluent-schema-registry against Venice', () => {
  it('Avro: register, encode, decode with a fresh client, and look the id up again', async () => {
    const client = freshClient();
    const schema = {
      type: 'record',
      name: 'Payment',
      namespace: 'venice.test',
      fields: [
        { name: 'id', type: 'string' },
        { name: 'amount', type: 'double' },
        { name: 'note', type: ['null', 'string'], default: null },
      ],
    };
    const { id } = await client.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
      { subject: 'payments-value' },
    );
    expect(id).toBeGreaterThan(0);
    const payment = { id: 'p-1', amount: 12.5, note: 'tip' };
    const encoded = await client.encode(id, payment);
    expect(encoded[0]).toBe(0);
    expect(encoded.readInt32BE(1)).toBe(id);
    expect(await freshClient().decode(encoded)).toEqual(payment);

    expect(await client.getLatestSchemaId('payments-value')).toBe(id);
    expect(await client.getRegistryId('payments-value', 1)).toBe(id);
    expect(
      await freshClient().getRegistryIdBySchema('payments-value', {
        type: SchemaType.AVRO,
        schema: JSON.stringify(schema),
      }),
    ).toBe(id);
    // The client sets the subject's compatibility on first registration, as it does with Confluent.
    expect((await apiOf(setup.registry)('GET', '/config/payments-value')).body).toEqual({
      compatibilityLevel: 'BACKWARD',
    });
  });

  it('Avro: an incompatible change is refused', async () => {
    const client = freshClient();
    const v1 = { type: 'record', name: 'Strict', fields: [{ name: 'a', type: 'string' }] };
    const v2 = { type: 'record', name: 'Strict', fields: [{ name: 'a', type: 'int' }] };
    await client.register({ type: SchemaType.AVRO, schema: JSON.stringify(v1) }, { subject: 'strict-value' });
    await expect(
      client.register({ type: SchemaType.AVRO, schema: JSON.stringify(v2) }, { subject: 'strict-value' }),
    ).rejects.toThrow(/incompatible/i);
  });

  it('JSON Schema: register, encode, decode', async () => {
    const client = freshClient();
    const schema = JSON.stringify({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { sku: { type: 'string' }, qty: { type: 'integer' } },
      required: ['sku'],
    });
    const { id } = await client.register({ type: SchemaType.JSON, schema }, { subject: 'stock-value' });
    const item = { sku: 'A-1', qty: 3 };
    const encoded = await client.encode(id, item);
    expect(await freshClient().decode(encoded)).toEqual(item);
    await expect(client.encode(id, { qty: 'three' })).rejects.toThrow();
  });

  it('Protobuf: register, encode, decode, with a reference to another subject', async () => {
    const client = freshClient();
    const address =
      'syntax = "proto3";\npackage venice.test;\n\nmessage Address {\n  string city = 1;\n  string zip = 2;\n}\n';
    await client.register({ type: SchemaType.PROTOBUF, schema: address }, { subject: 'address.proto' });

    const customer =
      'syntax = "proto3";\npackage venice.test;\nimport "address.proto";\n\n' +
      'message Customer {\n  string name = 1;\n  int32 age = 2;\n  Address address = 3;\n}\n';
    const { id } = await client.register(
      {
        type: SchemaType.PROTOBUF,
        schema: customer,
        references: [{ name: 'address.proto', subject: 'address.proto', version: 1 }],
      },
      { subject: 'customers-value' },
    );
    const person = { name: 'Ada', age: 36, address: { city: 'London', zip: 'N1' } };
    const encoded = await client.encode(id, person);
    const decoded = await freshClient().decode(encoded);
    expect(JSON.parse(JSON.stringify(decoded))).toEqual(person);
  });

  it('Protobuf: a plain message round trips', async () => {
    const client = freshClient();
    const schema =
      'syntax = "proto3";\npackage venice.test;\n\nmessage Ping {\n  int64 at = 1;\n  string from = 2;\n}\n';
    const { id } = await client.register({ type: SchemaType.PROTOBUF, schema }, { subject: 'pings-value' });
    const encoded = await client.encode(id, { at: 5, from: 'here' });
    const decoded = await freshClient().decode(encoded);
    expect(JSON.parse(JSON.stringify(decoded))).toMatchObject({ from: 'here' });
  });
});
