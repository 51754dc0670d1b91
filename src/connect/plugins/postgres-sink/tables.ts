// The tables the sink writes: their names as SQL, the columns PostgreSQL reports for them (cached until a
// failure says they changed), and auto.create / auto.evolve. DDL runs before the put()'s transaction, so a
// rolled-back put never leaves the cache describing a table that is not there.
import type { Client } from 'pg';
import type { Logger } from '../../../service/index.js';
import type { ConnectSchema } from '../../api/data.js';
import { categoryOfSqlType, mergeKinds, sqlTypeOf, type ColumnCategory, type ColumnKind } from './columns.js';
import type { QuoteMode, SinkSettings } from './config.js';
import { RecordError, type TableName, type Write } from './records.js';

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/** quote.sql.identifiers: how names are written in SQL, and what PostgreSQL's catalog then calls them. */
export class Identifiers {
  constructor(private readonly mode: QuoteMode) {}

  /** A name as SQL. With quoting off, names that are not plain identifiers are still quoted, to stay valid SQL. */
  quote(name: string): string {
    if (this.mode === 'never' && PLAIN_IDENTIFIER.test(name)) return name;
    return `"${name.replaceAll('"', '""')}"`;
  }

  /** The name PostgreSQL stores: an unquoted name folds to lower case. */
  catalogName(name: string): string {
    if (this.mode === 'always') return name;
    return PLAIN_IDENTIFIER.test(name) ? name.toLowerCase() : name;
  }

  table(table: TableName): string {
    return table.schema === null
      ? this.quote(table.name)
      : `${this.quote(table.schema)}.${this.quote(table.name)}`;
  }
}

export interface TableColumn {
  readonly name: string;
  readonly sqlType: string;
  readonly category: ColumnCategory;
}

export interface TableInfo {
  /** The table as SQL, quoted and qualified as configured. */
  readonly sql: string;
  /** By catalog name. */
  readonly columns: ReadonlyMap<string, TableColumn>;
}

/** The table is missing and auto.create is off: every record for it would fail, so the task stops with this. */
export class TableMissingError extends Error {
  constructor(table: string) {
    super(
      `table ${table} does not exist and auto.create is false: create the table, or set auto.create=true to let the sink create it`,
    );
    this.name = 'TableMissingError';
  }
}

interface WantedColumn {
  readonly name: string;
  kind: ColumnKind;
  optional: boolean;
  readonly isKey: boolean;
}

export class TableCatalog {
  private readonly known = new Map<string, TableInfo>();

  constructor(
    private readonly settings: SinkSettings,
    private readonly identifiers: Identifiers,
    private readonly logger: Logger,
  ) {}

  /** After a failure that may mean a table changed under the sink (dropped, altered, another database). */
  forget(): void {
    this.known.clear();
  }

  /**
   * The table for these writes, created or evolved as configured. Writes it cannot take (a column missing
   * with auto.evolve off) come back in `refused`; the others can be written.
   */
  async prepare(
    client: Client,
    table: TableName,
    writes: readonly Write[],
  ): Promise<{ info: TableInfo; refused: Map<Write, RecordError> }> {
    const sql = this.identifiers.table(table);
    const wanted = this.wantedColumns(writes);
    let info = this.known.get(sql) ?? (await this.load(client, sql));
    if (!info) {
      if (!this.settings.autoCreate) throw new TableMissingError(sql);
      await this.create(client, sql, wanted);
      info = await this.load(client, sql);
      if (!info)
        throw new Error(
          `table ${sql} was created but PostgreSQL does not show it; check search_path and permissions`,
        );
    }
    const present = info.columns;
    const missing = [...wanted.values()].filter(
      (column) => column.kind !== 'unknown' && !present.has(this.identifiers.catalogName(column.name)),
    );
    const refused = new Map<Write, RecordError>();
    if (missing.length > 0 && this.settings.autoEvolve) {
      await this.evolve(client, sql, missing);
      info = (await this.load(client, sql)) ?? info;
    } else if (missing.length > 0) {
      const missingNames = new Set(missing.map((column) => column.name));
      for (const write of writes) {
        const lacking = [...write.keyFields, ...write.valueFields]
          .filter((field) => field.value !== null && missingNames.has(field.name))
          .map((field) => field.name);
        if (lacking.length > 0) {
          refused.set(
            write,
            new RecordError(
              `table ${sql} has no column ${lacking.join(', ')} and auto.evolve is false: add the column(s), or set auto.evolve=true`,
            ),
          );
        }
      }
    }
    this.known.set(sql, info);
    return { info, refused };
  }

