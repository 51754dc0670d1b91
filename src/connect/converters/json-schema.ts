// io.confluent.connect.json.JsonSchemaConverter: JSON documents with a registered JSON Schema. The mapping
// follows Confluent's JsonSchemaData: objects with properties are structs (in `connect.index` order), objects
// with only additionalProperties maps, `integer` int64 and `number` float64 unless `connect.type` says
// otherwise, bytes base64 strings, `oneOf` with null an optional schema, and the logical types by `title`.
// A schema this mapping cannot follow (a $ref to another document, anyOf of several types) still reads:
// the value comes without a schema, as schemaless JSON does.
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
import { registryConverterPlugin, type GeneratedSchema, type RegistryFormat } from './registry-converter.js';
import {
  asBigint,
  asBytes,
  asNumber,
  decimalScale,
  describe,
  encodedTemporal,
  logicalFromEncoded,
  mapEntries,
  unscaledOf,
  decimalText,
} from './registry-values.js';

type JsonNode = { readonly [key: string]: unknown };

interface Mapping {
  readonly schema: ConnectSchema;
  toConnect(value: unknown): ConnectValue;
}

/** The schema uses something this mapping does not follow; the value is passed on schemaless. */
class UnmappableSchema extends Error {}

const LOGICAL_NAMES = new Set<string>(Object.values(LOGICAL_TYPES));
const INTEGER_TYPES = new Set(['int8', 'int16', 'int32', 'int64']);

function isNode(value: unknown): value is JsonNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolveLocal(node: JsonNode, root: JsonNode): JsonNode {
  let current = node;
  for (let depth = 0; typeof current.$ref === 'string'; depth++) {
    const ref = current.$ref;
    if (!ref.startsWith('#') || depth > 32) throw new UnmappableSchema(`$ref ${ref}`);
    let target: unknown = root;
    for (const part of ref
      .slice(1)
      .split('/')
      .filter((piece) => piece !== '')) {
      target = isNode(target)
        ? target[decodeURIComponent(part.replace(/~1/g, '/').replace(/~0/g, '~'))]
        : undefined;
    }
    if (!isNode(target)) throw new UnmappableSchema(`$ref ${ref}`);
    current = target;
  }
  return current;
}

