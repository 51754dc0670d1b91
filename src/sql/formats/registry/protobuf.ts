// PROTOBUF: the .proto ksqlDB (through Connect's ProtobufData) registers for columns (message ConnectDefault1,
// proto3 scalars, repeated for ARRAY, map<string, T> for MAP, nested messages for STRUCT, Confluent's Decimal
// and Google's Date, TimeOfDay and Timestamp), the columns of a registered message, and value converters
// between protobufjs objects and SQL values. Proto3 scalars cannot be null: a NULL is written as the default.
import protobuf from 'protobufjs';
import { SqlDecimal, SqlTypes, type SqlStruct, type SqlType, type SqlValue } from '../../types/index.js';
import type { Column } from '../../planner/schema.js';
import { FormatError } from '../format.js';
import { unscaledBytes, unscaledOf } from './avro.js';
import { matchField } from './names.js';
import { PROTOBUF_DEPENDENCIES } from '../../../serdes/protobuf/well-known.js';

export { PROTOBUF_DEPENDENCIES };

export const DEFAULT_PROTOBUF_MESSAGE = 'ConnectDefault1';

const TIMESTAMP_IMPORT = 'google/protobuf/timestamp.proto';

export interface ProtoText {
  readonly schema: string;
  /** Files of PROTOBUF_DEPENDENCIES it imports. */
  readonly dependencies: string[];
}

/** The .proto ksqlDB registers for these columns. */
export function protobufSchemaFor(columns: readonly Column[], messageName?: string): ProtoText {
  const imports = new Set<string>();
  let counter = 1;
  const scalar = (type: SqlType, where: string): string => {
    switch (type.kind) {
      case 'BOOLEAN':
        return 'bool';
      case 'INTEGER':
        return 'int32';
      case 'BIGINT':
        return 'int64';
      case 'DOUBLE':
        return 'double';
      case 'STRING':
        return 'string';
      case 'BYTES':
        return 'bytes';
      case 'DECIMAL':
        imports.add('confluent/type/decimal.proto');
        return 'confluent.type.Decimal';
      case 'DATE':
        imports.add('google/type/date.proto');
        return 'google.type.Date';
      case 'TIME':
        imports.add('google/type/timeofday.proto');
        return 'google.type.TimeOfDay';
      case 'TIMESTAMP':
        imports.add(TIMESTAMP_IMPORT);
        return 'google.protobuf.Timestamp';
      default:
        throw new FormatError(`The PROTOBUF format does not support ${type.kind} inside ${where}`);
    }
  };
  const message = (
    name: string,
    fields: readonly { name: string; type: SqlType }[],
    indent: string,
  ): string => {
    const lines: string[] = [];
    const nested: string[] = [];
    fields.forEach((field, i) => {
      const tag = i + 1;
      const type = field.type;
      const typeText = (inner: SqlType, where: string): string => {
        if (inner.kind !== 'STRUCT') return scalar(inner, where);
        const nestedName = `ConnectDefault${++counter}`;
        nested.push(message(nestedName, inner.fields, `${indent}  `));
        return nestedName;
      };
      if (type.kind === 'ARRAY') {
        lines.push(`${indent}  repeated ${typeText(type.element, 'an ARRAY')} ${field.name} = ${tag};`);
      } else if (type.kind === 'MAP') {
        lines.push(`${indent}  map<string, ${typeText(type.value, 'a MAP')}> ${field.name} = ${tag};`);
      } else if (type.kind === 'DECIMAL') {
        // Confluent's field_meta carries the precision and scale, as Connect's ProtobufData writes them.
        const meta = `params: [{ key: "precision", value: "${type.precision}" }, { key: "scale", value: "${type.scale}" }]`;
        lines.push(
          `${indent}  ${typeText(type, 'a field')} ${field.name} = ${tag} [(confluent.field_meta) = { ${meta} }];`,
        );
      } else {
        lines.push(`${indent}  ${typeText(type, 'a field')} ${field.name} = ${tag};`);
      }
    });
    return `${indent}message ${name} {\n${[...lines, ...nested].join('\n')}\n${indent}}`;
  };
  const body = message(messageName ?? DEFAULT_PROTOBUF_MESSAGE, columns, '');
  const importLines = [...imports].sort().map((file) => `import "${file}";\n`);
  const schema = `syntax = "proto3";\n\n${importLines.join('')}${importLines.length > 0 ? '\n' : ''}${body}\n`;
  return { schema, dependencies: [...imports].filter((file) => file !== TIMESTAMP_IMPORT) };
}

