// What flows between operators: one record of a stream, or one change of a table. Column values are
// held in arrays in schema order (planner/schema.ts), so an operator reads a column by index, not by name.
import type { RecordHeader } from '../../client/index.js';
import type { SqlValue } from '../types/index.js';

/** A window's bounds in ms since the epoch: start inclusive, end exclusive (as ksqlDB's WINDOWEND). */
export interface WindowBounds {
  readonly start: number;
  readonly end: number;
}

export interface SqlRecord {
  /** The key columns' values in schema order; empty for a stream without a key. */
  readonly key: readonly SqlValue[];
  /** The value columns' values in schema order; null is a tombstone (a deleted table row). */
  readonly value: readonly SqlValue[] | null;
  /**
   * A table's previous value of this key (null: there was none), so that aggregations can retract it.
   * Undefined on streams and where the previous value is not known.
   */
  readonly previous?: readonly SqlValue[] | null;
  /** ROWTIME: ms since the epoch. */
  readonly timestamp: number;
  /** ROWPARTITION and ROWOFFSET of the input record this one came from. */
  readonly partition: number;
  readonly offset: number;
  /** WINDOWSTART and WINDOWEND of a windowed key. */
  readonly window?: WindowBounds;
  readonly headers?: readonly RecordHeader[];
  /**
   * The GROUP BY key of this record's rows, evaluated once by the repartition step before the record
   * went through the repartition topic (NULL parts included), so that the aggregation does not evaluate
   * the grouping expressions a second time. Undefined where nothing computed it.
   */
  readonly groupKey?: readonly SqlValue[];
}

/** Where an operator sends what it produces. */
export type Emit = (record: SqlRecord) => void;
