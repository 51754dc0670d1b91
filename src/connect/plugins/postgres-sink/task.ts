// The sink task. Each put() is one PostgreSQL transaction, so when it resolves every record in it is
// durable and the worker may commit the offsets. Inside it the rows go as multi-row statements of at most
// batch.size rows; when a statement is refused, the put() runs again with a savepoint around each
// statement and, in a refused statement, around each row, so only the refused rows are reported
// (errors.tolerance=all sends them to the dead letter queue) and the rest commit.
import { Client, type QueryConfig } from 'pg';
import { ConnectConfigError, RetriableError } from '../../api/errors.js';
import type { ConnectSchema, SinkRecord } from '../../api/data.js';
import type { ConnectorConfig, SinkTask, SinkTaskContext } from '../../api/plugin.js';
import { DEFAULT_CONNECTION_URL_KEY, parseSinkSettings, type SinkSettings } from './config.js';
import {
  classifyFailure,
  clientConfig,
  describeTarget,
  parseConnectionUrl,
  type ConnectionTarget,
} from './connection.js';
import { RecordError, tableFor, toWrite, type TableName, type Write } from './records.js';
import {
  SegmentBuilder,
  segmentRows,
  type BoundColumn,
  type PreparedWrite,
  type Segment,
} from './segments.js';
import { StatementBuilder } from './statements.js';
import { Identifiers, TableCatalog, TableMissingError, type TableInfo } from './tables.js';

interface FailedRecord {
  readonly record: SinkRecord;
  readonly error: Error;
}

/** Which of a write's fields (key fields, then value fields) have a column, and the statement columns they make. */
interface Layout {
  readonly indexes: readonly number[];
  readonly signature: string;
  readonly columns: readonly BoundColumn[];
}

interface TablePlan {
  readonly info: TableInfo;
  readonly segments: readonly Segment[];
}

/** A statement PostgreSQL refused because of one of its rows; the careful pass finds which. */
class RowRefused extends Error {}

/** errors.tolerance=none refused a failed record: the task fails with the record's own error. */
class ReportRefused extends Error {
  constructor(record: SinkRecord, error: Error, refusal: unknown) {
    super(
      `record ${record.topic}-${record.partition}@${record.offset} could not be written: ${error.message}`,
      { cause: refusal },
    );
    this.name = 'ReportRefusedError';
  }
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const detail = (error as { detail?: unknown }).detail;
  return typeof detail === 'string' && detail !== '' ? `${error.message} (${detail})` : error.message;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

export class PostgresSinkTask implements SinkTask {
  private settings!: SinkSettings;
  private context!: SinkTaskContext;
  private target!: ConnectionTarget;
  private identifiers!: Identifiers;
  private catalog!: TableCatalog;
  private statements!: StatementBuilder;
  private client: Client | null = null;
  /** Failed put() calls in a row, for max.retries. */
  private retries = 0;
  private skippedTombstones = false;
  private readonly tables = new Map<string, TableName>();
  private readonly shapes = new WeakMap<ConnectSchema, Map<ConnectSchema | null, number>>();
  private nextShape = 0;

  async start(config: ConnectorConfig, context: SinkTaskContext): Promise<void> {
    this.settings = parseSinkSettings(config);
    this.context = context;
    const url = this.settings.connectionUrl ?? config[DEFAULT_CONNECTION_URL_KEY]?.trim();
    if (!url) {
      throw new ConnectConfigError(
        'connection.url',
        'connection.url is not set and the worker gave no default PostgreSQL: set connection.url to the database to write to',
      );
    }
    this.target = parseConnectionUrl(url);
    this.identifiers = new Identifiers(this.settings.quoteIdentifiers);
    this.catalog = new TableCatalog(this.settings, this.identifiers, context.logger);
    this.statements = new StatementBuilder(
      this.identifiers,
      this.settings.insertMode,
      this.settings.dbTimezone,
    );
    context.logger.info(
      {
        database: describeTarget(this.target),
        insertMode: this.settings.insertMode,
        pkMode: this.settings.pkMode,
      },
      'PostgreSQL sink task started',
    );
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      await this.write(records);
      this.retries = 0;
    } catch (error) {
      throw this.afterFailure(error);
    }
  }

  async stop(): Promise<void> {
    await this.disconnect();
  }

