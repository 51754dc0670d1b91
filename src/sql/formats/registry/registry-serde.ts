// Placeholder until the schema-registry formats land (JSON_SR, AVRO, PROTOBUF).
import type { SchemaRegistryClient } from '../../../serdes/index.js';
import type { Column } from '../../planner/schema.js';
import { FormatError, type FormatName, type RowSerde, type SerdeTarget } from '../format.js';

export async function registrySerde(target: SerdeTarget, registry: SchemaRegistryClient): Promise<RowSerde> {
  void registry;
  throw new FormatError(`The ${target.format} format is not supported yet`);
}

export async function inferRegistryColumns(
  topic: string,
  isKey: boolean,
  format: FormatName,
  registry: SchemaRegistryClient,
  options: { schemaId?: number; schemaFullName?: string },
): Promise<Column[]> {
  void [topic, isKey, registry, options];
  throw new FormatError(`The ${format} format is not supported yet`);
}
