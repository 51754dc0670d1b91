// Reads venice.yaml into a ConfigLayer, checking every key and value. A mistake is reported with the
// file, line and key, and how to fix it.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Node, Pair } from 'yaml';

// Loaded on first use: every venice command registers through this module, few read a venice.yaml.
type YamlModule = typeof import('yaml');
let yamlModule: YamlModule | undefined;
const yaml = (): YamlModule => (yamlModule ??= createRequire(import.meta.url)('yaml') as YamlModule);
import { ConfigError } from './errors.js';
import {
  SETTINGS,
  SETTING_KEYS,
  parseInto,
  type ComponentCatalog,
  type ConfigLayer,
  type SettingKey,
} from './settings.js';

/** venice.yaml's shape, from the settings' yaml paths: a top-level key is a setting or a group of them. */
type YamlEntry = { setting: SettingKey } | { group: Map<string, SettingKey> };
const YAML_KEYS = new Map<string, YamlEntry>();
for (const key of SETTING_KEYS) {
  const [top, nested] = SETTINGS[key].yaml.split('.');
  if (nested === undefined) {
    YAML_KEYS.set(top, { setting: key });
    continue;
  }
  const entry = YAML_KEYS.get(top) ?? { group: new Map<string, SettingKey>() };
  if ('group' in entry) entry.group.set(nested, key);
  YAML_KEYS.set(top, entry);
}

export function readConfigFile(file: string, catalog: ComponentCatalog): ConfigLayer {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `cannot read ${file}: ${(error as Error).message}`,
      'check the path given with --config or VENICE_CONFIG',
    );
  }
  return parseConfigText(text, path.basename(file), catalog);
}

/** Parses venice.yaml text; `fileName` is used in messages. */
export function parseConfigText(text: string, fileName: string, catalog: ComponentCatalog): ConfigLayer {
  const { LineCounter, isMap, isNode, isScalar, parseDocument } = yaml();
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    const error = document.errors[0];
    const line = lines.linePos(error.pos[0]).line;
    throw new ConfigError(
      `${fileName} line ${line} is not valid YAML: ${error.message.split('\n')[0]}`,
      'keys are written `name: value`, nested keys indented by two spaces',
    );
  }
  const root = document.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return {};
  if (!isMap(root)) {
    throw new ConfigError(
      `${fileName} must be a map of settings (key: value lines), not a ${isNode(root) ? 'list or value' : 'value'}`,
      `see \`venice install\` for an example ${fileName}`,
    );
  }
  const where = (node: Node | null | undefined, key: string) =>
    `${fileName} line ${node?.range ? lines.linePos(node.range[0]).line : '?'}, ${key}`;

  const layer: ConfigLayer = {};
  for (const pair of root.items) {
    const { key, keyNode, value } = unpack(pair);
    const at = where(keyNode, key);
    const entry = YAML_KEYS.get(key);
    if (entry === undefined) throw unknownKey(at, key, [...YAML_KEYS.keys()]);
    if ('setting' in entry) {
      parseInto(layer, entry.setting, value, at, catalog);
      continue;
    }
    const [firstName, firstKey] = [...entry.group][0];
    for (const nestedPair of mapItems(pair.value, at, `${firstName}: ${SETTINGS[firstKey].example}`)) {
      const nested = unpack(nestedPair);
      const nestedAt = where(nested.keyNode, `${key}.${nested.key}`);
      const setting = entry.group.get(nested.key);
      if (setting === undefined) throw unknownKey(nestedAt, nested.key, [...entry.group.keys()]);
      parseInto(layer, setting, nested.value, nestedAt, catalog);
    }
  }
  return layer;
}

function unpack(pair: Pair): { key: string; keyNode: Node | null; value: unknown } {
  const { isNode, isScalar } = yaml();
  const keyNode = isNode(pair.key) ? pair.key : null;
  const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
  const value = isNode(pair.value) ? pair.value.toJSON() : pair.value;
  return { key, keyNode, value };
}

function mapItems(node: unknown, where: string, example: string): Pair[] {
  const { isMap, isScalar } = yaml();
  if (node === null || (isScalar(node) && node.value === null)) return [];
  if (!isMap(node)) {
    throw new ConfigError(
      `${where}: expected nested settings`,
      `indent them below, for example\n    ${example}`,
    );
  }
  return node.items;
}

function unknownKey(where: string, key: string, known: readonly string[]): ConfigError {
  const suggestion = closest(key, known);
  return new ConfigError(
    `${where}: unknown setting "${key}"`,
    (suggestion ? `did you mean "${suggestion}"? ` : '') + `the settings here are: ${known.join(', ')}`,
  );
}

/** The known key a typo most likely meant, if one is close enough. */
function closest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}
