// io.confluent.connect.protobuf.ProtobufConverter: Protobuf messages through the schema registry. The mapping
// follows Confluent's ProtobufData: a message is a struct, repeated an array, map<K, V> a map, enums strings,
// uint32 and the 64-bit kinds int64, nested messages optional structs, and google.protobuf.Timestamp,
// google.type.Date, google.type.TimeOfDay and confluent.type.Decimal Connect's logical types. Written data is
// proto3; an optional Connect scalar becomes a proto3 `optional` field, so null survives the round trip.
import protobuf from 'protobufjs';
import {
  LOGICAL_TYPES,
  type ConnectField,
  type ConnectSchema,
  type ConnectSchemaType,
  type ConnectValue,
  isConnectObject,
} from '../api/data.js';
import { ConversionError } from '../api/errors.js';
import type { DecodedMessage, ParsedSchema } from '../../serdes/index.js';
// The serdes' parsed form (as the SQL registry formats use it): the message types behind a schema.
import { internalsOf } from '../../serdes/parse.js';
import { messageAt } from '../../serdes/protobuf/schema.js';
import { PROTOBUF_DEPENDENCIES } from '../../serdes/protobuf/well-known.js';
import { registryConverterPlugin, type GeneratedSchema, type RegistryFormat } from './registry-converter.js';
import {
  asBigint,
  asBytes,
  asNumber,
  bigintToBytes,
  bytesToBigint,
  decimalScale,
  decimalText,
  describe,
  mapEntries,
  millisOf,
  MILLIS_PER_DAY,
  unscaledOf,
} from './registry-values.js';

interface Mapping {
  readonly schema: ConnectSchema;
  toConnect(value: unknown): ConnectValue;
}

const DEFAULT_MESSAGE = 'ConnectDefault1';
const ENUM_PARAMETER = 'io.confluent.connect.protobuf.Enum';
const TIMESTAMP_FILE = 'google/protobuf/timestamp.proto';

const SCALARS: Readonly<Record<string, ConnectSchemaType>> = {
  int32: 'int32',
  sint32: 'int32',
  sfixed32: 'int32',
  uint32: 'int64',
  fixed32: 'int64',
  int64: 'int64',
  sint64: 'int64',
  sfixed64: 'int64',
  uint64: 'int64',
  fixed64: 'int64',
  float: 'float32',
  double: 'float64',
  bool: 'boolean',
  string: 'string',
  bytes: 'bytes',
};

const WRAPPERS: Readonly<Record<string, string>> = {
  'google.protobuf.DoubleValue': 'double',
  'google.protobuf.FloatValue': 'float',
  'google.protobuf.Int64Value': 'int64',
  'google.protobuf.UInt64Value': 'uint64',
  'google.protobuf.Int32Value': 'int32',
  'google.protobuf.UInt32Value': 'uint32',
  'google.protobuf.BoolValue': 'bool',
  'google.protobuf.StringValue': 'string',
  'google.protobuf.BytesValue': 'bytes',
};

function scalarMapping(kind: string): Mapping {
  const type = SCALARS[kind];
  if (type === undefined) throw new ConversionError(`Protobuf type '${kind}' is not known`);
  const read =
    type === 'int64'
      ? (value: unknown) => asBigint(value)
      : type === 'bytes'
        ? (value: unknown) => (value instanceof Uint8Array ? value : Buffer.from(String(value), 'base64'))
        : (value: unknown) => value as ConnectValue;
  return {
    schema: { type, optional: false },
    toConnect: (value) => (value === null || value === undefined ? null : read(value)),
  };
}

function optional(mapping: Mapping): Mapping {
  return {
    schema: { ...mapping.schema, optional: true },
    toConnect: (value) => (value === null || value === undefined ? null : mapping.toConnect(value)),
  };
}

type ProtoObject = Readonly<Record<string, unknown>>;

