// Reading the schema `venice produce --generate --schema` is given: Avro (.avsc, or a "record") or
// JSON Schema (.json with "properties"), checked by the serdes' own parser so errors read the same.
import fs from 'node:fs';
import { parseSchema } from '../serdes/parse.js';
import { DatagenSchemaError } from './errors.js';

export type SchemaKind = 'AVRO' | 'JSON';

export interface LoadedSchema {
  kind: SchemaKind;
  /** The schema text, as registered. */
  text: string;
  json: unknown;
}

const LOOKS_LIKE =
  'an Avro record schema ({"type": "record", "name": ..., "fields": [...]}) or a JSON Schema ({"type": "object", "properties": {...}})';

export function loadSchemaFile(file: string): LoadedSchema {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new DatagenSchemaError(
      `cannot read the schema file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return parseSchemaText(text, file);
}

export function parseSchemaText(text: string, file: string): LoadedSchema {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DatagenSchemaError(
      `${file} is not JSON (${(error as Error).message}); it should hold ${LOOKS_LIKE}`,
    );
  }
  const kind = kindOf(json, file);
  try {
    parseSchema(kind, text, []);
  } catch (error) {
    throw new DatagenSchemaError(
      `${file} is not a valid ${kind === 'AVRO' ? 'Avro schema' : 'JSON Schema'}: ${(error as Error).message}`,
    );
  }
  return { kind, text, json };
}

function kindOf(json: unknown, file: string): SchemaKind {
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const schema = json as Record<string, unknown>;
    if (schema.type === 'record' || Array.isArray(schema.fields)) return 'AVRO';
    if (
      schema.type === 'object' ||
      typeof schema.properties === 'object' ||
      typeof schema.$schema === 'string'
    )
      return 'JSON';
  }
  if (file.endsWith('.avsc')) return 'AVRO';
  throw new DatagenSchemaError(
    `${file} is neither kind of schema venice can generate from; it should hold ${LOOKS_LIKE}`,
  );
}
