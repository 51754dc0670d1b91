// org.apache.kafka.connect.json.JsonConverter. With schemas.enable=true (Kafka's default when a config
// names this converter) every message is Connect's envelope {"schema": ..., "payload": ...}, the schema
// in Connect's JSON form; with false it is plain JSON read without a schema. Numbers are read exactly
// (the sql reader keeps digits a double would lose), so an int64 past 2^53 and decimals survive.
import type { Converter, ConverterPlugin } from '../api/converter.js';
import {
  LOGICAL_TYPES,
  type ConnectField,
  type ConnectObject,
  type ConnectSchema,
  type ConnectSchemaType,
  type ConnectValue,
  type SchemaAndValue,
  isConnectObject,
} from '../api/data.js';
import { ConnectConfigError, ConversionError } from '../api/errors.js';
import {
  JsonNumberText,
  JsonObject,
  readJson,
  type JsonValue as ReadValue,
} from '../../serdes/exact-json.js';

type DecimalFormat = 'BASE64' | 'NUMERIC';

export interface JsonConverterSettings {
  readonly schemasEnabled: boolean;
  readonly decimalFormat: DecimalFormat;
  readonly replaceNullWithDefault: boolean;
}

const SCHEMA_TYPES: readonly ConnectSchemaType[] = [
  'int8',
  'int16',
  'int32',
  'int64',
  'float32',
  'float64',
  'boolean',
  'string',
  'bytes',
  'array',
  'map',
  'struct',
];
const MS_PER_DAY = 86_400_000;

function booleanSetting(settings: Readonly<Record<string, string>>, key: string, fallback: boolean): boolean {
  const raw = settings[key];
  if (raw === undefined) return fallback;
  const lowered = raw.trim().toLowerCase();
  if (lowered === 'true') return true;
  if (lowered === 'false') return false;
  throw new ConnectConfigError(key, `${key} must be true or false, not "${raw}"`);
}

export function jsonConverterSettings(settings: Readonly<Record<string, string>>): JsonConverterSettings {
  const decimalFormat = (settings['decimal.format'] ?? 'BASE64').toUpperCase();
  if (decimalFormat !== 'BASE64' && decimalFormat !== 'NUMERIC')
    throw new ConnectConfigError(
      'decimal.format',
      `decimal.format must be BASE64 or NUMERIC, not "${settings['decimal.format']}"`,
    );
  const cacheSize = settings['schemas.cache.size'];
  if (cacheSize !== undefined && !/^\d+$/.test(cacheSize.trim()))
    throw new ConnectConfigError(
      'schemas.cache.size',
      `schemas.cache.size must be a whole number, not "${cacheSize}"`,
    );
  return {
    schemasEnabled: booleanSetting(settings, 'schemas.enable', true),
    decimalFormat,
    replaceNullWithDefault: booleanSetting(settings, 'replace.null.with.default', true),
  };
}

// ---- reading -------------------------------------------------------------------------------------

function fail(message: string): never {
  throw new ConversionError(message);
}

function member(object: JsonObject, name: string): ReadValue | undefined {
  const index = object.names.lastIndexOf(name);
  return index < 0 ? undefined : object.values[index];
}

/** Plain JSON as Connect's schemaless value: objects as plain objects, big or fractional numbers exact enough. */
export function schemalessValue(value: ReadValue): ConnectValue {
  if (value instanceof JsonNumberText) return value.integral ? BigInt(value.text) : Number(value.text);
  if (value instanceof JsonObject) {
    const object: Record<string, ConnectValue> = {};
    value.names.forEach((name, index) => (object[name] = schemalessValue(value.values[index])));
    return object;
  }
  if (Array.isArray(value)) return value.map(schemalessValue);
  return value;
}