function wellKnown(fullName: string): Mapping | undefined {
  const number = (value: unknown): number => Number(value ?? 0);
  switch (fullName) {
    case 'google.protobuf.Timestamp':
      return {
        schema: { type: 'int64', optional: true, name: LOGICAL_TYPES.timestamp, version: 1 },
        toConnect: (value) => {
          const object = value as ProtoObject | null;
          return object
            ? new Date(number(object.seconds) * 1000 + Math.floor(number(object.nanos) / 1e6))
            : null;
        },
      };
    case 'google.type.Date':
      return {
        schema: { type: 'int32', optional: true, name: LOGICAL_TYPES.date, version: 1 },
        toConnect: (value) => {
          const object = value as ProtoObject | null;
          return object
            ? new Date(Date.UTC(number(object.year), number(object.month) - 1, number(object.day)))
            : null;
        },
      };
    case 'google.type.TimeOfDay':
      return {
        schema: { type: 'int32', optional: true, name: LOGICAL_TYPES.time, version: 1 },
        toConnect: (value) => {
          const object = value as ProtoObject | null;
          if (!object) return null;
          const millis =
            ((number(object.hours) * 60 + number(object.minutes)) * 60 + number(object.seconds)) * 1000;
          return new Date(millis + Math.floor(number(object.nanos) / 1e6));
        },
      };
    case 'confluent.type.Decimal':
      return {
        schema: {
          type: 'bytes',
          optional: true,
          name: LOGICAL_TYPES.decimal,
          version: 1,
          parameters: { scale: '0' },
        },
        toConnect: (value) => {
          const object = value as ProtoObject | null;
          if (!object) return null;
          const bytes = object.value instanceof Uint8Array ? object.value : Buffer.alloc(0);
          return decimalText(bytesToBigint(bytes), number(object.scale));
        },
      };
  }
  const wrapped = WRAPPERS[fullName];
  if (wrapped === undefined) return undefined;
  const inner = scalarMapping(wrapped);
  return optional({
    schema: inner.schema,
    toConnect: (value) => inner.toConnect((value as ProtoObject).value),
  });
}

function enumMapping(type: protobuf.Enum): Mapping {
  const name = type.fullName.slice(1);
  return {
    schema: {
      type: 'string',
      optional: false,
      name,
      parameters: {
        [ENUM_PARAMETER]: name,
        ...Object.fromEntries(
          Object.entries(type.values).map(([symbol, number]) => [
            `${ENUM_PARAMETER}.${symbol}`,
            String(number),
          ]),
        ),
      },
    },
    toConnect: (value) => (value === null || value === undefined ? null : String(value)),
  };
}

function fieldMapping(field: protobuf.Field, stack: Set<string>): Mapping {
  field.resolve();
  const resolved = field.resolvedType;
  const element = (): Mapping => {
    if (resolved instanceof protobuf.Enum) return enumMapping(resolved);
    if (resolved instanceof protobuf.Type)
      return wellKnown(resolved.fullName.slice(1)) ?? optional(messageMapping(resolved, stack));
    return scalarMapping(field.type);
  };
  if (field instanceof protobuf.MapField) {
    const key = scalarMapping(field.keyType);
    const value = element();
    const readKey = (raw: string): ConnectValue =>
      key.schema.type === 'string'
        ? raw
        : key.schema.type === 'boolean'
          ? raw === 'true'
          : key.schema.type === 'int64'
            ? BigInt(raw)
            : Number(raw);
    return {
      schema: { type: 'map', optional: false, keySchema: key.schema, valueSchema: value.schema },
      toConnect: (object) =>
        new Map(
          Object.entries((object ?? {}) as ProtoObject).map(([raw, entry]) => [
            readKey(raw),
            value.toConnect(entry),
          ]),
        ),
    };
  }
  if (field.repeated) {
    const item = element();
    return {
      schema: { type: 'array', optional: false, valueSchema: item.schema },
      toConnect: (list) => ((list ?? []) as unknown[]).map((entry) => item.toConnect(entry)),
    };
  }
  const single = element();
  // proto3 `optional` and oneof members are absent when not set: Connect sees null.
  return field.partOf ? optional(single) : single;
}

function messageMapping(type: protobuf.Type, stack: Set<string>): Mapping {
  const name = type.fullName.slice(1);
  if (stack.has(name))
    throw new ConversionError(
      `Protobuf message ${name} contains itself; Connect schemas cannot be recursive`,
    );
  stack.add(name);
  const members = type.fieldsArray.map((field) => ({
    name: field.name,
    mapping: fieldMapping(field, stack),
  }));
  stack.delete(name);
  const fields: ConnectField[] = members.map((member, index) => ({
    name: member.name,
    index,
    schema: member.mapping.schema,
  }));
  return {
    schema: { type: 'struct', optional: false, name, fields },
    toConnect(value) {
      if (value === null || value === undefined) return null;
      const object = value as ProtoObject;
      return Object.fromEntries(
        members.map((member) => [member.name, member.mapping.toConnect(object[member.name] ?? null)]),
      );
    },
  };
}

const mappings = new WeakMap<ParsedSchema, Map<string, Mapping>>();

