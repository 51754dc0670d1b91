// Drives the PostgreSQL sink task directly with SinkRecord arrays, as the worker will, against a real
// PostgreSQL: 127.0.0.1:5432/test (or VENICE_TEST_POSTGRES_URL), and the embedded one (embedded.test.ts).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { ConnectField, ConnectSchema, ConnectValue, SinkRecord } from '../../../src/connect/api/data.js';
import type { SinkTask, SinkTaskContext } from '../../../src/connect/api/plugin.js';
import { postgresSinkPlugin } from '../../../src/connect/plugins/postgres-sink/index.js';
import { silentLogger } from '../../../src/service/index.js';

export const POSTGRES_URL = process.env.VENICE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A table name no other test or helper uses. */
export function tableName(what: string): string {
  return `sinktest_${what}_${randomBytes(4).toString('hex')}`;
}

export function schema(type: ConnectSchema['type'], extra: Partial<ConnectSchema> = {}): ConnectSchema {
  return { type, optional: false, ...extra };
}

export function optional(type: ConnectSchema['type'], extra: Partial<ConnectSchema> = {}): ConnectSchema {
  return { type, optional: true, ...extra };
}

export function struct(fields: Record<string, ConnectSchema>, name?: string): ConnectSchema {
  const list: ConnectField[] = Object.entries(fields).map(([fieldName, fieldSchema], index) => ({
    name: fieldName,
    index,
    schema: fieldSchema,
  }));
  return { type: 'struct', optional: false, name, fields: list };
}

let nextOffset = 0n;

export function record(
  topic: string,
  key: ConnectValue,
  value: ConnectValue,
  schemas: { key?: ConnectSchema | null; value?: ConnectSchema | null; partition?: number } = {},
): SinkRecord {
  return {
    topic,
    partition: schemas.partition ?? 0,
    offset: nextOffset++,
    timestamp: Date.now(),
    keySchema: schemas.key ?? null,
    key,
    valueSchema: schemas.value ?? null,
    value,
    headers: [],
  };
}

export interface RunningTask {
  readonly task: SinkTask;
  /** What the task reported through the errant record reporter. */
  readonly reported: { record: SinkRecord; error: Error }[];
  stop(): Promise<void>;
}

export async function startSink(
  url: string,
  config: Record<string, string>,
  options: { tolerance?: 'all' | 'none' } = {},
): Promise<RunningTask> {
  const reported: { record: SinkRecord; error: Error }[] = [];
  const context: SinkTaskContext = {
    connector: 'sinktest',
    taskId: 0,
    logger: silentLogger(),
    reportFailedRecord: async (failedRecord, error) => {
      if (options.tolerance === 'none') throw new Error(`errors.tolerance=none: ${error.message}`);
      reported.push({ record: failedRecord, error });
    },
  };
  const task = postgresSinkPlugin.createTask();
  await task.start({ 'connection.url': url, ...config }, context);
  return { task, reported, stop: () => task.stop() };
}

/** A plain client for the test's own checks and clean-up. */
export async function database(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

export async function rows<T extends Record<string, unknown>>(
  client: pg.Client,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  return (await client.query<T>(sql, values)).rows;
}

export async function columnTypes(client: pg.Client, table: string): Promise<Record<string, string>> {
  const result = await client.query<{ name: string; type: string }>(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
     WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`,
    [`"${table}"`],
  );
  return Object.fromEntries(result.rows.map((row) => [row.name, row.type]));
}
