// Every converter Venice ships, found by class name or alias (case-insensitive), as `key.converter` and
// `value.converter` name them.
import type { ConverterPlugin } from '../api/converter.js';
import { AVRO_CONVERTER } from './avro.js';
import { jsonConverterPlugin } from './json.js';
import { JSON_SCHEMA_CONVERTER } from './json-schema.js';
import { PROTOBUF_CONVERTER } from './protobuf.js';
import { stringConverterPlugin } from './string.js';

export const CONVERTER_PLUGINS: readonly ConverterPlugin[] = [
  stringConverterPlugin,
  jsonConverterPlugin,
  AVRO_CONVERTER,
  JSON_SCHEMA_CONVERTER,
  PROTOBUF_CONVERTER,
];

export function findConverterPlugin(name: string): ConverterPlugin | undefined {
  const wanted = name.toLowerCase();
  return CONVERTER_PLUGINS.find(
    (plugin) =>
      plugin.className.toLowerCase() === wanted ||
      plugin.aliases.some((alias) => alias.toLowerCase() === wanted),
  );
}
