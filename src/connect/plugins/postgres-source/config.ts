// The JDBC source connector's configuration keys (io.confluent.connect.jdbc.JdbcSourceConnector), as far as
// query polling of PostgreSQL needs them, and their parsing into typed settings.
import type { ConfigIssues, ConfigKeyDefinition, ConnectorConfig } from '../../api/plugin.js';
import { ConnectConfigError } from '../../api/errors.js';
import { parseConnectionUrl, type PostgresTarget } from './connection.js';

export const MODES = ['bulk', 'incrementing', 'timestamp', 'timestamp+incrementing'] as const;
export type Mode = (typeof MODES)[number];

/** The task config key listing a task's share of the tables, as the JDBC source names it. */
export const TASK_TABLES_KEY = 'tables';

export interface SourceSettings {
  readonly target: PostgresTarget;
  readonly mode: Mode;
  /** Empty: the table's serial or identity column is found (incrementing modes, table mode only). */
  readonly incrementingColumn: string;
  readonly timestampColumns: readonly string[];
  readonly query: string | undefined;
  readonly topicPrefix: string;
  readonly pollIntervalMs: number;
  readonly batchMaxRows: number;
  readonly timestampDelayMs: number;
  /** Where a timestamp mode starts without a stored offset: epoch millis, or null for the beginning. */
  readonly timestampInitialMs: number | null;
  readonly incrementingInitial: number;
  readonly connectionAttempts: number;
  readonly connectionBackoffMs: number;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

function integerCheck(minimum: number) {
  return (value: string | undefined): string | null => {
    if (value === undefined || value.trim() === '') return null;
    const parsed = Number(value);
    return Number.isInteger(parsed) && parsed >= minimum
      ? null
      : `must be an integer of at least ${minimum}, not '${value}'`;
  };
}

export const SOURCE_CONFIG_KEYS: readonly ConfigKeyDefinition[] = [
  {
    name: 'connection.url',
    type: 'STRING',
    importance: 'HIGH',
    group: 'Database',
    documentation:
      'jdbc:postgresql://host:5432/database (user and password may be URL parameters) or postgres://user:password@host:5432/database.',
    validate: (value) => {
      if (!value) return 'connection.url is required, e.g. jdbc:postgresql://127.0.0.1:5432/postgres';
      try {
        parseConnectionUrl(value);
        return null;
      } catch (error) {
        return (error as Error).message;
      }
    },
  },
  {
    name: 'connection.user',
    type: 'STRING',
    defaultValue: '',
    importance: 'HIGH',
    group: 'Database',
    documentation: 'The database user (overrides the URL).',
  },
  {
    name: 'connection.password',
    type: 'PASSWORD',
    defaultValue: '',
    importance: 'HIGH',
    group: 'Database',
    documentation: 'The password (overrides the URL).',
  },
  {
    name: 'connection.attempts',
    type: 'INT',
    defaultValue: '3',
    importance: 'LOW',
    group: 'Database',
    documentation: 'Attempts to connect when the task starts before it reports the database unreachable.',
    validate: integerCheck(1),
  },
  {
    name: 'connection.backoff.ms',
    type: 'LONG',
    defaultValue: '10000',
    importance: 'LOW',
    group: 'Database',
    documentation:
      'Wait between connection attempts, and before polling again after the database was unreachable.',
    validate: integerCheck(0),
  },
  {
    name: 'table.whitelist',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: 'Database',
    documentation: 'Tables to copy (table or schema.table); empty: every table. Same as table.include.list.',
  },
  {
    name: 'table.include.list',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: 'Database',
    documentation: 'The newer name of table.whitelist.',
  },
  {
    name: 'table.blacklist',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: 'Database',
    documentation: 'Tables not to copy. Same as table.exclude.list.',
  },
  {
    name: 'table.exclude.list',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: 'Database',
    documentation: 'The newer name of table.blacklist.',
  },
  {
    name: 'schema.pattern',
    type: 'STRING',
    defaultValue: '',
    importance: 'MEDIUM',
    group: 'Database',
    documentation:
      'The schema (LIKE pattern) whose tables are copied when no list is given; empty: every non-system schema.',
  },
  {
    name: 'mode',
    type: 'STRING',
    importance: 'HIGH',
    group: 'Mode',
    recommendedValues: MODES,
    documentation:
      'bulk (the whole table each poll), incrementing, timestamp or timestamp+incrementing (new and changed rows).',
    validate: (value) =>
      value && (MODES as readonly string[]).includes(value)
        ? null
        : `mode must be one of ${MODES.join(', ')}${value ? `, not '${value}'` : ''}`,
  },
  {
    name: 'incrementing.column.name',
    type: 'STRING',
    defaultValue: '',
    importance: 'MEDIUM',
    group: 'Mode',
    documentation: 'A strictly increasing column (incrementing modes); empty: the serial or identity column.',
  },
  {
    name: 'timestamp.column.name',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: 'Mode',
    documentation:
      'The column(s) holding the row change time (timestamp modes); several: the first non-null one.',
  },
  {
    name: 'timestamp.delay.interval.ms',
    type: 'LONG',
    defaultValue: '0',
    importance: 'HIGH',
    group: 'Mode',
    documentation:
      'How old a row change must be before it is copied, so that transactions in flight commit first.',
    validate: integerCheck(0),
  },
  {
    name: 'timestamp.initial',
    type: 'LONG',
    defaultValue: '',
    importance: 'LOW',
    group: 'Mode',
    documentation:
      'Epoch millis where the timestamp modes start without a stored offset; -1: now. Unset: from the beginning.',
    validate: integerCheck(-1),
  },
  {
    name: 'query',
    type: 'STRING',
    defaultValue: '',
    importance: 'MEDIUM',
    group: 'Mode',
    documentation: 'A query to poll instead of tables; its rows go to topic.prefix as the topic.',
  },
  {
    name: 'topic.prefix',
    type: 'STRING',
    importance: 'HIGH',
    group: 'Connector',
    documentation: 'Prefixed to the table name to make the topic; with query, the whole topic name.',
    validate: (value) =>
      value === undefined ? 'topic.prefix is required (use "" for topics named as the tables)' : null,
  },
  {
    name: 'poll.interval.ms',
    type: 'INT',
    defaultValue: '5000',
    importance: 'HIGH',
    group: 'Connector',
    documentation: 'How often each table is queried for new rows.',
    validate: integerCheck(1),
  },
  {
    name: 'batch.max.rows',
    type: 'INT',
    defaultValue: '100',
    importance: 'LOW',
    group: 'Connector',
    documentation: 'The most rows one query returns; a full batch is followed by another query at once.',
    validate: integerCheck(1),
  },
  {
    name: 'table.poll.interval.ms',
    type: 'LONG',
    defaultValue: '60000',
    importance: 'LOW',
    group: 'Connector',
    documentation: 'Accepted for compatibility: the tables are listed when the connector (re)starts.',
  },
];

/** Checks across keys, for /config/validate and before starting. */
export function validateSourceConfig(config: ConnectorConfig): ConfigIssues {
  const issues: Record<string, string[]> = {};
  const add = (key: string, message: string): void => {
    (issues[key] ??= []).push(message);
  };
  const mode = config.mode as Mode | undefined;
  const query = (config.query ?? '').trim();
  const include = [...list(config['table.whitelist']), ...list(config['table.include.list'])];
  const exclude = [...list(config['table.blacklist']), ...list(config['table.exclude.list'])];
  if (query !== '' && (include.length > 0 || exclude.length > 0)) {
    add(
      'query',
      'query cannot be combined with table.whitelist/table.include.list or table.blacklist/table.exclude.list',
    );
  }
  if (include.length > 0 && exclude.length > 0) {
    add(
      'table.whitelist',
      'give either tables to include (table.whitelist) or to exclude (table.blacklist), not both',
    );
  }
  if (
    (mode === 'timestamp' || mode === 'timestamp+incrementing') &&
    list(config['timestamp.column.name']).length === 0
  ) {
    add('timestamp.column.name', `mode ${mode} needs timestamp.column.name`);
  }
  if (
    (mode === 'incrementing' || mode === 'timestamp+incrementing') &&
    query !== '' &&
    !(config['incrementing.column.name'] ?? '').trim()
  ) {
    add(
      'incrementing.column.name',
      `mode ${mode} with a query needs incrementing.column.name (no table to find a serial column in)`,
    );
  }
  return issues;
}

function integer(config: ConnectorConfig, key: string, fallback: number): number {
  const raw = config[key];
  if (raw === undefined || raw.trim() === '') return fallback;
  const parsed = Number(raw);
  if (!Number.isInteger(parsed)) throw new ConnectConfigError(key, `${key} must be an integer, not '${raw}'`);
  return parsed;
}

export function parseSourceSettings(config: ConnectorConfig): SourceSettings {
  for (const key of SOURCE_CONFIG_KEYS) {
    const problem = key.validate?.(config[key.name] ?? key.defaultValue, config);
    if (problem)
      throw new ConnectConfigError(
        key.name,
        problem.startsWith(key.name) ? problem : `${key.name} ${problem}`,
      );
  }
  const issues = Object.entries(validateSourceConfig(config));
  if (issues.length > 0) throw new ConnectConfigError(issues[0][0], issues[0][1].join('; '));
  const query = (config.query ?? '').trim();
  const initial = config['timestamp.initial'];
  return {
    target: parseConnectionUrl(
      config['connection.url'] ?? '',
      config['connection.user'],
      config['connection.password'],
    ),
    mode: config.mode as Mode,
    incrementingColumn: (config['incrementing.column.name'] ?? '').trim(),
    timestampColumns: list(config['timestamp.column.name']),
    query: query === '' ? undefined : query,
    topicPrefix: config['topic.prefix'] ?? '',
    pollIntervalMs: integer(config, 'poll.interval.ms', 5000),
    batchMaxRows: integer(config, 'batch.max.rows', 100),
    timestampDelayMs: integer(config, 'timestamp.delay.interval.ms', 0),
    timestampInitialMs:
      initial === undefined || initial.trim() === ''
        ? null
        : Number(initial) === -1
          ? Date.now()
          : Number(initial),
    incrementingInitial: -1,
    connectionAttempts: integer(config, 'connection.attempts', 3),
    connectionBackoffMs: integer(config, 'connection.backoff.ms', 10_000),
  };
}

export function includedTables(config: ConnectorConfig): { include: string[]; exclude: string[] } {
  return {
    include: [...list(config['table.whitelist']), ...list(config['table.include.list'])],
    exclude: [...list(config['table.blacklist']), ...list(config['table.exclude.list'])],
  };
}

export function taskTables(config: ConnectorConfig): string[] {
  return list(config[TASK_TABLES_KEY]);
}
