// The PostgreSQL source in query-polling mode, configured with the Confluent JDBC source's keys
// (io.confluent.connect.jdbc.JdbcSourceConnector): each table (or the query) is polled for new rows by an
// incrementing column, a timestamp column, both, or whole (bulk), and its rows become records on
// topic.prefix + table. Tasks split the tables; offsets go to connect-offsets through the worker.
import type { ConnectorConfig, SourceConnectorPlugin } from '../../api/plugin.js';
import {
  SOURCE_CONFIG_KEYS,
  TASK_TABLES_KEY,
  includedTables,
  parseSourceSettings,
  validateSourceConfig,
} from './config.js';
import { connect, retriableOr } from './connection.js';
import { parseTableName, type QualifiedTable } from './querier.js';
import { PostgresSourceTask } from './task.js';

const LISTING_TIMEOUT_MS = 10_000;

function qualified(table: QualifiedTable): string {
  return `${table.schema}.${table.table}`;
}

/** The tables to copy: the include list as given, or every table of schema.pattern (user schemas) but the excluded. */
async function tablesToCopy(config: ConnectorConfig): Promise<string[]> {
  const { include, exclude } = includedTables(config);
  if (include.length > 0) return include.map((name) => qualified(parseTableName(name)));
  const settings = parseSourceSettings(config);
  let client;
  try {
    client = await connect(settings.target, LISTING_TIMEOUT_MS);
    const pattern = (config['schema.pattern'] ?? '').trim();
    const result = await client.query<{ schema: string; table: string }>(
      `SELECT table_schema AS schema, table_name AS table FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
          AND ($1 = '' OR table_schema LIKE $1)
        ORDER BY table_schema, table_name`,
      [pattern],
    );
    const excluded = new Set(exclude.map((name) => qualified(parseTableName(name))));
    return result.rows.map(qualified).filter((name) => !excluded.has(name));
  } catch (error) {
    throw retriableOr(error, settings.target, settings.connectionBackoffMs);
  } finally {
    await client?.end().catch(() => undefined);
  }
}

export const postgresSourcePlugin: SourceConnectorPlugin = {
  type: 'source',
  className: 'io.confluent.connect.jdbc.JdbcSourceConnector',
  aliases: ['JdbcSourceConnector', 'PostgresSourceConnector', 'PostgresSource'],
  version: '1.0.0',
  configKeys: SOURCE_CONFIG_KEYS,
  validate: validateSourceConfig,
  async taskConfigs(config, maxTasks) {
    parseSourceSettings(config);
    if ((config.query ?? '').trim() !== '') return [{ ...config }];
    const tables = await tablesToCopy(config);
    const groups: string[][] = Array.from(
      { length: Math.max(1, Math.min(maxTasks, tables.length)) },
      () => [],
    );
    tables.forEach((table, index) => groups[index % groups.length].push(table));
    return groups
      .filter((group) => group.length > 0)
      .map((group) => ({ ...config, [TASK_TABLES_KEY]: group.join(',') }));
  },
  createTask: () => new PostgresSourceTask(),
};
