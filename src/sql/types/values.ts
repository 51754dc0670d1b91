// How a value of each SQL type is held in JS. Chosen so that no value changes on the way through:
//
// | SQL type      | JS value                     | why                                                       |
// | ------------- | ---------------------------- | --------------------------------------------------------- |
// | BOOLEAN       | boolean                      |                                                           |
// | INTEGER       | number (32-bit whole)        | fits a double exactly                                     |
// | BIGINT        | bigint                       | a double is exact only to 2^53; ksqlDB's longs are 64-bit  |
// | DOUBLE        | number                       | the same IEEE double as Java's                            |
// | DECIMAL(p,s)  | SqlDecimal                   | exact, and keeps its scale ("1.10") as BigDecimal does    |
// | STRING        | string                       | UTF-16, so LEN and SUBSTRING count as Java's String does   |
// | BYTES         | Uint8Array                   |                                                           |
// | DATE          | number: days since 1970-01-01 | ksqlDB's own representation                              |
// | TIME          | number: ms since midnight    | ksqlDB's own representation                               |
// | TIMESTAMP     | number: ms since the epoch   | exact to 2^53 ms, far beyond any real timestamp           |
// | ARRAY<T>      | readonly SqlValue[]          |                                                           |
// | MAP<K,V>      | ReadonlyMap<SqlValue, V>     | keeps insertion order, as ksqlDB's maps do                |
// | STRUCT<...>   | SqlStruct: field name → value | a missing field reads as NULL                            |
//
// SQL NULL is `null` for every type.
import type { SqlDecimal } from './decimal.js';

export type SqlValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | SqlDecimal
  | Uint8Array
  | readonly SqlValue[]
  | ReadonlyMap<SqlValue, SqlValue>
  | SqlStruct;

export interface SqlStruct {
  readonly [field: string]: SqlValue;
}
