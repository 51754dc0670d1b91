// What a column holds: a kind derived from the Connect schema (or, for schemaless JSON, from the value),
// the PostgreSQL type auto.create and auto.evolve give it, and how kinds merge when schemaless records
// disagree. Nested structs, arrays and maps become JSONB, where the JDBC sink gives up.
import { LOGICAL_TYPES, type ConnectSchema, type ConnectValue } from '../../api/data.js';

export type ColumnKind =
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float32'
  | 'float64'
  | 'boolean'
  | 'text'
  | 'bytes'
  | 'decimal'
  | 'date'
  | 'time'
  | 'timestamp'
  | 'json'
  /** A schemaless null: the value gives no type, so it cannot create a column by itself. */
  | 'unknown';

const SQL_TYPES: Record<Exclude<ColumnKind, 'unknown'>, string> = {
  int16: 'SMALLINT',
  int32: 'INT',
  int64: 'BIGINT',
  float32: 'REAL',
  float64: 'DOUBLE PRECISION',
  boolean: 'BOOLEAN',
  text: 'TEXT',
  bytes: 'BYTEA',
  decimal: 'NUMERIC',
  date: 'DATE',
  time: 'TIME',
  timestamp: 'TIMESTAMP',
  json: 'JSONB',
};

export function sqlTypeOf(kind: ColumnKind): string {
  return kind === 'unknown' ? 'TEXT' : SQL_TYPES[kind];
}

export function kindOfSchema(schema: ConnectSchema): ColumnKind {
  switch (schema.name) {
    case LOGICAL_TYPES.decimal:
      return 'decimal';
    case LOGICAL_TYPES.date:
      return 'date';
    case LOGICAL_TYPES.time:
      return 'time';
    case LOGICAL_TYPES.timestamp:
      return 'timestamp';
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
      return 'int16';
    case 'int32':
      return 'int32';
    case 'int64':
      return 'int64';
    case 'float32':
      return 'float32';
    case 'float64':
      return 'float64';
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'text';
    case 'bytes':
      return 'bytes';
    case 'array':
    case 'map':
    case 'struct':
      return 'json';
  }
}

export function kindOfValue(value: ConnectValue): ColumnKind {
  if (value === null) return 'unknown';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(value) ? 'int64' : 'float64';
    case 'bigint':
      return 'int64';
    case 'string':
      return 'text';
  }
  if (value instanceof Uint8Array) return 'bytes';
  if (value instanceof Date) return 'timestamp';
  return 'json';
}

const INTEGER_WIDTH: Partial<Record<ColumnKind, number>> = { int16: 1, int32: 2, int64: 3 };
const NUMERIC_KINDS = new Set<ColumnKind>(['int16', 'int32', 'int64', 'float32', 'float64', 'decimal']);

/** One kind for a column that records gave different kinds: the one both fit in. */
export function mergeKinds(first: ColumnKind, second: ColumnKind): ColumnKind {
  if (first === second || second === 'unknown') return first;
  if (first === 'unknown') return second;
  const firstWidth = INTEGER_WIDTH[first];
  const secondWidth = INTEGER_WIDTH[second];
  if (firstWidth !== undefined && secondWidth !== undefined)
    return firstWidth >= secondWidth ? first : second;
  if (NUMERIC_KINDS.has(first) && NUMERIC_KINDS.has(second)) {
    return first === 'decimal' || second === 'decimal' ? 'decimal' : 'float64';
  }
  if (first === 'json' || second === 'json') return 'json';
  return 'text';
}

/** How a table's column type takes a value: JSON text, bytea hex, a timestamp, or plain text. */
export type ColumnCategory = 'json' | 'bytes' | 'timestamp' | 'other';

export function categoryOfSqlType(sqlType: string): ColumnCategory {
  const type = sqlType.toLowerCase();
  if (type === 'json' || type === 'jsonb') return 'json';
  if (type === 'bytea') return 'bytes';
  if (type.startsWith('timestamp')) return 'timestamp';
  return 'other';
}
