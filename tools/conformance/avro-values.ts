// Case-file JSON to Avro values and back, walking the Avro schema (as JSON). Unions are always wrapped for
// avsc (`{branch: value}`), so a value's branch is chosen here, by trying each branch in order as ksqlDB's
// test serde does. Field names match case-insensitively (the cases write `id` for a field `ID`).
import avro from 'avsc';
import { DecimalNumber } from './compare.js';
import { isJsonObject, JsonNumber, type JsonValue } from './json-text.js';

type AvroSchema = string | AvroSchema[] | { [key: string]: unknown };

export class AvroValueError extends Error {
  override readonly name = 'AvroValueError';
}

/** Avro longs as BigInt, so BIGINT keys such as 998877665544332211 keep every digit. */
const exactLong = avro.types.LongType.__with({
  fromBuffer: (buffer: Buffer) => buffer.readBigInt64LE(),
  toBuffer: (value: bigint) => {
    const buffer = Buffer.alloc(8);
    buffer.writeBigInt64LE(value);
    return buffer;
  },
  fromJSON: (value: number | string) => BigInt(value),
  toJSON: (value: bigint) => Number(value),
  isValid: (value: unknown) => typeof value === 'bigint',
  compare: (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0),
});

/**
 * `{"type": "long", "logicalType": ...}` as plain `"long"`, so the exact long applies there too (avsc only
 * swaps named references); logical types are converted here, not by avsc.
 */
function plainPrimitives(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(plainPrimitives);
  if (typeof schema !== 'object' || schema === null) return schema;
  const object = schema as Record<string, unknown>;
  if (typeof object.type === 'string' && PRIMITIVES.has(object.type)) return object.type;
  const copy: Record<string, unknown> = { ...object };
  if (typeof copy.type === 'object') copy.type = plainPrimitives(copy.type);
  if (copy.items !== undefined) copy.items = plainPrimitives(copy.items);
  if (copy.values !== undefined) copy.values = plainPrimitives(copy.values);
  if (Array.isArray(copy.fields)) {
    copy.fields = (copy.fields as Record<string, unknown>[]).map((field) => ({
      ...field,
      type: plainPrimitives(field.type),
    }));
  }
  return copy;
}

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

export function avroType(schema: AvroSchema): avro.Type {
  return avro.Type.forSchema(plainPrimitives(schema) as avro.Schema, {
    wrapUnions: true,
    registry: { long: exactLong },
  });
}

/** Names of named types by their full name, so references (`"type": "io.x.Rec"`) resolve. */
function collectNamed(schema: AvroSchema, namespace: string, named: Map<string, AvroSchema>): void {
  if (Array.isArray(schema)) return schema.forEach((branch) => collectNamed(branch, namespace, named));
  if (typeof schema !== 'object' || schema === null) return;
  const type = schema.type;
  if ((type === 'record' || type === 'enum' || type === 'fixed') && typeof schema.name === 'string') {
    const space = typeof schema.namespace === 'string' ? schema.namespace : namespace;
    const full = schema.name.includes('.') || !space ? schema.name : `${space}.${schema.name}`;
    named.set(full, schema);
    named.set(schema.name, schema);
    if (Array.isArray(schema.fields)) {
      for (const field of schema.fields as { type: AvroSchema }[]) collectNamed(field.type, space, named);
    }
  }
  if (type === 'array') collectNamed(schema.items as AvroSchema, namespace, named);
  if (type === 'map') collectNamed(schema.values as AvroSchema, namespace, named);
  if (typeof type === 'object') collectNamed(type as AvroSchema, namespace, named);
}

export class AvroConverter {
  private readonly named = new Map<string, AvroSchema>();
  constructor(private readonly schema: AvroSchema) {
    collectNamed(schema, '', this.named);
  }

  toAvro(value: JsonValue): unknown {
    return this.encode(value, this.schema);
  }

  fromAvro(value: unknown): JsonValue {
    return this.decode(value, this.schema);
  }

  private resolve(schema: AvroSchema): AvroSchema {
    if (typeof schema === 'string' && this.named.has(schema)) return this.named.get(schema) as AvroSchema;
    if (typeof schema === 'object' && !Array.isArray(schema) && typeof schema.type === 'object') {
      return this.resolve(schema.type as AvroSchema);
    }
    return schema;
  }

  private branchName(schema: AvroSchema): string {
    const resolved = this.resolve(schema);
    if (typeof resolved === 'string') return resolved;
    if (Array.isArray(resolved)) return 'union';
    const type = String(resolved.type);
    if (type === 'record' || type === 'enum' || type === 'fixed') {
      const name = String(resolved.name);
      const space = typeof resolved.namespace === 'string' ? resolved.namespace : '';
      // avsc names a branch by the full name, inheriting the namespace when the name has none.
      return name.includes('.') || !space ? this.fullName(name) : `${space}.${name}`;
    }
    return type;
  }

  private fullName(name: string): string {
    for (const [key, schema] of this.named) {
      if (key.endsWith(`.${name}`) && schema === this.named.get(name)) return key;
    }
    return name;
  }

