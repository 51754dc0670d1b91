// What the Avro, JSON Schema and Protobuf converters share: Confluent's wire format, the registry (through
// src/serdes), subject naming and the mapping of failures to Connect's errors. Each format supplies only
// its schema and value mappings (RegistryFormat).
import type { Converter, ConverterEnvironment, ConverterPlugin } from '../api/converter.js';
import type { ConnectHeader, ConnectSchema, ConnectValue, SchemaAndValue } from '../api/data.js';
import { ConversionError, RetriableError } from '../api/errors.js';
import {
  SchemaRegistryError,
  WireFormatError,
  parseSchema,
  recordNameOf,
  subjectName,
  type DecodedMessage,
  type ParsedSchema,
  type SchemaReference,
  type SchemaType,
  type Serdes,
} from '../../serdes/index.js';
import { readRegistrySettings, serdesFor, type RegistrySettings } from './registry-settings.js';

/** A schema written for a Connect schema, with the files it imports (Protobuf) to register first. */
export interface GeneratedSchema {
  readonly text: string;
  /** Imported schemas by file name: registered under that name as subject, then referenced. */
  readonly dependencies?: Readonly<Record<string, string>>;
  /** Protobuf: the message to encode. */
  readonly messageName?: string;
}

export interface RegistryFormat {
  readonly schemaType: SchemaType;
  /** What Confluent's converter of this format is called, for messages. */
  readonly converterName: string;
  /**
   * Connect data for a decoded value and its writer schema (parsed, and its text as registered, which keeps
   * the author's property order); throws ConversionError when they do not fit.
   */
  toConnect(writer: ParsedSchema, writerText: string, decoded: DecodedMessage): SchemaAndValue;
  /** The format's schema for a Connect schema; throws ConversionError for what it cannot express. */
  schemaFor(schema: ConnectSchema): GeneratedSchema;
  /** The value to encode under the generated schema. */
  valueFor(schema: ConnectSchema, value: ConnectValue): unknown;
}

/** How long the worker should wait before trying again when the registry is down. */
const REGISTRY_RETRY_MS = 1000;

/** A registry that is down is a passing failure; anything else it says about the data is the data's fault. */
function translate(error: unknown, what: string, settings: RegistrySettings): Error {
  if (error instanceof ConversionError || error instanceof RetriableError) return error;
  if (error instanceof SchemaRegistryError && (error.status === 0 || error.status === 503)) {
    return new RetriableError(`${what}: ${error.message}`, REGISTRY_RETRY_MS, { cause: error });
  }
  if (error instanceof SchemaRegistryError && error.status === 404) {
    return new ConversionError(
      `${what}: the schema registry at ${settings.url} does not know it (${error.message})`,
      {
        cause: error,
      },
    );
  }
  return new ConversionError(`${what}: ${(error as Error).message}`, { cause: error });
}

/** A Connect schema for a schemaless primitive, so `schemas.enable=false` data can still be written. */
function inferredSchema(value: ConnectValue): ConnectSchema {
  if (typeof value === 'string') return { type: 'string', optional: false };
  if (typeof value === 'boolean') return { type: 'boolean', optional: false };
  if (typeof value === 'bigint') return { type: 'int64', optional: false };
  if (typeof value === 'number')
    return { type: Number.isInteger(value) ? 'int64' : 'float64', optional: false };
  if (value instanceof Uint8Array) return { type: 'bytes', optional: false };
  throw new ConversionError(
    'a value without a schema cannot be written with a schema registry converter (only strings, numbers, ' +
      'booleans and bytes are inferred): give the record a schema, or use JsonConverter with schemas.enable=false',
  );
}

export class RegistryConverter implements Converter {
  private readonly serdes: Serdes;
  private readonly dependencyReferences = new Map<string, Promise<SchemaReference>>();
  /** Sources reuse one schema object for many records: its generated schema is made once. */
  private readonly generatedBySchema = new WeakMap<ConnectSchema, GeneratedSchema>();

  constructor(
    private readonly format: RegistryFormat,
    private readonly settings: RegistrySettings,
    private readonly isKey: boolean,
  ) {
    this.serdes = serdesFor(settings);
  }