// ---------------------------------------------------------------- reading a message

const WRAPPERS: Readonly<Record<string, SqlType>> = {
  '.google.protobuf.BoolValue': SqlTypes.BOOLEAN,
  '.google.protobuf.Int32Value': SqlTypes.INTEGER,
  '.google.protobuf.UInt32Value': SqlTypes.BIGINT,
  '.google.protobuf.Int64Value': SqlTypes.BIGINT,
  '.google.protobuf.UInt64Value': SqlTypes.BIGINT,
  '.google.protobuf.FloatValue': SqlTypes.DOUBLE,
  '.google.protobuf.DoubleValue': SqlTypes.DOUBLE,
  '.google.protobuf.StringValue': SqlTypes.STRING,
  '.google.protobuf.BytesValue': SqlTypes.BYTES,
};

const SCALARS: Readonly<Record<string, SqlType>> = {
  bool: SqlTypes.BOOLEAN,
  int32: SqlTypes.INTEGER,
  sint32: SqlTypes.INTEGER,
  sfixed32: SqlTypes.INTEGER,
  uint32: SqlTypes.BIGINT,
  fixed32: SqlTypes.BIGINT,
  int64: SqlTypes.BIGINT,
  sint64: SqlTypes.BIGINT,
  sfixed64: SqlTypes.BIGINT,
  uint64: SqlTypes.BIGINT,
  fixed64: SqlTypes.BIGINT,
  float: SqlTypes.DOUBLE,
  double: SqlTypes.DOUBLE,
  string: SqlTypes.STRING,
  bytes: SqlTypes.BYTES,
};

/** The SQL type of one (non-repeated) value of a field's type. */
function elementType(field: protobuf.Field, upper: boolean, depth: number): SqlType {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum) return SqlTypes.STRING;
  if (resolved instanceof protobuf.Type) return messageType(resolved, upper, depth + 1);
  const scalar = SCALARS[field.type];
  if (scalar === undefined) throw new FormatError(`Protobuf type ${field.type} has no SQL type`);
  return scalar;
}

function messageType(type: protobuf.Type, upper: boolean, depth: number): SqlType {
  const name = type.fullName;
  if (name === '.google.protobuf.Timestamp') return SqlTypes.TIMESTAMP;
  if (name === '.google.type.Date') return SqlTypes.DATE;
  if (name === '.google.type.TimeOfDay') return SqlTypes.TIME;
  if (name === '.confluent.type.Decimal') return SqlTypes.decimal(64, 0);
  const wrapped = WRAPPERS[name];
  if (wrapped !== undefined) return wrapped;
  if (depth > 32) throw new FormatError(`Protobuf message ${name} is recursive: it has no SQL type`);
  return SqlTypes.struct(
    type.fieldsArray.map((field) => ({
      name: upper ? field.name.toUpperCase() : field.name,
      type: fieldType(field, upper, depth),
    })),
  );
}

/** DECIMAL(p, s) from a Decimal field's (confluent.field_meta) params; 64 and 0 when absent. */
function decimalOf(field: protobuf.Field): SqlType {
  const params: Record<string, string> = {};
  for (const option of field.parsedOptions ?? []) {
    const meta = (option as Record<string, { params?: { key: string; value: string }[] }>)[
      '(confluent.field_meta)'
    ];
    for (const param of meta?.params ?? []) params[param.key] = param.value;
  }
  // A schema re-rendered from protobufjs' flattened options keeps only the last param.
  const flatKey = field.options?.['(confluent.field_meta).params.key'];
  const flatValue = field.options?.['(confluent.field_meta).params.value'];
  if (typeof flatKey === 'string' && params[flatKey] === undefined) params[flatKey] = String(flatValue);
  return SqlTypes.decimal(Number(params.precision ?? 64), Number(params.scale ?? 0));
}

function fieldType(field: protobuf.Field, upper: boolean, depth: number): SqlType {
  field.resolve();
  if (!field.repeated && field.resolvedType?.fullName === '.confluent.type.Decimal') return decimalOf(field);
  if (field instanceof protobuf.MapField)
    return SqlTypes.map(SqlTypes.STRING, elementType(field, upper, depth));
  const element = elementType(field, upper, depth);
  return field.repeated ? SqlTypes.array(element) : element;
}

