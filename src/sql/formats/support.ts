// What each format can hold, checked when a source or a query's sink is defined, with ksqlDB's messages:
// the engine shows them as they are, and ksqlDB's test cases expect them word for word.
import type { Column } from '../planner/schema.js';
import { containsMap, formatType, type SqlType } from '../types/index.js';
import { FormatError, type SerdeTarget } from './format.js';

/** The `K` STRING KEY form ksqlDB lists columns in. */
export function describeColumns(columns: readonly Column[]): string {
  return `[${columns
    .map((c) => `\`${c.name}\` ${formatType(c.type)}${c.namespace === 'KEY' ? ' KEY' : ''}`)
    .join(', ')}]`;
}

/** The first MAP (at any depth) whose key is not a STRING, if any. */
function hasNonStringMapKey(type: SqlType): boolean {
  switch (type.kind) {
    case 'MAP':
      return type.key.kind !== 'STRING' || hasNonStringMapKey(type.value);
    case 'ARRAY':
      return hasNonStringMapKey(type.element);
    case 'STRUCT':
      return type.fields.some((field) => hasNonStringMapKey(field.type));
    default:
      return false;
  }
}

const KAFKA_TYPES = new Set(['INTEGER', 'BIGINT', 'DOUBLE', 'STRING', 'BYTES']);
const NESTED = new Set(['ARRAY', 'MAP', 'STRUCT']);
const MAP_KEY_MESSAGES: Partial<Record<string, string>> = {
  JSON: 'JSON only supports MAP types with STRING keys',
  JSON_SR: 'JSON only supports MAP types with STRING keys',
  AVRO: 'Avro only supports MAPs with STRING keys',
  PROTOBUF: 'PROTOBUF format only supports MAP types with STRING keys',
  PROTOBUF_NOSR: 'PROTOBUF format only supports MAP types with STRING keys',
};
const AVRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkAvroNames(type: SqlType, name: string): void {
  if (!AVRO_NAME.test(name)) {
    const bad = /^[A-Za-z_]/.test(name) ? 'Illegal character in' : 'Illegal initial character';
    throw new FormatError(`Schema is not compatible with Avro: ${bad}: ${name}`);
  }
  if (type.kind === 'STRUCT') type.fields.forEach((field) => checkAvroNames(field.type, field.name));
  else if (type.kind === 'ARRAY') checkAvroNames(type.element, 'element');
  else if (type.kind === 'MAP') checkAvroNames(type.value, 'value');
}

/**
 * Throws FormatError when the format cannot hold the columns. `explicitWrap` says WRAP_SINGLE_VALUE was
 * written in the WITH clause (a value taken from the server's config is not checked against the columns).
 */
export function validateSerdeTarget(target: SerdeTarget, explicitWrap = false): void {
  const { format, columns, isKey } = target;
  if (isKey) {
    for (const column of columns) {
      if (containsMap(column.type)) {
        throw new FormatError(
          'Map keys, including types that contain maps, are not supported as they may lead to unexpected ' +
            `behavior due to inconsistent serialization. Key column name: \`${column.name}\`. Column type: ` +
            `${formatType(column.type)}. See https://github.com/confluentinc/ksql/issues/6621 for more.`,
        );
      }
    }
  }
  if (format === 'NONE') {
    if (columns.length > 0) {
      throw new FormatError(
        `The 'NONE' format can only be used when no columns are defined. Got: ${describeColumns(columns)}`,
      );
    }
    return;
  }
  if (format === 'KAFKA' || format === 'DELIMITED') {
    if (target.options.wrapSingleValue === true) {
      throw new FormatError(`Format '${format}' does not support 'WRAP_SINGLE_VALUE' set to 'true'.`);
    }
    // ksqlDB's message names the side, the format and the columns, then the reason.
    const unsupported = (reason: string) =>
      new FormatError(
        `${isKey ? 'Key' : 'Value'} format does not support schema.\nformat: ${format}\n` +
          `schema: Persistence{columns=${describeColumns(columns)}, features=[${
            !isKey && target.options.wrapSingleValue === false ? 'UNWRAP_SINGLES' : ''
          }]}\nreason: ${reason}`,
      );
    for (const column of columns) {
      const kind = column.type.kind;
      if (format === 'KAFKA' && !KAFKA_TYPES.has(kind)) {
        throw unsupported(`The 'KAFKA' format does not support type '${kind}'`);
      }
      if (format === 'DELIMITED' && NESTED.has(kind)) {
        throw unsupported(
          `The 'DELIMITED' format does not support type '${kind}', column: \`${column.name}\``,
        );
      }
    }
    if (format === 'KAFKA' && columns.length > 1) {
      throw unsupported(`The 'KAFKA' format only supports a single field. Got: ${describeColumns(columns)}`);
    }
  }
  const mapKeyMessage = MAP_KEY_MESSAGES[format];
  if (mapKeyMessage !== undefined && columns.some((column) => hasNonStringMapKey(column.type))) {
    throw new FormatError(mapKeyMessage);
  }
  if (format === 'AVRO') columns.forEach((column) => checkAvroNames(column.type, column.name));
  if (!isKey && explicitWrap && target.options.wrapSingleValue !== undefined && columns.length !== 1) {
    throw new FormatError("'WRAP_SINGLE_VALUE' is only valid for single-field value schemas");
  }
}
