/** The schema formats the registry and the serdes understand (Confluent's names). */
export type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF';

export const SCHEMA_TYPES: readonly SchemaType[] = ['AVRO', 'JSON', 'PROTOBUF'];

export type CompatibilityLevel =
  'NONE' | 'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FORWARD' | 'FORWARD_TRANSITIVE' | 'FULL' | 'FULL_TRANSITIVE';

export const COMPATIBILITY_LEVELS: readonly CompatibilityLevel[] = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
];

/** A reference as the registry API spells it: `name` is how the schema imports it. */
export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

/** A referenced schema, already looked up by the registry: `name` is how the referencing schema imports/names it. */
export interface ResolvedReference {
  name: string;
  schemaType: SchemaType;
  schema: string;
  references: ResolvedReference[];
}

/** The schema text is not a valid schema of its type; the message says what is wrong and where. */
export class InvalidSchemaError extends Error {
  override readonly name = 'InvalidSchemaError';
}

export interface ParsedSchema {
  readonly schemaType: SchemaType;
  /** The canonical text: equal for schemas that mean the same (whitespace, key order, defaults spelled out where Confluent normalizes); the registry dedupes on it. */
  readonly canonical: string;
  readonly references: readonly ResolvedReference[];
}

/** One reason a pair of schemas is incompatible, in the style of Confluent's verbose answers. */
export interface CompatibilityIssue {
  /** A stable upper-case code, e.g. READER_FIELD_MISSING_DEFAULT_VALUE, PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL, FIELD_SCALAR_KIND_CHANGED. */
  errorType: string;
  /** Where in the schema: `/fields/name` (Avro), `#/properties/name` (JSON Schema), `Message.field` (Protobuf). */
  path: string;
  description: string;
}