/** Connect's schema JSON ({"type": "struct", "fields": [...], ...}) as a ConnectSchema. */
export function schemaFromJson(json: ReadValue, where = 'schema'): ConnectSchema {
  if (!(json instanceof JsonObject)) fail(`${where} must be a JSON object with a "type"`);
  const type = member(json, 'type');
  if (typeof type !== 'string' || !SCHEMA_TYPES.includes(type as ConnectSchemaType))
    fail(`${where} has no known "type" (one of ${SCHEMA_TYPES.join(', ')})`);
  const optional = member(json, 'optional');
  const name = member(json, 'name');
  const version = member(json, 'version');
  const doc = member(json, 'doc');
  const parameters = member(json, 'parameters');
  const schema: {
    -readonly [K in keyof ConnectSchema]: ConnectSchema[K];
  } = { type: type as ConnectSchemaType, optional: optional === true };
  if (typeof name === 'string') schema.name = name;
  if (typeof version === 'number') schema.version = version;
  if (typeof doc === 'string') schema.doc = doc;
  if (parameters instanceof JsonObject) {
    const entries: Record<string, string> = {};
    parameters.names.forEach((key, index) => {
      const parameter = parameters.values[index];
      entries[key] = typeof parameter === 'string' ? parameter : String(schemalessValue(parameter));
    });
    schema.parameters = entries;
  }
  if (type === 'struct') {
    const fields = member(json, 'fields');
    if (!Array.isArray(fields)) fail(`${where}: a struct schema needs a "fields" array`);
    schema.fields = fields.map((field, index): ConnectField => {
      const fieldName = field instanceof JsonObject ? member(field, 'field') : undefined;
      if (typeof fieldName !== 'string') fail(`${where}: field ${index} has no "field" name`);
      return { name: fieldName, index, schema: schemaFromJson(field, `${where}.${fieldName}`) };
    });
  }
  if (type === 'array') schema.valueSchema = schemaFromJson(member(json, 'items') ?? null, `${where}.items`);
  if (type === 'map') {
    schema.keySchema = schemaFromJson(member(json, 'keys') ?? null, `${where}.keys`);
    schema.valueSchema = schemaFromJson(member(json, 'values') ?? null, `${where}.values`);
  }
  const fallback = member(json, 'default');
  if (fallback !== undefined && fallback !== null)
    schema.defaultValue = payloadValue(schema, fallback, 'BASE64', `${where}.default`);
  return schema;
}

function integerOf(value: ReadValue, where: string): bigint {
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (value instanceof JsonNumberText && value.integral) return BigInt(value.text);
  return fail(`${where} must be a whole number`);
}

function numberOf(value: ReadValue, where: string): number {
  if (typeof value === 'number') return value;
  if (value instanceof JsonNumberText) return Number(value.text);
  return fail(`${where} must be a number`);
}

function boundedInteger(value: ReadValue, bits: number, where: string): number {
  const whole = integerOf(value, where);
  const limit = 1n << BigInt(bits - 1);
  if (whole < -limit || whole >= limit) fail(`${where} (${whole}) does not fit in int${bits}`);
  return Number(whole);
}

/** A decimal's unscaled two's-complement bytes and scale as its text, e.g. 1234 scale 2: "12.34". */
export function decimalText(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString();
  if (scale <= 0) return (negative ? '-' : '') + digits + '0'.repeat(-scale);
  const padded = digits.padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
}

export function bytesToBigint(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let result = 0n;
  for (const byte of bytes) result = (result << 8n) | BigInt(byte);
  return bytes[0] & 0x80 ? result - (1n << BigInt(bytes.length * 8)) : result;
}

export function bigintToBytes(value: bigint): Uint8Array {
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.unshift(Number(rest & 0xffn));
    rest >>= 8n;
  } while (!(rest === 0n && (bytes[0] & 0x80) === 0) && !(rest === -1n && (bytes[0] & 0x80) !== 0));
  return Uint8Array.from(bytes);
}

/** A decimal's text at the given scale as its unscaled integer ("12.3" scale 2: 1230). */
export function unscaledOf(text: string, scale: number): bigint {
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!match) throw new ConversionError(`"${text}" is not a decimal number`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > scale && /[1-9]/.test(fraction.slice(scale)))
    throw new ConversionError(`${text} has more than ${scale} digits after the point`);
  const digits = `${whole}${fraction.slice(0, scale).padEnd(scale, '0')}`;
  const unscaled = BigInt(digits === '' ? '0' : digits);
  return sign === '-' ? -unscaled : unscaled;
}

function scaleOf(schema: ConnectSchema): number {
  const scale = Number(schema.parameters?.scale ?? '0');
  return Number.isInteger(scale) ? scale : 0;
}

