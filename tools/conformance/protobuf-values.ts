// Case-file JSON to Protobuf messages and back. The schema is Confluent's: proto text from the registry
// (PROTOBUF) or made from the source's columns (PROTOBUF_NOSR), with confluent.type.Decimal for decimals
// and the well-known google types protobufjs ships. Field names match case-insensitively.
import protobuf from 'protobufjs';
import { DecimalNumber } from './compare.js';
import type { SchemaInfo } from '../../src/sql/engine/entities.js';
import type { ColumnInfo } from './codecs.js';
import { isJsonObject, JsonNumber, type JsonValue } from './json-text.js';

export class ProtobufValueError extends Error {
  override readonly name = 'ProtobufValueError';
}

const CONFLUENT_DECIMAL =
  'syntax = "proto3"; package confluent.type; message Decimal { bytes value = 1; uint32 precision = 2; int32 scale = 3; }';
const GOOGLE_TYPES: Record<string, string> = {
  'google/type/date.proto':
    'syntax = "proto3"; package google.type; message Date { int32 year = 1; int32 month = 2; int32 day = 3; }',
  'google/type/timeofday.proto':
    'syntax = "proto3"; package google.type; message TimeOfDay { int32 hours = 1; int32 minutes = 2; int32 seconds = 3; int32 nanos = 4; }',
};
const CONFLUENT_META =
  'syntax = "proto3"; package confluent; message Meta { string doc = 1; map<string, string> params = 2; }';

/** The proto schema's messages, ready to encode and decode. */
export class ProtobufSchema {
  readonly root: protobuf.Root;
  /** Top-level messages in file order: the Confluent message indexes count them. */
  readonly messages: protobuf.Type[];

  /** `referenced`: the texts of the schemas it imports by reference (parsed into the same root). */
  constructor(text: string, referenced: readonly string[] = []) {
    this.root = new protobuf.Root();
    const imports = new Set<string>();
    for (const other of referenced) {
      for (const name of protobuf.parse(other, this.root, { keepCase: true }).imports ?? [])
        imports.add(name);
    }
    const parsed = protobuf.parse(text, this.root, { keepCase: true });
    for (const name of parsed.imports ?? []) imports.add(name);
    for (const imported of imports) {
      // A built-in Confluent file may also have come as a reference: add it only once.
      if (imported === 'confluent/type/decimal.proto') {
        if (!this.root.lookup('confluent.type.Decimal')) {
          protobuf.parse(CONFLUENT_DECIMAL, this.root, { keepCase: true });
        }
      } else if (imported === 'confluent/meta.proto') {
        if (!this.root.lookup('confluent.Meta'))
          protobuf.parse(CONFLUENT_META, this.root, { keepCase: true });
      } else if (GOOGLE_TYPES[imported]) {
        const name = imported === 'google/type/date.proto' ? 'google.type.Date' : 'google.type.TimeOfDay';
        if (!this.root.lookup(name)) protobuf.parse(GOOGLE_TYPES[imported], this.root, { keepCase: true });
      } else {
        const common = protobuf.common.get(imported);
        if (common?.nested) this.root.addJSON(common.nested);
      }
    }
    this.root.resolveAll();
    // The file's own top-level messages, in order (a referenced file's messages share the root).
    const own = protobuf.parse(text, new protobuf.Root(), { keepCase: true });
    const ownScope = own.package ? own.root.lookup(own.package) : own.root;
    const names = ((ownScope as protobuf.Namespace | null)?.nestedArray ?? [])
      .filter((item) => item instanceof protobuf.Type)
      .map((item) => (own.package ? `${own.package}.${item.name}` : item.name));
    this.messages = names
      .map((name) => this.root.lookup(name))
      .filter((item): item is protobuf.Type => item instanceof protobuf.Type);
    if (this.messages.length === 0) throw new ProtobufValueError('the schema has no message');
  }

  /** The index of the top-level message of this (full or simple) name; the first when absent or unknown. */
  indexOf(name: string | undefined): number {
    if (name === undefined) return 0;
    const wanted = name.startsWith('.') ? name : `.${name}`;
    const index = this.messages.findIndex((message) => message.fullName === wanted || message.name === name);
    return Math.max(index, 0);
  }

