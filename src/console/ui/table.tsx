// The one table every list page draws: a header row from the columns, one row per item, numeric
// columns right-aligned, each cell drawn by its column.
import type { ComponentChildren } from 'preact';

export interface Column<Row> {
  label: string;
  /** Right-aligned, in tabular figures: counts, offsets, lag. */
  numeric?: boolean;
  /** The header is read by screen readers but not shown (an actions column). */
  hideLabel?: boolean;
  /** A class for the column's cells, e.g. "row-actions" or "muted". */
  cellClass?: string;
  cell: (row: Row) => ComponentChildren;
}

export interface DataTableProps<Row> {
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string | number;
  rowClass?: (row: Row) => string | undefined;
  class?: string;
  /** The table's name, shown above it and read by screen readers. */
  caption?: string;
}

export function DataTable<Row>({
  columns,
  rows,
  rowKey,
  rowClass,
  class: tableClass,
  caption,
}: DataTableProps<Row>) {
  const cellClass = (column: Column<Row>) =>
    [column.numeric ? 'num' : '', column.cellClass ?? ''].filter(Boolean).join(' ') || undefined;
  return (
    <table class={tableClass}>
      {caption ? <caption>{caption}</caption> : null}
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.label} scope="col" class={column.numeric ? 'num' : undefined}>
              {column.hideLabel ? <span class="visually-hidden">{column.label}</span> : column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} class={rowClass?.(row)}>
            {columns.map((column) => (
              <td key={column.label} class={cellClass(column)}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
