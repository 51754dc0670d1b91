import avro from 'avsc';
import { isJsonObject, parseJsonText, type JsonObject, type JsonValue } from '../json-text.js';
import { InvalidSchemaError, type ResolvedReference } from '../types.js';
import { PreciseLongType } from './long-type.js';

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
const NAMED = new Set(['record', 'error', 'enum', 'fixed']);
/** Attributes with a fixed place in the canonical text; anything else (logicalType, custom props) follows, sorted. */
const KNOWN_ATTRIBUTES = new Set([
  'type',
  'name',
  'namespace',
  'doc',
  'aliases',
  'fields',
  'symbols',
  'size',
  'items',
  'values',
  'default',
]);
const KNOWN_FIELD_ATTRIBUTES = new Set(['name', 'type', 'doc', 'default', 'order', 'aliases']);

export interface AvroSchemaParts {
  /** The avsc type, references resolved; used for encoding, decoding and compatibility. */
  type: avro.Type;
  canonical: string;
}

/** Parses Avro schema text (and its references) with avsc, and builds its canonical text. */
export function parseAvroSchema(schema: string, references: readonly ResolvedReference[]): AvroSchemaParts {
  const registry: Record<string, avro.Type> = { long: PreciseLongType as unknown as avro.Type };
  registerReferences(references, registry, new Set());
  const json = parseJsonText(schema, 'Avro schema');
  let type: avro.Type;
  try {
    type = avro.Type.forSchema(withPreciseLongs(json) as avro.Schema, { registry, noAnonymousTypes: true });
  } catch (error) {
    throw new InvalidSchemaError(`invalid Avro schema: ${(error as Error).message}`);
  }
  const knownNames = new Set(Object.keys(registry).filter((name) => !PRIMITIVES.has(name)));
  const canonical = JSON.stringify(canonicalize(json, '', knownNames));
  return { type, canonical };
}

/**
 * The schema with each `{"type": "long"}` object (a named key schema such as
 * `{"type": "long", "name": "KeySchema"}`) written as plain `"long"`: avsc looks only the string form up in
 * the registry, so the object form would get avsc's own long, which refuses bigints and values past 2^53.
 * Longs with a logicalType stay as they are.
 */
function withPreciseLongs(json: JsonValue): JsonValue {
  if (Array.isArray(json)) return json.map(withPreciseLongs);
  if (!isJsonObject(json)) return json;
  if (json.type === 'long' && json.logicalType === undefined) return 'long';
  const out: JsonObject = { ...json };
  if (typeof out.type === 'object' && out.type !== null) out.type = withPreciseLongs(out.type);
  if (out.items !== undefined) out.items = withPreciseLongs(out.items);
  if (out.values !== undefined) out.values = withPreciseLongs(out.values);
  if (Array.isArray(out.fields)) {
    out.fields = out.fields.map((field) =>
      isJsonObject(field) && field.type !== undefined
        ? { ...field, type: withPreciseLongs(field.type) }
        : field,
    );
  }
  return out;
}

function registerReferences(
  references: readonly ResolvedReference[],
  registry: Record<string, avro.Type>,
  done: Set<string>,
): void {
  for (const reference of references) {
    if (done.has(reference.name)) continue;
    done.add(reference.name);
    if (reference.schemaType !== 'AVRO') {
      throw new InvalidSchemaError(`reference '${reference.name}' is ${reference.schemaType}, not AVRO`);
    }
    registerReferences(reference.references, registry, done);
    const json = parseJsonText(reference.schema, `referenced Avro schema '${reference.name}'`);
    try {
      avro.Type.forSchema(withPreciseLongs(json) as avro.Schema, { registry, noAnonymousTypes: true });
    } catch (error) {
      throw new InvalidSchemaError(
        `invalid referenced Avro schema '${reference.name}': ${(error as Error).message}`,
      );
    }
  }
}

