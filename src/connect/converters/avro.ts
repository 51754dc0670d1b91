// io.confluent.connect.avro.AvroConverter: Avro records through the schema registry. The mapping follows
// Confluent's AvroData: a record is a struct, a union with null an optional schema, other unions a struct
// named io.confluent.connect.avro.Union, enums strings, fixed bytes, and the decimal, date, time-millis and
// timestamp-millis logical types Connect's logical types; `connect.*` properties keep what Avro cannot say.
import {
  LOGICAL_TYPES,
  type ConnectField,
  type ConnectSchema,
  type ConnectValue,
  isConnectObject,
} from '../api/data.js';
import { ConversionError } from '../api/errors.js';
import type { DecodedMessage, ParsedSchema } from '../../serdes/index.js';
import { registryConverterPlugin, type GeneratedSchema, type RegistryFormat } from './registry-converter.js';
import {
  asBigint,
  asBytes,
  asNumber,
  bigintToBytes,
  decimalScale,
  describe,
  encodedTemporal,
  logicalFromEncoded,
  mapEntries,
  unscaledOf,
} from './registry-values.js';

type AvroNode = string | AvroObject | readonly AvroNode[];
interface AvroObject {
  readonly [key: string]: unknown;
  readonly type?: unknown;
}

const AVRO_NAMESPACE = 'io.confluent.connect.avro';
const UNION_NAME = `${AVRO_NAMESPACE}.Union`;
const ENUM_PARAMETER = `${AVRO_NAMESPACE}.Enum`;
const MAP_ENTRY = 'MapEntry';
const DEFAULT_RECORD = 'ConnectDefault';
/** Confluent's precision for a Connect Decimal that does not say its own. */
const DEFAULT_DECIMAL_PRECISION = '64';

interface Mapping {
  readonly schema: ConnectSchema;
  toConnect(value: unknown): ConnectValue;
}

function isObject(node: unknown): node is AvroObject {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

function qualify(name: string, namespace: string): string {
  return name.includes('.') || namespace === '' ? name : `${namespace}.${name}`;
}

/** Every named type of a schema and its references, by full name. */
function collectNames(node: unknown, namespace: string, names: Map<string, AvroObject>): void {
  if (Array.isArray(node)) {
    for (const branch of node) collectNames(branch, namespace, names);
    return;
  }
  if (!isObject(node)) return;
  if (isObject(node.type) || Array.isArray(node.type)) collectNames(node.type, namespace, names);
  let inner = namespace;
  if (typeof node.name === 'string' && ['record', 'error', 'enum', 'fixed'].includes(String(node.type))) {
    const explicit = typeof node.namespace === 'string' ? node.namespace : namespace;
    const fullName = qualify(node.name, explicit);
    names.set(fullName, { ...node, name: fullName });
    inner = fullName.includes('.') ? fullName.slice(0, fullName.lastIndexOf('.')) : '';
  }
  if (Array.isArray(node.fields))
    for (const field of node.fields) if (isObject(field)) collectNames(field.type, inner, names);
  if (node.items !== undefined) collectNames(node.items, inner, names);
  if (node.values !== undefined) collectNames(node.values, inner, names);
}

/** The name avsc gives a union branch (the key of a wrapped union value). */
function branchName(node: AvroNode, names: ReadonlyMap<string, AvroObject>): string {
  const resolved = resolve(node, names);
  if (typeof resolved === 'string') return resolved;
  if (Array.isArray(resolved)) return 'union';
  const object = resolved as AvroObject;
  return typeof object.name === 'string' ? object.name : String(object.type);
}

/** avsc's bucket of a branch: two branches in one bucket make avsc wrap the union's values. */
function bucketOf(node: AvroNode, names: ReadonlyMap<string, AvroObject>): string {
  const type = typeOf(resolve(node, names));
  // Venice's precise long is an abstract avsc type: a bucket of its own.
  if (['int', 'float', 'double'].includes(type)) return 'number';
  if (type === 'bytes' || type === 'fixed') return 'buffer';
  if (type === 'enum') return 'string';
  if (type === 'map' || type === 'record' || type === 'error') return 'object';
  return type;
}

function isWrapped(branches: readonly AvroNode[], names: ReadonlyMap<string, AvroObject>): boolean {
  const buckets = branches.map((branch) => bucketOf(branch, names));
  return new Set(buckets).size !== buckets.length;
}

function resolve(node: AvroNode, names: ReadonlyMap<string, AvroObject>): AvroNode {
  if (typeof node === 'string') return names.get(node) ?? node;
  if (isObject(node) && (typeof node.type === 'string' || Array.isArray(node.type) || isObject(node.type))) {
    const type = node.type;
    if (typeof type === 'string' && names.has(type)) return names.get(type) as AvroObject;
    if (typeof type !== 'string' && Object.keys(node).length === 1) return resolve(type as AvroNode, names);
  }
  return node;
}

function typeOf(node: AvroNode): string {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return 'union';
  return typeof (node as AvroObject).type === 'string' ? String((node as AvroObject).type) : 'union';
}

function connectName(object: AvroObject): string | undefined {
  return typeof object['connect.name'] === 'string' ? object['connect.name'] : undefined;
}

function connectParameters(object: AvroObject): Record<string, string> | undefined {
  const raw = object['connect.parameters'];
  if (!isObject(raw)) return undefined;
  return Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, String(value)]));
}

