// Query results printed the way psql prints them: an aligned table with a row count, or the command
// tag for statements that return no rows (INSERT 0 1, CREATE TABLE).
import type { QueryResult } from 'pg';

/** Type OIDs psql right-aligns: int2, int4, int8, oid, float4, float8, numeric, money. */
const NUMERIC_TYPES = new Set([20, 21, 23, 26, 700, 701, 790, 1700]);

/** `tag` is the CommandComplete text the server sent (CREATE TABLE); pg keeps only its first word. */
export function renderResult(result: QueryResult<unknown[]>, tag?: string): string {
  if (result.fields.length === 0) return `${tag ?? commandTag(result)}\n`;
  const headers = result.fields.map((field) => field.name);
  const numeric = result.fields.map((field) => NUMERIC_TYPES.has(field.dataTypeID));
  const cells = result.rows.map((row) => row.map(cellText));
  const widths = headers.map((header, column) =>
    Math.max(width(header), ...cells.map((row) => Math.max(...row[column]!.split('\n').map(width)))),
  );
  const lines = [
    headers
      .map((header, column) => ` ${center(header, widths[column]!)} `)
      .join('|')
      .trimEnd(),
    widths.map((columnWidth) => '-'.repeat(columnWidth + 2)).join('+'),
  ];
  for (const row of cells)
    lines.push(
      row
        .map((cell, column) => {
          const padded = numeric[column]
            ? cell.padStart(widths[column]!)
            : cell + ' '.repeat(widths[column]! - width(cell));
          return ` ${padded} `;
        })
        .join('|')
        .trimEnd(),
    );
  const count = result.rows.length;
  lines.push(`(${count} ${count === 1 ? 'row' : 'rows'})`);
  return `${lines.join('\n')}\n\n`;
}

/** The tag psql prints for a statement without rows, rebuilt from what pg keeps of it. */
export function commandTag(result: QueryResult<unknown[]>): string {
  const command = result.command ?? '';
  if (command === 'INSERT') return `INSERT 0 ${result.rowCount ?? 0}`;
  if (['UPDATE', 'DELETE', 'SELECT', 'MERGE', 'COPY', 'FETCH', 'MOVE'].includes(command))
    return `${command} ${result.rowCount ?? 0}`;
  return command;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

function width(text: string): number {
  return [...text].length;
}

function center(text: string, columnWidth: number): string {
  const space = columnWidth - width(text);
  const left = Math.floor(space / 2);
  return ' '.repeat(left) + text + ' '.repeat(space - left);
}
