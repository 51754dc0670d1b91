// The formats' entry points (see /work/notes/sql-contract.md): a RowSerde for a key or a value, columns from
// the schema registry, and the format properties of a WITH clause.
import type { SchemaRegistryClient } from '../../serdes/index.js';
import type { Column } from '../planner/schema.js';
import type { SqlValue } from '../types/index.js';
import { delimitedSerde } from './delimited/delimited-serde.js';
import { FormatError, type FormatName, type RowSerde, type SerdeTarget } from './format.js';
import { jsonSerde } from './json/json-serde.js';
import { kafkaSerde } from './kafka-serde.js';
import { noneSerde } from './none-serde.js';
import { isMissingKey, missingKey } from './null-key.js';
import type { InferOptions } from './registry/registry-serde.js';
import { SCHEMA_REGISTRY_FORMATS } from './properties.js';
import { validateSerdeTarget } from './support.js';

export * from './format.js';
export {
  FORMAT_NAMES,
  SCHEMA_REGISTRY_FORMATS,
  parseDelimiter,
  parseFormatName,
  parseFormatProperties,
  type FormatDefaults,
  type FormatProperties,
} from './properties.js';
export { describeColumns, validateSerdeTarget } from './support.js';
export type { InferOptions } from './registry/registry-serde.js';
export { DEFAULT_AVRO_FULL_NAME } from './registry/avro.js';

/**
 * The serde of a key or value. The schema-registry formats need `registry`; serializing with them registers
 * the schema derived from the columns under `<topic>-key` / `<topic>-value` (or uses *_SCHEMA_ID), here,
 * before the first record. Throws FormatError when the format cannot hold the columns.
 */
export async function createSerde(target: SerdeTarget, registry?: SchemaRegistryClient): Promise<RowSerde> {
  const serde = await formatSerde(target, registry);
  return target.isKey ? nullKeyAsNullBytes(serde, target) : serde;
}

/**
 * A record without a key is written as null bytes, and so is a single key column that is NULL. A key of
 * several columns that are all NULL is written as a record of nulls, as ksqlDB does, unless it is a missing
 * key read from null bytes (see null-key.ts), which deserialize gives back for keys of several columns.
 * PROTOBUF keeps writing an all-NULL key as null bytes (its fields cannot hold NULL).
 */
function nullKeyAsNullBytes(serde: RowSerde, target: SerdeTarget): RowSerde {
  const serialize = serde.serialize.bind(serde);
  const deserialize = serde.deserialize.bind(serde);
  const width = target.columns.length;
  const allNullIsMissing = width === 1 || target.format === 'PROTOBUF' || target.format === 'PROTOBUF_NOSR';
  const isNullKey = (values: readonly SqlValue[]): boolean =>
    isMissingKey(values) || (allNullIsMissing && values.every((value) => value === null));
  return {
    ...serde,
    serialize: (values) => (values === null || isNullKey(values) ? null : serialize(values)),
    deserialize: (bytes) => {
      const values = deserialize(bytes);
      return values === null && width > 1 ? missingKey(width) : values;
    },
    ...(serde.load ? { load: serde.load.bind(serde) } : {}),
  };
}

async function formatSerde(target: SerdeTarget, registry?: SchemaRegistryClient): Promise<RowSerde> {
  switch (target.format) {
    case 'JSON':
      validateSerdeTarget(target);
      return jsonSerde(target);
    case 'KAFKA':
      return kafkaSerde(target);
    case 'DELIMITED':
      return delimitedSerde(target);
    case 'NONE':
      return noneSerde(target);
    case 'PROTOBUF_NOSR':
      validateSerdeTarget(target);
      return (await loadProtobufNosr()).protobufNosrSerde(target);
    default:
      if (registry === undefined) {
        throw new FormatError(
          `The ${target.format} format needs the schema registry: configure ksql.schema.registry.url`,
        );
      }
      validateSerdeTarget(target);
      return (await loadRegistryFormats()).registrySerde(target, registry);
  }
}

// The schema-registry formats load avsc, protobufjs and ajv: only when a query first uses one, so that a
// start (and every query in JSON, KAFKA, DELIMITED or NONE) does not pay for them.
const loadRegistryFormats = () => import('./registry/registry-serde.js');
const loadProtobufNosr = () => import('./registry/protobuf-nosr.js');

/**
 * The columns of a key or value whose schema is in the registry (CREATE STREAM without columns): the latest
 * schema of `<topic>-key|value` (field names upper-cased, as ksqlDB does), or `schemaId`'s (names kept).
 * A key, or a value with wrapSingleValue false, that is not a Protobuf message is one ROWKEY / ROWVAL column.
 */
export async function inferColumns(
  topic: string,
  isKey: boolean,
  format: FormatName,
  registry: SchemaRegistryClient,
  options: InferOptions = {},
): Promise<Column[]> {
  if (!SCHEMA_REGISTRY_FORMATS.has(format)) {
    throw new FormatError(
      `${isKey ? 'KEY' : 'VALUE'}_FORMAT ${format} does not support schema inference: list the columns`,
    );
  }
  return (await loadRegistryFormats()).inferRegistryColumns(topic, isKey, format, registry, options);
}