function optionalOf(mapping: Mapping): Mapping {
  return {
    schema: { ...mapping.schema, optional: true },
    toConnect: (value) => (value === null ? null : mapping.toConnect(value)),
  };
}

/** Builds the Connect schema and value reader of an Avro schema node. */
function toConnectMapping(
  node: AvroNode,
  names: ReadonlyMap<string, AvroObject>,
  stack: Set<string>,
): Mapping {
  const resolved = resolve(node, names);
  if (Array.isArray(resolved)) return unionMapping(resolved, names, stack);
  const object: AvroObject = typeof resolved === 'string' ? { type: resolved } : (resolved as AvroObject);
  const type = typeOf(resolved);
  const logical = typeof object.logicalType === 'string' ? object.logicalType : undefined;
  const name = connectName(object);
  const parameters = connectParameters(object);
  const named = (schema: ConnectSchema): ConnectSchema => ({
    ...schema,
    ...(name !== undefined && schema.name === undefined ? { name } : {}),
    ...(parameters !== undefined ? { parameters: { ...parameters, ...schema.parameters } } : {}),
    ...(typeof object.doc === 'string' && type !== 'record' ? { doc: object.doc } : {}),
  });
  const identity = (value: unknown): ConnectValue => value as ConnectValue;

  if (logical === 'decimal' && (type === 'bytes' || type === 'fixed')) {
    const precision = object.precision === undefined ? undefined : String(object.precision);
    const schema: ConnectSchema = {
      type: 'bytes',
      optional: false,
      name: LOGICAL_TYPES.decimal,
      version: 1,
      parameters: {
        ...parameters,
        scale: String(object.scale ?? 0),
        ...(precision !== undefined ? { 'connect.decimal.precision': precision } : {}),
      },
    };
    return { schema, toConnect: (value) => logicalFromEncoded(schema, value) ?? null };
  }
  const temporal =
    (logical === 'date' && type === 'int' && LOGICAL_TYPES.date) ||
    (logical === 'time-millis' && type === 'int' && LOGICAL_TYPES.time) ||
    (logical === 'timestamp-millis' && type === 'long' && LOGICAL_TYPES.timestamp) ||
    undefined;
  if (temporal) {
    const schema: ConnectSchema = {
      type: type === 'int' ? 'int32' : 'int64',
      optional: false,
      name: temporal,
      version: 1,
    };
    return { schema, toConnect: (value) => logicalFromEncoded(schema, value) ?? null };
  }

  switch (type) {
    case 'null':
      throw new ConversionError('a bare Avro null has no Connect schema');
    case 'boolean':
    case 'string':
      return { schema: named({ type, optional: false }), toConnect: identity };
    case 'int': {
      const declared = object['connect.type'];
      const connectType = declared === 'int8' || declared === 'int16' ? declared : 'int32';
      return { schema: named({ type: connectType, optional: false }), toConnect: identity };
    }
    case 'long':
      return { schema: named({ type: 'int64', optional: false }), toConnect: (value) => asBigint(value) };
    case 'float':
      return { schema: named({ type: 'float32', optional: false }), toConnect: identity };
    case 'double':
      return { schema: named({ type: 'float64', optional: false }), toConnect: identity };
    case 'bytes':
      return { schema: named({ type: 'bytes', optional: false }), toConnect: identity };
    case 'fixed':
      return {
        schema: {
          type: 'bytes',
          optional: false,
          name: String(object.name),
          parameters: { ...parameters, 'connect.fixed.size': String(object.size) },
        },
        toConnect: identity,
      };
    case 'enum': {
      const symbols = Array.isArray(object.symbols) ? object.symbols.map(String) : [];
      const enumName = String(object.name);
      return {
        schema: {
          type: 'string',
          optional: false,
          name: name ?? enumName,
          parameters: {
            ...parameters,
            [ENUM_PARAMETER]: enumName,
            ...Object.fromEntries(symbols.map((symbol) => [`${ENUM_PARAMETER}.${symbol}`, symbol])),
          },
          ...(typeof object.doc === 'string' ? { doc: object.doc } : {}),
        },
        toConnect: identity,
      };
    }
    case 'array':
      return arrayMapping(object, names, stack);
    case 'map': {
      const values = toConnectMapping(object.values as AvroNode, names, stack);
      return {
        schema: named({
          type: 'map',
          optional: false,
          keySchema: { type: 'string', optional: false },
          valueSchema: values.schema,
        }),
        toConnect: (value) =>
          new Map(
            Object.entries(value as Record<string, unknown>).map(([key, entry]) => [
              key,
              values.toConnect(entry),
            ]),
          ),
      };
    }
    case 'record':
    case 'error':
      return recordMapping(object, names, stack);
    default:
      throw new ConversionError(`Avro type '${type}' is not known`);
  }
}