function qualify(name: string, namespace: string): string {
  if (name.includes('.') || namespace === '') return name;
  return `${namespace}.${name}`;
}

function namespaceOf(fullName: string): string {
  const dot = fullName.lastIndexOf('.');
  return dot < 0 ? '' : fullName.slice(0, dot);
}

/** A type name as written resolves first in the enclosing namespace, then in the null namespace. */
function resolveReference(name: string, namespace: string, knownNames: Set<string>): string {
  const qualified = qualify(name, namespace);
  if (knownNames.has(qualified) || !knownNames.has(name)) return qualified;
  return name;
}

function extraAttributes(object: JsonObject, known: Set<string>): [string, JsonValue][] {
  return Object.keys(object)
    .filter((key) => !known.has(key))
    .sort()
    .map((key) => [key, object[key]]);
}

/**
 * Avro's parsing canonical form (full names, no namespace attribute, fixed attribute order, no
 * whitespace, primitives as plain strings) plus what Confluent keeps: doc, defaults, aliases,
 * field order, logical types and custom properties (sorted).
 */
function canonicalize(schema: JsonValue, namespace: string, knownNames: Set<string>): JsonValue {
  if (typeof schema === 'string') {
    return PRIMITIVES.has(schema) ? schema : resolveReference(schema, namespace, knownNames);
  }
  if (Array.isArray(schema)) return schema.map((branch) => canonicalize(branch, namespace, knownNames));
  if (!isJsonObject(schema)) return schema;
  const type = schema.type;
  if (typeof type !== 'string') return canonicalize(type, namespace, knownNames);
  const extras = extraAttributes(schema, KNOWN_ATTRIBUTES);
  if (PRIMITIVES.has(type) && extras.length === 0) return type;
  if (!PRIMITIVES.has(type) && !NAMED.has(type) && type !== 'array' && type !== 'map') {
    return resolveReference(type, namespace, knownNames);
  }
  const out: JsonObject = { type };
  if (NAMED.has(type)) {
    const explicitNamespace = typeof schema.namespace === 'string' ? schema.namespace : namespace;
    const fullName = qualify(String(schema.name), explicitNamespace);
    const innerNamespace = namespaceOf(fullName);
    out.name = fullName;
    if (typeof schema.doc === 'string') out.doc = schema.doc;
    if (Array.isArray(schema.aliases)) {
      out.aliases = schema.aliases.map((alias) => qualify(String(alias), innerNamespace));
    }
    if (type === 'record' || type === 'error') {
      const fields = Array.isArray(schema.fields) ? schema.fields : [];
      out.fields = fields.map((field) => canonicalField(field, innerNamespace, knownNames));
    } else if (type === 'enum') {
      out.symbols = schema.symbols ?? [];
      if (schema.default !== undefined) out.default = schema.default;
    } else {
      out.size = schema.size ?? null;
    }
  } else if (type === 'array') {
    out.items = canonicalize(schema.items ?? null, namespace, knownNames);
    if (schema.default !== undefined) out.default = schema.default;
  } else if (type === 'map') {
    out.values = canonicalize(schema.values ?? null, namespace, knownNames);
    if (schema.default !== undefined) out.default = schema.default;
  }
  for (const [key, value] of extras) out[key] = value;
  return out;
}

function canonicalField(field: JsonValue, namespace: string, knownNames: Set<string>): JsonValue {
  if (!isJsonObject(field)) return field;
  const out: JsonObject = {
    name: field.name ?? null,
    type: canonicalize(field.type ?? null, namespace, knownNames),
  };
  if (typeof field.doc === 'string') out.doc = field.doc;
  if (field.default !== undefined) out.default = field.default;
  if (field.order !== undefined && field.order !== 'ascending') out.order = field.order;
  if (Array.isArray(field.aliases)) out.aliases = field.aliases;
  for (const [key, value] of extraAttributes(field, KNOWN_FIELD_ATTRIBUTES)) out[key] = value;
  return out;
}
