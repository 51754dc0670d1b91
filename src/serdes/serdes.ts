import type { SchemaRegistryClient, RegisteredSchema } from './client.js';
import { decodePayload, decodeProtobufWithIndexes, encodePayload, SerializationError } from './codecs.js';
import { parseSchema } from './parse.js';
import { recordNameOf, subjectName, type SubjectNameStrategy } from './subject-names.js';
import type { ParsedSchema, SchemaReference, SchemaType } from './types.js';
import { decodeWire, encodeWire, readSchemaId } from './wire.js';

export interface SerializeOptions {
  /** With `schema`: the schema's type (default AVRO). */
  schemaType?: SchemaType;
  /** The writer schema text; registered (or looked up) under the subject. */
  schema?: string;
  references?: SchemaReference[];
  /** Use this subject instead of deriving it; without `schema`, its latest version is the writer schema. */
  subject?: string;
  isKey?: boolean;
  strategy?: SubjectNameStrategy;
  /** Protobuf: fully-qualified message name (default: the first message). */
  messageName?: string;
  /** Register the schema when needed (default true); false only looks it up. */
  autoRegister?: boolean;
}

export interface DeserializeOptions {
  /** Avro: read with this schema (schema resolution). */
  readerSchema?: ParsedSchema;
  /** JSON Schema: validate the decoded document (default false). */
  validate?: boolean;
}

export interface DecodedMessage {
  value: unknown;
  schemaId: number;
  schemaType: SchemaType;
  /** Protobuf: the message indexes read from the bytes. */
  messageIndexes?: number[];
}

/** Encodes and decodes registry-framed Kafka payloads for all three formats, caching schemas and ids. */
export class Serdes {
  private readonly parsedById = new Map<number, Promise<ParsedSchema>>();
  private readonly parsedByText = new Map<string, Promise<ParsedSchema>>();
  private readonly latestBySubject = new Map<string, { at: number; schema: Promise<RegisteredSchema> }>();

  constructor(
    readonly client: SchemaRegistryClient,
    private readonly options: { latestCacheMs?: number } = {},
  ) {}

  async serialize(topic: string, value: unknown, options: SerializeOptions): Promise<Buffer> {
    const isKey = options.isKey ?? false;
    let schemaId: number;
    let parsed: ParsedSchema;
    if (options.schema !== undefined) {
      const schemaType = options.schemaType ?? 'AVRO';
      const references = options.references ?? [];
      parsed = await this.parseText(schemaType, options.schema, references);
      const subject =
        options.subject ??
        subjectName(options.strategy ?? 'TopicNameStrategy', topic, isKey, () =>
          recordNameOf(parsed, options.messageName),
        );
      const input = { schemaType, schema: options.schema, references };
      schemaId =
        options.autoRegister === false
          ? (await this.client.lookup(subject, input)).id
          : await this.client.register(subject, input);
    } else {
      const subject = options.subject ?? subjectName(options.strategy ?? 'TopicNameStrategy', topic, isKey);
      const latest = await this.latest(subject);
      schemaId = latest.id;
      parsed = await this.parsedFor(schemaId);
    }
    const encoded = encodePayload(parsed, value, { messageName: options.messageName });
    return encodeWire(schemaId, encoded.payload, encoded.messageIndexes);
  }

  /** The decoded value of registry-framed bytes. */
  async deserialize(bytes: Uint8Array, options: DeserializeOptions = {}): Promise<unknown> {
    return (await this.decode(bytes, options)).value;
  }

  /** The decoded value with the schema id and type it was written with. */
  async decode(bytes: Uint8Array, options: DeserializeOptions = {}): Promise<DecodedMessage> {
    const schemaId = readSchemaId(bytes);
    const parsed = await this.parsedFor(schemaId);
    const { payload } = decodeWire(bytes);
    if (parsed.schemaType === 'PROTOBUF') {
      const { value, messageIndexes } = decodeProtobufWithIndexes(parsed, payload);
      return { value, schemaId, schemaType: parsed.schemaType, messageIndexes };
    }
    const value = decodePayload(parsed, payload, options);
    return { value, schemaId, schemaType: parsed.schemaType };
  }

  /** The parsed schema for an id, references resolved through the registry; cached. */
  parsedFor(schemaId: number): Promise<ParsedSchema> {
    let cached = this.parsedById.get(schemaId);
    if (!cached) {
      cached = (async () => {
        const registered = await this.client.getSchemaById(schemaId);
        const references = await this.client.resolveReferences(registered.references);
        return parseSchema(registered.schemaType, registered.schema, references);
      })();
      cached.catch(() => this.parsedById.delete(schemaId));
      this.parsedById.set(schemaId, cached);
    }
    return cached;
  }

  private parseText(
    schemaType: SchemaType,
    schema: string,
    references: SchemaReference[],
  ): Promise<ParsedSchema> {
    const key = `${schemaType}\u0000${schema}\u0000${JSON.stringify(references)}`;
    let cached = this.parsedByText.get(key);
    if (!cached) {
      cached = this.client
        .resolveReferences(references)
        .then((resolved) => parseSchema(schemaType, schema, resolved));
      cached.catch(() => this.parsedByText.delete(key));
      this.parsedByText.set(key, cached);
    }
    return cached;
  }

  private latest(subject: string): Promise<RegisteredSchema> {
    const now = Date.now();
    const cached = this.latestBySubject.get(subject);
    if (cached && now - cached.at < (this.options.latestCacheMs ?? 60_000)) return cached.schema;
    const schema = this.client.getLatest(subject);
    schema.catch(() => this.latestBySubject.delete(subject));
    this.latestBySubject.set(subject, { at: now, schema });
    return schema;
  }
}

export { SerializationError };
