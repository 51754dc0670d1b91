// JSON functions over STRING columns that hold JSON text. Text that is not JSON gives NULL (FALSE for the
// predicates), as in ksqlDB; numbers keep their text (json-text.ts).
import { SqlTypes, type SqlDecimal, type SqlType, type SqlValue } from '../types/index.js';
import { formatInstant } from './date-time-format.js';
import { followPath, nodeText, tryParseJson, writeJson, type JsonNode } from './json-text.js';
import { generic, type FunctionOverload, type SqlFunction } from './registry.js';
import { javaDouble } from './value-semantics.js';

const { STRING, INTEGER, BIGINT, DOUBLE, BOOLEAN } = SqlTypes;
const text = (v: SqlValue | undefined): string => v as string;

function json(name: string, description: string, overloads: readonly FunctionOverload[]): SqlFunction {
  return { name, category: 'JSON', description, overloads };
}

/** One STRING-in overload: the parsed JSON (or undefined) to a result. */
const fromJson = (returns: SqlType, fn: (node: JsonNode | undefined) => SqlValue): FunctionOverload => ({
  params: [{ name: 'jsonString', type: STRING }],
  returns,
  invoke: ([s]) => fn(tryParseJson(text(s))),
});

/** Whether a JSON element equals a SQL value of the given kind. */
function jsonEquals(node: JsonNode, value: SqlValue, kind: 'STRING' | 'NUMBER' | 'BOOLEAN'): boolean {
  if (value === null) return node.kind === 'null';
  if (kind === 'STRING') return node.kind === 'string' && node.value === value;
  if (kind === 'BOOLEAN') return node.kind === 'boolean' && node.value === value;
  return node.kind === 'number' && Number(node.text) === Number(value);
}

function arrayContainsOverload(type: SqlType, kind: 'STRING' | 'NUMBER' | 'BOOLEAN'): FunctionOverload {
  return {
    params: [
      { name: 'jsonArray', type: STRING },
      { name: 'val', type },
    ],
    returns: BOOLEAN,
    acceptsNulls: true,
    invoke: ([s, v]) => {
      const node = typeof s === 'string' ? tryParseJson(s) : undefined;
      return node?.kind === 'array' && node.items.some((item) => jsonEquals(item, v ?? null, kind));
    },
  };
}

/** JSON_CONCAT: objects merge (later fields win); otherwise one array of all elements. */
function concat(nodes: readonly JsonNode[]): JsonNode {
  if (nodes.every((n) => n.kind === 'object')) {
    const merged = new Map<string, JsonNode>();
    for (const n of nodes) if (n.kind === 'object') for (const [k, v] of n.entries) merged.set(k, v);
    return { kind: 'object', entries: [...merged] };
  }
  return { kind: 'array', items: nodes.flatMap((n) => (n.kind === 'array' ? n.items : [n])) };
}

/** A SQL value as JSON text, as ksqlDB's TO_JSON_STRING writes it. */
export function sqlToJson(type: SqlType, v: SqlValue): string {
  if (v === null) return 'null';
  switch (type.kind) {
    case 'DOUBLE':
      return Number.isFinite(v)
        ? javaDouble(v as number).replace('E', 'E')
        : JSON.stringify(javaDouble(v as number));
    case 'DECIMAL':
      return (v as SqlDecimal).toString();
    case 'BIGINT':
    case 'INTEGER':
    case 'BOOLEAN':
      return String(v);
    case 'STRING':
      return JSON.stringify(v);
    case 'BYTES':
      return JSON.stringify(Buffer.from(v as Uint8Array).toString('base64'));
    case 'DATE':
      return JSON.stringify(formatInstant((v as number) * 86_400_000, 'yyyy-MM-dd'));
    case 'TIME': {
      const ms = v as number;
      const base = formatInstant(ms, 'HH:mm:ss');
      return JSON.stringify(ms % 1000 === 0 ? base : `${base}.${String(ms % 1000).padStart(3, '0')}`);
    }
    case 'TIMESTAMP':
      return JSON.stringify(formatInstant(v as number, "yyyy-MM-dd'T'HH:mm:ss.SSS"));
    case 'ARRAY':
      return `[${(v as readonly SqlValue[]).map((x) => sqlToJson(type.element, x)).join(',')}]`;
    case 'MAP':
      return `{${[...(v as ReadonlyMap<SqlValue, SqlValue>)]
        .map(([k, x]) => `${JSON.stringify(String(k))}:${sqlToJson(type.value, x)}`)
        .join(',')}}`;
    case 'STRUCT': {
      const struct = v as Readonly<Record<string, SqlValue>>;
      return `{${type.fields.map((f) => `${JSON.stringify(f.name)}:${sqlToJson(f.type, struct[f.name] ?? null)}`).join(',')}}`;
    }
  }
}

