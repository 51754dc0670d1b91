// A source's or an intermediate result's columns, in the order their values sit in SqlRecord.key and
// SqlRecord.value. Pseudo-columns (ROWTIME, ROWPARTITION, ROWOFFSET, WINDOWSTART, WINDOWEND) are not
// stored: they are read off the record itself.
import type { SqlType } from '../types/index.js';

export type ColumnNamespace = 'KEY' | 'VALUE';

export interface Column {
  /** As ksqlDB stores it: upper case unless it was quoted. */
  readonly name: string;
  readonly type: SqlType;
  readonly namespace: ColumnNamespace;
  /** A HEADERS column (all headers, ARRAY<STRUCT<KEY STRING, VALUE BYTES>>) or HEADER('key') (BYTES). */
  readonly header?: { readonly key?: string };
  /**
   * A join side's ROWTIME, ROWPARTITION or ROWOFFSET (`L_ROWTIME`), carried in the joined row so `L.ROWTIME`
   * reads the side's own record; `*` leaves it out, as ksqlDB does, unless a PARTITION BY follows the join.
   */
  readonly sidePseudo?: true;
}

export interface LogicalSchema {
  readonly key: readonly Column[];
  readonly value: readonly Column[];
}

export const PSEUDO_COLUMNS = ['ROWTIME', 'ROWPARTITION', 'ROWOFFSET'] as const;
export const WINDOW_BOUNDS_COLUMNS = ['WINDOWSTART', 'WINDOWEND'] as const;
