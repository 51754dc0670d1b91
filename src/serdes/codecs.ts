import protobuf from 'protobufjs';
import type avro from 'avsc';
import { internalsOf } from './parse.js';
import { messageAt, messageIndexesOf } from './protobuf/schema.js';
import type { ParsedSchema } from './types.js';
import { decodeMessageIndexes, encodeMessageIndexes } from './wire.js';

/** A value does not fit its schema, or bytes do not decode with it. */
export class SerializationError extends Error {
  override readonly name = 'SerializationError';
}

export interface EncodedPayload {
  payload: Buffer;
  /** Protobuf only: the message-index path of the encoded message. */
  messageIndexes?: number[];
}

export interface EncodeOptions {
  /** Protobuf: fully-qualified message name (default: the file's first message). */
  messageName?: string;
}

export interface DecodeOptions {
  /** Protobuf: which message the payload holds (default [0], the first message). */
  messageIndexes?: readonly number[];
  /** JSON Schema: validate decoded documents (default false). */
  validate?: boolean;
  /** Avro: read with this schema instead of the writer's (Avro schema resolution). */
  readerSchema?: ParsedSchema;
}

/** Objects as protobufjs' toObject gives them for JSON-friendly use: enum names, 64-bit integers as strings. */
const PROTOBUF_OBJECT_OPTIONS: protobuf.IConversionOptions = { enums: String, longs: String, defaults: true };

const resolvers = new WeakMap<avro.Type, WeakMap<avro.Type, avro.Resolver>>();

function resolverFor(reader: avro.Type, writer: avro.Type): avro.Resolver {
  let byWriter = resolvers.get(reader);
  if (!byWriter) {
    byWriter = new WeakMap();
    resolvers.set(reader, byWriter);
  }
  let resolver = byWriter.get(writer);
  if (!resolver) {
    resolver = reader.createResolver(writer);
    byWriter.set(writer, resolver);
  }
  return resolver;
}

/** The protobuf message type to use: the named one, or the file's first message. */
export function protobufMessageName(schema: ParsedSchema, messageName?: string): string {
  const detail = internalsOf(schema);
  if (detail.schemaType !== 'PROTOBUF') throw new SerializationError('not a Protobuf schema');
  if (messageName) return messageName.replace(/^\./, '');
  return messageAt(detail.file, [0]).fullName.slice(1);
}

/** Serializes a value with a schema (no framing). Validates against the schema first. */
export function encodePayload(
  schema: ParsedSchema,
  value: unknown,
  options: EncodeOptions = {},
): EncodedPayload {
  const detail = internalsOf(schema);
  if (detail.schemaType === 'AVRO') {
    const problems: string[] = [];
    detail.type.isValid(value, {
      errorHook: (path: string[], found: unknown, type: avro.Type) =>
        problems.push(
          `${path.length > 0 ? path.join('.') : '(root)'}: ${describeValue(found)} is not a valid ${type.typeName}`,
        ),
    });
    if (problems.length > 0)
      throw new SerializationError(`value does not match the Avro schema: ${problems.join('; ')}`);
    return { payload: detail.type.toBuffer(value) };
  }
  if (detail.schemaType === 'JSON') {
    if (!detail.validate(value)) {
      const problems = (detail.validate.errors ?? []).map(
        (error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}`,
      );
      throw new SerializationError(`value does not match the JSON schema: ${problems.join('; ')}`);
    }
    return { payload: Buffer.from(JSON.stringify(value), 'utf8') };
  }
  const name = protobufMessageName(schema, options.messageName);
  const type = lookupMessage(detail.root, name);
  let message: protobuf.Message;
  try {
    message = type.fromObject(value as Record<string, unknown>);
  } catch (error) {
    throw new SerializationError(
      `value does not match Protobuf message ${name}: ${(error as Error).message}`,
    );
  }
  const problem = type.verify(message);
  if (problem) throw new SerializationError(`value does not match Protobuf message ${name}: ${problem}`);
  return {
    payload: Buffer.from(type.encode(message).finish()),
    messageIndexes: messageIndexesOf(detail.file, name),
  };
}

function lookupMessage(root: protobuf.Root, name: string): protobuf.Type {
  try {
    return root.lookupType(name);
  } catch {
    throw new SerializationError(`Protobuf message ${name} is not defined in the schema`);
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Deserializes an unframed payload written with `schema`. */
export function decodePayload(
  schema: ParsedSchema,
  payload: Uint8Array,
  options: DecodeOptions = {},
): unknown {
  const detail = internalsOf(schema);
  const buffer = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
  try {
    if (detail.schemaType === 'AVRO') {
      if (options.readerSchema) {
        const reader = internalsOf(options.readerSchema);
        if (reader.schemaType !== 'AVRO') throw new SerializationError('reader schema is not Avro');
        return reader.type.fromBuffer(buffer, resolverFor(reader.type, detail.type));
      }
      return detail.type.fromBuffer(buffer);
    }
    if (detail.schemaType === 'JSON') {
      const value: unknown = JSON.parse(buffer.toString('utf8'));
      if (options.validate && !detail.validate(value)) {
        const problems = (detail.validate.errors ?? []).map(
          (error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}`,
        );
        throw new SerializationError(`document does not match the JSON schema: ${problems.join('; ')}`);
      }
      return value;
    }
    const type = messageAt(detail.file, options.messageIndexes ?? [0]);
    const resolved = lookupMessage(detail.root, type.fullName.slice(1));
    return resolved.toObject(resolved.decode(buffer), PROTOBUF_OBJECT_OPTIONS);
  } catch (error) {
    if (error instanceof SerializationError) throw error;
    throw new SerializationError(`cannot decode ${schema.schemaType} payload: ${(error as Error).message}`);
  }
}

/**
 * Decodes a Protobuf payload that starts with message indexes. Some producers (kafkajs'
 * confluent-schema-registry) omit the indexes; when reading them fails, the whole payload is
 * tried as the first message.
 */
export function decodeProtobufWithIndexes(
  schema: ParsedSchema,
  bytes: Uint8Array,
): { value: unknown; messageIndexes: number[] } {
  let firstError: unknown;
  try {
    const { indexes, next } = decodeMessageIndexes(bytes, 0);
    return {
      value: decodePayload(schema, bytes.subarray(next), { messageIndexes: indexes }),
      messageIndexes: indexes,
    };
  } catch (error) {
    firstError = error;
  }
  try {
    return { value: decodePayload(schema, bytes, { messageIndexes: [0] }), messageIndexes: [0] };
  } catch {
    throw firstError;
  }
}

export { encodeMessageIndexes };