/** A payload read with its schema, as Connect's value (api/data.ts says which JS type each gets). */
export function payloadValue(
  schema: ConnectSchema,
  value: ReadValue,
  decimalFormat: DecimalFormat,
  where = 'payload',
): ConnectValue {
  if (value === null) {
    if (schema.defaultValue !== undefined) return schema.defaultValue;
    if (schema.optional) return null;
    return fail(`${where} is null but its schema is not optional`);
  }
  if (schema.name === LOGICAL_TYPES.decimal) {
    const scale = scaleOf(schema);
    if (typeof value === 'string') return decimalText(bytesToBigint(Buffer.from(value, 'base64')), scale);
    if (typeof value === 'number' || value instanceof JsonNumberText) {
      const text = value instanceof JsonNumberText ? value.text : String(value);
      return decimalText(unscaledOf(/e/i.test(text) ? Number(text).toFixed(scale) : text, scale), scale);
    }
    return fail(`${where} must be a decimal (${decimalFormat === 'BASE64' ? 'base64 text' : 'a number'})`);
  }
  if (schema.name === LOGICAL_TYPES.date) return new Date(boundedInteger(value, 32, where) * MS_PER_DAY);
  if (schema.name === LOGICAL_TYPES.time) return new Date(boundedInteger(value, 32, where));
  if (schema.name === LOGICAL_TYPES.timestamp) return new Date(Number(integerOf(value, where)));
  switch (schema.type) {
    case 'int8':
      return boundedInteger(value, 8, where);
    case 'int16':
      return boundedInteger(value, 16, where);
    case 'int32':
      return boundedInteger(value, 32, where);
    case 'int64': {
      const whole = integerOf(value, where);
      if (whole < -(1n << 63n) || whole >= 1n << 63n) fail(`${where} (${whole}) does not fit in int64`);
      return whole;
    }
    case 'float32':
    case 'float64':
      return numberOf(value, where);
    case 'boolean':
      return typeof value === 'boolean' ? value : fail(`${where} must be true or false`);
    case 'string':
      return typeof value === 'string' ? value : fail(`${where} must be a string`);
    case 'bytes':
      return typeof value === 'string'
        ? Uint8Array.from(Buffer.from(value, 'base64'))
        : fail(`${where} must be base64 text (bytes)`);
    case 'array': {
      if (!Array.isArray(value)) return fail(`${where} must be an array`);
      const items = schema.valueSchema as ConnectSchema;
      return value.map((item, index) => payloadValue(items, item, decimalFormat, `${where}[${index}]`));
    }
    case 'map': {
      const keys = schema.keySchema as ConnectSchema;
      const values = schema.valueSchema as ConnectSchema;
      const map = new Map<ConnectValue, ConnectValue>();
      if (keys.type === 'string' && value instanceof JsonObject) {
        value.names.forEach((name, index) =>
          map.set(name, payloadValue(values, value.values[index], decimalFormat, `${where}.${name}`)),
        );
        return map;
      }
      // Maps with non-string keys travel as an array of [key, value] pairs.
      if (!Array.isArray(value)) return fail(`${where} must be an object or an array of [key, value] pairs`);
      for (const [index, pair] of value.entries()) {
        if (!Array.isArray(pair) || pair.length !== 2) fail(`${where}[${index}] must be a [key, value] pair`);
        map.set(
          payloadValue(keys, pair[0], decimalFormat, `${where}[${index}] key`),
          payloadValue(values, pair[1], decimalFormat, `${where}[${index}] value`),
        );
      }
      return map;
    }
    case 'struct': {
      if (!(value instanceof JsonObject)) return fail(`${where} must be an object (struct)`);
      const struct: Record<string, ConnectValue> = {};
      for (const field of schema.fields ?? [])
        struct[field.name] = payloadValue(
          field.schema,
          member(value, field.name) ?? null,
          decimalFormat,
          `${where}.${field.name}`,
        );
      return struct;
    }
  }
}

// ---- writing -------------------------------------------------------------------------------------

