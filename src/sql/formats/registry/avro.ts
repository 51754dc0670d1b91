// AVRO: the schema ksqlDB derives from columns (a record io.confluent.ksql.avro_schemas.KsqlDataSourceSchema
// of optional fields, or the bare type of an unwrapped column), the columns of a registered schema, and
// value converters built by walking a writer/reader schema beside the SQL type, so logical types (date,
// time-millis, timestamp-millis, decimal) and names resolve once, not per record.
import { SqlDecimal, SqlTypes, type SqlStruct, type SqlType, type SqlValue } from '../../types/index.js';
import type { Column } from '../../planner/schema.js';
import { FormatError } from '../format.js';
import { matchField } from './names.js';

export const DEFAULT_AVRO_FULL_NAME = 'io.confluent.ksql.avro_schemas.KsqlDataSourceSchema';

/** An Avro schema as JSON. */
export type AvroSchema = string | AvroSchema[] | { readonly [key: string]: unknown };
type AvroObject = { readonly [key: string]: unknown };

function splitName(fullName: string): { name: string; namespace?: string } {
  const dot = fullName.lastIndexOf('.');
  return dot < 0 ? { name: fullName } : { name: fullName.slice(dot + 1), namespace: fullName.slice(0, dot) };
}

function avroTypeOf(type: SqlType, recordName: string): AvroSchema {
  switch (type.kind) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INTEGER':
      return 'int';
    case 'BIGINT':
      return 'long';
    case 'DOUBLE':
      return 'double';
    case 'STRING':
      return 'string';
    case 'BYTES':
      return 'bytes';
    case 'DECIMAL':
      return { type: 'bytes', logicalType: 'decimal', precision: type.precision, scale: type.scale };
    case 'DATE':
      return { type: 'int', logicalType: 'date' };
    case 'TIME':
      return { type: 'int', logicalType: 'time-millis' };
    case 'TIMESTAMP':
      return { type: 'long', logicalType: 'timestamp-millis' };
    case 'ARRAY':
      return { type: 'array', items: ['null', avroTypeOf(type.element, recordName)] };
    case 'MAP':
      return { type: 'map', values: ['null', avroTypeOf(type.value, recordName)] };
    case 'STRUCT':
      return record(recordName, type.fields);
  }
}

function record(fullName: string, fields: readonly { name: string; type: SqlType }[]): AvroSchema {
  return {
    type: 'record',
    ...splitName(fullName),
    fields: fields.map((field) => ({
      name: field.name,
      type: ['null', avroTypeOf(field.type, `${fullName}_${field.name}`)],
      default: null,
    })),
  };
}

/** The schema ksqlDB registers for these columns. */
export function avroSchemaFor(columns: readonly Column[], unwrapped: boolean, fullName?: string): AvroSchema {
  const name = fullName ?? DEFAULT_AVRO_FULL_NAME;
  if (unwrapped) return avroTypeOf(columns[0].type, name);
  return record(name, columns);
}

// ---------------------------------------------------------------- reading a schema

/** Named types of a schema by full name (records, enums, fixed), to follow references by name. */
export class AvroNames {
  private readonly named = new Map<string, AvroObject>();

  constructor(schema: AvroSchema) {
    this.collect(schema, '');
  }

  private collect(schema: AvroSchema, namespace: string): void {
    if (Array.isArray(schema)) {
      schema.forEach((branch) => this.collect(branch, namespace));
      return;
    }
    if (typeof schema !== 'object' || schema === null) return;
    const type = schema.type;
    if (typeof type === 'object' && type !== null) {
      this.collect(type as AvroSchema, namespace);
      return;
    }
    if (type === 'record' || type === 'error' || type === 'enum' || type === 'fixed') {
      const name = String(schema.name);
      const ns = typeof schema.namespace === 'string' ? schema.namespace : namespace;
      const full = name.includes('.') || ns === '' ? name : `${ns}.${name}`;
      this.named.set(full, schema);
      if (!this.named.has(name)) this.named.set(name, schema);
      const inner = full.includes('.') ? full.slice(0, full.lastIndexOf('.')) : '';
      for (const field of (schema.fields as { type: AvroSchema }[] | undefined) ?? [])
        this.collect(field.type, inner);
    } else if (type === 'array') this.collect(schema.items as AvroSchema, namespace);
    else if (type === 'map') this.collect(schema.values as AvroSchema, namespace);
  }