  encode(value: JsonValue, messageIndex = 0): Buffer {
    const type = this.messages[messageIndex];
    const message = type.fromObject(toMessageObject(value, type) as Record<string, unknown>);
    return Buffer.from(type.encode(message).finish());
  }

  decode(bytes: Uint8Array, messageIndex = 0): JsonValue {
    const type = this.messages[messageIndex] ?? this.messages[0];
    return fromMessage(type.decode(bytes) as unknown as Record<string, unknown>, type);
  }
}

function scaleOf(field: protobuf.Field): number {
  const options = field.options ?? {};
  if (options['(confluent.field_meta).params.key'] === 'scale') {
    return Number(options['(confluent.field_meta).params.value'] ?? 0);
  }
  return 0;
}

function isDecimal(field: protobuf.Field): boolean {
  return (
    field.resolvedType instanceof protobuf.Type && field.resolvedType.fullName === '.confluent.type.Decimal'
  );
}

function unscaledBytes(value: JsonValue, scale: number): Buffer {
  const text = value instanceof JsonNumber ? value.text : String(value);
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new ProtobufValueError(`not a decimal: ${text}`);
  const [, sign, whole, fraction = ''] = match;
  let unscaled = BigInt(`${sign}${whole || '0'}${fraction.padEnd(scale, '0').slice(0, scale)}`);
  const bytes: number[] = [];
  for (;;) {
    bytes.unshift(Number(unscaled & 0xffn));
    const rest = unscaled >> 8n;
    const signBit = (bytes[0] & 0x80) !== 0;
    if ((rest === 0n && !signBit) || (rest === -1n && signBit)) break;
    unscaled = rest;
  }
  return Buffer.from(bytes);
}

function fieldValue(value: JsonValue, field: protobuf.Field): unknown {
  if (value === null) return undefined;
  if (isDecimal(field)) {
    const scale = scaleOf(field);
    return { value: unscaledBytes(value, scale), scale };
  }
  if (field.resolvedType instanceof protobuf.Type) {
    const temporal = temporalMessage(value, field.resolvedType.fullName);
    return temporal ?? toMessageObject(value, field.resolvedType);
  }
  if (value instanceof JsonNumber)
    return field.type === 'int64' || field.type === 'uint64' ? value.text : value.toNumber();
  if (field.type === 'bytes' && typeof value === 'string') return Buffer.from(value, 'base64');
  return value;
}

const MS_PER_DAY = 86_400_000;

/** ksqlDB's case files give TIMESTAMP and TIME as milliseconds and DATE as days; Protobuf has messages. */
function temporalMessage(value: JsonValue, typeName: string): Record<string, number> | undefined {
  if (!(value instanceof JsonNumber) && typeof value !== 'number') return undefined;
  const number = value instanceof JsonNumber ? value.toNumber() : value;
  switch (typeName) {
    case '.google.protobuf.Timestamp': {
      const seconds = Math.floor(number / 1000);
      return { seconds, nanos: (number - seconds * 1000) * 1_000_000 };
    }
    case '.google.type.Date': {
      const date = new Date(number * MS_PER_DAY);
      return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
    }
    case '.google.type.TimeOfDay':
      return {
        hours: Math.floor(number / 3_600_000),
        minutes: Math.floor(number / 60_000) % 60,
        seconds: Math.floor(number / 1000) % 60,
        nanos: (number % 1000) * 1_000_000,
      };
    default:
      return undefined;
  }
}

/** The milliseconds (days for a Date) of a decoded temporal message, as the case files write them. */
function temporalNumber(value: Record<string, unknown>, typeName: string): JsonNumber | undefined {
  const part = (name: string): number => Number(value[name] ?? 0);
  switch (typeName) {
    case '.google.protobuf.Timestamp':
      return new JsonNumber(String(part('seconds') * 1000 + Math.floor(part('nanos') / 1_000_000)));
    case '.google.type.Date':
      return new JsonNumber(String(Date.UTC(part('year'), part('month') - 1, part('day')) / MS_PER_DAY));
    case '.google.type.TimeOfDay':
      return new JsonNumber(
        String(
          part('hours') * 3_600_000 +
            part('minutes') * 60_000 +
            part('seconds') * 1000 +
            Math.floor(part('nanos') / 1_000_000),
        ),
      );
    default:
      return undefined;
  }
}