function toConnectMapping(input: unknown, root: JsonNode, depth: number): Mapping {
  if (depth > 64) throw new UnmappableSchema('nesting too deep (a recursive schema?)');
  if (!isNode(input)) throw new UnmappableSchema('a boolean schema');
  const node = resolveLocal(input, root);
  const choices = Array.isArray(node.oneOf) ? node.oneOf : Array.isArray(node.anyOf) ? node.anyOf : undefined;
  if (choices !== undefined) {
    const resolved = choices.filter(isNode).map((choice) => resolveLocal(choice, root));
    const nonNull = resolved.filter((choice) => choice.type !== 'null');
    if (nonNull.length === 1 && resolved.length === 2) {
      const inner = toConnectMapping(nonNull[0], root, depth + 1);
      return {
        schema: { ...inner.schema, optional: true },
        toConnect: (value) => (value === null || value === undefined ? null : inner.toConnect(value)),
      };
    }
    throw new UnmappableSchema('oneOf/anyOf of several types');
  }
  let type = node.type;
  let optional = false;
  if (Array.isArray(type)) {
    const nonNull = type.filter((entry) => entry !== 'null');
    if (nonNull.length !== 1) throw new UnmappableSchema(`type ${JSON.stringify(type)}`);
    optional = nonNull.length < type.length;
    type = nonNull[0];
  }
  if (type === undefined && Array.isArray(node.enum)) type = 'string';
  if (type === undefined && isNode(node.properties)) type = 'object';
  const title = typeof node.title === 'string' ? node.title : undefined;
  const connectType = typeof node['connect.type'] === 'string' ? node['connect.type'] : undefined;
  const parameters = isNode(node['connect.parameters'])
    ? Object.fromEntries(
        Object.entries(node['connect.parameters']).map(([key, value]) => [key, String(value)]),
      )
    : undefined;
  const base = (schemaType: ConnectSchemaType): ConnectSchema => ({
    type: schemaType,
    optional,
    ...(title !== undefined ? { name: title } : {}),
    ...(parameters !== undefined ? { parameters } : {}),
    ...(typeof node.description === 'string' ? { doc: node.description } : {}),
  });
  const nullable = (read: (value: unknown) => ConnectValue) => (value: unknown) =>
    value === null || value === undefined ? null : read(value);

  if (title !== undefined && LOGICAL_NAMES.has(title)) {
    const schema: ConnectSchema =
      title === LOGICAL_TYPES.decimal
        ? { ...base('bytes'), version: 1, parameters: { scale: '0', ...parameters } }
        : { ...base(title === LOGICAL_TYPES.timestamp ? 'int64' : 'int32'), version: 1 };
    return {
      schema,
      toConnect: nullable((value) => {
        if (title === LOGICAL_TYPES.decimal && typeof value === 'number') {
          return decimalText(unscaledOf(value, decimalScale(schema)), decimalScale(schema));
        }
        return logicalFromEncoded(schema, value) ?? null;
      }),
    };
  }
  switch (type) {
    case 'string':
      if (connectType === 'bytes')
        return {
          schema: base('bytes'),
          toConnect: nullable((value) => Buffer.from(String(value), 'base64')),
        };
      return { schema: base('string'), toConnect: nullable((value) => String(value)) };
    case 'boolean':
      return { schema: base('boolean'), toConnect: nullable((value) => Boolean(value)) };
    case 'integer': {
      const schemaType =
        connectType !== undefined && INTEGER_TYPES.has(connectType)
          ? (connectType as ConnectSchemaType)
          : 'int64';
      return {
        schema: base(schemaType),
        toConnect: nullable((value) => (schemaType === 'int64' ? asBigint(value) : Number(value))),
      };
    }
    case 'number':
      return {
        schema: base(connectType === 'float32' ? 'float32' : 'float64'),
        toConnect: nullable((value) => Number(value)),
      };
    case 'array': {
      const items = node.items;
      if (connectType === 'map' && isNode(items)) {
        const entry = resolveLocal(items, root);
        const properties = isNode(entry.properties) ? entry.properties : {};
        const key = toConnectMapping(properties.key, root, depth + 1);
        const value = toConnectMapping(properties.value, root, depth + 1);
        return {
          schema: { ...base('map'), keySchema: key.schema, valueSchema: value.schema },
          toConnect: nullable(
            (entries) =>
              new Map(
                (entries as JsonNode[]).map((item) => [
                  key.toConnect(item.key),
                  value.toConnect(item.value ?? null),
                ]),
              ),
          ),
        };
      }
      if (!isNode(items)) throw new UnmappableSchema('an array without one items schema');
      const element = toConnectMapping(items, root, depth + 1);
      return {
        schema: { ...base('array'), valueSchema: element.schema },
        toConnect: nullable((value) => (value as unknown[]).map((item) => element.toConnect(item))),
      };
    }
    case 'object': {
      if (!isNode(node.properties) && isNode(node.additionalProperties)) {
        const values = toConnectMapping(node.additionalProperties, root, depth + 1);
        return {
          schema: {
            ...base('map'),
            keySchema: { type: 'string', optional: false },
            valueSchema: values.schema,
          },
          toConnect: nullable(
            (value) =>
              new Map(
                Object.entries(value as JsonNode).map(([key, entry]) => [key, values.toConnect(entry)]),
              ),
          ),
        };
      }
      return structMapping(node, root, depth, base('struct'));
    }
    default:
      throw new UnmappableSchema(`type ${JSON.stringify(type)}`);
  }
}

