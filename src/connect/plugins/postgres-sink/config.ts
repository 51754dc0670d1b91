// The PostgreSQL sink's settings: the JDBC sink's keys, with its defaults and meanings, so a config written
// for io.confluent.connect.jdbc.JdbcSinkConnector pastes unchanged. Venice adds what the JDBC sink refuses:
// schemaless JSON values, JSONB columns for nested data, and a `__connect_key` column name when a primitive
// key comes without pk.fields.
import {
  WORKER_DEFAULT_DATABASE_URL_KEY,
  type ConfigIssues,
  type ConfigKeyDefinition,
  type ConnectorConfig,
} from '../../api/plugin.js';
import { ConnectConfigError } from '../../api/errors.js';
import { parseConnectionUrl } from './connection.js';

/** Set by the worker in every task config: where to write when connection.url is left out (the embedded PostgreSQL). */
export const DEFAULT_CONNECTION_URL_KEY = WORKER_DEFAULT_DATABASE_URL_KEY;

export const INSERT_MODES = ['insert', 'upsert', 'update'] as const;
export type InsertMode = (typeof INSERT_MODES)[number];
export const PK_MODES = ['none', 'kafka', 'record_key', 'record_value'] as const;
export type PkMode = (typeof PK_MODES)[number];
export const QUOTE_MODES = ['always', 'never'] as const;
export type QuoteMode = (typeof QUOTE_MODES)[number];

/** The JDBC sink's column names for pk.mode=kafka when pk.fields is empty. */
export const KAFKA_PK_COLUMNS = ['__connect_topic', '__connect_partition', '__connect_offset'] as const;
/** Venice's column name for a primitive record key when pk.fields is empty (the JDBC sink refuses that case). */
export const PRIMITIVE_KEY_COLUMN = '__connect_key';

export interface SinkSettings {
  /** null: not given, use the worker's default (the task config's DEFAULT_CONNECTION_URL_KEY). */
  readonly connectionUrl: string | null;
  readonly connectionUser: string | null;
  readonly connectionPassword: string | null;
  readonly insertMode: InsertMode;
  readonly pkMode: PkMode;
  readonly pkFields: readonly string[];
  readonly fieldsWhitelist: ReadonlySet<string>;
  readonly autoCreate: boolean;
  readonly autoEvolve: boolean;
  readonly deleteEnabled: boolean;
  readonly tableNameFormat: string;
  readonly batchSize: number;
  readonly maxRetries: number;
  readonly retryBackoffMs: number;
  readonly quoteIdentifiers: QuoteMode;
  readonly dbTimezone: string;
}

function oneOf(allowed: readonly string[]) {
  return (value: string | undefined): string | null =>
    value === undefined || allowed.includes(value.trim().toLowerCase())
      ? null
      : `must be one of ${allowed.join(', ')} (got "${value}")`;
}

function wholeNumber(min: number) {
  return (value: string | undefined): string | null => {
    if (value === undefined) return null;
    const number = Number(value.trim());
    return Number.isInteger(number) && number >= min
      ? null
      : `must be a whole number of at least ${min} (got "${value}")`;
  };
}

function booleanValue(value: string | undefined): string | null {
  return value === undefined || ['true', 'false'].includes(value.trim().toLowerCase())
    ? null
    : `must be true or false (got "${value}")`;
}

function timeZone(value: string | undefined): string | null {
  if (value === undefined) return null;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value.trim() });
    return null;
  } catch {
    return `must be a time zone name such as UTC or Europe/Paris (got "${value}")`;
  }
}