  private encode(value: JsonValue, schema: AvroSchema): unknown {
    const resolved = this.resolve(schema);
    if (Array.isArray(resolved)) {
      if (value === null && resolved.some((branch) => this.resolve(branch) === 'null')) return null;
      for (const branch of resolved) {
        if (this.resolve(branch) === 'null') continue;
        try {
          return { [this.branchName(branch)]: this.encode(value, branch) };
        } catch {
          // try the next branch
        }
      }
      throw new AvroValueError(`no union branch fits ${JSON.stringify(value)}`);
    }
    const type = typeof resolved === 'string' ? resolved : String(resolved.type);
    const logical = typeof resolved === 'object' ? resolved.logicalType : undefined;
    if (value === null) {
      if (type === 'null') return null;
      throw new AvroValueError(`null for non-null ${type}`);
    }
    switch (type) {
      case 'boolean':
        if (typeof value !== 'boolean') throw new AvroValueError('not a boolean');
        return value;
      case 'int':
      case 'long':
      case 'float':
      case 'double': {
        const number =
          value instanceof JsonNumber ? value.toNumber() : typeof value === 'string' ? Number(value) : NaN;
        if (Number.isNaN(number) || typeof value === 'boolean')
          throw new AvroValueError(`not a number: ${value}`);
        if ((type === 'int' || type === 'long') && !Number.isInteger(number))
          throw new AvroValueError('not integral');
        if (type === 'long') {
          return value instanceof JsonNumber && value.isIntegral ? BigInt(value.text) : BigInt(number);
        }
        return number;
      }
      case 'string':
        if (typeof value === 'string') return value;
        if (value instanceof JsonNumber) return value.text;
        throw new AvroValueError('not a string');
      case 'bytes':
      case 'fixed':
        if (logical === 'decimal' && typeof resolved === 'object') {
          return decimalBytes(value, Number(resolved.scale ?? 0));
        }
        if (typeof value !== 'string') throw new AvroValueError('bytes must be base64 text');
        return Buffer.from(value, 'base64');
      case 'enum':
        if (typeof value !== 'string') throw new AvroValueError('not an enum symbol');
        return value;
      case 'array': {
        if (!Array.isArray(value)) throw new AvroValueError('not an array');
        const items = (resolved as { items: AvroSchema }).items;
        return value.map((item) => this.encode(item, items));
      }
      case 'map': {
        if (!isJsonObject(value)) throw new AvroValueError('not an object');
        const values = (resolved as { values: AvroSchema }).values;
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.encode(v, values)]));
      }
      case 'record': {
        if (!isJsonObject(value)) throw new AvroValueError('not an object');
        const fields = (resolved as { fields: { name: string; type: AvroSchema }[] }).fields;
        const byUpper = new Map(Object.entries(value).map(([k, v]) => [k.toUpperCase(), v]));
        const record: Record<string, unknown> = {};
        for (const field of fields) {
          const given = field.name in value ? value[field.name] : byUpper.get(field.name.toUpperCase());
          record[field.name] = this.encode(given === undefined ? null : given, field.type);
        }
        return record;
      }
      default:
        throw new AvroValueError(`unsupported Avro type ${type}`);
    }
  }

  private decode(value: unknown, schema: AvroSchema): JsonValue {
    const resolved = this.resolve(schema);
    if (Array.isArray(resolved)) {
      if (value === null) return null;
      const [branchName, inner] = Object.entries(value as Record<string, unknown>)[0];
      const branch = resolved.find((candidate) => this.branchName(candidate) === branchName) ?? resolved[0];
      return this.decode(inner, branch);
    }
    if (value === null || value === undefined) return null;
    const type = typeof resolved === 'string' ? resolved : String(resolved.type);
    const logical = typeof resolved === 'object' ? resolved.logicalType : undefined;
    switch (type) {
      case 'int':
      case 'long':
      case 'float':
      case 'double':
        return new JsonNumber(String(value));
      case 'bytes':
      case 'fixed':
        if (logical === 'decimal' && typeof resolved === 'object') {
          return decimalFromBytes(value as Buffer, Number(resolved.scale ?? 0));
        }
        return (value as Buffer).toString('base64');
      case 'array':
        return (value as unknown[]).map((item) =>
          this.decode(item, (resolved as { items: AvroSchema }).items),
        );
      case 'map': {
        const values = (resolved as { values: AvroSchema }).values;
        return Object.fromEntries(
          Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, this.decode(v, values)]),
        );
      }
      case 'record': {
        const fields = (resolved as { fields: { name: string; type: AvroSchema }[] }).fields;
        const record = value as Record<string, unknown>;
        return Object.fromEntries(
          fields.map((field) => [field.name, this.decode(record[field.name], field.type)]),
        );
      }
      default:
        return value as JsonValue;
    }
  }
}

function decimalBytes(value: JsonValue, scale: number): Buffer {
  const text = value instanceof JsonNumber ? value.text : typeof value === 'string' ? value : undefined;
  if (text === undefined) throw new AvroValueError('not a decimal');
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new AvroValueError(`not a decimal: ${text}`);
  const [, sign, whole, fraction = ''] = match;
  const padded = fraction.padEnd(scale, '0');
  if (padded.length > scale) throw new AvroValueError(`${text} has more than ${scale} places`);
  let unscaled = BigInt(`${sign}${whole || '0'}${padded}`);
  // Two's complement, big-endian, as few bytes as hold the value.
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

function decimalFromBytes(bytes: Buffer, scale: number): DecimalNumber {
  let unscaled = 0n;
  for (const byte of bytes) unscaled = (unscaled << 8n) | BigInt(byte);
  if (bytes.length > 0 && (bytes[0] & 0x80) !== 0) unscaled -= 1n << BigInt(bytes.length * 8);
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return new DecimalNumber(negative ? `-${text}` : text);
}
