// Records from a schema: a value per call, and its key from --key-field. Deterministic for a seed and
// a clock.
import { compileAvro } from './avro.js';
import { DatagenSchemaError } from './errors.js';
import type { GenerateContext } from './hints.js';
import { compileJsonSchema } from './json-schema.js';
import { createRandom, type Random } from './random.js';
import type { LoadedSchema } from './schema-file.js';

export interface GeneratedRecord {
  /** The key field's value as text, or null without --key-field. */
  key: string | null;
  value: Record<string, unknown>;
}

export interface GeneratorOptions {
  seed?: string | number;
  keyField?: string;
  /** The clock for timestamp fields (default Date.now). */
  now?: () => number;
}

export interface RecordGenerator {
  next(): GeneratedRecord;
  readonly fieldNames: readonly string[];
}

export function createRecordGenerator(schema: LoadedSchema, options: GeneratorOptions = {}): RecordGenerator {
  const compiled = schema.kind === 'AVRO' ? compileAvro(schema.json) : compileJsonSchema(schema.json);
  const keyField = options.keyField;
  if (keyField !== undefined && !compiled.fieldNames.includes(keyField))
    throw new DatagenSchemaError(
      `--key-field ${keyField}: the schema has no such field; its fields are ${compiled.fieldNames.join(', ')}`,
    );
  const random: Random = createRandom(options.seed);
  const now = options.now ?? Date.now;
  let index = 0;
  return {
    fieldNames: compiled.fieldNames,
    next() {
      const context: GenerateContext = { random, now: now(), index: index++ };
      const value = compiled.generate(context);
      return { key: keyField === undefined ? null : keyText(value[keyField]), value };
    },
  };
}

function keyText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  return JSON.stringify(value, jsonReplacer);
}

/** JSON for generated values: bytes as Latin-1 text (Avro's JSON encoding), bigints as numbers. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: string }).type === 'Buffer' &&
    Array.isArray((value as { data?: unknown }).data)
  )
    return Buffer.from((value as { data: number[] }).data).toString('latin1');
  return value;
}
