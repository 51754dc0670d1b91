// Reaching PostgreSQL: connection.url in the JDBC form (jdbc:postgresql://host:port/db?user=..&password=..)
// or the libpq form (postgres://user:password@host:port/db), turned into node-postgres settings; and the
// sorting of database errors into what the task does next.
import type { ClientConfig } from 'pg';

export interface ConnectionTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string | null;
  readonly password: string | null;
  readonly ssl: boolean;
  /** pgjdbc's currentSchema: the search_path the sink's unqualified tables resolve in. */
  readonly currentSchema: string | null;
  readonly applicationName: string | null;
}

const URL_FORMS =
  'jdbc:postgresql://host:port/database?user=..&password=.. or postgres://user:password@host:port/database';

/** Parses connection.url; throws an Error saying which form is expected. */
export function parseConnectionUrl(text: string): ConnectionTarget {
  let withoutJdbc = text;
  if (text.toLowerCase().startsWith('jdbc:')) withoutJdbc = text.slice('jdbc:'.length);
  const scheme = withoutJdbc.slice(0, withoutJdbc.indexOf(':')).toLowerCase();
  if (scheme !== 'postgresql' && scheme !== 'postgres') {
    throw new Error(`connection.url must be ${URL_FORMS} (got "${text}")`);
  }
  // pgjdbc accepts several hosts (failover); the sink connects to the first.
  const firstHostOnly = withoutJdbc.replace(/^([a-z]+:\/\/[^/,?]*),[^/?]*/i, '$1');
  let url: URL;
  try {
    url = new URL(firstHostOnly);
  } catch {
    throw new Error(`connection.url must be ${URL_FORMS} (got "${text}")`);
  }
  const parameters = url.searchParams;
  const sslMode = parameters.get('sslmode')?.toLowerCase();
  const ssl =
    parameters.get('ssl')?.toLowerCase() === 'true' ||
    (sslMode !== undefined && !['disable', 'allow', 'prefer'].includes(sslMode));
  const port = url.port === '' ? 5432 : Number(url.port);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port,
    database: database === '' ? 'postgres' : database,
    user: parameters.get('user') ?? (url.username === '' ? null : decodeURIComponent(url.username)),
    password: parameters.get('password') ?? (url.password === '' ? null : decodeURIComponent(url.password)),
    ssl,
    currentSchema: parameters.get('currentSchema') ?? parameters.get('currentschema'),
    applicationName: parameters.get('ApplicationName') ?? parameters.get('application_name'),
  };
}

/** node-postgres settings. The user and password in the URL win over connection.user and connection.password, as in pgjdbc. */
export function clientConfig(
  target: ConnectionTarget,
  credentials: { user: string | null; password: string | null },
  timeZone: string,
): ClientConfig {
  // Session settings travel in the startup packet, so every connection has them before its first statement.
  const sessionOptions = [`-c TimeZone=${timeZone.replace(/[\s\\]/g, '\\$&')}`];
  if (target.currentSchema)
    sessionOptions.push(`-c search_path=${target.currentSchema.replace(/[\s\\]/g, '\\$&')}`);
  return {
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user ?? credentials.user ?? 'postgres',
    password: target.password ?? credentials.password ?? undefined,
    ssl: target.ssl ? { rejectUnauthorized: false } : undefined,
    application_name: target.applicationName ?? 'venice-postgres-sink',
    options: sessionOptions.join(' '),
    connectionTimeoutMillis: 10_000,
  };
}

/** Where a connection.url points, without its password, for messages. */
export function describeTarget(target: ConnectionTarget): string {
  return `${target.host}:${target.port}/${target.database}`;
}

/**
 * What to do after a failed statement:
 * - retry: the database is unreachable or busy (connection refused or lost, shutting down, deadlock);
 * - stale: a table or column the sink knew of is gone: forget what it knew and retry;
 * - row: one of the rows is refused (a type or NOT NULL or unique violation): find it row by row;
 * - fatal: retrying cannot help (no permission, no unique index for upsert, ...).
 */
export type FailureKind = 'retry' | 'stale' | 'row' | 'fatal';

const RETRY_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);
const RETRY_SQLSTATES = new Set([
  '40001',
  '40P01',
  '55P03',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '53400',
  '58030',
]);
const ROW_SQLSTATES = new Set(['42804', '21000', '54000']);
const STALE_SQLSTATES = new Set(['42P01', '42703']);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function classifyFailure(error: unknown): FailureKind {
  const code = errorCode(error);
  if (code !== undefined) {
    if (RETRY_SOCKET_CODES.has(code) || RETRY_SQLSTATES.has(code) || code.startsWith('08')) return 'retry';
    if (STALE_SQLSTATES.has(code)) return 'stale';
    if (code.startsWith('22') || code.startsWith('23') || ROW_SQLSTATES.has(code)) return 'row';
    if (/^[0-9A-Z]{5}$/.test(code)) return 'fatal';
  }
  const message = error instanceof Error ? error.message : String(error);
  // node-postgres reports a dropped socket or a connect timeout with a message and no code.
  if (
    /Connection terminated|connection timeout|timeout expired|not queryable|Client has encountered a connection error/i.test(
      message,
    )
  ) {
    return 'retry';
  }
  if (error instanceof AggregateError && error.errors.some((inner) => classifyFailure(inner) === 'retry'))
    return 'retry';
  return 'fatal';
}