/** JSON text for a schemaless value: bigints exact, bytes as base64, dates as epoch milliseconds. */
export function schemalessJson(value: ConnectValue): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number')
    return Number.isFinite(value) ? JSON.stringify(value) : JSON.stringify(String(value));
  if (typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Date) return String(value.getTime());
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (Array.isArray(value)) return `[${value.map((item: ConnectValue) => schemalessJson(item)).join(',')}]`;
  if (value instanceof Map) {
    const entries = [...(value as ReadonlyMap<ConnectValue, ConnectValue>)];
    return `{${entries.map(([key, inner]) => `${JSON.stringify(typeof key === 'string' ? key : schemalessJson(key))}:${schemalessJson(inner)}`).join(',')}}`;
  }
  const object = value as ConnectObject;
  return `{${Object.keys(object)
    .map((key) => `${JSON.stringify(key)}:${schemalessJson(object[key])}`)
    .join(',')}}`;
}

function wrongType(schema: ConnectSchema, value: ConnectValue, where: string): never {
  throw new ConversionError(`${where}: ${typeof value} value does not match its ${schema.type} schema`);
}

function dateOf(value: ConnectValue, schema: ConnectSchema, where: string): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value));
  return wrongType(schema, value, where);
}

/** JSON text for a value with its schema, as Connect writes the envelope's payload. */
export function payloadJson(
  schema: ConnectSchema,
  value: ConnectValue,
  decimalFormat: DecimalFormat,
  where = 'value',
): string {
  if (value === null || value === undefined) {
    if (schema.defaultValue !== undefined)
      return payloadJson(schema, schema.defaultValue, decimalFormat, where);
    if (schema.optional) return 'null';
    throw new ConversionError(`${where} is null but its schema is not optional`);
  }
  if (schema.name === LOGICAL_TYPES.decimal) {
    const scale = scaleOf(schema);
    const text =
      typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint'
        ? String(value)
        : wrongType(schema, value, where);
    const unscaled = unscaledOf(text, scale);
    return decimalFormat === 'NUMERIC'
      ? decimalText(unscaled, scale)
      : JSON.stringify(Buffer.from(bigintToBytes(unscaled)).toString('base64'));
  }
  if (schema.name === LOGICAL_TYPES.date)
    return String(Math.floor(dateOf(value, schema, where).getTime() / MS_PER_DAY));
  if (schema.name === LOGICAL_TYPES.time) {
    const ms = dateOf(value, schema, where).getTime();
    return String(((ms % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY);
  }
  if (schema.name === LOGICAL_TYPES.timestamp) return String(dateOf(value, schema, where).getTime());
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'float32':
    case 'float64':
      if (typeof value === 'number' || typeof value === 'bigint') return schemalessJson(value);
      return wrongType(schema, value, where);
    case 'boolean':
      return typeof value === 'boolean' ? String(value) : wrongType(schema, value, where);
    case 'string':
      return typeof value === 'string' ? JSON.stringify(value) : wrongType(schema, value, where);
    case 'bytes':
      if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
      if (typeof value === 'string') return JSON.stringify(Buffer.from(value).toString('base64'));
      return wrongType(schema, value, where);
    case 'array': {
      if (!Array.isArray(value)) return wrongType(schema, value, where);
      const items = schema.valueSchema as ConnectSchema;
      return `[${value.map((item: ConnectValue, index) => payloadJson(items, item, decimalFormat, `${where}[${index}]`)).join(',')}]`;
    }
    case 'map': {
      const keys = schema.keySchema as ConnectSchema;
      const values = schema.valueSchema as ConnectSchema;
      const entries: [ConnectValue, ConnectValue][] =
        value instanceof Map
          ? [...(value as ReadonlyMap<ConnectValue, ConnectValue>)]
          : typeof value === 'object' &&
              !(value instanceof Uint8Array) &&
              !(value instanceof Date) &&
              !Array.isArray(value)
            ? Object.entries(value as ConnectObject)
            : wrongType(schema, value, where);
      if (keys.type === 'string')
        return `{${entries.map(([key, inner]) => `${JSON.stringify(String(key))}:${payloadJson(values, inner, decimalFormat, `${where}.${String(key)}`)}`).join(',')}}`;
      return `[${entries.map(([key, inner]) => `[${payloadJson(keys, key, decimalFormat, `${where} key`)},${payloadJson(values, inner, decimalFormat, `${where} value`)}]`).join(',')}]`;
    }
    case 'struct': {
      if (!isConnectObject(value)) return wrongType(schema, value, where);
      const struct = value as ConnectObject;
      return `{${(schema.fields ?? [])
        .map(
          (field) =>
            `${JSON.stringify(field.name)}:${payloadJson(field.schema, struct[field.name] ?? null, decimalFormat, `${where}.${field.name}`)}`,
        )
        .join(',')}}`;
    }
  }
}

/** Connect's JSON form of a schema, as the envelope carries it. */
export function schemaJson(schema: ConnectSchema, decimalFormat: DecimalFormat, fieldName?: string): string {
  const parts: string[] = [`"type":${JSON.stringify(schema.type)}`];
  if (schema.type === 'struct')
    parts.push(
      `"fields":[${(schema.fields ?? []).map((field) => schemaJson(field.schema, decimalFormat, field.name)).join(',')}]`,
    );
  if (schema.type === 'array')
    parts.push(`"items":${schemaJson(schema.valueSchema as ConnectSchema, decimalFormat)}`);
  if (schema.type === 'map')
    parts.push(
      `"keys":${schemaJson(schema.keySchema as ConnectSchema, decimalFormat)}`,
      `"values":${schemaJson(schema.valueSchema as ConnectSchema, decimalFormat)}`,
    );
  parts.push(`"optional":${schema.optional}`);
  if (schema.defaultValue !== undefined && schema.defaultValue !== null)
    parts.push(`"default":${payloadJson(schema, schema.defaultValue, decimalFormat)}`);
  if (schema.name !== undefined) parts.push(`"name":${JSON.stringify(schema.name)}`);
  if (schema.version !== undefined) parts.push(`"version":${schema.version}`);
  if (schema.doc !== undefined) parts.push(`"doc":${JSON.stringify(schema.doc)}`);
  if (schema.parameters !== undefined) parts.push(`"parameters":${JSON.stringify(schema.parameters)}`);
  if (fieldName !== undefined) parts.push(`"field":${JSON.stringify(fieldName)}`);
  return `{${parts.join(',')}}`;
}

export class JsonConverter implements Converter {
  constructor(private readonly settings: JsonConverterSettings) {}

  toConnectData(topic: string, data: Buffer | null): Promise<SchemaAndValue> {
    return Promise.resolve().then(() => this.#read(topic, data));
  }

  fromConnectData(_topic: string, schema: ConnectSchema | null, value: ConnectValue): Promise<Buffer | null> {
    return Promise.resolve().then(() => {
      const { schemasEnabled, decimalFormat } = this.settings;
      if (value === null && (!schemasEnabled || schema === null)) return null;
      const payload = schema ? payloadJson(schema, value, decimalFormat) : schemalessJson(value);
      if (!schemasEnabled) return Buffer.from(payload);
      const schemaText = schema ? schemaJson(schema, decimalFormat) : 'null';
      return Buffer.from(`{"schema":${schemaText},"payload":${payload}}`);
    });
  }

  #read(topic: string, data: Buffer | null): SchemaAndValue {
    if (data === null || data.length === 0) return { schema: null, value: null };
    let parsed: ReadValue;
    try {
      parsed = readJson(data.toString('utf8'));
    } catch (error) {
      throw new ConversionError(
        `the record from topic ${topic} is not valid JSON: ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (!this.settings.schemasEnabled) return { schema: null, value: schemalessValue(parsed) };
    if (
      !(parsed instanceof JsonObject) ||
      parsed.names.length !== 2 ||
      member(parsed, 'schema') === undefined ||
      member(parsed, 'payload') === undefined
    )
      throw new ConversionError(
        `JsonConverter with schemas.enable=true reads only {"schema": ..., "payload": ...} envelopes, and the record from topic ${topic} is not one; for plain JSON set schemas.enable=false on the converter (e.g. value.converter.schemas.enable=false)`,
      );
    const schemaPart = member(parsed, 'schema') ?? null;
    const payload = member(parsed, 'payload') ?? null;
    if (schemaPart === null) return { schema: null, value: schemalessValue(payload) };
    const schema = schemaFromJson(schemaPart);
    return { schema, value: payloadValue(schema, payload, this.settings.decimalFormat) };
  }
}

export const jsonConverterPlugin: ConverterPlugin = {
  className: 'org.apache.kafka.connect.json.JsonConverter',
  aliases: ['JsonConverter'],
  create: (settings) => new JsonConverter(jsonConverterSettings(settings)),
};
