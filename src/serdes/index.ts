/**
 * Venice's schema library: parsing and canonical forms, Confluent-compatible compatibility rules,
 * the registry wire format, encoders/decoders for Avro, JSON Schema and Protobuf, subject name
 * strategies, a registry client and the Serdes facade. Shared by the registry, sql, connect, the
 * console and the CLI.
 */
export {
  COMPATIBILITY_LEVELS,
  InvalidSchemaError,
  SCHEMA_TYPES,
  type CompatibilityIssue,
  type CompatibilityLevel,
  type ParsedSchema,
  type ResolvedReference,
  type SchemaReference,
  type SchemaType,
} from './types.js';
export { parseSchema } from './parse.js';
export {
  checkCompatibility,
  checkCompatibilityDetailed,
  formatCompatibilityMessages,
  type CompatibilityDirection,
  type CompatibilityFailure,
  type CompatibilityReport,
} from './compatibility.js';
export {
  MAGIC_BYTE,
  WIRE_HEADER_SIZE,
  WireFormatError,
  decodeMessageIndexes,
  decodeWire,
  encodeMessageIndexes,
  encodeWire,
  readSchemaId,
  type WireMessage,
} from './wire.js';
export {
  SerializationError,
  decodePayload,
  decodeProtobufWithIndexes,
  encodePayload,
  protobufMessageName,
  type DecodeOptions,
  type EncodeOptions,
  type EncodedPayload,
} from './codecs.js';
export { messageIndexesOf } from './protobuf/schema.js';
export {
  SUBJECT_NAME_STRATEGIES,
  recordNameOf,
  subjectName,
  type SubjectNameStrategy,
} from './subject-names.js';
export {
  REGISTRY_CONTENT_TYPE,
  SchemaRegistryClient,
  SchemaRegistryError,
  type RegisteredSchema,
  type SchemaInput,
  type SchemaRegistryClientOptions,
} from './client.js';
export { Serdes, type DecodedMessage, type DeserializeOptions, type SerializeOptions } from './serdes.js';