  /** The schema with name references, `{type: {...}}` nesting and ["null", X] unions taken away. */
  resolve(schema: AvroSchema): { schema: AvroObject | string; nullable: boolean } {
    let nullable = false;
    let current: AvroSchema = schema;
    for (let i = 0; i < 20; i++) {
      if (Array.isArray(current)) {
        const branches = current.filter((branch) => branch !== 'null');
        nullable = nullable || branches.length < current.length;
        if (branches.length !== 1) {
          throw new FormatError(`Avro unions of several types are not supported: ${JSON.stringify(current)}`);
        }
        current = branches[0];
        continue;
      }
      if (typeof current === 'string') {
        const named = this.named.get(current);
        if (named === undefined) return { schema: current, nullable };
        current = named;
        continue;
      }
      if (typeof current.type === 'object' && current.type !== null) {
        current = current.type as AvroSchema;
        continue;
      }
      const primitive = current.type as string;
      if (
        typeof this.named.get(primitive) === 'object' &&
        !['record', 'enum', 'fixed', 'array', 'map', 'error'].includes(primitive)
      ) {
        current = this.named.get(primitive) as AvroObject;
        continue;
      }
      return { schema: current, nullable };
    }
    throw new FormatError('Avro schema references nest too deeply');
  }
}

function typeName(schema: AvroObject | string): string {
  return typeof schema === 'string' ? schema : String(schema.type);
}

/** The SQL type of an Avro schema, as ksqlDB infers it; `upper` upper-cases record field names. */
export function sqlTypeOfAvro(schema: AvroSchema, names: AvroNames, upper: boolean): SqlType {
  const { schema: resolved } = names.resolve(schema);
  const logical = typeof resolved === 'object' ? resolved.logicalType : undefined;
  switch (typeName(resolved)) {
    case 'boolean':
      return SqlTypes.BOOLEAN;
    case 'int':
      if (logical === 'date') return SqlTypes.DATE;
      if (logical === 'time-millis') return SqlTypes.TIME;
      return SqlTypes.INTEGER;
    case 'long':
      if (logical === 'timestamp-millis' || logical === 'timestamp-micros') return SqlTypes.TIMESTAMP;
      if (logical === 'time-micros') return SqlTypes.TIME;
      return SqlTypes.BIGINT;
    case 'float':
    case 'double':
      return SqlTypes.DOUBLE;
    case 'string':
    case 'enum':
      return SqlTypes.STRING;
    case 'bytes':
    case 'fixed': {
      if (logical === 'decimal' && typeof resolved === 'object') {
        return SqlTypes.decimal(Number(resolved.precision ?? 64), Number(resolved.scale ?? 0));
      }
      return SqlTypes.BYTES;
    }
    case 'array':
      return SqlTypes.array(sqlTypeOfAvro((resolved as AvroObject).items as AvroSchema, names, upper));
    case 'map':
      return SqlTypes.map(
        SqlTypes.STRING,
        sqlTypeOfAvro((resolved as AvroObject).values as AvroSchema, names, upper),
      );
    case 'record':
    case 'error':
      return SqlTypes.struct(
        ((resolved as AvroObject).fields as { name: string; type: AvroSchema }[]).map((field) => ({
          name: upper ? field.name.toUpperCase() : field.name,
          type: sqlTypeOfAvro(field.type, names, upper),
        })),
      );
    default:
      throw new FormatError(`Avro type ${JSON.stringify(resolved)} has no SQL type`);
  }
}

/** Columns of a registered schema: a record's fields, or one ROWKEY / ROWVAL column for any other type. */
export function avroColumns(schema: AvroSchema, isKey: boolean, upper: boolean): Column[] {
  const names = new AvroNames(schema);
  const namespace = isKey ? 'KEY' : 'VALUE';
  const type = sqlTypeOfAvro(schema, names, upper);
  if (type.kind === 'STRUCT' && !isKey)
    return type.fields.map((f) => ({ name: f.name, type: f.type, namespace }));
  return [{ name: isKey ? 'ROWKEY' : 'ROWVAL', type, namespace }];
}

// ---------------------------------------------------------------- values

type ToAvro = (value: SqlValue) => unknown;
type FromAvro = (value: unknown) => SqlValue;

/** Two's complement, big-endian, as few bytes as hold the value (Avro's decimal bytes). */
export function unscaledBytes(unscaled: bigint): Buffer {
  const bytes: number[] = [];
  let rest = unscaled;
  for (;;) {
    bytes.unshift(Number(rest & 0xffn));
    rest >>= 8n;
    const signBit = (bytes[0] & 0x80) !== 0;
    if ((rest === 0n && !signBit) || (rest === -1n && signBit)) return Buffer.from(bytes);
  }
}

