// How SQL rows become the bytes of a Kafka record's key or value, and back, for each of ksqlDB's formats
// (JSON, JSON_SR, AVRO, PROTOBUF, PROTOBUF_NOSR, DELIMITED, KAFKA, NONE). One serde per (format, columns, key or value).
//
// Serializing and deserializing are synchronous, because they run for every record. The schema-registry
// formats need a writer schema they may not have yet: they then throw SchemaNotLoadedError, the runner
// awaits `load(id)` once, and calls again. Registering a schema for output happens in `prepare`.
import type { Column } from '../planner/schema.js';
import type { SqlValue } from '../types/index.js';

export type FormatName =
  'JSON' | 'JSON_SR' | 'AVRO' | 'PROTOBUF' | 'PROTOBUF_NOSR' | 'DELIMITED' | 'KAFKA' | 'NONE';

export interface FormatOptions {
  /** VALUE_DELIMITER / KEY_DELIMITER for DELIMITED (default ','). */
  readonly delimiter?: string;
  /** WRAP_SINGLE_VALUE: a single value column as an object/record (true, default) or bare. */
  readonly wrapSingleValue?: boolean;
  /** VALUE_SCHEMA_ID / KEY_SCHEMA_ID: use this registered schema. */
  readonly schemaId?: number;
  /** VALUE_SCHEMA_FULL_NAME / KEY_SCHEMA_FULL_NAME (Avro record name, Protobuf message name). */
  readonly schemaFullName?: string;
  /**
   * Registry formats: write with the subject's latest schema when it has one, registering nothing, so the
   * bytes are those the topic's own producers write (a re-keyed join side placed on a source's partitions).
   */
  readonly latestSchema?: boolean;
}

export interface SerdeTarget {
  readonly topic: string;
  readonly isKey: boolean;
  readonly columns: readonly Column[];
  readonly format: FormatName;
  readonly options: FormatOptions;
}

export interface RowSerde {
  /** Column values (schema order) to bytes; null values (a tombstone) give null. */
  serialize(values: readonly SqlValue[] | null): Buffer | null;
  /** Bytes to column values; null bytes give null. Throws SerdeError on bad data. */
  deserialize(bytes: Buffer | null): SqlValue[] | null;
  /** Fetches a writer schema that deserialize reported missing (SchemaNotLoadedError). */
  load?(schemaId: number): Promise<void>;
}

export class SerdeError extends Error {
  override readonly name = 'SerdeError';
}

/**
 * A format cannot be used as asked: an unknown format, conflicting or invalid WITH properties, a column type
 * the format cannot hold. The message is ksqlDB's, so the engine can answer it as a statement error.
 */
export class FormatError extends Error {
  override readonly name = 'FormatError';
}

export class SchemaNotLoadedError extends Error {
  override readonly name = 'SchemaNotLoadedError';
  constructor(readonly schemaId: number) {
    super(`schema ${schemaId} is not loaded yet`);
  }
}
