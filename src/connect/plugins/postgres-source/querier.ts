// One polled table or query: its SQL for the mode, its source partition and offset in Kafka Connect JDBC's
// shape, and its rows as SourceRecords. Partitions: `{protocol: "1", table: "schema.table"}` for a table (the
// older `{table: "table"}` is read too), `{query: "query"}` for a query. Offsets: `{incrementing: n}`,
// `{timestamp: epochMillis, timestamp_nanos: nanosOfSecond}`, or both for timestamp+incrementing.
import type pg from 'pg';
import type { JsonObject, SourceRecord } from '../../api/data.js';
import type { SourceTaskContext } from '../../api/plugin.js';
import { rowMapping, parseTimestamp, type ColumnDescription, type RowMapping } from './columns.js';
import type { SourceSettings } from './config.js';

export interface QualifiedTable {
  readonly schema: string;
  readonly table: string;
}

export type QuerySource =
  | { readonly kind: 'table'; readonly table: QualifiedTable }
  | { readonly kind: 'query'; readonly sql: string };

interface Offset {
  /** Epoch millis and nanos of that second, of the last row's timestamp. */
  timestamp?: { millis: number; nanos: number };
  incrementing?: number;
}

/** Extra columns the query appends for the offset; they are not part of the record. */
const TIMESTAMP_ALIAS = '__venice_offset_ts';
const INCREMENTING_ALIAS = '__venice_offset_inc';

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** "schema.table" (or "table", in public) as written in table.whitelist; quotes around parts are dropped. */
export function parseTableName(name: string): QualifiedTable {
  const parts =
    name
      .match(/"(?:[^"]|"")*"|[^.]+/g)
      ?.map((part) => (part.startsWith('"') ? part.slice(1, -1).replace(/""/g, '"') : part)) ?? [];
  if (parts.length >= 2) return { schema: parts[parts.length - 2], table: parts[parts.length - 1] };
  return { schema: 'public', table: parts[0] ?? name };
}

function timestampText(offset: { millis: number; nanos: number }): string {
  const seconds = Math.floor(offset.millis / 1000);
  const whole = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  return `${whole}.${String(offset.nanos).padStart(9, '0').slice(0, 6)}+00`;
}

function asJsonNumber(value: unknown): number | undefined {
  return typeof value === 'number'
    ? value
    : typeof value === 'string' && value.trim() !== ''
      ? Number(value)
      : undefined;
}

export class Querier {
  readonly partition: JsonObject;
  readonly topic: string;
  /** When this table or query is due to be polled again (epoch millis). */
  nextPollAt = 0;
  private offset: Offset = {};
  private incrementingColumn: string;
  private mapping: { signature: string; rows: RowMapping } | undefined;
  /** Bulk mode: rows of the current pass already returned (the pass pages through the table). */
  private bulkPosition = 0;

  constructor(
    private readonly settings: SourceSettings,
    private readonly source: QuerySource,
  ) {
    this.incrementingColumn = settings.incrementingColumn;
    if (source.kind === 'table') {
      this.partition = { protocol: '1', table: `${source.table.schema}.${source.table.table}` };
      this.topic = `${settings.topicPrefix}${source.table.table}`;
    } else {
      this.partition = { query: 'query' };
      this.topic = settings.topicPrefix;
    }
  }

  get description(): string {
    return this.source.kind === 'table'
      ? `table ${this.source.table.schema}.${this.source.table.table}`
      : 'the query';
  }

  private get usesTimestamp(): boolean {
    return this.settings.mode === 'timestamp' || this.settings.mode === 'timestamp+incrementing';
  }

  private get usesIncrementing(): boolean {
    return this.settings.mode === 'incrementing' || this.settings.mode === 'timestamp+incrementing';
  }

  /** Resumes from the stored offset (the JDBC source's older partition shape too), or the configured start. */
  async loadOffset(context: SourceTaskContext): Promise<void> {
    let stored = await context.offset(this.partition);
    if (stored === null && this.source.kind === 'table')
      stored = await context.offset({ table: this.source.table.table });
    const millis = asJsonNumber(stored?.timestamp);
    const incrementing = asJsonNumber(stored?.incrementing);
    this.offset = {};
    if (millis !== undefined) {
      const nanos = asJsonNumber(stored?.timestamp_nanos) ?? (((millis % 1000) + 1000) % 1000) * 1e6;
      this.offset.timestamp = { millis, nanos };
    } else if (this.usesTimestamp && this.settings.timestampInitialMs !== null) {
      const initial = this.settings.timestampInitialMs;
      this.offset.timestamp = { millis: initial, nanos: (((initial % 1000) + 1000) % 1000) * 1e6 };
    }
    if (incrementing !== undefined) this.offset.incrementing = incrementing;
  }

