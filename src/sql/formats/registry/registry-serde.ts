// The schema-registry formats (AVRO, PROTOBUF, JSON_SR): Confluent's wire format (magic byte, schema id,
// Protobuf message indexes, payload) through src/serdes. Writing registers the schema derived from the
// columns under `<topic>-key|value` (or uses *_SCHEMA_ID) when the serde is made; reading decodes with the
// writer's schema by id, which the runner fetches with load(id) the first time deserialize reports it
// missing (SchemaNotLoadedError), so that the per-record path stays synchronous.
import type protobuf from 'protobufjs';
import {
  SchemaRegistryError,
  Serdes,
  decodeMessageIndexes,
  encodePayload,
  encodeWire,
  readSchemaId,
  type ParsedSchema,
  type SchemaReference,
  type SchemaRegistryClient,
  type SchemaType,
} from '../../../serdes/index.js';
import { internalsOf } from '../../../serdes/parse.js';
import { messageAt, messageIndexesOf } from '../../../serdes/protobuf/schema.js';
import type { Column } from '../../planner/schema.js';
import type { SqlValue } from '../../types/index.js';
import {
  FormatError,
  SchemaNotLoadedError,
  SerdeError,
  type FormatName,
  type RowSerde,
  type SerdeTarget,
} from '../format.js';
import { jsonRowCodec } from '../json/json-serde.js';
import { isUnwrapped, sideOf } from '../shape.js';
import {
  AvroNames,
  avroColumns,
  avroSchemaFor,
  fromAvro,
  fromAvroRow,
  rowToAvro,
  toAvro,
  type AvroSchema,
} from './avro.js';
import { jsonSchemaColumns, jsonSchemaFor } from './json-schema.js';
import {
  DEFAULT_PROTOBUF_MESSAGE,
  PROTOBUF_DEPENDENCIES,
  protobufColumns,
  protobufSchemaFor,
  rowFromProto,
  rowToProto,
} from './protobuf.js';

const SCHEMA_TYPES: Readonly<Record<string, SchemaType>> = {
  AVRO: 'AVRO',
  JSON_SR: 'JSON',
  PROTOBUF: 'PROTOBUF',
};

/** One Serdes (schema cache) per registry client, shared by every serde made with it. */
const serdesByClient = new WeakMap<SchemaRegistryClient, Serdes>();
function serdesFor(registry: SchemaRegistryClient): Serdes {
  let serdes = serdesByClient.get(registry);
  if (serdes === undefined) {
    serdes = new Serdes(registry);
    serdesByClient.set(registry, serdes);
  }
  return serdes;
}

export function subjectOf(topic: string, isKey: boolean): string {
  return `${topic}-${isKey ? 'key' : 'value'}`;
}

/** PROTOBUF keys and values are always messages; the others unwrap as ksqlDB does. */
function unwrappedFor(target: SerdeTarget): boolean {
  return target.format !== 'PROTOBUF' && isUnwrapped(target);
}

type Encode = (values: readonly SqlValue[]) => Buffer | null;
type Decode = (bytes: Buffer) => SqlValue[] | null;

interface WriterSchema {
  readonly id: number;
  readonly parsed: ParsedSchema;
  readonly text: string;
  /** Derived from the columns (else given by id or the subject's latest). */
  readonly derived: boolean;
}

/** The schema id a serde writes with that is not its own derived schema (*_SCHEMA_ID, or the latest). */
async function givenSchemaId(
  target: SerdeTarget,
  registry: SchemaRegistryClient,
): Promise<number | undefined> {
  if (target.options.schemaId !== undefined) return target.options.schemaId;
  if (target.options.latestSchema !== true) return undefined;
  try {
    return (await registry.getLatest(subjectOf(target.topic, target.isKey))).id;
  } catch (error) {
    // No schema yet: nothing was produced with one, so the derived schema is as good as any.
    if (error instanceof SchemaRegistryError && error.status === 404) return undefined;
    throw error;
  }
}

