// Kafka Connect's data model, as Venice's converters produce it and its connectors consume it: a value
// with an optional schema. A record converted without a schema (schemaless JSON) has a null schema and a
// plain JSON-like value; connectors must handle both.

/** Connect's schema types, spelled as in Connect's JSON envelope (`"type": "int32"`). */
export type ConnectSchemaType =
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float32'
  | 'float64'
  | 'boolean'
  | 'string'
  | 'bytes'
  | 'array'
  | 'map'
  | 'struct';

/** The logical types a schema's `name` can mark, with Connect's names. */
export const LOGICAL_TYPES = {
  /** bytes holding an unscaled big-endian integer; parameters.scale gives the scale. Value: a decimal string. */
  decimal: 'org.apache.kafka.connect.data.Decimal',
  /** int32 days since the epoch. Value: a Date at UTC midnight. */
  date: 'org.apache.kafka.connect.data.Date',
  /** int32 milliseconds since midnight. Value: a Date on 1970-01-01 UTC. */
  time: 'org.apache.kafka.connect.data.Time',
  /** int64 milliseconds since the epoch. Value: a Date. */
  timestamp: 'org.apache.kafka.connect.data.Timestamp',
} as const;

export interface ConnectField {
  readonly name: string;
  readonly index: number;
  readonly schema: ConnectSchema;
}

export interface ConnectSchema {
  readonly type: ConnectSchemaType;
  readonly optional: boolean;
  /** A record or logical type name (`LOGICAL_TYPES`), e.g. the Avro record's full name. */
  readonly name?: string;
  readonly version?: number;
  readonly doc?: string;
  readonly parameters?: Readonly<Record<string, string>>;
  readonly defaultValue?: ConnectValue;
  /** struct only, in declaration order. */
  readonly fields?: readonly ConnectField[];
  /** map only. */
  readonly keySchema?: ConnectSchema;
  /** array and map only. */
  readonly valueSchema?: ConnectSchema;
}

/**
 * A value as connectors see it:
 * - int8/int16/int32/float32/float64: number; int64: bigint (schemaless JSON integers may be number);
 * - bytes: Uint8Array; logical types as LOGICAL_TYPES says (decimal: string, date/time/timestamp: Date);
 * - array: an array; map: a Map (keys of any type);
 * - struct, and a schemaless JSON object: a plain object keyed by field name.
 */
export type ConnectValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | Date
  | readonly ConnectValue[]
  | ReadonlyMap<ConnectValue, ConnectValue>
  | ConnectObject;

export interface ConnectObject {
  readonly [field: string]: ConnectValue;
}

/** A struct or a schemaless JSON object: an object that is none of the other object-shaped values. */
export function isConnectObject(value: ConnectValue): value is ConnectObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Uint8Array) &&
    !(value instanceof Date) &&
    !Array.isArray(value) &&
    !(value instanceof Map)
  );
}

export interface SchemaAndValue {
  /** null when the data carries no schema (schemaless JSON, StringConverter gives the string schema). */
  readonly schema: ConnectSchema | null;
  readonly value: ConnectValue;
}

/** A header as it travels on the topic: Venice passes header bytes through unconverted. */
export interface ConnectHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

/** A record a sink task receives: a consumed Kafka record after its key and value converters. */
export interface SinkRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  readonly keySchema: ConnectSchema | null;
  readonly key: ConnectValue;
  readonly valueSchema: ConnectSchema | null;
  /** null for a tombstone. */
  readonly value: ConnectValue;
  readonly headers: readonly ConnectHeader[];
}

/** JSON values, for source partitions and offsets (stored as JSON in connect-offsets). */
export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };

/** A record a source task produces; the worker converts it and writes it to Kafka. */
export interface SourceRecord {
  /** Where in the source it came from, e.g. `{ table: 'orders' }`: the key of its offset in connect-offsets. */
  readonly sourcePartition: JsonObject;
  /** How far the source has been read once this record is written, e.g. `{ id: 42 }`. */
  readonly sourceOffset: JsonObject;
  readonly topic: string;
  /** Left out: the producer's partitioner picks one from the key. */
  readonly partition?: number;
  readonly keySchema: ConnectSchema | null;
  readonly key: ConnectValue;
  readonly valueSchema: ConnectSchema | null;
  readonly value: ConnectValue;
  /** Milliseconds since the epoch; left out: the time it is written. */
  readonly timestamp?: number;
  readonly headers?: readonly ConnectHeader[];
}