/** Columns of a registered message: its fields (keys as well as values: Protobuf keys are always messages). */
export function protobufColumns(type: protobuf.Type, isKey: boolean, upper: boolean): Column[] {
  const namespace = isKey ? 'KEY' : 'VALUE';
  const struct = messageType(type, upper, 0);
  if (struct.kind !== 'STRUCT') return [{ name: isKey ? 'ROWKEY' : 'ROWVAL', type: struct, namespace }];
  return struct.fields.map((field) => ({ name: field.name, type: field.type, namespace }));
}

// ---------------------------------------------------------------- values

type ToProto = (value: SqlValue) => unknown;
type FromProto = (value: unknown) => SqlValue;

const DAY_MS = 86_400_000;

function defaultOf(type: SqlType): unknown {
  switch (type.kind) {
    case 'BOOLEAN':
      return false;
    case 'INTEGER':
    case 'DOUBLE':
      return 0;
    case 'BIGINT':
      return '0';
    case 'STRING':
      return '';
    case 'BYTES':
      return Buffer.alloc(0);
    default:
      return {};
  }
}

function toProtoValue(type: SqlType, target: protobuf.Type | null): ToProto {
  const wrapper = target !== null && WRAPPERS[target.fullName] !== undefined;
  const inner = toProtoPlain(type, wrapper ? null : target);
  return wrapper ? (value) => ({ value: inner(value) }) : inner;
}

function toProtoPlain(type: SqlType, target: protobuf.Type | null): ToProto {
  switch (type.kind) {
    case 'BIGINT':
      return (value) => (value as bigint).toString();
    case 'BYTES':
      return (value) => {
        const bytes = value as Uint8Array;
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      };
    case 'DECIMAL':
      return (value) => {
        const decimal = value as SqlDecimal;
        return { value: unscaledBytes(decimal.unscaled), precision: type.precision, scale: decimal.scale };
      };
    case 'DATE':
      return (value) => {
        const date = new Date((value as number) * DAY_MS);
        return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
      };
    case 'TIME':
      return (value) => {
        const ms = value as number;
        return {
          hours: Math.floor(ms / 3_600_000),
          minutes: Math.floor(ms / 60_000) % 60,
          seconds: Math.floor(ms / 1000) % 60,
          nanos: (ms % 1000) * 1_000_000,
        };
      };
    case 'TIMESTAMP':
      return (value) => {
        const ms = value as number;
        return { seconds: String(Math.floor(ms / 1000)), nanos: (((ms % 1000) + 1000) % 1000) * 1_000_000 };
      };
    case 'ARRAY': {
      const element = toProtoValue(type.element, target);
      const fallback = defaultOf(type.element);
      return (value) =>
        (value as readonly SqlValue[]).map((item) => (item === null ? fallback : element(item)));
    }
    case 'MAP': {
      const convert = toProtoValue(type.value, target);
      const fallback = defaultOf(type.value);
      return (value) => {
        const out: Record<string, unknown> = {};
        for (const [key, item] of value as ReadonlyMap<SqlValue, SqlValue>) {
          out[String(key)] = item === null ? fallback : convert(item);
        }
        return out;
      };
    }
    case 'STRUCT':
      return structToProto(type.fields, target);
    default:
      return (value) => value;
  }
}

function structToProto(
  fields: readonly { name: string; type: SqlType }[],
  target: protobuf.Type | null,
): (value: SqlValue) => unknown {
  const messageFields = target?.fieldsArray ?? [];
  const names = messageFields.map((f) => f.name);
  const writers = fields.map((field) => {
    const index = target === null ? -2 : matchField(names, field.name);
    if (index === -1) return undefined; // the message has no such field: dropped, as ksqlDB's converter does
    const protoField = index >= 0 ? messageFields[index] : undefined;
    protoField?.resolve();
    const resolved = protoField?.resolvedType instanceof protobuf.Type ? protoField.resolvedType : null;
    return {
      from: field.name,
      to: protoField?.name ?? field.name,
      convert: toProtoValue(field.type, resolved),
    };
  });
  return (value) => {
    const struct = value as SqlStruct;
    const out: Record<string, unknown> = {};
    for (const writer of writers) {
      if (writer === undefined) continue;
      const item = struct[writer.from] ?? null;
      if (item !== null) out[writer.to] = writer.convert(item);
    }
    return out;
  };
}