/** Registers the schema derived from the columns, or takes *_SCHEMA_ID's (or the subject's latest). */
async function writerSchema(target: SerdeTarget, registry: SchemaRegistryClient): Promise<WriterSchema> {
  const serdes = serdesFor(registry);
  const given = await givenSchemaId(target, registry);
  if (given !== undefined) {
    const registered = await registry.getSchemaById(given);
    return { id: given, parsed: await serdes.parsedFor(given), text: registered.schema, derived: false };
  }
  const schemaType = SCHEMA_TYPES[target.format];
  const unwrapped = unwrappedFor(target);
  let text: string;
  const references: SchemaReference[] = [];
  if (target.format === 'AVRO') {
    text = JSON.stringify(avroSchemaFor(target.columns, unwrapped, target.options.schemaFullName));
  } else if (target.format === 'JSON_SR') {
    text = JSON.stringify(jsonSchemaFor(target.columns, unwrapped));
  } else {
    const proto = protobufSchemaFor(target.columns, target.options.schemaFullName);
    text = proto.schema;
    for (const file of proto.dependencies) {
      const input = { schemaType: 'PROTOBUF' as const, schema: PROTOBUF_DEPENDENCIES[file] };
      await registry.register(file, input);
      const found = await registry.lookup(file, input);
      references.push({ name: file, subject: file, version: found.version ?? 1 });
    }
  }
  const id = await registry.register(subjectOf(target.topic, target.isKey), {
    schemaType,
    schema: text,
    references,
  });
  return { id, parsed: await serdes.parsedFor(id), text, derived: true };
}

function avroEncoder(target: SerdeTarget, writer: WriterSchema): Encode {
  const schema = JSON.parse(writer.text) as AvroSchema;
  const names = new AvroNames(schema);
  const detail = internalsOf(writer.parsed);
  if (detail.schemaType !== 'AVRO')
    throw new FormatError(`schema ${writer.id} is ${detail.schemaType}, not AVRO`);
  const unwrapped = unwrappedFor(target);
  const single = unwrapped ? toAvro(schema, target.columns[0].type, names) : undefined;
  const row = unwrapped ? undefined : rowToAvro(schema, target.columns, names);
  return (values) => {
    if (unwrapped && values[0] === null) return null;
    const value =
      single !== undefined ? single(values[0]) : (row as (v: readonly SqlValue[]) => unknown)(values);
    let payload: Buffer;
    try {
      payload = detail.type.toBuffer(value);
    } catch {
      // avsc's own message is terse; the shared codec says which field is wrong.
      payload = encodePayload(writer.parsed, value).payload;
    }
    return encodeWire(writer.id, payload);
  };
}

function protobufEncoder(target: SerdeTarget, writer: WriterSchema): Encode {
  const detail = internalsOf(writer.parsed);
  if (detail.schemaType !== 'PROTOBUF')
    throw new FormatError(`schema ${writer.id} is ${detail.schemaType}, not PROTOBUF`);
  const messageName =
    target.options.schemaFullName ?? (writer.derived ? DEFAULT_PROTOBUF_MESSAGE : undefined);
  const message =
    messageName !== undefined ? detail.root.lookupType(messageName) : messageAt(detail.file, [0]);
  const toObject = rowToProto(target.columns, message);
  const fullName = message.fullName.slice(1);
  const indexes = messageIndexesOf(detail.file, fullName);
  return (values) => {
    const object = toObject(values);
    let payload: Uint8Array;
    try {
      payload = message.encode(message.fromObject(object as Record<string, unknown>)).finish();
    } catch {
      // The shared codec verifies first and says what does not fit.
      payload = encodePayload(writer.parsed, object, { messageName: fullName }).payload;
    }
    return encodeWire(writer.id, payload, indexes);
  };
}