function recordMapping(
  object: AvroObject,
  names: ReadonlyMap<string, AvroObject>,
  stack: Set<string>,
): Mapping {
  const recordName = String(object.name);
  if (stack.has(recordName)) {
    throw new ConversionError(
      `Avro record ${recordName} refers to itself; Connect schemas cannot be recursive`,
    );
  }
  stack.add(recordName);
  const avroFields = Array.isArray(object.fields) ? (object.fields as AvroObject[]) : [];
  const mapped = avroFields.map((field) => ({
    name: String(field.name),
    mapping: toConnectMapping(field.type as AvroNode, names, stack),
    doc: typeof field.doc === 'string' ? field.doc : undefined,
  }));
  stack.delete(recordName);
  const fields: ConnectField[] = mapped.map((field, index) => ({
    name: field.name,
    index,
    schema: field.doc !== undefined ? { ...field.mapping.schema, doc: field.doc } : field.mapping.schema,
  }));
  const name =
    connectName(object) ?? (recordName === `${AVRO_NAMESPACE}.${DEFAULT_RECORD}` ? undefined : recordName);
  return {
    schema: {
      type: 'struct',
      optional: false,
      ...(name !== undefined ? { name } : {}),
      ...(typeof object.doc === 'string' ? { doc: object.doc } : {}),
      fields,
    },
    toConnect(value) {
      const record = value as Record<string, unknown>;
      const out: Record<string, ConnectValue> = {};
      for (const field of mapped) out[field.name] = field.mapping.toConnect(record[field.name] ?? null);
      return out;
    },
  };
}