function connectionUrl(value: string | undefined): string | null {
  if (value === undefined || value.trim() === '') return null;
  try {
    parseConnectionUrl(value.trim());
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

const CONNECTION = 'Connection';
const WRITES = 'Writes';
const DATA_MAPPING = 'Data Mapping';
const DDL = 'DDL Support';
const RETRIES = 'Retries';

export const SINK_CONFIG_KEYS: readonly ConfigKeyDefinition[] = [
  {
    name: 'connection.url',
    type: 'STRING',
    defaultValue: '',
    importance: 'HIGH',
    group: CONNECTION,
    displayName: 'JDBC URL',
    documentation:
      'The PostgreSQL to write to, as jdbc:postgresql://host:port/db?user=..&password=.. or ' +
      'postgres://user:password@host:port/db. Left empty, the sink writes to the worker default ' +
      `(the embedded PostgreSQL, or the worker's --postgres-url), which the worker passes in the task config ` +
      `key ${DEFAULT_CONNECTION_URL_KEY}.`,
    validate: connectionUrl,
  },
  {
    name: 'connection.user',
    type: 'STRING',
    defaultValue: '',
    importance: 'HIGH',
    group: CONNECTION,
    displayName: 'JDBC User',
    documentation: 'The database user, when connection.url does not name one.',
  },
  {
    name: 'connection.password',
    type: 'PASSWORD',
    defaultValue: '',
    importance: 'HIGH',
    group: CONNECTION,
    displayName: 'JDBC Password',
    documentation: 'The database password, when connection.url does not give one.',
  },
  {
    name: 'dialect.name',
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    group: CONNECTION,
    documentation: 'Accepted for JDBC sink configs; only PostgreSqlDatabaseDialect (or empty) is supported.',
    validate: (value) =>
      value === undefined || value.trim() === '' || value.trim() === 'PostgreSqlDatabaseDialect'
        ? null
        : `this sink writes to PostgreSQL only: remove dialect.name or set it to PostgreSqlDatabaseDialect (got "${value}")`,
  },
  {
    name: 'connection.attempts',
    type: 'INT',
    defaultValue: '3',
    importance: 'LOW',
    group: CONNECTION,
    documentation:
      'Accepted for JDBC sink configs and otherwise unused: a refused connection is retried through max.retries and retry.backoff.ms.',
    validate: wholeNumber(1),
  },
  {
    name: 'connection.backoff.ms',
    type: 'LONG',
    defaultValue: '10000',
    importance: 'LOW',
    group: CONNECTION,
    documentation: 'Accepted for JDBC sink configs and otherwise unused (see connection.attempts).',
    validate: wholeNumber(0),
  },
  {
    name: 'insert.mode',
    type: 'STRING',
    defaultValue: 'insert',
    importance: 'HIGH',
    group: WRITES,
    recommendedValues: INSERT_MODES,
    documentation:
      'insert: INSERT (a row whose key exists is refused and reported); upsert: INSERT ... ON CONFLICT (primary key) ' +
      'DO UPDATE, so replays are harmless; update: UPDATE rows whose key exists.',
    validate: oneOf(INSERT_MODES),
  },
  {
    name: 'batch.size',
    type: 'INT',
    defaultValue: '3000',
    importance: 'MEDIUM',
    group: WRITES,
    documentation:
      'Rows per statement. Each put() is one transaction whatever its size; this bounds each statement in it.',
    validate: wholeNumber(1),
  },
  {
    name: 'delete.enabled',
    type: 'BOOLEAN',
    defaultValue: 'false',
    importance: 'MEDIUM',
    group: WRITES,
    documentation:
      'Whether a tombstone (null value) deletes the row with its key. Requires pk.mode=record_key. ' +
      'When false, tombstones are skipped.',
    validate: booleanValue,
  },
  {
    name: 'table.name.format',
    type: 'STRING',
    defaultValue: '${topic}',
    importance: 'MEDIUM',
    group: DATA_MAPPING,
    documentation:
      'The table for a topic; ${topic} stands for the topic name, e.g. kafka_${topic}. A dot in the format ' +
      'separates a schema (myschema.${topic}); the topic name itself is always one identifier.',
    validate: (value) =>
      value !== undefined && value.trim() === ''
        ? 'must name a table, e.g. ${topic} or kafka_${topic}'
        : null,
  },
  {
    name: 'pk.mode',
    type: 'STRING',
    defaultValue: 'none',
    importance: 'HIGH',
    group: DATA_MAPPING,
    recommendedValues: PK_MODES,
    documentation:
      'none: no primary key; kafka: the Kafka coordinates (__connect_topic, __connect_partition, __connect_offset); ' +
      'record_key: the key (a primitive, a struct, or a schemaless JSON object); record_value: fields of the value.',
    validate: oneOf(PK_MODES),
  },
  {
    name: 'pk.fields',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: DATA_MAPPING,
    documentation:
      'Primary key columns, by pk.mode. kafka: three names for topic, partition and offset (default ' +
      `${KAFKA_PK_COLUMNS.join(',')}); record_key: the key struct's fields to use (default all), or for a ` +
      `primitive key its one column name (default ${PRIMITIVE_KEY_COLUMN}); record_value: the value fields to use (default all).`,
  },
  {
    name: 'fields.whitelist',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: DATA_MAPPING,
    documentation:
      'Value fields to write (empty: all). Primary key columns are chosen by pk.mode and pk.fields regardless.',
  },
  {
    name: 'db.timezone',
    type: 'STRING',
    defaultValue: 'UTC',
    importance: 'MEDIUM',
    group: DATA_MAPPING,
    documentation:
      'The time zone in which Timestamp values are written to TIMESTAMP (without time zone) columns.',
    validate: timeZone,
  },
  {
    name: 'auto.create',
    type: 'BOOLEAN',
    defaultValue: 'false',
    importance: 'MEDIUM',
    group: DDL,
    documentation:
      'Create a missing table (CREATE TABLE with the primary key), with columns from the record schema, or inferred from schemaless JSON.',
    validate: booleanValue,
  },
  {
    name: 'auto.evolve',
    type: 'BOOLEAN',
    defaultValue: 'false',
    importance: 'MEDIUM',
    group: DDL,
    documentation:
      'Add missing columns (ALTER TABLE ADD COLUMN, nullable). Columns are never dropped or changed. When ' +
      'false, a record with a field the table lacks is reported as failed.',
    validate: booleanValue,
  },
  {
    name: 'quote.sql.identifiers',
    type: 'STRING',
    defaultValue: 'always',
    importance: 'MEDIUM',
    group: DDL,
    recommendedValues: QUOTE_MODES,
    documentation:
      'always: table and column names keep their case ("orderId"); never: plain names fold to lower case as PostgreSQL does.',
    validate: oneOf(QUOTE_MODES),
  },
  {
    name: 'max.retries',
    type: 'INT',
    defaultValue: '10',
    importance: 'MEDIUM',
    group: RETRIES,
    documentation:
      'How many times in a row a put() that failed for a passing reason (database down, connection lost) is retried before the task fails.',
    validate: wholeNumber(0),
  },
  {
    name: 'retry.backoff.ms',
    type: 'INT',
    defaultValue: '3000',
    importance: 'MEDIUM',
    group: RETRIES,
    documentation: 'Milliseconds to wait before each retry.',
    validate: wholeNumber(0),
  },
];

function setting(config: ConnectorConfig, name: string): string {
  const given = config[name];
  if (given !== undefined) return given.trim();
  return SINK_CONFIG_KEYS.find((key) => key.name === name)?.defaultValue ?? '';
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** Problems across keys, by key; every key's own validate is checked here too. */
export function checkSinkConfig(config: ConnectorConfig): ConfigIssues {
  const issues: Record<string, string[]> = {};
  const add = (key: string, message: string): void => {
    (issues[key] ??= []).push(message);
  };
  for (const key of SINK_CONFIG_KEYS) {
    const message = key.validate?.(config[key.name], config);
    if (message) add(key.name, `${key.name} ${message}`);
  }
  if (Object.keys(issues).length > 0) return issues;

  const insertMode = setting(config, 'insert.mode').toLowerCase();
  const pkMode = setting(config, 'pk.mode').toLowerCase();
  const pkFields = list(setting(config, 'pk.fields'));
  if (setting(config, 'delete.enabled').toLowerCase() === 'true' && pkMode !== 'record_key') {
    add(
      'delete.enabled',
      `delete.enabled=true needs pk.mode=record_key (a tombstone names its row by its key), but pk.mode is ${pkMode}`,
    );
  }
  if (insertMode !== 'insert' && pkMode === 'none') {
    add(
      'pk.mode',
      `insert.mode=${insertMode} finds rows by their primary key: set pk.mode to record_key, record_value or kafka`,
    );
  }
  if (pkMode === 'kafka' && pkFields.length !== 0 && pkFields.length !== 3) {
    add(
      'pk.fields',
      `with pk.mode=kafka, pk.fields is empty (for ${KAFKA_PK_COLUMNS.join(',')}) or names exactly three columns ` +
        `(topic, partition, offset), but it names ${pkFields.length}`,
    );
  }
  return issues;
}

/** The settings a task runs with; throws ConnectConfigError naming the first bad key. */
export function parseSinkSettings(config: ConnectorConfig): SinkSettings {
  const issues = checkSinkConfig(config);
  for (const [key, messages] of Object.entries(issues)) {
    if (messages.length > 0) throw new ConnectConfigError(key, messages[0]);
  }
  const optional = (name: string): string | null => {
    const value = setting(config, name);
    return value === '' ? null : value;
  };
  return {
    connectionUrl: optional('connection.url'),
    connectionUser: optional('connection.user'),
    connectionPassword: config['connection.password'] ? config['connection.password'] : null,
    insertMode: setting(config, 'insert.mode').toLowerCase() as InsertMode,
    pkMode: setting(config, 'pk.mode').toLowerCase() as PkMode,
    pkFields: list(setting(config, 'pk.fields')),
    fieldsWhitelist: new Set(list(setting(config, 'fields.whitelist'))),
    autoCreate: setting(config, 'auto.create').toLowerCase() === 'true',
    autoEvolve: setting(config, 'auto.evolve').toLowerCase() === 'true',
    deleteEnabled: setting(config, 'delete.enabled').toLowerCase() === 'true',
    tableNameFormat: setting(config, 'table.name.format'),
    batchSize: Number(setting(config, 'batch.size')),
    maxRetries: Number(setting(config, 'max.retries')),
    retryBackoffMs: Number(setting(config, 'retry.backoff.ms')),
    quoteIdentifiers: setting(config, 'quote.sql.identifiers').toLowerCase() as QuoteMode,
    dbTimezone: setting(config, 'db.timezone'),
  };
}