export const jsonFunctions: readonly SqlFunction[] = [
  json('EXTRACTJSONFIELD', 'The value at a JSONPath ($.a.b[0]) in JSON text: text as is, the rest as JSON.', [
    {
      params: [
        { name: 'jsonString', type: STRING },
        { name: 'jsonPath', type: STRING },
      ],
      returns: STRING,
      invoke: ([s, path]) => {
        const root = tryParseJson(text(s));
        const node = root === undefined ? undefined : followPath(root, text(path));
        return node === undefined || node.kind === 'null' ? null : nodeText(node);
      },
    },
  ]),
  json('JSON_ARRAY_CONTAINS', 'Whether a JSON array holds the value.', [
    arrayContainsOverload(STRING, 'STRING'),
    arrayContainsOverload(INTEGER, 'NUMBER'),
    arrayContainsOverload(BIGINT, 'NUMBER'),
    arrayContainsOverload(DOUBLE, 'NUMBER'),
    arrayContainsOverload(BOOLEAN, 'BOOLEAN'),
  ]),
  json('JSON_ARRAY_LENGTH', 'The number of elements of a JSON array; NULL for anything else.', [
    fromJson(INTEGER, (node) => (node?.kind === 'array' ? node.items.length : null)),
  ]),
  json('JSON_KEYS', 'The field names of a JSON object; NULL for anything else.', [
    fromJson(SqlTypes.array(STRING), (node) =>
      node?.kind === 'object' ? node.entries.map(([k]) => k) : null,
    ),
  ]),
  json(
    'JSON_RECORDS',
    'The fields of a JSON object as a map of name to value (text as is, the rest as JSON).',
    [
      fromJson(SqlTypes.map(STRING, STRING), (node) =>
        node?.kind === 'object' ? new Map(node.entries.map(([k, v]) => [k, nodeText(v)])) : null,
      ),
    ],
  ),
  json('JSON_ITEMS', 'The elements of a JSON array, each as JSON text.', [
    fromJson(SqlTypes.array(STRING), (node) => (node?.kind === 'array' ? node.items.map(writeJson) : null)),
  ]),
  json('JSON_CONCAT', 'Merges JSON objects, or concatenates JSON arrays (other values become elements).', [
    {
      params: [{ name: 'jsonStrings', type: STRING }],
      variadic: true,
      returns: STRING,
      acceptsNulls: true,
      invoke: (args) => {
        const nodes = args.map((a) => (typeof a === 'string' ? tryParseJson(a) : undefined));
        if (nodes.length === 0 || nodes.some((n) => n === undefined)) return null;
        return writeJson(concat(nodes as JsonNode[]));
      },
    },
  ]),
  json('IS_JSON_STRING', 'Whether the text is JSON.', [
    {
      params: [{ name: 'str', type: STRING }],
      returns: BOOLEAN,
      acceptsNulls: true,
      invoke: ([s]) => typeof s === 'string' && tryParseJson(s) !== undefined,
    },
  ]),
  json('TO_JSON_STRING', 'Any value as JSON text.', [
    {
      params: [{ name: 'val', type: generic('T') }],
      returns: STRING,
      acceptsNulls: true,
      specialize: (types) => {
        const type = types[0] ?? STRING;
        return ([v]) => sqlToJson(type, v ?? null);
      },
    },
  ]),
];