/** An array of MapEntry records (Confluent's form of a map with non-string keys) is a map again. */
function arrayMapping(
  object: AvroObject,
  names: ReadonlyMap<string, AvroObject>,
  stack: Set<string>,
): Mapping {
  const items = resolve(object.items as AvroNode, names);
  if (isObject(items) && items['connect.internal.type'] === MAP_ENTRY && Array.isArray(items.fields)) {
    const entryFields = items.fields as AvroObject[];
    const keyField = entryFields.find((field) => field.name === 'key');
    const valueField = entryFields.find((field) => field.name === 'value');
    if (keyField && valueField) {
      const key = toConnectMapping(keyField.type as AvroNode, names, stack);
      const value = toConnectMapping(valueField.type as AvroNode, names, stack);
      return {
        schema: { type: 'map', optional: false, keySchema: key.schema, valueSchema: value.schema },
        toConnect: (entries) =>
          new Map(
            (entries as Record<string, unknown>[]).map((entry) => [
              key.toConnect(entry.key),
              value.toConnect(entry.value),
            ]),
          ),
      };
    }
  }
  const element = toConnectMapping(object.items as AvroNode, names, stack);
  return {
    schema: { type: 'array', optional: false, valueSchema: element.schema },
    toConnect: (value) => (value as unknown[]).map((item) => element.toConnect(item)),
  };
}

/** ["null", X] is an optional X; other unions a struct with one optional field per branch, as Confluent's. */
function unionMapping(
  branches: readonly AvroNode[],
  names: ReadonlyMap<string, AvroObject>,
  stack: Set<string>,
): Mapping {
  const nonNull = branches.filter((branch) => typeOf(resolve(branch, names)) !== 'null');
  const hasNull = nonNull.length < branches.length;
  if (nonNull.length === 1 && hasNull) return optionalOf(toConnectMapping(nonNull[0], names, stack));
  const wrapped = isWrapped(branches, names);
  const members = nonNull.map((branch) => {
    const full = branchName(branch, names);
    return {
      full,
      field: full.slice(full.lastIndexOf('.') + 1),
      mapping: optionalOf(toConnectMapping(branch, names, stack)),
      branch,
    };
  });
  const schema: ConnectSchema = {
    type: 'struct',
    optional: hasNull,
    name: UNION_NAME,
    fields: members.map((member, index) => ({ name: member.field, index, schema: member.mapping.schema })),
  };
  return {
    schema,
    toConnect(value) {
      if (value === null) return null;
      const out: Record<string, ConnectValue> = Object.fromEntries(
        members.map((member) => [member.field, null]),
      );
      if (wrapped) {
        const [key, inner] = Object.entries(value as Record<string, unknown>)[0] ?? [];
        const member = members.find((candidate) => candidate.full === key);
        if (member) out[member.field] = member.mapping.toConnect(inner);
        return out;
      }
      const bucket = bucketOfValue(value);
      const member =
        members.find((candidate) => bucket === bucketOf(candidate.branch, names)) ??
        members.find((candidate) => bucket === 'number' && bucketOf(candidate.branch, names) === 'long');
      if (member) out[member.field] = member.mapping.toConnect(value);
      return out;
    },
  };
}

function bucketOfValue(value: unknown): string {
  if (typeof value === 'bigint') return 'long';
  if (typeof value === 'number') return 'number';
  if (value instanceof Uint8Array) return 'buffer';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object' && value !== null) return 'object';
  return typeof value;
}

const mappings = new WeakMap<ParsedSchema, Mapping>();

function mappingFor(writer: ParsedSchema): Mapping {
  let mapping = mappings.get(writer);
  if (mapping === undefined) {
    const names = new Map<string, AvroObject>();
    for (const reference of flatten(writer.references))
      collectNames(JSON.parse(reference) as unknown, '', names);
    const root = JSON.parse(writer.canonical) as AvroNode;
    collectNames(root, '', names);
    mapping = toConnectMapping(root, names, new Set());
    mappings.set(writer, mapping);
  }
  return mapping;
}

function flatten(references: ParsedSchema['references']): string[] {
  return references.flatMap((reference) => [...flatten(reference.references), reference.schema]);
}

// ---- Connect to Avro ----