  /** What put() throws: RetriableError while retries last, otherwise an Error that fails the task. */
  private afterFailure(error: unknown): Error {
    if (error instanceof ReportRefused) return error;
    const where = `PostgreSQL at ${describeTarget(this.target)}`;
    if (error instanceof TableMissingError || error instanceof ConnectConfigError) return error;
    const kind = classifyFailure(error);
    if (kind === 'fatal') {
      this.catalog.forget();
      return new Error(`${where} refused the sink's statement: ${errorText(error)}`, { cause: error });
    }
    this.catalog.forget();
    if (kind === 'retry') void this.disconnect();
    this.retries += 1;
    if (this.retries > this.settings.maxRetries) {
      return new Error(
        `${where} failed ${this.retries} times in a row (max.retries=${this.settings.maxRetries}): ${errorText(error)}`,
        { cause: error },
      );
    }
    return new RetriableError(
      `${where} is unavailable (${errorText(error)}); retry ${this.retries} of ${this.settings.maxRetries} in ${this.settings.retryBackoffMs} ms`,
      this.settings.retryBackoffMs,
      { cause: error },
    );
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client(
      clientConfig(
        this.target,
        { user: this.settings.connectionUser, password: this.settings.connectionPassword },
        this.settings.dbTimezone,
      ),
    );
    // A connection dropped between puts shows up here, not in a query: forget it and reconnect next time.
    client.on('error', (error) => {
      this.context.logger.warn({ err: error }, 'PostgreSQL connection lost');
      if (this.client === client) this.client = null;
    });
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    return client;
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async write(records: readonly SinkRecord[]): Promise<void> {
    const failed: FailedRecord[] = [];
    const byTable = new Map<string, Write[]>();
    for (const record of records) {
      let write: Write | null;
      try {
        write = toWrite(record, this.settings, this.tableOf(record.topic));
      } catch (error) {
        if (!(error instanceof RecordError)) throw error;
        failed.push({ record, error });
        continue;
      }
      if (write === null) {
        this.noteSkippedTombstone();
        continue;
      }
      const table = this.identifiers.table(write.table);
      const writes = byTable.get(table);
      if (writes) writes.push(write);
      else byTable.set(table, [write]);
    }

    if (byTable.size === 0) {
      // Nothing to write (tombstones skipped, records refused): no need for the database.
      await this.report(failed);
      return;
    }
    const client = await this.connection();
    const plans: TablePlan[] = [];
    for (const writes of byTable.values()) {
      const { info, refused } = await this.catalog.prepare(client, writes[0].table, writes);
      for (const [write, error] of refused) failed.push({ record: write.record, error });
      plans.push({
        info,
        segments: this.segment(
          info,
          writes.filter((write) => !refused.has(write)),
        ),
      });
    }

    if (failed.length === 0 && this.statementCount(plans) === 1) {
      // One statement is atomic by itself: no transaction block, two round trips fewer per put().
      try {
        await this.run(client, plans, false, failed);
        return;
      } catch (error) {
        if (!(error instanceof RowRefused)) throw error;
      }
      await this.transaction(client, async () => {
        await this.run(client, plans, true, failed);
        await this.report(failed);
      });
      return;
    }
    await this.transaction(client, async () => {
      try {
        await this.run(client, plans, false, failed);
      } catch (error) {
        if (!(error instanceof RowRefused)) throw error;
        await client.query('ROLLBACK');
        await client.query('BEGIN');
        await this.run(client, plans, true, failed);
      }
      await this.report(failed);
    });
  }

  private async transaction(client: Client, body: () => Promise<void>): Promise<void> {
    await client.query('BEGIN');
    try {
      await body();
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private statementCount(plans: readonly TablePlan[]): number {
    let count = 0;
    for (const plan of plans) {
      for (const segment of plan.segments) {
        const rowCount = segment.rows instanceof Map ? segment.rows.size : segment.rows.length;
        count += Math.ceil(segment.deletes.size / this.settings.batchSize);
        count += Math.ceil(rowCount / this.settings.batchSize);
      }
    }
    return count;
  }

  private tableOf(topic: string): TableName {
    let table = this.tables.get(topic);
    if (!table) {
      table = tableFor(topic, this.settings.tableNameFormat);
      this.tables.set(topic, table);
    }
    return table;
  }

  private noteSkippedTombstone(): void {
    if (this.skippedTombstones) return;
    this.skippedTombstones = true;
    this.context.logger.info(
      'tombstones are skipped: set delete.enabled=true (with pk.mode=record_key) to delete their rows',
    );
  }

  /**
   * A number for records whose columns follow from their schemas alone (a value schema, and a key schema
   * when the key gives columns), so that segment() works out their column list once per put, not per record.
   */
  private shapeOf(write: Write): number | null {
    const valueSchema = write.record.valueSchema;
    const keySchema = write.record.keySchema;
    if (write.op === 'delete' || valueSchema === null) return null;
    if (keySchema === null && this.settings.pkMode === 'record_key') return null;
    let byKey = this.shapes.get(valueSchema);
    if (!byKey) {
      byKey = new Map();
      this.shapes.set(valueSchema, byKey);
    }
    let shape = byKey.get(keySchema);
    if (shape === undefined) {
      shape = this.nextShape++;
      byKey.set(keySchema, shape);
    }
    return shape;
  }

  private layout(info: TableInfo, write: Write): Layout {
    const indexes: number[] = [];
    const all = [...write.keyFields, ...write.valueFields];
    all.forEach((field, index) => {
      if (info.columns.has(this.identifiers.catalogName(field.name))) indexes.push(index);
    });
    const keyCount = indexes.filter((index) => index < write.keyFields.length).length;
    const fields = indexes.map((index) => all[index]);
    const names = fields.map((field) => (field.kind === 'timestamp' ? `${field.name}@t` : field.name));
    const signature = `${write.op}|${keyCount}|${names.join('\u0001')}`;
    const columns = fields.map((field, index) => ({
      field: field.name,
      column: info.columns.get(this.identifiers.catalogName(field.name))!,
      kind: field.kind,
      isKey: index < keyCount,
    }));
    return { indexes, signature, columns };
  }

  private segment(info: TableInfo, writes: readonly Write[]): Segment[] {
    const folds = this.settings.insertMode !== 'insert' && this.settings.pkMode !== 'none';
    const builder = new SegmentBuilder(folds);
    const columnSets = new Map<string, readonly BoundColumn[]>();
    const layouts = new Map<number, Layout>();
    for (const write of writes) {
      const shape = this.shapeOf(write);
      let layout = shape === null ? undefined : layouts.get(shape);
      if (!layout) {
        layout = this.layout(info, write);
        // Equal column lists share one array, which the segment compares by signature.
        const known = columnSets.get(layout.signature);
        if (known) layout = { ...layout, columns: known };
        else columnSets.set(layout.signature, layout.columns);
        if (shape !== null) layouts.set(shape, layout);
      }
      const keyCount = write.keyFields.length;
      const fields = layout.indexes.map((index) =>
        index < keyCount ? write.keyFields[index] : write.valueFields[index - keyCount],
      );
      const prepared = { write, fields };
      if (write.op === 'delete') builder.addDelete(prepared, layout.columns);
      else builder.addRow(prepared, layout.signature, layout.columns);
    }
    return builder.segments;
  }

  /** Runs every statement. Careful: a savepoint around each statement and, when one is refused, each of its rows. */
  private async run(
    client: Client,
    plans: readonly TablePlan[],
    careful: boolean,
    failed: FailedRecord[],
  ): Promise<void> {
    const batchSize = this.settings.batchSize;
    for (const plan of plans) {
      for (const segment of plan.segments) {
        const deletes = [...segment.deletes.values()];
        for (const chunk of chunks(deletes, batchSize)) {
          const build = (writes: readonly PreparedWrite[]): QueryConfig =>
            this.statements.deletes(plan.info.sql, segment.deleteColumns!, writes);
          await this.execute(client, chunk, build, careful, plan.info.sql, failed);
        }
        for (const chunk of chunks(segmentRows(segment), batchSize)) {
          const build = (writes: readonly PreparedWrite[]): QueryConfig | null =>
            this.statements.rows(plan.info.sql, segment.columns!, writes);
          await this.execute(client, chunk, build, careful, plan.info.sql, failed);
        }
      }
    }
  }

  private async execute(
    client: Client,
    writes: readonly PreparedWrite[],
    build: (writes: readonly PreparedWrite[]) => QueryConfig | null,
    careful: boolean,
    table: string,
    failed: FailedRecord[],
  ): Promise<void> {
    const statement = build(writes);
    if (statement === null) return;
    if (!careful) {
      try {
        await client.query(statement);
      } catch (error) {
        throw classifyFailure(error) === 'row' ? new RowRefused(errorText(error), { cause: error }) : error;
      }
      return;
    }
    if ((await this.attempt(client, statement, 'venice_batch')) === true) return;
    for (const prepared of writes) {
      const single = build([prepared])!;
      const refusal = await this.attempt(client, single, 'venice_row');
      if (refusal !== true) {
        failed.push({
          record: prepared.write.record,
          error: new Error(`PostgreSQL refused the row for table ${table}: ${errorText(refusal)}`, {
            cause: refusal,
          }),
        });
      }
    }
  }

  /** true when the statement ran; the refusal when PostgreSQL refused a row of it (rolled back to the savepoint). */
  private async attempt(client: Client, statement: QueryConfig, savepoint: string): Promise<true | Error> {
    await client.query(`SAVEPOINT ${savepoint}`);
    try {
      await client.query(statement);
    } catch (error) {
      if (classifyFailure(error) !== 'row') throw error;
      await client.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
      return error as Error;
    }
    await client.query(`RELEASE SAVEPOINT ${savepoint}`);
    return true;
  }

  /** Reports the records that could not be written, before the commit: with errors.tolerance=none the put() fails whole. */
  private async report(failed: readonly FailedRecord[]): Promise<void> {
    for (const { record, error } of failed) {
      this.context.logger.debug(
        { topic: record.topic, partition: record.partition, offset: record.offset.toString(), err: error },
        'record not written',
      );
      try {
        await this.context.reportFailedRecord(record, error);
      } catch (refusal) {
        throw new ReportRefused(record, error, refusal);
      }
    }
  }
}