function jsonSrEncoder(target: SerdeTarget, writer: WriterSchema): Encode {
  const codec = jsonRowCodec(target);
  return (values) => {
    const text = codec.write(values);
    return text === null ? null : encodeWire(writer.id, Buffer.from(text, 'utf8'));
  };
}

/** JSON_SR reads the JSON after the header with the JSON format's reader: no schema needed (as ksqlDB). */
function jsonSrDecoder(target: SerdeTarget): Decode {
  const codec = jsonRowCodec(target);
  return (bytes) => {
    if (bytes.length === 0 || bytes[0] !== 0) {
      throw new Error(
        'Got unexpected JSON serialization format that did not start with the magic byte. If this stream was ' +
          'not serialized using the JsonSchemaConverter, then make sure the stream is declared with JSON format ' +
          '(not JSON_SR).',
      );
    }
    readSchemaId(bytes);
    return codec.read(bytes.toString('utf8', 5));
  };
}

/** Decoders of AVRO / PROTOBUF payloads, one per writer schema id, built by load(id). */
class RegistryDecoders {
  private readonly byId = new Map<number, (payload: Buffer) => SqlValue[] | null>();

  constructor(
    private readonly target: SerdeTarget,
    private readonly registry: SchemaRegistryClient,
  ) {}

  decode(bytes: Buffer): SqlValue[] | null {
    const id = readSchemaId(bytes);
    const decoder = this.byId.get(id);
    if (decoder === undefined) throw new SchemaNotLoadedError(id);
    return decoder(bytes.subarray(5));
  }

  async load(id: number): Promise<void> {
    if (this.byId.has(id)) return;
    const parsed = await serdesFor(this.registry).parsedFor(id);
    const text = (await this.registry.getSchemaById(id)).schema;
    this.byId.set(id, this.build(parsed, text));
  }

  private build(parsed: ParsedSchema, text: string): (payload: Buffer) => SqlValue[] | null {
    const { target } = this;
    const detail = internalsOf(parsed);
    if (detail.schemaType === 'AVRO' && target.format === 'AVRO') {
      const schema = JSON.parse(text) as AvroSchema;
      const names = new AvroNames(schema);
      if (unwrappedFor(target)) {
        const convert = fromAvro(schema, target.columns[0].type, names);
        return (payload) => {
          const value = convert(detail.type.fromBuffer(payload));
          return value === null ? null : [value];
        };
      }
      const row = fromAvroRow(schema, target.columns, names);
      return (payload) => row(detail.type.fromBuffer(payload));
    }
    if (detail.schemaType === 'PROTOBUF' && target.format === 'PROTOBUF') {
      const byMessage = new Map<string, (payload: Buffer) => SqlValue[]>();
      return (payload) => {
        const { indexes, next } = decodeMessageIndexes(payload, 0);
        const key = indexes.join('.');
        let decoder = byMessage.get(key);
        if (decoder === undefined) {
          const message: protobuf.Type = messageAt(detail.file, indexes);
          const toRow = rowFromProto(target.columns, message);
          const options = { enums: String, longs: String, defaults: true };
          decoder = (body) => toRow(message.toObject(message.decode(body), options));
          byMessage.set(key, decoder);
        }
        return decoder(payload.subarray(next));
      };
    }
    throw new FormatError(`schema is ${detail.schemaType}, but the ${target.format} format reads this topic`);
  }
}

