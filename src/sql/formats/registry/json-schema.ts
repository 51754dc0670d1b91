// JSON_SR: the JSON schema ksqlDB (through Connect's JsonSchemaData) registers for columns, and the columns
// of a registered JSON schema. Records themselves are plain JSON after the registry header, read and written
// by the JSON format's reader and writer.
import { SqlTypes, type SqlType } from '../../types/index.js';
import type { Column } from '../../planner/schema.js';
import { FormatError } from '../format.js';

type JsonSchema = { [key: string]: unknown };

const CONNECT = 'org.apache.kafka.connect.data.';

function logical(name: string, connectType: string, type: string): JsonSchema {
  return { type, title: `${CONNECT}${name}`, 'connect.version': 1, 'connect.type': connectType };
}

function optional(schema: JsonSchema): JsonSchema {
  return { oneOf: [{ type: 'null' }, schema] };
}

function schemaOf(type: SqlType): JsonSchema {
  switch (type.kind) {
    case 'BOOLEAN':
      return { type: 'boolean' };
    case 'INTEGER':
      return { type: 'integer', 'connect.type': 'int32' };
    case 'BIGINT':
      return { type: 'integer', 'connect.type': 'int64' };
    case 'DOUBLE':
      return { type: 'number', 'connect.type': 'float64' };
    case 'STRING':
      return { type: 'string' };
    case 'BYTES':
      return { type: 'string', 'connect.type': 'bytes' };
    case 'DECIMAL':
      return {
        ...logical('Decimal', 'bytes', 'number'),
        'connect.parameters': {
          scale: String(type.scale),
          'connect.decimal.precision': String(type.precision),
        },
      };
    case 'DATE':
      return logical('Date', 'int32', 'integer');
    case 'TIME':
      return logical('Time', 'int32', 'integer');
    case 'TIMESTAMP':
      return logical('Timestamp', 'int64', 'integer');
    case 'ARRAY':
      return { type: 'array', items: optional(schemaOf(type.element)) };
    case 'MAP':
      return { type: 'object', additionalProperties: optional(schemaOf(type.value)), 'connect.type': 'map' };
    case 'STRUCT':
      return objectOf(type.fields);
  }
}

function objectOf(fields: readonly { name: string; type: SqlType }[]): JsonSchema {
  const properties: JsonSchema = {};
  fields.forEach((field, index) => {
    properties[field.name] = { 'connect.index': index, ...optional(schemaOf(field.type)) };
  });
  return { type: 'object', properties };
}

/** The schema ksqlDB registers: an object of optional properties, or the optional type of an unwrapped column. */
export function jsonSchemaFor(columns: readonly Column[], unwrapped: boolean): JsonSchema {
  return unwrapped ? optional(schemaOf(columns[0].type)) : objectOf(columns);
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows a local `$ref` ("#/definitions/X"). */
function deref(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let current = schema;
  for (let i = 0; i < 20 && typeof current.$ref === 'string'; i++) {
    const path = current.$ref.replace(/^#\/?/, '').split('/').filter(Boolean);
    let target: unknown = root;
    for (const part of path) target = isObject(target) ? target[decodeURIComponent(part)] : undefined;
    if (!isObject(target)) throw new FormatError(`JSON schema reference ${current.$ref} is not defined`);
    current = target;
  }
  return current;
}

/** The SQL type of a JSON schema, as ksqlDB infers it. */
export function sqlTypeOfJsonSchema(schema: unknown, root: JsonSchema, upper: boolean): SqlType {
  if (!isObject(schema)) throw new FormatError(`JSON schema ${JSON.stringify(schema)} has no SQL type`);
  const resolved = deref(schema, root);
  const branches = (resolved.oneOf ?? resolved.anyOf) as unknown[] | undefined;
  if (Array.isArray(branches)) {
    const others = branches.filter((b) => !(isObject(b) && b.type === 'null'));
    if (others.length !== 1) throw new FormatError('JSON schema unions of several types are not supported');
    return sqlTypeOfJsonSchema(others[0], root, upper);
  }
  let type = resolved.type;
  if (Array.isArray(type)) type = type.find((t) => t !== 'null');
  const title = typeof resolved.title === 'string' ? resolved.title : '';
  const connectType = resolved['connect.type'];
  switch (type) {
    case 'boolean':
      return SqlTypes.BOOLEAN;
    case 'integer':
      if (title === `${CONNECT}Date`) return SqlTypes.DATE;
      if (title === `${CONNECT}Time`) return SqlTypes.TIME;
      if (title === `${CONNECT}Timestamp`) return SqlTypes.TIMESTAMP;
      return connectType === 'int32' || connectType === 'int16' || connectType === 'int8'
        ? SqlTypes.INTEGER
        : SqlTypes.BIGINT;
    case 'number':
      if (title === `${CONNECT}Decimal`) {
        const parameters = isObject(resolved['connect.parameters']) ? resolved['connect.parameters'] : {};
        return SqlTypes.decimal(
          Number(parameters['connect.decimal.precision'] ?? 64),
          Number(parameters.scale ?? 0),
        );
      }
      return SqlTypes.DOUBLE;
    case 'string':
      return connectType === 'bytes' ? SqlTypes.BYTES : SqlTypes.STRING;
    case 'array':
      return SqlTypes.array(sqlTypeOfJsonSchema(resolved.items, root, upper));
    case 'object': {
      if (
        connectType === 'map' ||
        (resolved.properties === undefined && isObject(resolved.additionalProperties))
      ) {
        return SqlTypes.map(SqlTypes.STRING, sqlTypeOfJsonSchema(resolved.additionalProperties, root, upper));
      }
      const properties = isObject(resolved.properties) ? resolved.properties : {};
      const entries = Object.entries(properties).map(([name, property], order) => ({
        name,
        property,
        index:
          isObject(property) && typeof property['connect.index'] === 'number'
            ? property['connect.index']
            : order,
      }));
      entries.sort((a, b) => a.index - b.index);
      return SqlTypes.struct(
        entries.map((entry) => ({
          name: upper ? entry.name.toUpperCase() : entry.name,
          type: sqlTypeOfJsonSchema(entry.property, root, upper),
        })),
      );
    }
    default:
      throw new FormatError(`JSON schema ${JSON.stringify(resolved)} has no SQL type`);
  }
}

export function jsonSchemaColumns(schema: unknown, isKey: boolean, upper: boolean): Column[] {
  const root = isObject(schema) ? schema : {};
  const type = sqlTypeOfJsonSchema(schema, root, upper);
  const namespace = isKey ? 'KEY' : 'VALUE';
  if (type.kind === 'STRUCT' && !isKey)
    return type.fields.map((f) => ({ name: f.name, type: f.type, namespace }));
  return [{ name: isKey ? 'ROWKEY' : 'ROWVAL', type, namespace }];
}
