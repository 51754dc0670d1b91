// The formats' entry points (see /work/notes/sql-contract.md): a RowSerde for a key or a value, columns from
// the schema registry, and the format properties of a WITH clause.
import type { SchemaRegistryClient } from '../../serdes/index.js';
import type { Column } from '../planner/schema.js';
import { delimitedSerde } from './delimited/delimited-serde.js';
import { FormatError, type FormatName, type RowSerde, type SerdeTarget } from './format.js';
import { jsonSerde } from './json/json-serde.js';
import { kafkaSerde } from './kafka-serde.js';
import { noneSerde } from './none-serde.js';
import { inferRegistryColumns, registrySerde } from './registry/registry-serde.js';
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

/**
 * The serde of a key or value. The schema-registry formats need `registry`; serializing with them registers
 * the schema derived from the columns under `<topic>-key` / `<topic>-value` (or uses *_SCHEMA_ID), here,
 * before the first record. Throws FormatError when the format cannot hold the columns.
 */
export async function createSerde(target: SerdeTarget, registry?: SchemaRegistryClient): Promise<RowSerde> {
  const serde = await formatSerde(target, registry);
  return target.isKey ? nullKeyAsNullBytes(serde) : serde;
}

/**
 * A key whose columns are all NULL is how the runtime holds a record without a key (null bytes read as
 * null); ksqlDB writes such a key as null bytes, not as `{"K1":null}` or an empty line.
 */
function nullKeyAsNullBytes(serde: RowSerde): RowSerde {
  const serialize = serde.serialize.bind(serde);
  return {
    ...serde,
    serialize: (values) =>
      values === null || values.every((value) => value === null) ? null : serialize(values),
    deserialize: serde.deserialize.bind(serde),
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
    default:
      if (registry === undefined) {
        throw new FormatError(
          `The ${target.format} format needs the schema registry: configure ksql.schema.registry.url`,
        );
      }
      validateSerdeTarget(target);
      return registrySerde(target, registry);
  }
}

/**
 * The columns of a key or value whose schema is in the registry (CREATE STREAM without columns): the latest
 * schema of `<topic>-key|value`, or `schemaId` when given.
 */
export async function inferColumns(
  topic: string,
  isKey: boolean,
  format: FormatName,
  registry: SchemaRegistryClient,
  options: { schemaId?: number; schemaFullName?: string } = {},
): Promise<Column[]> {
  if (!SCHEMA_REGISTRY_FORMATS.has(format)) {
    throw new FormatError(
      `${isKey ? 'KEY' : 'VALUE'}_FORMAT ${format} does not support schema inference: list the columns`,
    );
  }
  return inferRegistryColumns(topic, isKey, format, registry, options);
}
