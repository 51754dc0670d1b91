// Every converter Venice ships, found by class name or alias (case-insensitive), as `key.converter` and
// `value.converter` name them.
import type { ConverterPlugin } from '../api/converter.js';
import { findByClassName } from '../class-names.js';
import { avroConverterPlugin } from './avro.js';
import { jsonConverterPlugin } from './json.js';
import { jsonSchemaConverterPlugin } from './json-schema.js';
import { protobufConverterPlugin } from './protobuf.js';
import { stringConverterPlugin } from './string.js';

export const CONVERTER_PLUGINS: readonly ConverterPlugin[] = [
  stringConverterPlugin,
  jsonConverterPlugin,
  avroConverterPlugin,
  jsonSchemaConverterPlugin,
  protobufConverterPlugin,
];

export function findConverterPlugin(name: string): ConverterPlugin | undefined {
  return findByClassName(CONVERTER_PLUGINS, name);
}
