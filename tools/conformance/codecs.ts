// Turns a case's JSON keys and values into record bytes for a source's formats, and a sink's record bytes
// back into JSON to compare, independently of the engine's own serdes (a bug there must not cancel out).
// Formats: JSON, DELIMITED, KAFKA, NONE, PROTOBUF_NOSR (a proto made from the columns), and the registry
// formats AVRO, JSON_SR and PROTOBUF (magic byte and schema id, for Protobuf the message index, the body).
import { AvroConverter, avroType } from './avro-values.js';
import { messageIndexPrefix, ProtobufSchema, protoFromColumns, readMessageIndex } from './protobuf-values.js';
import type { SchemaInfo } from '../../src/sql/engine/entities.js';
import type { WindowSpec } from './cases.js';
import { JsonNumber, parseJsonText, stringifyJsonText, type JsonValue } from './json-text.js';
import type { RegistryClient } from './registry-client.js';

export interface ColumnInfo {
  readonly name: string;
  /** ksqlDB's type text, e.g. `INTEGER`, `DECIMAL(4, 2)`. */
  readonly type: string;
  /** The full type as DESCRIBE gives it (element, fields, decimal scale), when known. */
  readonly schema?: SchemaInfo;
}

/** What the runner knows of a topic's key or value side. */
export interface SideLayout {
  readonly format: string;
  readonly columns: readonly ColumnInfo[];
  readonly delimiter?: string;
  /** false when WRAP_SINGLE_VALUE=false (or a single key column, always unwrapped). */
  readonly wrapped: boolean;
  /** *_SCHEMA_FULL_NAME: which message of a Protobuf schema the records are. */
  readonly schemaFullName?: string;
}

export interface TopicLayout {
  readonly topic: string;
  readonly key: SideLayout;
  readonly value: SideLayout;
  readonly windowType?: 'TUMBLING' | 'HOPPING' | 'SESSION';
}

export class UnsupportedFormatError extends Error {
  override readonly name = 'UnsupportedFormatError';
}

const MAGIC = 0;

function asText(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof JsonNumber) return value.text;
  return stringifyJsonText(value);
}

function primitiveBytes(value: JsonValue, type: string): Buffer {
  const upper = type.toUpperCase();
  const buffer = (size: number, write: (b: Buffer) => void): Buffer => {
    const bytes = Buffer.alloc(size);
    write(bytes);
    return bytes;
  };
  const number = (): number => (value instanceof JsonNumber ? value.toNumber() : Number(value));
  if (upper === 'INTEGER' || upper === 'INT') return buffer(4, (b) => b.writeInt32BE(number()));
  if (upper === 'BIGINT') {
    const big =
      value instanceof JsonNumber && value.isIntegral ? BigInt(value.text) : BigInt(Math.trunc(number()));
    return buffer(8, (b) => b.writeBigInt64BE(big));
  }
  if (upper === 'DOUBLE') return buffer(8, (b) => b.writeDoubleBE(number()));
  if (upper === 'BYTES') return Buffer.from(asText(value), 'base64');
  return Buffer.from(asText(value), 'utf8');
}

function primitiveValue(bytes: Buffer, type: string): JsonValue {
  const upper = type.toUpperCase();
  if ((upper === 'INTEGER' || upper === 'INT') && bytes.length === 4)
    return new JsonNumber(String(bytes.readInt32BE()));
  if (upper === 'BIGINT' && bytes.length === 8) return new JsonNumber(bytes.readBigInt64BE().toString());
  if (upper === 'DOUBLE' && bytes.length === 8) return new JsonNumber(String(bytes.readDoubleBE()));
  if (upper === 'BYTES') return bytes.toString('base64');
  return bytes.toString('utf8');
}

function subject(layout: TopicLayout, isKey: boolean): string {
  return `${layout.topic}-${isKey ? 'key' : 'value'}`;
}

function framed(id: number, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(MAGIC, 0);
  header.writeInt32BE(id, 1);
  return Buffer.concat([header, body]);
}

export class RecordCodec {
  constructor(private readonly registry: RegistryClient | undefined) {}

  async encode(value: JsonValue | undefined, layout: TopicLayout, isKey: boolean): Promise<Buffer | null> {
    if (value === undefined || value === null) return null;
    const side = isKey ? layout.key : layout.value;
    const format = side.format.toUpperCase();
    switch (format) {
      case 'JSON':
        return Buffer.from(stringifyJsonText(value), 'utf8');
      case 'DELIMITED':
        return Buffer.from(asText(value), 'utf8');
      case 'KAFKA':
        return primitiveBytes(value, side.columns[0]?.type ?? 'STRING');
      case 'NONE':
        return null;
      case 'JSON_SR': {
        const id = await this.schemaId(layout, isKey);
        return framed(id, Buffer.from(stringifyJsonText(value), 'utf8'));
      }
      case 'AVRO': {
        const schema = await this.latest(layout, isKey);
        const parsed = JSON.parse(schema.schema) as never;
        const avroValue = new AvroConverter(parsed).toAvro(value);
        return framed(schema.id, avroType(parsed).toBuffer(avroValue));
      }
      case 'PROTOBUF': {
        const schema = await this.latest(layout, isKey);
        const proto = new ProtobufSchema(schema.schema, schema.referenced);
        const index = proto.indexOf(side.schemaFullName);
        const body = proto.encode(value, index);
        return framed(schema.id, Buffer.concat([messageIndexPrefix(index), body]));
      }
      case 'PROTOBUF_NOSR':
        return new ProtobufSchema(protoFromColumns(side.columns)).encode(value);
      default:
        throw new UnsupportedFormatError(`the runner cannot write ${format} records yet`);
    }
  }

