// How a joined row is laid out: every column of the left side, then every column of the right side
// (each side's key columns first, as ksqlDB's joined schema has them), less the one column that became
// the result's key. A missing side (an outer join's unmatched row) contributes NULLs.
import type { SqlValue } from '../../types/index.js';

export interface JoinedRowLayout {
  /** Columns in a left row (its key columns and value columns). */
  readonly leftWidth: number;
  readonly rightWidth: number;
  /** Index in left ++ right of the column that is the result's key, left out of the value; none for a synthetic key. */
  readonly keyColumnIndex?: number;
}

export type JoinRow = readonly SqlValue[];

export function combineRows(
  layout: JoinedRowLayout,
  left: JoinRow | null,
  right: JoinRow | null,
): SqlValue[] {
  const row = [
    ...(left ?? new Array<SqlValue>(layout.leftWidth).fill(null)),
    ...(right ?? new Array<SqlValue>(layout.rightWidth).fill(null)),
  ];
  if (layout.keyColumnIndex !== undefined) row.splice(layout.keyColumnIndex, 1);
  return row;
}