  /** The serial or identity column, when incrementing.column.name is left empty. */
  private async findIncrementingColumn(client: pg.Client): Promise<string> {
    if (this.incrementingColumn !== '') return this.incrementingColumn;
    if (this.source.kind !== 'table') throw new Error('incrementing.column.name is required with a query');
    const result = await client.query<{ attname: string }>(
      `SELECT a.attname FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped
          AND (a.attidentity <> '' OR pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%')
        ORDER BY a.attnum LIMIT 1`,
      [this.source.table.schema, this.source.table.table],
    );
    const found = result.rows[0]?.attname;
    if (found === undefined) {
      throw new Error(
        `${this.description} has no serial or identity column to poll in mode ${this.settings.mode}: set incrementing.column.name`,
      );
    }
    this.incrementingColumn = found;
    return found;
  }

  private async sql(client: pg.Client): Promise<{ text: string; values: string[] }> {
    const from =
      this.source.kind === 'table'
        ? `${quoteIdentifier(this.source.table.schema)}.${quoteIdentifier(this.source.table.table)} AS venice_source`
        : `(${this.source.sql}) AS venice_source`;
    const limit = this.settings.batchMaxRows;
    if (this.settings.mode === 'bulk') {
      return {
        text: `SELECT venice_source.* FROM ${from} LIMIT ${limit} OFFSET ${this.bulkPosition}`,
        values: [],
      };
    }
    const columns = ['venice_source.*'];
    const conditions: string[] = [];
    const order: string[] = [];
    const values: string[] = [];
    let timestampExpression = '';
    if (this.usesTimestamp) {
      const parts = this.settings.timestampColumns.map(
        (column) => `venice_source.${quoteIdentifier(column)}`,
      );
      timestampExpression = parts.length === 1 ? parts[0] : `COALESCE(${parts.join(', ')})`;
      columns.push(`(${timestampExpression})::timestamptz AS ${TIMESTAMP_ALIAS}`);
      values.push(String(this.settings.timestampDelayMs));
      // Rows younger than the delay wait for a later poll: transactions still open may add older ones.
      conditions.push(`${timestampExpression} < now() - make_interval(secs => $1::double precision / 1000)`);
      order.push(timestampExpression);
    }
    let incrementingExpression = '';
    if (this.usesIncrementing) {
      incrementingExpression = `venice_source.${quoteIdentifier(await this.findIncrementingColumn(client))}`;
      columns.push(`(${incrementingExpression})::text AS ${INCREMENTING_ALIAS}`);
      order.push(incrementingExpression);
    }
    const lastIncrementing = String(this.offset.incrementing ?? this.settings.incrementingInitial);
    if (this.settings.mode === 'incrementing') {
      values.push(lastIncrementing);
      conditions.push(`${incrementingExpression} > $${values.length}`);
    } else if (this.offset.timestamp !== undefined) {
      values.push(timestampText(this.offset.timestamp));
      const tsParameter = `$${values.length}::timestamptz`;
      if (this.settings.mode === 'timestamp') {
        conditions.push(`${timestampExpression} > ${tsParameter}`);
      } else {
        values.push(lastIncrementing);
        conditions.push(
          `((${timestampExpression} = ${tsParameter} AND ${incrementingExpression} > $${values.length}) OR ${timestampExpression} > ${tsParameter})`,
        );
      }
    } else {
      conditions.push(`${timestampExpression} IS NOT NULL`);
    }
    return {
      text: `SELECT ${columns.join(', ')} FROM ${from} WHERE ${conditions.join(' AND ')} ORDER BY ${order.join(', ')} LIMIT ${limit}`,
      values,
    };
  }

  /** The columns' Connect schema; NOT NULL columns of tables are required fields, the rest optional. */
  private async rowsMapping(client: pg.Client, fields: readonly pg.FieldDef[]): Promise<RowMapping> {
    const signature = fields
      .map((field) => `${field.name}:${field.dataTypeID}:${field.dataTypeModifier}`)
      .join(',');
    if (this.mapping?.signature === signature) return this.mapping.rows;
    const tables = [...new Set(fields.map((field) => field.tableID).filter((id) => id !== 0))];
    const notNull = new Set<string>();
    if (tables.length > 0) {
      const result = await client.query<{ attrelid: string; attnum: string }>(
        'SELECT attrelid, attnum FROM pg_attribute WHERE attrelid = ANY($1::oid[]) AND attnotnull AND attnum > 0',
        [`{${tables.join(',')}}`],
      );
      for (const row of result.rows) notNull.add(`${row.attrelid}:${row.attnum}`);
    }
    const columns: ColumnDescription[] = fields.map((field) => ({
      name: field.name,
      typeOid: field.dataTypeID,
      typeModifier: field.dataTypeModifier,
      notNull: notNull.has(`${field.tableID}:${field.columnID}`),
    }));
    const rows = rowMapping(columns, this.source.kind === 'table' ? this.source.table.table : undefined);
    this.mapping = { signature, rows };
    return rows;
  }