function structMapping(node: JsonNode, root: JsonNode, depth: number, base: ConnectSchema): Mapping {
  const properties = isNode(node.properties) ? node.properties : {};
  const required = new Set(Array.isArray(node.required) ? node.required.map(String) : []);
  const entries = Object.entries(properties).map(([name, property], order) => {
    const mapping = toConnectMapping(property, root, depth + 1);
    const index =
      isNode(property) && typeof property['connect.index'] === 'number' ? property['connect.index'] : order;
    // A property that need not be present can be null in Connect terms.
    const schema = required.has(name) ? mapping.schema : { ...mapping.schema, optional: true };
    return { name, index, schema, mapping };
  });
  entries.sort((left, right) => left.index - right.index);
  const fields: ConnectField[] = entries.map((entry, index) => ({
    name: entry.name,
    index,
    schema: entry.schema,
  }));
  return {
    schema: { ...base, fields },
    toConnect(value) {
      if (value === null || value === undefined) return null;
      if (!isNode(value)) throw new ConversionError(`expected a JSON object, not ${describe(value)}`);
      return Object.fromEntries(
        entries.map((entry) => [
          entry.name,
          value[entry.name] === undefined ? null : entry.mapping.toConnect(value[entry.name]),
        ]),
      );
    },
  };
}

/** The JSON value as schemaless Connect data: objects stay plain objects, integers become numbers. */
function schemaless(value: unknown): ConnectValue {
  if (Array.isArray(value)) return value.map(schemaless);
  if (isNode(value))
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, schemaless(entry)]));
  return value as ConnectValue;
}

const mappings = new WeakMap<ParsedSchema, Mapping | null>();

function mappingFor(writer: ParsedSchema, writerText: string): Mapping | null {
  let mapping = mappings.get(writer);
  if (mapping === undefined) {
    // The canonical text sorts keys; the registered text keeps the properties in their declared order.
    const root = JSON.parse(writerText) as unknown;
    try {
      mapping = toConnectMapping(root, isNode(root) ? root : {}, 0);
    } catch (error) {
      if (!(error instanceof UnmappableSchema)) throw error;
      mapping = null;
    }
    mappings.set(writer, mapping);
  }
  return mapping;
}

// ---- Connect to JSON Schema ----

export function jsonSchemaFor(schema: ConnectSchema): JsonNode {
  const plain = (connect: ConnectSchema): JsonNode => {
    const named = {
      ...(connect.name !== undefined ? { title: connect.name } : {}),
      ...(connect.parameters !== undefined ? { 'connect.parameters': connect.parameters } : {}),
      ...(connect.doc !== undefined ? { description: connect.doc } : {}),
    };
    switch (connect.name) {
      case LOGICAL_TYPES.decimal:
        return { type: 'number', ...named, 'connect.type': 'bytes' };
      case LOGICAL_TYPES.date:
      case LOGICAL_TYPES.time:
        return { type: 'integer', ...named, 'connect.type': 'int32' };
      case LOGICAL_TYPES.timestamp:
        return { type: 'integer', ...named, 'connect.type': 'int64' };
    }
    switch (connect.type) {
      case 'int8':
      case 'int16':
      case 'int32':
      case 'int64':
        return { type: 'integer', ...named, 'connect.type': connect.type };
      case 'float32':
      case 'float64':
        return { type: 'number', ...named, 'connect.type': connect.type };
      case 'boolean':
      case 'string':
        return { type: connect.type, ...named };
      case 'bytes':
        return { type: 'string', ...named, 'connect.type': 'bytes' };
      case 'array':
        return { type: 'array', ...named, items: of(required(connect.valueSchema)) };
      case 'map': {
        const keySchema = required(connect.keySchema);
        const valueSchema = required(connect.valueSchema);
        if (keySchema.type === 'string') {
          return { type: 'object', ...named, additionalProperties: of(valueSchema), 'connect.type': 'map' };
        }
        return {
          type: 'array',
          ...named,
          items: { type: 'object', properties: { key: of(keySchema), value: of(valueSchema) } },
          'connect.type': 'map',
        };
      }
      case 'struct': {
        const fields = connect.fields ?? [];
        return {
          type: 'object',
          ...named,
          properties: Object.fromEntries(
            fields.map((field) => [field.name, { ...of(field.schema), 'connect.index': field.index }]),
          ),
          required: fields.filter((field) => !field.schema.optional).map((field) => field.name),
        };
      }
    }
  };
  const of = (connect: ConnectSchema): JsonNode =>
    connect.optional ? { oneOf: [{ type: 'null' }, plain(connect)] } : plain(connect);
  return plain(schema);
}