export async function registrySerde(target: SerdeTarget, registry: SchemaRegistryClient): Promise<RowSerde> {
  const side = sideOf(target);
  const fail = (action: string, error: unknown) =>
    new SerdeError(
      `Failed to ${action} ${side} ${action === 'serialize' ? 'to' : 'from'} topic: ${target.topic}. ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  if (target.columns.length === 0) {
    return { serialize: () => null, deserialize: (bytes) => (bytes === null ? null : []) };
  }
  // A source that is only read must work even when its subject holds a schema ours is incompatible with:
  // registration problems surface on the first serialize.
  let encode: Encode;
  let writerId: number | undefined;
  try {
    const writer = await writerSchema(target, registry);
    writerId = writer.id;
    encode =
      target.format === 'AVRO'
        ? avroEncoder(target, writer)
        : target.format === 'PROTOBUF'
          ? protobufEncoder(target, writer)
          : jsonSrEncoder(target, writer);
  } catch (error) {
    if (error instanceof FormatError && target.options.schemaId === undefined) throw error;
    if (!(error instanceof SchemaRegistryError) && !(error instanceof FormatError)) throw error;
    encode = () => {
      throw error;
    };
  }
  const decoders = target.format === 'JSON_SR' ? undefined : new RegistryDecoders(target, registry);
  const decode: Decode = decoders ? (bytes) => decoders.decode(bytes) : jsonSrDecoder(target);
  if (decoders !== undefined && writerId !== undefined) await decoders.load(writerId);
  return {
    serialize(values) {
      if (values === null) return null;
      try {
        return encode(values);
      } catch (error) {
        throw fail('serialize', error);
      }
    },
    deserialize(bytes) {
      if (bytes === null) return null;
      try {
        return decode(bytes);
      } catch (error) {
        if (error instanceof SchemaNotLoadedError) throw error;
        throw fail('deserialize', error);
      }
    },
    async load(schemaId) {
      await decoders?.load(schemaId);
    },
  };
}

export interface InferOptions {
  readonly schemaId?: number;
  readonly schemaFullName?: string;
  /** WRAP_SINGLE_VALUE=false: the whole value is one ROWVAL column. */
  readonly wrapSingleValue?: boolean;
}

/** The columns of the latest schema of `<topic>-key|value` (or of schemaId), as ksqlDB infers them. */
export async function inferRegistryColumns(
  topic: string,
  isKey: boolean,
  format: FormatName,
  registry: SchemaRegistryClient,
  options: InferOptions,
): Promise<Column[]> {
  let text: string;
  let id: number;
  try {
    if (options.schemaId !== undefined) {
      id = options.schemaId;
      text = (await registry.getSchemaById(id)).schema;
    } else {
      const latest = await registry.getLatest(subjectOf(topic, isKey));
      id = latest.id;
      text = latest.schema;
    }
  } catch (error) {
    if (error instanceof SchemaRegistryError && error.status === 404) {
      throw new FormatError(
        `Schema for message ${isKey ? 'keys' : 'values'} on topic '${topic}' does not exist in the Schema Registry.`,
        { cause: error },
      );
    }
    throw error;
  }
  // ksqlDB upper-cases the field names of the latest schema; a schema named by id keeps its names.
  const upper = options.schemaId === undefined;
  const anonymous = !isKey && options.wrapSingleValue === false;
  const namespace = isKey ? 'KEY' : 'VALUE';
  let columns: Column[];
  if (format === 'AVRO') {
    columns = avroColumns(JSON.parse(text) as AvroSchema, isKey || anonymous, upper);
  } else if (format === 'JSON_SR') {
    columns = jsonSchemaColumns(JSON.parse(text), isKey || anonymous, upper);
  } else {
    const detail = internalsOf(await serdesFor(registry).parsedFor(id));
    if (detail.schemaType !== 'PROTOBUF')
      throw new FormatError(`schema ${id} is ${detail.schemaType}, not PROTOBUF`);
    let message: protobuf.Type;
    try {
      message =
        options.schemaFullName !== undefined
          ? detail.root.lookupType(options.schemaFullName)
          : messageAt(detail.file, [0]);
    } catch (error) {
      throw new FormatError(
        `Schema for message ${isKey ? 'keys' : 'values'} on topic '${topic}' does not exist in the Schema Registry.`,
        { cause: error },
      );
    }
    columns = protobufColumns(message, isKey, upper);
  }
  if (anonymous && columns.length === 1 && columns[0].name !== 'ROWVAL') {
    return [{ name: 'ROWVAL', type: columns[0].type, namespace }];
  }
  return columns;
}