/** The object protobufjs' fromObject takes for a row written as `message`. */
export function rowToProto(
  columns: readonly Column[],
  message: protobuf.Type,
): (values: readonly SqlValue[]) => unknown {
  const convert = structToProto(columns, message);
  const names = columns.map((c) => c.name);
  return (values) => {
    const row: Record<string, SqlValue> = {};
    for (let i = 0; i < names.length; i++) row[names[i]] = values[i];
    return convert(row);
  };
}

function fromProtoValue(type: SqlType, source: protobuf.Type | null): FromProto {
  const wrapper = source !== null && WRAPPERS[source.fullName] !== undefined;
  const inner = fromProtoPlain(type, wrapper ? null : source);
  return (value) => {
    if (value === null || value === undefined) return null;
    return inner(wrapper ? (value as { value: unknown }).value : value);
  };
}

function fromProtoPlain(type: SqlType, source: protobuf.Type | null): FromProto {
  switch (type.kind) {
    case 'BOOLEAN':
      return (value) => Boolean(value);
    case 'INTEGER':
    case 'DOUBLE':
      return (value) => Number(value);
    case 'BIGINT':
      return (value) => BigInt(value as string | number);
    case 'STRING':
      return (value) => String(value);
    case 'BYTES':
      return (value) => new Uint8Array(Buffer.from(value as Uint8Array));
    case 'DECIMAL':
      return (value) => {
        const decimal = value as { value?: Uint8Array; scale?: number };
        const scale = Number(decimal.scale ?? type.scale);
        return new SqlDecimal(unscaledOf(Buffer.from(decimal.value ?? [])), scale).setScale(
          type.scale,
          'HALF_UP',
        );
      };
    case 'DATE':
      return (value) => {
        const date = value as { year: number; month: number; day: number };
        return Date.UTC(date.year, date.month - 1, date.day) / DAY_MS;
      };
    case 'TIME':
      return (value) => {
        const time = value as { hours: number; minutes: number; seconds: number; nanos: number };
        return (
          ((time.hours * 60 + time.minutes) * 60 + time.seconds) * 1000 + Math.floor(time.nanos / 1_000_000)
        );
      };
    case 'TIMESTAMP':
      return (value) => {
        const stamp = value as { seconds: string | number; nanos: number };
        return Number(stamp.seconds) * 1000 + Math.floor(Number(stamp.nanos) / 1_000_000);
      };
    case 'ARRAY': {
      const element = fromProtoValue(type.element, source);
      return (value) => (value as unknown[]).map(element);
    }
    case 'MAP': {
      const convert = fromProtoValue(type.value, source);
      return (value) => {
        const out = new Map<SqlValue, SqlValue>();
        for (const [key, item] of Object.entries(value as Record<string, unknown>))
          out.set(key, convert(item));
        return out;
      };
    }
    case 'STRUCT':
      return structFromProto(type.fields, source);
  }
}

function structFromProto(
  fields: readonly { name: string; type: SqlType }[],
  source: protobuf.Type | null,
): FromProto {
  const messageFields = source?.fieldsArray ?? [];
  const names = messageFields.map((f) => f.name);
  const readers = fields.map((field) => {
    const index = matchField(names, field.name);
    if (index < 0) return undefined;
    const protoField = messageFields[index];
    protoField.resolve();
    const resolved = protoField.resolvedType instanceof protobuf.Type ? protoField.resolvedType : null;
    return { from: protoField.name, to: field.name, convert: fromProtoValue(field.type, resolved) };
  });
  return (value) => {
    const object = value as Record<string, unknown>;
    const out: Record<string, SqlValue> = {};
    fields.forEach((field, i) => {
      const reader = readers[i];
      out[field.name] = reader === undefined ? null : reader.convert(object[reader.from]);
    });
    return out;
  };
}

/** A row from the object protobufjs' toObject gives for `message`. */
export function rowFromProto(
  columns: readonly Column[],
  message: protobuf.Type,
): (object: unknown) => SqlValue[] {
  const convert = structFromProto(columns, message);
  return (object) => {
    const struct = convert(object) as SqlStruct;
    return columns.map((c) => struct[c.name] ?? null);
  };
}