function toMessageObject(value: JsonValue, type: protobuf.Type): unknown {
  if (!isJsonObject(value))
    throw new ProtobufValueError(`${type.name} needs an object, got ${JSON.stringify(value)}`);
  const byUpper = new Map(Object.entries(value).map(([k, v]) => [k.toUpperCase(), v]));
  const result: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    const given = field.name in value ? value[field.name] : byUpper.get(field.name.toUpperCase());
    if (given === undefined || given === null) continue;
    if (field.map && isJsonObject(given)) {
      result[field.name] = Object.fromEntries(
        Object.entries(given).map(([k, v]) => [k, fieldValue(v, field)]),
      );
    } else if (field.repeated && Array.isArray(given)) {
      result[field.name] = given.map((item) => fieldValue(item, field));
    } else {
      result[field.name] = fieldValue(given, field);
    }
  }
  return result;
}

function scalarOut(value: unknown, field: protobuf.Field): JsonValue {
  if (value === null || value === undefined) return null;
  if (isDecimal(field)) {
    const decimal = value as { value?: Uint8Array; scale?: number };
    const bytes = Buffer.from(decimal.value ?? []);
    let unscaled = 0n;
    for (const byte of bytes) unscaled = (unscaled << 8n) | BigInt(byte);
    if (bytes.length > 0 && (bytes[0] & 0x80) !== 0) unscaled -= 1n << BigInt(bytes.length * 8);
    const scale = decimal.scale ?? 0;
    const negative = unscaled < 0n;
    const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
    const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
    return new DecimalNumber(negative ? `-${text}` : text);
  }
  if (field.resolvedType instanceof protobuf.Type) {
    const record = value as Record<string, unknown>;
    return temporalNumber(record, field.resolvedType.fullName) ?? fromPlain(record, field.resolvedType);
  }
  if (field.resolvedType instanceof protobuf.Enum)
    return field.resolvedType.valuesById[value as number] ?? null;
  if (typeof value === 'number') return new JsonNumber(String(value));
  if (typeof value === 'string' && /int64|fixed64/.test(field.type) && /^-?\d+$/.test(value))
    return new JsonNumber(value);
  if (typeof value === 'object' && value !== null && 'low' in value) return new JsonNumber(String(value));
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value as JsonValue;
}

/** A decoded message as JSON, proto3 defaults included for absent scalars, as ksqlDB reads them. */
function fromMessage(message: Record<string, unknown>, type: protobuf.Type): JsonValue {
  const withDefaults = type.toObject(message as unknown as protobuf.Message, {
    longs: String,
    defaults: true,
    arrays: true,
    objects: true,
  }) as Record<string, unknown>;
  return fromPlain(withDefaults, type);
}

/** A message already turned into a plain object (nested messages too) as JSON. */
function fromPlain(withDefaults: Record<string, unknown>, type: protobuf.Type): JsonValue {
  const result: { [key: string]: JsonValue } = {};
  for (const field of type.fieldsArray) {
    const value = withDefaults[field.name];
    if (field.map) {
      result[field.name] = Object.fromEntries(
        Object.entries((value as Record<string, unknown>) ?? {}).map(([k, v]) => [k, scalarOut(v, field)]),
      );
    } else if (field.repeated) {
      result[field.name] = ((value as unknown[]) ?? []).map((item) => scalarOut(item, field));
    } else if (typeof value === 'string' && /^-?\d+$/.test(value) && /int64|fixed64/.test(field.type)) {
      result[field.name] = new JsonNumber(value);
    } else {
      result[field.name] = scalarOut(value, field);
    }
  }
  return result;
}

const SCALAR_PROTO: Record<string, string> = {
  BOOLEAN: 'bool',
  INTEGER: 'int32',
  INT: 'int32',
  BIGINT: 'int64',
  DOUBLE: 'double',
  STRING: 'string',
  VARCHAR: 'string',
  BYTES: 'bytes',
  DATE: 'google.type.Date',
  TIME: 'google.type.TimeOfDay',
  TIMESTAMP: 'google.protobuf.Timestamp',
};

