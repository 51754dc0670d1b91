import type avro from 'avsc';
import type { ValidateFunction } from 'ajv';
import type protobuf from 'protobufjs';
import { parseAvroSchema } from './avro/schema.js';
import type { JsonValue } from './json-text.js';
import { parseJsonSchema } from './json/schema.js';
import { parseProtobufSchema, type ProtoFile } from './protobuf/schema.js';
import {
  InvalidSchemaError,
  SCHEMA_TYPES,
  type ParsedSchema,
  type ResolvedReference,
  type SchemaType,
} from './types.js';

/** What each format keeps from parsing, for compatibility checks and encoding; not part of the public interface. */
export type SchemaInternals =
  | { schemaType: 'AVRO'; type: avro.Type }
  | { schemaType: 'JSON'; json: JsonValue; documents: Map<string, JsonValue>; validate: ValidateFunction }
  | { schemaType: 'PROTOBUF'; root: protobuf.Root; file: ProtoFile };

const internals = new WeakMap<ParsedSchema, SchemaInternals>();

/** Parses and validates a schema of the given type; throws InvalidSchemaError saying what is wrong. */
export function parseSchema(
  schemaType: SchemaType,
  schema: string,
  references: ResolvedReference[] = [],
): ParsedSchema {
  if (!SCHEMA_TYPES.includes(schemaType)) {
    throw new InvalidSchemaError(
      `unknown schema type '${String(schemaType)}' (expected AVRO, JSON or PROTOBUF)`,
    );
  }
  if (typeof schema !== 'string' || schema.trim() === '') {
    throw new InvalidSchemaError('schema text is empty');
  }
  const frozenReferences = Object.freeze([...references]);
  let parsed: ParsedSchema;
  let detail: SchemaInternals;
  if (schemaType === 'AVRO') {
    const parts = parseAvroSchema(schema, references);
    parsed = { schemaType, canonical: parts.canonical, references: frozenReferences };
    detail = { schemaType, type: parts.type };
  } else if (schemaType === 'JSON') {
    const parts = parseJsonSchema(schema, references);
    parsed = { schemaType, canonical: parts.canonical, references: frozenReferences };
    detail = { schemaType, json: parts.json, documents: parts.documents, validate: parts.validate };
  } else {
    const parts = parseProtobufSchema(schema, references);
    parsed = { schemaType, canonical: parts.canonical, references: frozenReferences };
    detail = { schemaType, root: parts.root, file: parts.file };
  }
  Object.freeze(parsed);
  internals.set(parsed, detail);
  return parsed;
}

/** The parsed form behind a ParsedSchema; re-parses the canonical text for objects built elsewhere. */
export function internalsOf(schema: ParsedSchema): SchemaInternals {
  const known = internals.get(schema);
  if (known) return known;
  const reparsed = parseSchema(schema.schemaType, schema.canonical, [...schema.references]);
  const detail = internals.get(reparsed) as SchemaInternals;
  internals.set(schema, detail);
  return detail;
}
