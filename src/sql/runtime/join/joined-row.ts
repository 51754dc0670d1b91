// How a joined row is laid out: every column of the left side, then every column of the right side
// (each side's key columns first, its pseudo-columns last), less the one column that became
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

/**
 * A side's row at its full width: NULLs for a missing side, and for the pseudo-columns a row stored by
 * an earlier version (before rows carried them) lacks.
 */
function sideRow(row: JoinRow | null, width: number): readonly SqlValue[] {
  if (row === null) return new Array<SqlValue>(width).fill(null);
  if (row.length >= width) return row;
  return [...row, ...new Array<SqlValue>(width - row.length).fill(null)];
}

export function combineRows(
  layout: JoinedRowLayout,
  left: JoinRow | null,
  right: JoinRow | null,
): SqlValue[] {
  const row = [...sideRow(left, layout.leftWidth), ...sideRow(right, layout.rightWidth)];
  if (layout.keyColumnIndex !== undefined) row.splice(layout.keyColumnIndex, 1);
  return row;
}