function required(schema: ConnectSchema | undefined): ConnectSchema {
  if (schema === undefined) throw new ConversionError('an array or map schema lacks its element schemas');
  return schema;
}

/** The JSON document for Connect data; int64 beyond 2^53 loses precision, as JSON numbers do. */
export function jsonValueFor(schema: ConnectSchema, value: ConnectValue, path = '(root)'): unknown {
  if (value === null) {
    if (schema.optional) return null;
    throw new ConversionError(`${path} is null but its schema is not optional`);
  }
  if (schema.name === LOGICAL_TYPES.decimal)
    return Number(decimalText(unscaledOf(value, decimalScale(schema)), decimalScale(schema)));
  const temporal = encodedTemporal(schema, value);
  if (temporal !== undefined) return temporal;
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'float32':
    case 'float64':
      return asNumber(value);
    case 'boolean':
    case 'string':
      if (typeof value !== schema.type)
        throw new ConversionError(`${path}: expected a ${schema.type}, not ${describe(value)}`);
      return value;
    case 'bytes':
      return asBytes(value).toString('base64');
    case 'array':
      if (!Array.isArray(value))
        throw new ConversionError(`${path}: expected an array, not ${describe(value)}`);
      return (value as readonly ConnectValue[]).map((item, index) =>
        jsonValueFor(required(schema.valueSchema), item, `${path}[${index}]`),
      );
    case 'map': {
      const keySchema = required(schema.keySchema);
      const valueSchema = required(schema.valueSchema);
      const entries = mapEntries(value);
      if (keySchema.type === 'string') {
        return Object.fromEntries(
          entries.map(([key, entry]) => [
            String(key),
            jsonValueFor(valueSchema, entry, `${path}.${String(key)}`),
          ]),
        );
      }
      return entries.map(([key, entry]) => ({
        key: jsonValueFor(keySchema, key, `${path} key`),
        value: jsonValueFor(valueSchema, entry, path),
      }));
    }
    case 'struct': {
      if (!isConnectObject(value)) {
        throw new ConversionError(`${path}: expected a struct, not ${describe(value)}`);
      }
      const record = value as Readonly<Record<string, ConnectValue>>;
      return Object.fromEntries(
        (schema.fields ?? []).map((field) => [
          field.name,
          jsonValueFor(field.schema, record[field.name] ?? null, `${path}.${field.name}`),
        ]),
      );
    }
  }
}

export const jsonSchemaFormat: RegistryFormat = {
  schemaType: 'JSON',
  converterName: 'JsonSchemaConverter',
  toConnect(writer: ParsedSchema, writerText: string, decoded: DecodedMessage) {
    const mapping = mappingFor(writer, writerText);
    if (mapping === null) return { schema: null, value: schemaless(decoded.value) };
    return { schema: mapping.schema, value: mapping.toConnect(decoded.value) };
  },
  schemaFor(schema: ConnectSchema): GeneratedSchema {
    return { text: JSON.stringify(jsonSchemaFor(schema)) };
  },
  valueFor: (schema, value) => jsonValueFor(schema, value),
};

export const jsonSchemaConverterPlugin = registryConverterPlugin(
  'io.confluent.connect.json.JsonSchemaConverter',
  ['JsonSchemaConverter'],
  jsonSchemaFormat,
);