function mappingFor(writer: ParsedSchema, indexes: readonly number[]): Mapping {
  let byIndexes = mappings.get(writer);
  if (byIndexes === undefined) {
    byIndexes = new Map();
    mappings.set(writer, byIndexes);
  }
  const key = indexes.join('.');
  let mapping = byIndexes.get(key);
  if (mapping === undefined) {
    const detail = internalsOf(writer);
    if (detail.schemaType !== 'PROTOBUF')
      throw new ConversionError(`the schema is ${detail.schemaType}, not PROTOBUF`);
    mapping = messageMapping(messageAt(detail.file, indexes), new Set());
    byIndexes.set(key, mapping);
  }
  return mapping;
}

// ---- Connect to Protobuf ----

function identifier(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

function pascal(name: string): string {
  const cleaned = identifier(name);
  return cleaned.charAt(0).toUpperCase() + cleaned.slice(1);
}

/** The .proto for a Connect struct schema (other schemas are wrapped in a one-field message by the caller). */
export function protobufSchemaFor(schema: ConnectSchema): GeneratedSchema {
  if (schema.type !== 'struct') {
    throw new ConversionError(
      `ProtobufConverter writes messages: a ${schema.type} needs a struct schema around it (Protobuf has no bare ${schema.type} message)`,
    );
  }
  const imports = new Set<string>();
  const fullName = schema.name ?? DEFAULT_MESSAGE;
  const dot = fullName.lastIndexOf('.');
  const packageName = dot < 0 ? '' : fullName.slice(0, dot).split('.').map(identifier).join('.');
  const messageName = pascal(dot < 0 ? fullName : fullName.slice(dot + 1));

  const scalarOf = (connect: ConnectSchema, where: string): string => {
    switch (connect.name) {
      case LOGICAL_TYPES.decimal:
        imports.add('confluent/type/decimal.proto');
        return 'confluent.type.Decimal';
      case LOGICAL_TYPES.date:
        imports.add('google/type/date.proto');
        return 'google.type.Date';
      case LOGICAL_TYPES.time:
        imports.add('google/type/timeofday.proto');
        return 'google.type.TimeOfDay';
      case LOGICAL_TYPES.timestamp:
        imports.add(TIMESTAMP_FILE);
        return 'google.protobuf.Timestamp';
    }
    switch (connect.type) {
      case 'int8':
      case 'int16':
      case 'int32':
        return 'int32';
      case 'int64':
        return 'int64';
      case 'float32':
        return 'float';
      case 'float64':
        return 'double';
      case 'boolean':
        return 'bool';
      case 'string':
        return 'string';
      case 'bytes':
        return 'bytes';
      default:
        throw new ConversionError(
          `${where}: a ${connect.type} cannot be nested here in Protobuf (no repeated of repeated or map)`,
        );
    }
  };
  const isMessage = (connect: ConnectSchema): boolean =>
    connect.type === 'struct' ||
    Object.values(LOGICAL_TYPES).includes(connect.name as (typeof LOGICAL_TYPES)[keyof typeof LOGICAL_TYPES]);

  const message = (name: string, struct: ConnectSchema, indent: string): string => {
    const lines: string[] = [];
    const nested: string[] = [];
    const nestedNames = new Set<string>();
    const typeFor = (connect: ConnectSchema, fieldName: string): string => {
      if (connect.type !== 'struct') return scalarOf(connect, fieldName);
      let nestedName = pascal(connect.name?.slice(connect.name.lastIndexOf('.') + 1) ?? fieldName);
      while (nestedNames.has(nestedName) || nestedName === name) nestedName = `${nestedName}_`;
      nestedNames.add(nestedName);
      nested.push(message(nestedName, connect, `${indent}  `));
      return nestedName;
    };
    (struct.fields ?? []).forEach((field, index) => {
      const number = index + 1;
      const fieldName = identifier(field.name);
      const connect = field.schema;
      if (connect.type === 'array') {
        const element = connect.valueSchema as ConnectSchema;
        lines.push(
          `${indent}  repeated ${typeFor(element, `${field.name}Element`)} ${fieldName} = ${number};`,
        );
      } else if (connect.type === 'map') {
        const keyType = scalarOf(connect.keySchema as ConnectSchema, field.name);
        if (!['int32', 'int64', 'bool', 'string'].includes(keyType)) {
          throw new ConversionError(
            `${field.name}: Protobuf map keys must be integers, booleans or strings, not ${keyType}`,
          );
        }
        lines.push(
          `${indent}  map<${keyType}, ${typeFor(connect.valueSchema as ConnectSchema, `${field.name}Value`)}> ${fieldName} = ${number};`,
        );
      } else {
        const label = connect.optional && !isMessage(connect) ? 'optional ' : '';
        lines.push(`${indent}  ${label}${typeFor(connect, field.name)} ${fieldName} = ${number};`);
      }
    });
    return `${indent}message ${name} {\n${[...lines, ...nested].join('\n')}\n${indent}}`;
  };

  const body = message(messageName, schema, '');
  const importLines = [...imports].sort().map((file) => `import "${file}";`);
  const text = [
    'syntax = "proto3";',
    ...(packageName !== '' ? [`package ${packageName};`] : []),
    ...importLines,
    body,
  ].join('\n\n');
  const dependencies = Object.fromEntries(
    [...imports].filter((file) => file !== TIMESTAMP_FILE).map((file) => [file, PROTOBUF_DEPENDENCIES[file]]),
  );
  return {
    text: `${text}\n`,
    dependencies,
    messageName: packageName !== '' ? `${packageName}.${messageName}` : messageName,
  };
}

/** The object protobufjs' fromObject takes for Connect data under the generated schema. */
export function protobufValueFor(schema: ConnectSchema, value: ConnectValue, path = '(root)'): unknown {
  if (value === null) {
    if (schema.optional) return undefined;
    throw new ConversionError(`${path} is null but its schema is not optional`);
  }
  switch (schema.name) {
    case LOGICAL_TYPES.decimal: {
      const scale = decimalScale(schema);
      return {
        value: bigintToBytes(unscaledOf(value, scale)),
        precision: Number(schema.parameters?.['connect.decimal.precision'] ?? 0),
        scale,
      };
    }
    case LOGICAL_TYPES.date: {
      const date = new Date(Math.floor(millisOf(value) / MILLIS_PER_DAY) * MILLIS_PER_DAY);
      return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
    }
    case LOGICAL_TYPES.time: {
      const millis = ((millisOf(value) % MILLIS_PER_DAY) + MILLIS_PER_DAY) % MILLIS_PER_DAY;
      return {
        hours: Math.floor(millis / 3_600_000),
        minutes: Math.floor(millis / 60_000) % 60,
        seconds: Math.floor(millis / 1000) % 60,
        nanos: (millis % 1000) * 1e6,
      };
    }
    case LOGICAL_TYPES.timestamp: {
      const millis = millisOf(value);
      const seconds = Math.floor(millis / 1000);
      return { seconds: String(seconds), nanos: (millis - seconds * 1000) * 1e6 };
    }
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'float32':
    case 'float64':
      return asNumber(value);
    case 'int64':
      return asBigint(value).toString();
    case 'boolean':
    case 'string':
      if (typeof value !== schema.type)
        throw new ConversionError(`${path}: expected a ${schema.type}, not ${describe(value)}`);
      return value;
    case 'bytes':
      return asBytes(value);
    case 'array':
      if (!Array.isArray(value))
        throw new ConversionError(`${path}: expected an array, not ${describe(value)}`);
      return (value as readonly ConnectValue[]).map((item, index) =>
        protobufValueFor(schema.valueSchema as ConnectSchema, item, `${path}[${index}]`),
      );
    case 'map':
      return Object.fromEntries(
        mapEntries(value).map(([key, entry]) => [
          String(key),
          protobufValueFor(schema.valueSchema as ConnectSchema, entry, `${path}.${String(key)}`),
        ]),
      );
    case 'struct': {
      if (!isConnectObject(value)) {
        throw new ConversionError(`${path}: expected a struct, not ${describe(value)}`);
      }
      const record = value as Readonly<Record<string, ConnectValue>>;
      return Object.fromEntries(
        (schema.fields ?? []).map((field) => [
          identifier(field.name),
          protobufValueFor(field.schema, record[field.name] ?? null, `${path}.${field.name}`),
        ]),
      );
    }
  }
}

export const protobufFormat: RegistryFormat = {
  schemaType: 'PROTOBUF',
  converterName: 'ProtobufConverter',
  toConnect(writer: ParsedSchema, _writerText: string, decoded: DecodedMessage) {
    const mapping = mappingFor(writer, decoded.messageIndexes ?? [0]);
    return { schema: mapping.schema, value: mapping.toConnect(decoded.value) };
  },
  schemaFor: (schema) => protobufSchemaFor(schema),
  valueFor: (schema, value) => protobufValueFor(schema, value),
};

export const protobufConverterPlugin = registryConverterPlugin(
  'io.confluent.connect.protobuf.ProtobufConverter',
  ['ProtobufConverter'],
  protobufFormat,
);