export function unscaledOf(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  const value = BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`);
  return BigInt.asIntN(bytes.length * 8, value);
}

/** A record field's default that avsc takes as it is written in the schema (a primitive's). */
function plainDefault(resolved: AvroObject | string, fieldDefault: unknown): unknown {
  const plain = ['boolean', 'int', 'long', 'float', 'double', 'string', 'enum'];
  const isLiteral = ['number', 'string', 'boolean'].includes(typeof fieldDefault);
  if (!isLiteral || !plain.includes(typeName(resolved))) return undefined;
  if (typeof resolved === 'object' && resolved.logicalType !== undefined) return undefined;
  return fieldDefault;
}

/**
 * Converts SQL values to what avsc writes for `schema`. A null for a non-optional record field with a
 * default writes the default, as ksqlDB (Connect's AvroData) does.
 */
export function toAvro(schema: AvroSchema, type: SqlType, names: AvroNames, fieldDefault?: unknown): ToAvro {
  const { schema: resolved, nullable } = names.resolve(schema);
  const convert = toAvroResolved(resolved, type, names);
  const fallback = nullable ? undefined : plainDefault(resolved, fieldDefault);
  return (value) => {
    if (value === null) {
      if (fallback !== undefined) return fallback;
      if (!nullable) throw new Error(`null for a non-optional Avro ${typeName(resolved)}`);
      return null;
    }
    return convert(value);
  };
}

function toAvroResolved(schema: AvroObject | string, type: SqlType, names: AvroNames): ToAvro {
  const avroType = typeName(schema);
  switch (type.kind) {
    case 'DECIMAL': {
      const scale = typeof schema === 'object' ? Number(schema.scale ?? type.scale) : type.scale;
      return (value) => unscaledBytes((value as SqlDecimal).setScale(scale, 'HALF_UP').unscaled);
    }
    case 'BIGINT':
      return avroType === 'int' ? (value) => Number(value) : (value) => value;
    case 'BYTES':
      return (value) => {
        const bytes = value as Uint8Array;
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      };
    case 'ARRAY': {
      const element = toAvro((schema as AvroObject).items as AvroSchema, type.element, names);
      return (value) => (value as readonly SqlValue[]).map(element);
    }
    case 'MAP': {
      const convert = toAvro((schema as AvroObject).values as AvroSchema, type.value, names);
      return (value) => {
        const out: Record<string, unknown> = {};
        for (const [key, item] of value as ReadonlyMap<SqlValue, SqlValue>) out[String(key)] = convert(item);
        return out;
      };
    }
    case 'STRUCT': {
      const fields = (schema as AvroObject).fields as { name: string; type: AvroSchema; default?: unknown }[];
      const writers = fields.map((field) => {
        const index = matchField(
          type.fields.map((f) => f.name),
          field.name,
        );
        return index < 0
          ? {
              name: field.name,
              from: undefined,
              convert: toAvro(field.type, SqlTypes.STRING, names, field.default),
            }
          : {
              name: field.name,
              from: type.fields[index].name,
              convert: toAvro(field.type, type.fields[index].type, names, field.default),
            };
      });
      return (value) => {
        const struct = value as SqlStruct;
        const out: Record<string, unknown> = {};
        for (const writer of writers)
          out[writer.name] = writer.convert(writer.from === undefined ? null : (struct[writer.from] ?? null));
        return out;
      };
    }
    default:
      return avroType === 'float' || avroType === 'double' ? (value) => Number(value) : (value) => value;
  }
}

/** The record writer of a row: column i goes to the field that matches its name. */
export function rowToAvro(
  schema: AvroSchema,
  columns: readonly Column[],
  names: AvroNames,
): (values: readonly SqlValue[]) => unknown {
  const resolved = names.resolve(schema).schema;
  if (typeof resolved === 'object' && Array.isArray(resolved.fields))
    return recordWriter(resolved, columns, names);
  const struct = SqlTypes.struct(columns.map((c) => ({ name: c.name, type: c.type })));
  const convert = toAvroResolved(resolved, struct, names);
  const fieldNames = columns.map((c) => c.name);
  return (values) => {
    const row: Record<string, SqlValue> = {};
    for (let i = 0; i < fieldNames.length; i++) row[fieldNames[i]] = values[i];
    return convert(row);
  };
}

/**
 * rowToAvro for a record schema: each field straight from its column, as the STRUCT conversion does but
 * without building a struct by name first (one object less per row written).
 */
function recordWriter(
  schema: AvroObject,
  columns: readonly Column[],
  names: AvroNames,
): (values: readonly SqlValue[]) => unknown {
  const columnNames = columns.map((c) => c.name);
  const fields = schema.fields as { name: string; type: AvroSchema; default?: unknown }[];
  const writers = fields.map((field) => {
    const index = matchField(columnNames, field.name);
    // The struct held the last column of a name; names are unique in a schema, so that is the one matched.
    const from = index < 0 ? -1 : columnNames.lastIndexOf(columnNames[index] as string);
    const type = from < 0 ? SqlTypes.STRING : (columns[from] as Column).type;
    return { name: field.name, from, convert: toAvro(field.type, type, names, field.default) };
  });
  return (values) => {
    const out: Record<string, unknown> = {};
    for (const writer of writers)
      out[writer.name] = writer.convert(writer.from < 0 ? null : (values[writer.from] ?? null));
    return out;
  };
}

/**
 * What avsc read with a record schema as a row of `columns`: fromAvro to a STRUCT of the columns, then
 * each column's field, in one step (no struct by name in between).
 */
export function fromAvroRow(
  schema: AvroSchema,
  columns: readonly Column[],
  names: AvroNames,
): (value: unknown) => SqlValue[] | null {
  const { schema: resolved } = names.resolve(schema);
  if (typeof resolved !== 'object' || typeof resolved.type !== 'string' || resolved.type !== 'record') {
    const struct = fromAvro(schema, { kind: 'STRUCT', fields: columns }, names);
    return (value) => {
      const row = struct(value) as Record<string, SqlValue> | null;
      return row === null ? null : columns.map((c) => row[c.name] ?? null);
    };
  }
  const fields = (resolved.fields as { name: string; type: AvroSchema }[] | undefined) ?? [];
  const fieldNames = fields.map((f) => f.name);
  const readers = columns.map((column) => {
    const index = matchField(fieldNames, column.name);
    return index < 0
      ? undefined
      : { from: fieldNames[index] as string, convert: fromAvro(fields[index]!.type, column.type, names) };
  });
  return (value) => {
    if (value === null || value === undefined) return null;
    const object = value as Record<string, unknown>;
    const row: SqlValue[] = new Array<SqlValue>(readers.length);
    for (let i = 0; i < readers.length; i++) {
      const reader = readers[i];
      row[i] = reader === undefined ? null : (reader.convert(object[reader.from]) ?? null);
    }
    return row;
  };
}

/** Converts what avsc read with `schema` to the SQL type's values. */
export function fromAvro(schema: AvroSchema, type: SqlType, names: AvroNames): FromAvro {
  const { schema: resolved } = names.resolve(schema);
  const convert = fromAvroResolved(resolved, type, names);
  return (value) => (value === null || value === undefined ? null : convert(value));
}

function fromAvroResolved(schema: AvroObject | string, type: SqlType, names: AvroNames): FromAvro {
  const avroType = typeName(schema);
  const logical = typeof schema === 'object' ? schema.logicalType : undefined;
  switch (type.kind) {
    case 'BOOLEAN':
      return (value) => value as boolean;
    case 'INTEGER':
      return (value) => Number(value);
    case 'BIGINT':
      return (value) => (typeof value === 'bigint' ? value : BigInt(Math.trunc(Number(value))));
    case 'DOUBLE':
      return (value) => Number(value);
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP': {
      const micros = logical === 'timestamp-micros' || logical === 'time-micros';
      return (value) => (micros ? Math.floor(Number(value) / 1000) : Number(value));
    }
    case 'STRING':
      return (value) =>
        typeof value === 'string'
          ? value
          : JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    case 'BYTES':
      return (value) => new Uint8Array(value as Buffer);
    case 'DECIMAL': {
      const scale =
        typeof schema === 'object' && schema.scale !== undefined ? Number(schema.scale) : type.scale;
      return (value) => {
        const decimal =
          avroType === 'bytes' || avroType === 'fixed'
            ? new SqlDecimal(unscaledOf(value as Buffer), scale)
            : SqlDecimal.parse(String(value));
        return decimal.setScale(type.scale, 'HALF_UP');
      };
    }
    case 'ARRAY': {
      const element = fromAvro((schema as AvroObject).items as AvroSchema, type.element, names);
      return (value) => (value as unknown[]).map(element);
    }
    case 'MAP': {
      const convert = fromAvro((schema as AvroObject).values as AvroSchema, type.value, names);
      return (value) => {
        const out = new Map<SqlValue, SqlValue>();
        for (const [key, item] of Object.entries(value as Record<string, unknown>))
          out.set(key, convert(item));
        return out;
      };
    }
    case 'STRUCT': {
      const fields =
        ((schema as AvroObject).fields as { name: string; type: AvroSchema }[] | undefined) ?? [];
      const fieldNames = fields.map((f) => f.name);
      const readers = type.fields.map((field) => {
        const index = matchField(fieldNames, field.name);
        return index < 0
          ? undefined
          : { from: fieldNames[index], convert: fromAvro(fields[index].type, field.type, names) };
      });
      return (value) => {
        const object = value as Record<string, unknown>;
        const out: Record<string, SqlValue> = {};
        type.fields.forEach((field, i) => {
          const reader = readers[i];
          out[field.name] = reader === undefined ? null : reader.convert(object[reader.from]);
        });
        return out;
      };
    }
  }
}
