// The SQL of a batch. Each column travels as one text[] parameter and the rows come from unnest(), so a
// statement has as many parameters as columns whatever its row count (a VALUES list would hit PostgreSQL's
// 65,535-parameter limit at batch.size 3000 and 22 columns), and its text, hence its prepared plan, is the
// same for every batch of a table. PostgreSQL casts each text to the table column's own type, so tables
// created by hand, with types of their own, take the same statements.
import { createHash } from 'node:crypto';
import type { QueryConfig } from 'pg';
import type { InsertMode } from './config.js';
import type { BoundColumn, PreparedWrite } from './segments.js';
import type { Identifiers } from './tables.js';
import { sqlText, textArrayLiteral } from './values.js';

function valueExpression(column: BoundColumn, index: number, timeZone: string): string {
  // A Connect Timestamp is an instant: read it as timestamptz; a TIMESTAMP without time zone gets its
  // wall-clock time in db.timezone. Said in the statement, not by the session's TimeZone, because the
  // embedded PostgreSQL shares one session among its clients.
  if (column.kind === 'timestamp' && column.column.category === 'timestamp') {
    const type = column.column.sqlType;
    if (type.includes('with time zone')) return `u.v${index}::timestamptz::${type}`;
    return `(u.v${index}::timestamptz AT TIME ZONE '${timeZone.replaceAll("'", "''")}')::${type}`;
  }
  return `u.v${index}::${column.column.sqlType}`;
}

function rowsSource(columns: readonly BoundColumn[]): string {
  const parameters = columns.map((_, index) => `$${index + 1}::text[]`).join(', ');
  const names = columns.map((_, index) => `v${index}`).join(', ');
  return `unnest(${parameters}) AS u(${names})`;
}

function parameters(columns: readonly BoundColumn[], writes: readonly PreparedWrite[]): string[] {
  return columns.map((column, index) => {
    const texts = new Array<string | null>(writes.length);
    for (let row = 0; row < writes.length; row++) {
      const field = writes[row].fields[index];
      texts[row] = sqlText(field.value, field.kind, column.column.category);
    }
    return textArrayLiteral(texts);
  });
}

export class StatementBuilder {
  private readonly names = new Map<string, string>();

  constructor(
    private readonly identifiers: Identifiers,
    private readonly insertMode: InsertMode,
    private readonly timeZone: string,
  ) {}

  /** Named, so that node-postgres prepares each statement text once per connection. */
  private named(text: string, values: string[]): QueryConfig {
    let name = this.names.get(text);
    if (name === undefined) {
      name = `venice_sink_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
      this.names.set(text, name);
    }
    return { name, text, values };
  }

  /** The statement writing these rows, or null when there is nothing to write (update mode with key columns only). */
  rows(table: string, columns: readonly BoundColumn[], writes: readonly PreparedWrite[]): QueryConfig | null {
    const quote = (column: BoundColumn): string => this.identifiers.quote(column.column.name);
    const keys = columns.filter((column) => column.isKey);
    const others = columns.filter((column) => !column.isKey);
    const expressions = columns.map((column, index) => valueExpression(column, index, this.timeZone));
    let text: string;
    if (this.insertMode === 'update') {
      if (others.length === 0 || keys.length === 0) return null;
      const assignments = columns
        .map((column, index) => (column.isKey ? null : `${quote(column)} = ${expressions[index]}`))
        .filter((assignment) => assignment !== null);
      const matches = columns
        .map((column, index) => (column.isKey ? `t.${quote(column)} = ${expressions[index]}` : null))
        .filter((match) => match !== null);
      text = `UPDATE ${table} AS t SET ${assignments.join(', ')} FROM ${rowsSource(columns)} WHERE ${matches.join(' AND ')}`;
    } else {
      text = `INSERT INTO ${table} (${columns.map(quote).join(', ')}) SELECT ${expressions.join(', ')} FROM ${rowsSource(columns)}`;
      if (this.insertMode === 'upsert' && keys.length > 0) {
        const target = keys.map(quote).join(', ');
        text +=
          others.length === 0
            ? ` ON CONFLICT (${target}) DO NOTHING`
            : ` ON CONFLICT (${target}) DO UPDATE SET ${others.map((column) => `${quote(column)} = EXCLUDED.${quote(column)}`).join(', ')}`;
      }
    }
    return this.named(text, parameters(columns, writes));
  }

  deletes(table: string, keyColumns: readonly BoundColumn[], writes: readonly PreparedWrite[]): QueryConfig {
    const matches = keyColumns.map(
      (column, index) =>
        `t.${this.identifiers.quote(column.column.name)} = ${valueExpression(column, index, this.timeZone)}`,
    );
    const text = `DELETE FROM ${table} AS t USING ${rowsSource(keyColumns)} WHERE ${matches.join(' AND ')}`;
    return this.named(text, parameters(keyColumns, writes));
  }
}
