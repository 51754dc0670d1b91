// Case-file JSON to Protobuf messages and back. The schema is Confluent's: proto text from the registry
// (PROTOBUF) or made from the source's columns (PROTOBUF_NOSR), with confluent.type.Decimal for decimals
// and the well-known google types protobufjs ships. Field names match case-insensitively.
import protobuf from 'protobufjs';
import { DecimalNumber } from './compare.js';
import type { ColumnInfo } from './codecs.js';
import { isJsonObject, JsonNumber, type JsonValue } from './json-text.js';

export class ProtobufValueError extends Error {
  override readonly name = 'ProtobufValueError';
}

const CONFLUENT_DECIMAL =
  'syntax = "proto3"; package confluent.type; message Decimal { bytes value = 1; uint32 precision = 2; int32 scale = 3; }';
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
  if (field.resolvedType instanceof protobuf.Type) return toMessageObject(value, field.resolvedType);
  if (value instanceof JsonNumber)
    return field.type === 'int64' || field.type === 'uint64' ? value.text : value.toNumber();
  if (field.type === 'bytes' && typeof value === 'string') return Buffer.from(value, 'base64');
  return value;
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
    return fromMessage(value as Record<string, unknown>, field.resolvedType);
  }
  if (field.resolvedType instanceof protobuf.Enum)
    return field.resolvedType.valuesById[value as number] ?? null;
  if (typeof value === 'number') return new JsonNumber(String(value));
  if (typeof value === 'object' && value !== null && 'low' in value) return new JsonNumber(String(value));
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value as JsonValue;
}

/** A decoded message as JSON, proto3 defaults included for absent scalars, as ksqlDB reads them. */
function fromMessage(message: Record<string, unknown>, type: protobuf.Type): JsonValue {
  const result: { [key: string]: JsonValue } = {};
  const withDefaults = type.toObject(message as unknown as protobuf.Message, {
    longs: String,
    defaults: true,
    arrays: true,
    objects: true,
  }) as Record<string, unknown>;
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
};

/** The proto ksqlDB derives from scalar columns (PROTOBUF_NOSR), message ConnectDefault1. */
export function protoFromColumns(columns: readonly ColumnInfo[]): string {
  const fields = columns.map((column, index) => {
    const scalar = SCALAR_PROTO[column.type.toUpperCase()];
    if (!scalar) throw new ProtobufValueError(`the runner cannot derive a proto field for ${column.type}`);
    return `${scalar} ${column.name} = ${index + 1};`;
  });
  return `syntax = "proto3"; message ConnectDefault1 { ${fields.join(' ')} }`;
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