const IMPORT_OF: Record<string, string> = {
  'google.type.Date': 'google/type/date.proto',
  'google.type.TimeOfDay': 'google/type/timeofday.proto',
  'google.protobuf.Timestamp': 'google/protobuf/timestamp.proto',
  'confluent.type.Decimal': 'confluent/type/decimal.proto',
};

/**
 * The proto ksqlDB derives from the columns (PROTOBUF_NOSR), message ConnectDefault1: repeated fields for
 * ARRAY, map<string, V> for MAP, nested ConnectDefaultN messages for STRUCT, as Connect's ProtobufData does.
 */
export function protoFromColumns(columns: readonly ColumnInfo[]): string {
  const imports = new Set<string>();
  let counter = 1;
  const typeName = (schema: SchemaInfo, nested: string[]): string => {
    const upper = schema.type.toUpperCase();
    if (upper === 'STRUCT') {
      const name = `ConnectDefault${++counter}`;
      nested.push(message(name, schema.fields ?? []));
      return name;
    }
    const name = upper === 'DECIMAL' ? 'confluent.type.Decimal' : SCALAR_PROTO[upper];
    if (!name) throw new ProtobufValueError(`the runner cannot derive a proto field for ${schema.type}`);
    if (IMPORT_OF[name]) imports.add(IMPORT_OF[name]);
    return name;
  };
  const fieldLine = (name: string, schema: SchemaInfo, tag: number, nested: string[]): string => {
    const upper = schema.type.toUpperCase();
    if (upper === 'ARRAY' && schema.memberSchema)
      return `repeated ${typeName(schema.memberSchema, nested)} ${name} = ${tag};`;
    if (upper === 'MAP' && schema.memberSchema)
      return `map<string, ${typeName(schema.memberSchema, nested)}> ${name} = ${tag};`;
    if (upper === 'DECIMAL') {
      imports.add(IMPORT_OF['confluent.type.Decimal']);
      const scale = schema.parameters?.scale ?? 0;
      return `confluent.type.Decimal ${name} = ${tag} [(confluent.field_meta) = { params: [{ key: "scale", value: "${scale}" }] }];`;
    }
    return `${typeName(schema, nested)} ${name} = ${tag};`;
  };
  const message = (name: string, fields: readonly { name: string; schema: SchemaInfo }[]): string => {
    const nested: string[] = [];
    const lines = fields.map((field, index) => fieldLine(field.name, field.schema, index + 1, nested));
    return `message ${name} { ${[...lines, ...nested].join(' ')} }`;
  };
  const body = message(
    'ConnectDefault1',
    columns.map((column) => ({ name: column.name, schema: column.schema ?? schemaOfText(column.type) })),
  );
  if ([...imports].some((file) => file.startsWith('confluent/'))) imports.add('confluent/meta.proto');
  const importLines = [...imports].map((file) => `import "${file}";`).join(' ');
  return `syntax = "proto3"; ${importLines} ${body}`;
}

/** A scalar column's schema from its type text (`INTEGER`, `DECIMAL(4, 2)`). */
function schemaOfText(type: string): SchemaInfo {
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/i.exec(type);
  if (decimal) {
    return {
      type: 'DECIMAL',
      fields: null,
      memberSchema: null,
      parameters: { precision: Number(decimal[1]), scale: Number(decimal[2]) },
    };
  }
  return { type, fields: null, memberSchema: null };
}

/** Confluent's message-index prefix: [0] (the first message) is a single 0 byte. */
export function messageIndexPrefix(index: number): Buffer {
  if (index === 0) return Buffer.from([0]);
  return Buffer.from([2, index * 2]);
}

/** Reads the message-index prefix (zigzag varints) and returns the first index and the body. */
export function readMessageIndex(bytes: Buffer): { index: number; body: Buffer } {
  let offset = 0;
  const readVarint = (): number => {
    let shift = 0;
    let result = 0;
    for (;;) {
      const byte = bytes[offset++];
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
      shift += 7;
    }
    return (result >>> 1) ^ -(result & 1);
  };
  const count = readVarint();
  if (count === 0) return { index: 0, body: bytes.subarray(offset) };
  const indexes: number[] = [];
  for (let i = 0; i < count; i++) indexes.push(readVarint());
  return { index: indexes[0], body: bytes.subarray(offset) };
}
