// A transient query's output records as rows in the SELECT's column order, and its header columns.
import type { ResultColumn, ResultRow } from '../engine/api.js';
import type { ColumnPosition, QueryPlan } from '../planner/plan.js';
import { formatType, type SqlValue } from '../types/index.js';
import type { SqlRecord } from './records.js';

export function columnOrder(plan: QueryPlan): readonly ColumnPosition[] {
  return (
    plan.columnOrder ?? [
      ...plan.schema.key.map((_, index): ColumnPosition => ({ namespace: 'KEY', index })),
      ...plan.schema.value.map((_, index): ColumnPosition => ({ namespace: 'VALUE', index })),
    ]
  );
}

export function resultColumns(plan: QueryPlan): ResultColumn[] {
  return columnOrder(plan).map((p) => {
    const column = p.namespace === 'KEY' ? plan.schema.key[p.index] : plan.schema.value[p.index];
    return { name: column?.name ?? '?', type: column === undefined ? 'STRING' : formatType(column.type) };
  });
}

/** The header's key columns: the key, and on a windowed source the window bounds, as ksqlDB marks them. */
export function keyColumnNames(plan: QueryPlan): string[] {
  const names = plan.schema.key.map((c) => c.name);
  return plan.window === undefined ? names : [...names, 'WINDOWSTART', 'WINDOWEND'];
}

/**
 * The record as a row; a table's deleted row keeps its key columns and window bounds (as ksqlDB's
 * tombstone rows do) and marks the row a tombstone.
 */
export function toRow(record: SqlRecord, order: readonly ColumnPosition[]): ResultRow {
  const { value } = record;
  if (value !== null) {
    return { values: order.map((p) => (p.namespace === 'KEY' ? record.key : value)[p.index] ?? null) };
  }
  const values: SqlValue[] = order.map((p) => {
    if (p.namespace === 'KEY') return record.key[p.index] ?? null;
    if (p.windowBound === undefined || record.window === undefined) return null;
    return p.windowBound === 'start' ? record.window.start : record.window.end;
  });
  return { values, tombstone: true };
}
