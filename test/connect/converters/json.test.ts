// JsonConverter: plain JSON (schemas.enable=false) and Connect's {schema, payload} envelope, with
// Connect's schema JSON, exact int64s, logical types and both decimal formats.
import { describe, expect, it } from 'vitest';
import type { ConnectSchema } from '../../../src/connect/api/data.js';
import { ConnectConfigError, ConversionError } from '../../../src/connect/api/errors.js';
import { findConverterPlugin } from '../../../src/connect/converters/index.js';

const plugin = findConverterPlugin('JsonConverter')!;
const plain = plugin.create({ 'schemas.enable': 'false' }, false, {});
const enveloped = plugin.create({}, false, {});
const bytes = (text: string) => Buffer.from(text);

const ORDER: ConnectSchema = {
  type: 'struct',
  optional: false,
  name: 'shop.Order',
  fields: [
    { name: 'id', index: 0, schema: { type: 'int64', optional: false } },
    { name: 'note', index: 1, schema: { type: 'string', optional: true } },
    {
      name: 'price',
      index: 2,
      schema: {
        type: 'bytes',
        optional: false,
        name: 'org.apache.kafka.connect.data.Decimal',
        version: 1,
        parameters: { scale: '2' },
      },
    },
    {
      name: 'day',
      index: 3,
      schema: { type: 'int32', optional: false, name: 'org.apache.kafka.connect.data.Date', version: 1 },
    },
    {
      name: 'tags',
      index: 4,
      schema: { type: 'array', optional: false, valueSchema: { type: 'string', optional: false } },
    },
  ],
};

describe('JsonConverter with schemas.enable=false', () => {
  it('reads plain JSON without a schema, keeping big integers exact', async () => {
    const read = await plain.toConnectData(
      't',
      bytes('{"a":1,"big":9223372036854775807,"x":[true,1.5]}'),
      [],
    );
    expect(read).toEqual({ schema: null, value: { a: 1, big: 9223372036854775807n, x: [true, 1.5] } });
  });

  it('refuses bad JSON with a ConversionError, and reads null as a tombstone', async () => {
    await expect(plain.toConnectData('t', bytes('{not json'), [])).rejects.toBeInstanceOf(ConversionError);
    expect(await plain.toConnectData('t', null, [])).toEqual({ schema: null, value: null });
  });

  it('writes plain JSON', async () => {
    const written = await plain.fromConnectData('t', null, { id: 2n ** 62n, ok: true, list: [1, 'a'] });
    expect(written?.toString()).toBe('{"id":4611686018427387904,"ok":true,"list":[1,"a"]}');
  });
});

describe('JsonConverter with schemas.enable=true (the default)', () => {
  it('round-trips a struct through the envelope with Connect schema JSON', async () => {
    const value = { id: 7n, note: null, price: '12.34', day: new Date(Date.UTC(2024, 0, 2)), tags: ['a'] };
    const written = (await enveloped.fromConnectData('orders', ORDER, value))!;
    const parsed = JSON.parse(written.toString()) as { schema: Record<string, unknown>; payload: unknown };
    expect(parsed.schema).toMatchObject({ type: 'struct', name: 'shop.Order', optional: false });
    expect((parsed.schema.fields as { field: string }[]).map((field) => field.field)).toEqual([
      'id',
      'note',
      'price',
      'day',
      'tags',
    ]);
    expect(parsed.payload).toEqual({ id: 7, note: null, price: 'BNI=', day: 19724, tags: ['a'] });
    const read = await enveloped.toConnectData('orders', written, []);
    expect(read.value).toEqual(value);
    expect(read.schema?.fields?.[2].schema.parameters).toEqual({ scale: '2' });
  });

  it('writes decimals as numbers with decimal.format=NUMERIC', async () => {
    const numeric = plugin.create({ 'decimal.format': 'NUMERIC' }, false, {});
    const schema = ORDER.fields![2].schema;
    expect((await numeric.fromConnectData('t', schema, '-0.50'))?.toString()).toMatch(/"payload":-0.50}$/);
    expect(
      (
        await numeric.toConnectData(
          't',
          bytes(
            `{"schema":${JSON.stringify({ type: 'bytes', name: schema.name, parameters: { scale: '2' } })},"payload":3.1}`,
          ),
          [],
        )
      ).value,
    ).toBe('3.10');
  });

  it('refuses plain JSON, saying to set schemas.enable=false', async () => {
    await expect(enveloped.toConnectData('t', bytes('{"a":1}'), [])).rejects.toThrow(/schemas.enable=false/);
  });

  it('refuses a payload that does not fit its schema', async () => {
    const text = '{"schema":{"type":"int8","optional":false},"payload":300}';
    await expect(enveloped.toConnectData('t', bytes(text), [])).rejects.toThrow(/does not fit in int8/);
  });

  it('refuses bad settings with the key to fix', () => {
    expect(() => plugin.create({ 'decimal.format': 'TEXT' }, false, {})).toThrow(ConnectConfigError);
    expect(() => plugin.create({ 'schemas.enable': 'yes' }, false, {})).toThrow(
      /schemas.enable must be true or false/,
    );
  });
});
