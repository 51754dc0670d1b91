import { Ajv, type AnySchema, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsModule, { type FormatsPlugin } from 'ajv-formats';
import { parseJsonText, stableStringify, type JsonValue } from '../json-text.js';
import { InvalidSchemaError, type ResolvedReference } from '../types.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats: FormatsPlugin =
  (formatsModule as unknown as { default?: FormatsPlugin }).default ??
  (formatsModule as unknown as FormatsPlugin);

export interface JsonSchemaParts {
  json: JsonValue;
  /** Referenced schemas by the name the main schema uses in `$ref`. */
  documents: Map<string, JsonValue>;
  canonical: string;
  validate: ValidateFunction;
}

type AjvInstance = Ajv | Ajv2019 | Ajv2020;

/** Picks the ajv flavour for the schema's `$schema` (draft-07 and older by default). */
function createAjv(json: JsonValue): AjvInstance {
  const dialect =
    typeof json === 'object' && json !== null && !Array.isArray(json) ? json.$schema : undefined;
  // strict off: real-world schemas carry custom keywords (e.g. Connect's "connect.index").
  const options = { strict: false, allErrors: true, logger: false as const };
  let ajv: AjvInstance;
  if (typeof dialect === 'string' && dialect.includes('2020-12')) ajv = new Ajv2020(options);
  else if (typeof dialect === 'string' && dialect.includes('2019-09')) ajv = new Ajv2019(options);
  else ajv = new Ajv(options);
  addFormats(ajv as Ajv);
  return ajv;
}

function collectReferences(
  references: readonly ResolvedReference[],
  documents: Map<string, JsonValue>,
): void {
  for (const reference of references) {
    if (documents.has(reference.name)) continue;
    if (reference.schemaType !== 'JSON') {
      throw new InvalidSchemaError(`reference '${reference.name}' is ${reference.schemaType}, not JSON`);
    }
    documents.set(
      reference.name,
      parseJsonText(reference.schema, `referenced JSON schema '${reference.name}'`),
    );
    collectReferences(reference.references, documents);
  }
}

/** Parses a JSON Schema and its references, compiling it with ajv to reject invalid schemas and unresolved `$ref`s. */
export function parseJsonSchema(schema: string, references: readonly ResolvedReference[]): JsonSchemaParts {
  const json = parseJsonText(schema, 'JSON schema');
  if (typeof json !== 'boolean' && (typeof json !== 'object' || json === null || Array.isArray(json))) {
    throw new InvalidSchemaError('JSON schema must be a JSON object or a boolean');
  }
  const documents = new Map<string, JsonValue>();
  collectReferences(references, documents);
  const ajv = createAjv(json);
  let validate: ValidateFunction;
  try {
    for (const [name, document] of documents) {
      if (typeof document !== 'object' || document === null || Array.isArray(document)) {
        ajv.addSchema(document as AnySchema, name);
        continue;
      }
      // Reachable both by the reference name (what `$ref` usually says) and by its own `$id`.
      if (typeof document.$id === 'string' && document.$id !== name) ajv.addSchema(document as AnySchema);
      ajv.addSchema({ ...document, $id: name } as AnySchema);
    }
    validate = ajv.compile(json as AnySchema);
  } catch (error) {
    throw new InvalidSchemaError(`invalid JSON schema: ${(error as Error).message}`);
  }
  return { json, documents, canonical: stableStringify(json), validate };
}
