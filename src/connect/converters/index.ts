// Every converter Venice ships, found by class name or alias (case-insensitive), as `key.converter` and
// `value.converter` name them.
import type { ConverterPlugin } from '../api/converter.js';
import { jsonConverterPlugin } from './json.js';
import { stringConverterPlugin } from './string.js';

export const CONVERTER_PLUGINS: readonly ConverterPlugin[] = [stringConverterPlugin, jsonConverterPlugin];

export function findConverterPlugin(name: string): ConverterPlugin | undefined {
  const wanted = name.toLowerCase();
  return CONVERTER_PLUGINS.find(
    (plugin) =>
      plugin.className.toLowerCase() === wanted ||
      plugin.aliases.some((alias) => alias.toLowerCase() === wanted),
  );
}
