// JsonSchemaConverter against a real broker and Venice registry: Connect data written and read back, a
// schema written by another producer read into Connect schemas, and bytes it cannot read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('JsonSchemaConverter', () => {
  it('writes Connect data as JSON with a registered schema and reads it back', async () => {
    const converter = converterFor('io.confluent.connect.json.JsonSchemaConverter', stack.registry.url);
    const bytes = await converter.fromConnectData('srctest-json', ORDER_SCHEMA, ORDER_VALUE);
    expect(bytes?.[0]).toBe(0);
    const document = JSON.parse((bytes as Buffer).subarray(5).toString('utf8')) as Record<string, unknown>;
    expect(document).toMatchObject({ id: 9_007_199_254_740_000, raw: 'AQL6', amount: -10.05, due: 20_792 });
    const registered = await client.getLatest('srctest-json-value');
    expect(registered.schemaType).toBe('JSON');
    expect(JSON.parse(registered.schema)).toMatchObject({ type: 'object', title: 'srctest.Order' });

    const back = await converter.toConnectData('srctest-json', bytes, []);
    expect(back.value).toEqual(ORDER_VALUE);
    expect(
      back.schema?.fields?.map((field) => [field.name, field.schema.type, field.schema.optional]),
    ).toEqual(ORDER_SCHEMA.fields?.map((field) => [field.name, field.schema.type, field.schema.optional]));
  });

  it('reads a schema another producer registered', async () => {
    const serdes = new Serdes(client);
    const schema = {
      type: 'object',
      title: 'Reading',
      properties: {
        sensor: { type: 'string' },
        value: { type: 'number' },
        count: { type: 'integer' },
        tags: { type: 'array', items: { type: 'string' } },
        attrs: { type: 'object', additionalProperties: { type: 'boolean' } },
        maybe: { oneOf: [{ type: 'null' }, { $ref: '#/definitions/point' }] },
      },
      required: ['sensor', 'value'],
      definitions: { point: { type: 'object', properties: { x: { type: 'integer' } } } },
    };
    const bytes = await serdes.serialize(
      'srctest-json-foreign',
      { sensor: 's1', value: 1.5, count: 4, tags: ['t'], attrs: { on: true }, maybe: { x: 2 } },
      { schemaType: 'JSON', schema: JSON.stringify(schema) },
    );
    const read = await converterFor('JsonSchemaConverter', stack.registry.url).toConnectData(
      'srctest-json-foreign',
      bytes,
      [],
    );
    expect(read.schema?.name).toBe('Reading');
    expect(
      read.schema?.fields?.map((field) => [field.name, field.schema.type, field.schema.optional]),
    ).toEqual([
      ['sensor', 'string', false],
      ['value', 'float64', false],
      ['count', 'int64', true],
      ['tags', 'array', true],
      ['attrs', 'map', true],
      ['maybe', 'struct', true],
    ]);
    expect(read.value).toEqual({
      sensor: 's1',
      value: 1.5,
      count: 4n,
      tags: ['t'],
      attrs: new Map([['on', true]]),
      maybe: { x: 2n },
    });

    // A schema the mapping cannot follow still reads, schemaless.
    const loose = await serdes.serialize(
      'srctest-json-loose',
      { a: 1 },
      {
        schemaType: 'JSON',
        schema: JSON.stringify({ anyOf: [{ type: 'object' }, { type: 'string' }, { type: 'integer' }] }),
      },
    );
    expect(
      await converterFor('JsonSchemaConverter', stack.registry.url).toConnectData(
        'srctest-json-loose',
        loose,
        [],
      ),
    ).toEqual({
      schema: null,
      value: { a: 1 },
    });
  });

  it('refuses plain JSON with a message saying what it expected', async () => {
    const converter = converterFor('JsonSchemaConverter', stack.registry.url);
    await expect(converter.toConnectData('srctest-json', Buffer.from('{"plain":true}'), [])).rejects.toThrow(
      ConversionError,
    );
    await expect(converter.toConnectData('srctest-json', Buffer.from('{"plain":true}'), [])).rejects.toThrow(
      /magic byte 0.*JsonSchemaConverter/,
    );
  });
});