  async toConnectData(
    topic: string,
    data: Buffer | null,
    _headers: readonly ConnectHeader[],
  ): Promise<SchemaAndValue> {
    if (data === null) return { schema: null, value: null };
    const what = `cannot read the ${this.isKey ? 'key' : 'value'} of a record in '${topic}' with ${this.format.converterName}`;
    let decoded: DecodedMessage;
    let writer: ParsedSchema;
    let writerText: string;
    try {
      decoded = await this.serdes.decode(data);
      writer = await this.serdes.parsedFor(decoded.schemaId);
      writerText = (await this.serdes.client.getSchemaById(decoded.schemaId)).schema;
    } catch (error) {
      if (error instanceof WireFormatError) {
        throw new ConversionError(
          `${what}: expected the schema registry wire format (magic byte 0, then a 4-byte schema id), but ${error.message}. ` +
            `Was it written by a ${this.format.converterName}? Otherwise use the converter it was written with ` +
            '(StringConverter, JsonConverter, ...)',
          { cause: error },
        );
      }
      throw translate(error, what, this.settings);
    }
    if (decoded.schemaType !== this.format.schemaType) {
      throw new ConversionError(
        `${what}: schema ${decoded.schemaId} is ${decoded.schemaType}, not ${this.format.schemaType}; use the converter ` +
          `for ${decoded.schemaType}`,
      );
    }
    try {
      return this.format.toConnect(writer, writerText, decoded);
    } catch (error) {
      throw translate(error, `${what} (schema ${decoded.schemaId})`, this.settings);
    }
  }

  async fromConnectData(
    topic: string,
    schema: ConnectSchema | null,
    value: ConnectValue,
  ): Promise<Buffer | null> {
    if (value === null) return null;
    const what = `cannot write the ${this.isKey ? 'key' : 'value'} of a record to '${topic}' with ${this.format.converterName}`;
    try {
      const connectSchema = schema ?? inferredSchema(value);
      let generated = this.generatedBySchema.get(connectSchema);
      if (generated === undefined) {
        generated = this.format.schemaFor(connectSchema);
        this.generatedBySchema.set(connectSchema, generated);
      }
      const references = await this.registerDependencies(generated);
      const formatValue = this.format.valueFor(connectSchema, value);
      if (this.settings.useLatestVersion) {
        const subject = await this.subjectFor(topic, generated, references);
        return await this.serdes.serialize(topic, formatValue, {
          subject,
          isKey: this.isKey,
          messageName: generated.messageName,
        });
      }
      return await this.serdes.serialize(topic, formatValue, {
        schemaType: this.format.schemaType,
        schema: generated.text,
        references,
        isKey: this.isKey,
        strategy: this.settings.strategy,
        messageName: generated.messageName,
        autoRegister: this.settings.autoRegister,
      });
    } catch (error) {
      throw translate(error, what, this.settings);
    }
  }

  private async subjectFor(
    topic: string,
    generated: GeneratedSchema,
    references: SchemaReference[],
  ): Promise<string> {
    if (this.settings.strategy === 'TopicNameStrategy')
      return subjectName('TopicNameStrategy', topic, this.isKey);
    const resolved = await this.serdes.client.resolveReferences(references);
    const parsed = parseSchema(this.format.schemaType, generated.text, resolved);
    return subjectName(this.settings.strategy, topic, this.isKey, () =>
      recordNameOf(parsed, generated.messageName),
    );
  }

  /** Registers each imported file once (under its file name, as Confluent's serializers do) and references it. */
  private registerDependencies(generated: GeneratedSchema): Promise<SchemaReference[]> {
    const files = Object.entries(generated.dependencies ?? {});
    return Promise.all(
      files.map(([file, text]) => {
        let reference = this.dependencyReferences.get(file);
        if (reference === undefined) {
          reference = (async () => {
            const input = { schemaType: this.format.schemaType, schema: text };
            if (this.settings.autoRegister) await this.serdes.client.register(file, input);
            const found = await this.serdes.client.lookup(file, input);
            return { name: file, subject: file, version: found.version ?? 1 };
          })();
          reference.catch(() => this.dependencyReferences.delete(file));
          this.dependencyReferences.set(file, reference);
        }
        return reference;
      }),
    );
  }
}

/** A converter plugin for one format, with Confluent's class name and its short alias. */
export function registryConverterPlugin(
  className: string,
  aliases: readonly string[],
  format: RegistryFormat,
): ConverterPlugin {
  return {
    className,
    aliases,
    create(settings: Readonly<Record<string, string>>, isKey: boolean, environment: ConverterEnvironment) {
      return new RegistryConverter(format, readRegistrySettings(settings, isKey, environment), isKey);
    },
  };
}