function avroName(name: string): string {
  return name
    .split('.')
    .map((part) => {
      const cleaned = part.replace(/[^A-Za-z0-9_]/g, '_');
      return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
    })
    .join('.');
}

/** Avro's schema for a Connect schema; nested unnamed structs get numbered ConnectDefault names. */
export function avroSchemaFor(schema: ConnectSchema): unknown {
  let unnamed = 0;
  const nextName = (): string => `${AVRO_NAMESPACE}.${DEFAULT_RECORD}${unnamed++ === 0 ? '' : unnamed}`;
  const defined = new Set<string>();
  const meta = (connect: ConnectSchema): Record<string, unknown> => ({
    ...(connect.name !== undefined ? { 'connect.name': connect.name } : {}),
    ...(connect.parameters !== undefined ? { 'connect.parameters': connect.parameters } : {}),
    ...(connect.doc !== undefined ? { 'connect.doc': connect.doc } : {}),
  });
  const plain = (connect: ConnectSchema): unknown => {
    switch (connect.name) {
      case LOGICAL_TYPES.decimal:
        return {
          type: 'bytes',
          logicalType: 'decimal',
          precision: Number(connect.parameters?.['connect.decimal.precision'] ?? DEFAULT_DECIMAL_PRECISION),
          scale: decimalScale(connect),
          ...meta(connect),
        };
      case LOGICAL_TYPES.date:
        return { type: 'int', logicalType: 'date', ...meta(connect) };
      case LOGICAL_TYPES.time:
        return { type: 'int', logicalType: 'time-millis', ...meta(connect) };
      case LOGICAL_TYPES.timestamp:
        return { type: 'long', logicalType: 'timestamp-millis', ...meta(connect) };
    }
    const enumName = connect.parameters?.[ENUM_PARAMETER];
    if (connect.type === 'string' && enumName !== undefined) {
      const symbols = Object.entries(connect.parameters ?? {})
        .filter(([key]) => key.startsWith(`${ENUM_PARAMETER}.`))
        .map(([, symbol]) => symbol);
      const name = avroName(enumName);
      if (defined.has(name)) return name;
      defined.add(name);
      return { type: 'enum', name, symbols };
    }
    switch (connect.type) {
      case 'int8':
      case 'int16':
        return { type: 'int', 'connect.type': connect.type, ...meta(connect) };
      case 'int32':
        return connect.name ? { type: 'int', ...meta(connect) } : 'int';
      case 'int64':
        return connect.name ? { type: 'long', ...meta(connect) } : 'long';
      case 'float32':
        return connect.name ? { type: 'float', ...meta(connect) } : 'float';
      case 'float64':
        return connect.name ? { type: 'double', ...meta(connect) } : 'double';
      case 'boolean':
      case 'string':
      case 'bytes':
        return connect.name ? { type: connect.type, ...meta(connect) } : connect.type;
      case 'array':
        return { type: 'array', items: of(required(connect.valueSchema, 'an array')) };
      case 'map': {
        const keySchema = required(connect.keySchema, 'a map');
        const valueSchema = required(connect.valueSchema, 'a map');
        if (keySchema.type === 'string' && !keySchema.optional && keySchema.name === undefined) {
          return { type: 'map', values: of(valueSchema) };
        }
        const entryName = `${AVRO_NAMESPACE}.${MAP_ENTRY}${unnamed++ === 0 ? '' : unnamed}`;
        return {
          type: 'array',
          items: {
            type: 'record',
            name: entryName,
            'connect.internal.type': MAP_ENTRY,
            fields: [
              { name: 'key', type: of(keySchema) },
              { name: 'value', type: of(valueSchema) },
            ],
          },
        };
      }
      case 'struct': {
        const name = connect.name !== undefined ? avroName(connect.name) : nextName();
        if (defined.has(name)) return name;
        defined.add(name);
        return {
          type: 'record',
          name,
          ...(connect.doc !== undefined ? { doc: connect.doc } : {}),
          fields: (connect.fields ?? []).map((field) => ({
            name: avroName(field.name).replace(/\./g, '_'),
            type: of(field.schema),
            ...(field.schema.optional ? { default: null } : {}),
          })),
        };
      }
    }
  };
  const of = (connect: ConnectSchema): unknown =>
    connect.optional ? ['null', plain(connect)] : plain(connect);
  return plain(schema);
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined)
    throw new ConversionError(`the Connect schema of ${what} lacks its element schemas`);
  return value;
}

