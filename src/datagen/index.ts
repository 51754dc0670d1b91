// Data generation for `venice produce --generate`: realistic records from an Avro or JSON Schema.
export { DatagenSchemaError } from './errors.js';
export {
  createRecordGenerator,
  jsonReplacer,
  type GeneratedRecord,
  type GeneratorOptions,
  type RecordGenerator,
} from './generator.js';
export { RatePacer } from './rate.js';
export { createRandom, type Random } from './random.js';
export { regexGenerator } from './regex.js';
export { loadSchemaFile, parseSchemaText, type LoadedSchema, type SchemaKind } from './schema-file.js';
