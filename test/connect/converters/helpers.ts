// A real broker and Venice registry for the converter tests, and converters made the way the worker makes them.
import type { Converter } from '../../../src/connect/api/converter.js';
import { LOGICAL_TYPES, type ConnectSchema } from '../../../src/connect/api/data.js';
import { findConverterPlugin } from '../../../src/connect/converters/index.js';

export function converterFor(
  name: string,
  registryUrl: string,
  settings: Record<string, string> = {},
  isKey = false,
): Converter {
  const plugin = findConverterPlugin(name);
  if (!plugin) throw new Error(`${name} is not registered`);
  return plugin.create({ 'schema.registry.url': registryUrl, ...settings }, isKey, {});
}

/** A struct with one field of each kind the registry formats carry, and a value for it. */
export const ORDER_SCHEMA: ConnectSchema = {
  type: 'struct',
  optional: false,
  name: 'srctest.Order',
  fields: [
    { name: 'id', index: 0, schema: { type: 'int64', optional: false } },
    { name: 'count', index: 1, schema: { type: 'int32', optional: false } },
    { name: 'note', index: 2, schema: { type: 'string', optional: true } },
    { name: 'ok', index: 3, schema: { type: 'boolean', optional: false } },
    { name: 'ratio', index: 4, schema: { type: 'float64', optional: false } },
    { name: 'raw', index: 5, schema: { type: 'bytes', optional: false } },
    {
      name: 'amount',
      index: 6,
      schema: {
        type: 'bytes',
        optional: false,
        name: LOGICAL_TYPES.decimal,
        version: 1,
        parameters: { scale: '2' },
      },
    },
    {
      name: 'placed',
      index: 7,
      schema: { type: 'int64', optional: false, name: LOGICAL_TYPES.timestamp, version: 1 },
    },
    {
      name: 'due',
      index: 8,
      schema: { type: 'int32', optional: false, name: LOGICAL_TYPES.date, version: 1 },
    },
    {
      name: 'tags',
      index: 9,
      schema: { type: 'array', optional: false, valueSchema: { type: 'string', optional: false } },
    },
    {
      name: 'stock',
      index: 10,
      schema: {
        type: 'map',
        optional: false,
        keySchema: { type: 'string', optional: false },
        valueSchema: { type: 'int64', optional: false },
      },
    },
    {
      name: 'address',
      index: 11,
      schema: {
        type: 'struct',
        optional: true,
        name: 'srctest.Address',
        fields: [{ name: 'city', index: 0, schema: { type: 'string', optional: false } }],
      },
    },
  ],
};

export const ORDER_VALUE = {
  id: 9_007_199_254_740_000n,
  count: 3,
  note: null,
  ok: true,
  ratio: 0.75,
  raw: Buffer.from([1, 2, 250]),
  amount: '-10.05',
  placed: new Date(1_700_000_000_123),
  due: new Date(Date.UTC(2026, 11, 5)),
  tags: ['a', 'b'],
  stock: new Map([
    ['x', 1n],
    ['y', 2n],
  ]),
  address: { city: 'Venice' },
};