  private wantedColumns(writes: readonly Write[]): Map<string, WantedColumn> {
    const wanted = new Map<string, WantedColumn>();
    // Records with the same schemas want the same columns: look at one of them.
    const seen = new Map<ConnectSchema, Set<ConnectSchema | null>>();
    // A value column that some rows of the batch lack (a field added in a later schema version) must
    // take NULL for those rows, whatever the newer schema says.
    let rowsLookedAt = 0;
    const rowsWithField = new Map<string, number>();
    for (const write of writes) {
      const { valueSchema, keySchema } = write.record;
      if (valueSchema !== null && keySchema !== null && write.op === 'row') {
        const keys = seen.get(valueSchema) ?? new Set();
        if (keys.has(keySchema)) continue;
        keys.add(keySchema);
        seen.set(valueSchema, keys);
      }
      if (write.op === 'row') {
        rowsLookedAt++;
        for (const field of write.valueFields)
          rowsWithField.set(field.name, (rowsWithField.get(field.name) ?? 0) + 1);
      }
      for (const [fields, isKey] of [
        [write.keyFields, true],
        [write.valueFields, false],
      ] as const) {
        for (const field of fields) {
          const column = wanted.get(field.name);
          if (column) {
            column.kind = mergeKinds(column.kind, field.kind);
            column.optional ||= field.optional;
          } else {
            wanted.set(field.name, { name: field.name, kind: field.kind, optional: field.optional, isKey });
          }
        }
      }
    }
    for (const column of wanted.values())
      if (!column.isKey && (rowsWithField.get(column.name) ?? 0) < rowsLookedAt) column.optional = true;
    return wanted;
  }

  private async load(client: Client, sql: string): Promise<TableInfo | undefined> {
    const found = await client.query<{ oid: number | null }>('SELECT to_regclass($1)::oid AS oid', [sql]);
    const oid = found.rows[0]?.oid;
    if (oid === null || oid === undefined) return undefined;
    const result = await client.query<{ name: string; type: string }>(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
       WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      [oid],
    );
    const columns = new Map<string, TableColumn>();
    for (const row of result.rows) {
      columns.set(row.name, { name: row.name, sqlType: row.type, category: categoryOfSqlType(row.type) });
    }
    return { sql, columns };
  }

  private async create(
    client: Client,
    sql: string,
    wanted: ReadonlyMap<string, WantedColumn>,
  ): Promise<void> {
    const columns = [...wanted.values()].filter((column) => column.kind !== 'unknown');
    const keys = columns.filter((column) => column.isKey);
    const definitions = columns.map(
      (column) =>
        `${this.identifiers.quote(column.name)} ${sqlTypeOf(column.kind)}${column.optional || column.isKey ? '' : ' NOT NULL'}`,
    );
    if (keys.length > 0) {
      definitions.push(
        `PRIMARY KEY (${keys.map((column) => this.identifiers.quote(column.name)).join(', ')})`,
      );
    }
    const statement = `CREATE TABLE IF NOT EXISTS ${sql} (${definitions.join(', ')})`;
    this.logger.info({ table: sql, statement }, 'auto.create: creating the table');
    try {
      await client.query(statement);
    } catch (error) {
      // Another task created it at the same moment: IF NOT EXISTS does not cover that race.
      const code = (error as { code?: string }).code;
      if (code !== '23505' && code !== '42P07') throw error;
    }
  }

  private async evolve(client: Client, sql: string, missing: readonly WantedColumn[]): Promise<void> {
    // New columns are nullable whatever the schema says: the rows already there have no value for them.
    const clauses = missing.map(
      (column) => `ADD COLUMN IF NOT EXISTS ${this.identifiers.quote(column.name)} ${sqlTypeOf(column.kind)}`,
    );
    const statement = `ALTER TABLE ${sql} ${clauses.join(', ')}`;
    this.logger.info({ table: sql, statement }, 'auto.evolve: adding columns');
    await client.query(statement);
  }
}