  /** The record's key or value as JSON, compared as written (an unwrapped single value stays bare). */
  async decode(bytes: Buffer | null, layout: TopicLayout, isKey: boolean): Promise<JsonValue> {
    return this.decodeBody(bytes, layout, isKey);
  }

  private async decodeBody(bytes: Buffer | null, layout: TopicLayout, isKey: boolean): Promise<JsonValue> {
    if (bytes === null) return null;
    const side = isKey ? layout.key : layout.value;
    const format = side.format.toUpperCase();
    switch (format) {
      case 'JSON':
        return parseJsonText(bytes.toString('utf8'));
      case 'DELIMITED':
        // ksqlDB's runner compares DELIMITED keys and values as the text written.
        return bytes.toString('utf8');
      case 'KAFKA':
        return primitiveValue(bytes, side.columns[0]?.type ?? 'STRING');
      case 'NONE':
        return null;
      case 'JSON_SR':
        return parseJsonText(bytes.subarray(5).toString('utf8'));
      case 'AVRO': {
        if (!this.registry || bytes.length < 5)
          throw new UnsupportedFormatError('AVRO record without a schema id');
        const schema = await this.registry.byIdCached(bytes.readInt32BE(1));
        const parsed = JSON.parse(schema.schema) as never;
        return new AvroConverter(parsed).fromAvro(avroType(parsed).fromBuffer(bytes.subarray(5)));
      }
      case 'PROTOBUF': {
        if (!this.registry || bytes.length < 6)
          throw new UnsupportedFormatError('PROTOBUF record without a schema id');
        const schema = await this.registry.byIdCached(bytes.readInt32BE(1));
        const { index, body } = readMessageIndex(bytes.subarray(5));
        return new ProtobufSchema(schema.schema, schema.referenced).decode(body, index);
      }
      case 'PROTOBUF_NOSR':
        return new ProtobufSchema(protoFromColumns(side.columns)).decode(bytes);
      default:
        throw new UnsupportedFormatError(`the runner cannot read ${format} records yet`);
    }
  }

  private async latest(layout: TopicLayout, isKey: boolean) {
    if (!this.registry) throw new UnsupportedFormatError('no schema registry');
    const found = await this.registry.latest(subject(layout, isKey));
    if (!found) throw new UnsupportedFormatError(`no schema registered for ${subject(layout, isKey)}`);
    return found;
  }

  private async schemaId(layout: TopicLayout, isKey: boolean): Promise<number> {
    return (await this.latest(layout, isKey)).id;
  }
}

/** Appends the window to a serialized key: start for time windows, end then start for sessions. */
export function windowedKey(key: Buffer | null, window: WindowSpec): Buffer {
  const base = key ?? Buffer.alloc(0);
  if (window.type === 'SESSION') {
    const suffix = Buffer.alloc(16);
    suffix.writeBigInt64BE(BigInt(window.end), 0);
    suffix.writeBigInt64BE(BigInt(window.start), 8);
    return Buffer.concat([base, suffix]);
  }
  const suffix = Buffer.alloc(8);
  suffix.writeBigInt64BE(BigInt(window.start), 0);
  return Buffer.concat([base, suffix]);
}

/** Splits a windowed key into the key bytes and the window (a time window's end is start + its size). */
export function splitWindowedKey(
  bytes: Buffer,
  windowType: NonNullable<TopicLayout['windowType']>,
  windowSizeMs: number | undefined,
): { key: Buffer; window: WindowSpec } | undefined {
  if (windowType === 'SESSION') {
    if (bytes.length < 16) return undefined;
    const end = Number(bytes.readBigInt64BE(bytes.length - 16));
    const start = Number(bytes.readBigInt64BE(bytes.length - 8));
    return { key: bytes.subarray(0, bytes.length - 16), window: { start, end, type: 'SESSION' } };
  }
  if (bytes.length < 8) return undefined;
  const start = Number(bytes.readBigInt64BE(bytes.length - 8));
  const end = windowSizeMs === undefined ? Number.NaN : start + windowSizeMs;
  return { key: bytes.subarray(0, bytes.length - 8), window: { start, end, type: 'TIME' } };
}