/** The value avsc encodes for Connect data (the schema avroSchemaFor made for it). */
export function avroValueFor(schema: ConnectSchema, value: ConnectValue, path = '(root)'): unknown {
  if (value === null) {
    if (schema.optional) return null;
    if (schema.defaultValue !== undefined && schema.defaultValue !== null)
      return avroValueFor(schema, schema.defaultValue, path);
    throw new ConversionError(`${path} is null but its schema is not optional`);
  }
  try {
    if (schema.name === LOGICAL_TYPES.decimal) return bigintToBytes(unscaledOf(value, decimalScale(schema)));
    const temporal = encodedTemporal(schema, value);
    if (temporal !== undefined) return temporal;
    switch (schema.type) {
      case 'int8':
      case 'int16':
      case 'int32':
      case 'float32':
      case 'float64':
        return asNumber(value);
      case 'int64':
        return asBigint(value);
      case 'boolean':
        if (typeof value !== 'boolean')
          throw new ConversionError(`expected a boolean, not ${describe(value)}`);
        return value;
      case 'string':
        if (typeof value !== 'string') throw new ConversionError(`expected a string, not ${describe(value)}`);
        return value;
      case 'bytes':
        return asBytes(value);
      case 'array': {
        if (!Array.isArray(value)) throw new ConversionError(`expected an array, not ${describe(value)}`);
        const element = required(schema.valueSchema, 'an array');
        return (value as readonly ConnectValue[]).map((item, index) =>
          avroValueFor(element, item, `${path}[${index}]`),
        );
      }
      case 'map': {
        const keySchema = required(schema.keySchema, 'a map');
        const valueSchema = required(schema.valueSchema, 'a map');
        const entries = mapEntries(value);
        if (keySchema.type === 'string' && !keySchema.optional && keySchema.name === undefined) {
          return Object.fromEntries(
            entries.map(([key, entry]) => [
              String(key),
              avroValueFor(valueSchema, entry, `${path}.${String(key)}`),
            ]),
          );
        }
        return entries.map(([key, entry]) => ({
          key: avroValueFor(keySchema, key, `${path} key`),
          value: avroValueFor(valueSchema, entry, `${path}.${String(key)}`),
        }));
      }
      case 'struct': {
        if (!isConnectObject(value)) {
          throw new ConversionError(`expected a struct, not ${describe(value)}`);
        }
        const record = value as Readonly<Record<string, ConnectValue>>;
        return Object.fromEntries(
          (schema.fields ?? []).map((field) => [
            avroName(field.name).replace(/\./g, '_'),
            avroValueFor(field.schema, record[field.name] ?? null, `${path}.${field.name}`),
          ]),
        );
      }
    }
  } catch (error) {
    if (error instanceof ConversionError && !error.message.startsWith(path)) {
      throw new ConversionError(`${path}: ${error.message}`);
    }
    throw error;
  }
}

export const avroFormat: RegistryFormat = {
  schemaType: 'AVRO',
  converterName: 'AvroConverter',
  toConnect(writer: ParsedSchema, _writerText: string, decoded: DecodedMessage) {
    const mapping = mappingFor(writer);
    return { schema: mapping.schema, value: mapping.toConnect(decoded.value) };
  },
  schemaFor(schema: ConnectSchema): GeneratedSchema {
    return { text: JSON.stringify(avroSchemaFor(schema)) };
  },
  valueFor: (schema, value) => avroValueFor(schema, value),
};

export const avroConverterPlugin = registryConverterPlugin(
  'io.confluent.connect.avro.AvroConverter',
  ['AvroConverter'],
  avroFormat,
);