  /**
   * Queries the next batch. `more` says a full batch came back (poll again at once). Rows that cannot be
   * read are skipped with a warning, so one odd value does not stop the table.
   */
  async poll(
    client: pg.Client,
    warn: (message: string, error: unknown) => void,
  ): Promise<{ records: SourceRecord[]; more: boolean }> {
    const { text, values } = await this.sql(client);
    let result: pg.QueryResult<string[]>;
    try {
      result = await client.query<string[]>({ text, values, rowMode: 'array' });
    } catch (error) {
      throw this.explained(error);
    }
    const extras = (this.usesTimestamp ? 1 : 0) + (this.usesIncrementing ? 1 : 0);
    const dataFields = result.fields.slice(0, result.fields.length - extras);
    const mapping = await this.rowsMapping(client, dataFields);
    let rows = result.rows as (string | null)[][];
    const full = rows.length >= this.settings.batchMaxRows;
    const timestampIndex = this.usesTimestamp ? dataFields.length : -1;
    const incrementingIndex = this.usesIncrementing ? result.fields.length - 1 : -1;
    if (full && this.settings.mode === 'timestamp' && rows.length > 1) {
      // With `>` on the timestamp alone, rows sharing the batch's last timestamp would be lost past the limit.
      const last = rows[rows.length - 1][timestampIndex];
      const kept = rows.filter((row) => row[timestampIndex] !== last);
      if (kept.length > 0) rows = kept;
      else
        warn(
          `${this.description}: more than batch.max.rows rows share one timestamp; some may be skipped (use timestamp+incrementing)`,
          null,
        );
    }
    const records: SourceRecord[] = [];
    for (const row of rows) {
      if (timestampIndex >= 0 && row[timestampIndex] !== null) {
        const { millis, micros } = parseTimestamp(row[timestampIndex] as string);
        this.offset.timestamp = { millis, nanos: (((millis % 1000) + 1000) % 1000) * 1e6 + micros * 1000 };
      }
      if (incrementingIndex >= 0 && row[incrementingIndex] !== null)
        this.offset.incrementing = Number(row[incrementingIndex]);
      let value: Record<string, unknown>;
      try {
        value = mapping.read(row.slice(0, dataFields.length));
      } catch (error) {
        warn(`${this.description}: skipped a row that cannot be read`, error);
        continue;
      }
      records.push({
        sourcePartition: this.partition,
        sourceOffset: this.offsetObject(),
        topic: this.topic,
        keySchema: null,
        key: null,
        valueSchema: mapping.schema,
        value: value as SourceRecord['value'],
      });
    }
    if (this.settings.mode === 'bulk') this.bulkPosition = full ? this.bulkPosition + rows.length : 0;
    return { records, more: full };
  }

  /** A missing table or column said in terms of the config keys that name them. */
  private explained(error: unknown): unknown {
    const code = (error as { code?: unknown }).code;
    const reason = error instanceof Error ? error.message : String(error);
    if (code === '42P01' && this.source.kind === 'table') {
      return new Error(
        `${this.description} does not exist (${reason}); check table.whitelist / table.include.list`,
        { cause: error },
      );
    }
    if (code === '42703') {
      return new Error(
        `${this.description}: ${reason}; check incrementing.column.name and timestamp.column.name`,
        { cause: error },
      );
    }
    if (typeof code === 'string' && code.startsWith('42') && this.source.kind === 'query') {
      return new Error(`the query cannot run: ${reason}; check query`, { cause: error });
    }
    return error;
  }

  private offsetObject(): JsonObject {
    const out: Record<string, number> = {};
    if (this.usesIncrementing && this.offset.incrementing !== undefined)
      out.incrementing = this.offset.incrementing;
    if (this.usesTimestamp && this.offset.timestamp !== undefined) {
      out.timestamp = this.offset.timestamp.millis;
      out.timestamp_nanos = this.offset.timestamp.nanos;
    }
    return out;
  }
}
