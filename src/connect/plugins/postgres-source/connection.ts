// Connecting to PostgreSQL as the JDBC source's keys describe it: connection.url in the JDBC form
// (jdbc:postgresql://host:port/db?user=..&password=..) or the libpq one (postgres://user:pass@host/db), with
// connection.user and connection.password on top. Every value comes back as PostgreSQL's text, so the
// column mapping (columns.ts) alone decides what it becomes.
import pg from 'pg';
import { ConnectConfigError, RetriableError } from '../../api/errors.js';

export interface PostgresTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user?: string;
  readonly password?: string;
  /** pgjdbc's ApplicationName URL parameter, as the sink takes it: how the session shows in pg_stat_activity. */
  readonly applicationName?: string;
}

const DEFAULT_PORT = 5432;

/** The server, database and credentials a connection.url (plus connection.user/password) names. */
export function parseConnectionUrl(url: string, user?: string, password?: string): PostgresTarget {
  const raw = url.trim();
  let parsed: URL;
  if (/^jdbc:postgresql:\/\//i.test(raw)) {
    parsed = new URL(`postgres://${raw.slice('jdbc:postgresql://'.length)}`);
  } else if (/^jdbc:postgresql:/i.test(raw)) {
    // jdbc:postgresql:database (localhost, default port)
    parsed = new URL(`postgres://localhost/${raw.slice('jdbc:postgresql:'.length)}`);
  } else if (/^postgres(ql)?:\/\//i.test(raw)) {
    parsed = new URL(raw.replace(/^postgresql:/i, 'postgres:'));
  } else {
    throw new ConnectConfigError(
      'connection.url',
      `connection.url '${raw}' is not a PostgreSQL URL: use jdbc:postgresql://host:5432/database or postgres://user@host:5432/database`,
    );
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (database === '') {
    throw new ConnectConfigError(
      'connection.url',
      `connection.url '${raw}' names no database (…:5432/database)`,
    );
  }
  const fromUrl = (name: string): string | undefined => parsed.searchParams.get(name) ?? undefined;
  const chosenUser =
    user || fromUrl('user') || (parsed.username ? decodeURIComponent(parsed.username) : undefined);
  const applicationName = fromUrl('ApplicationName') ?? fromUrl('application_name');
  const chosenPassword =
    password || fromUrl('password') || (parsed.password ? decodeURIComponent(parsed.password) : undefined);
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, '') || 'localhost',
    port: parsed.port ? Number(parsed.port) : DEFAULT_PORT,
    database,
    ...(chosenUser !== undefined ? { user: chosenUser } : {}),
    ...(chosenPassword !== undefined ? { password: chosenPassword } : {}),
    ...(applicationName !== undefined ? { applicationName } : {}),
  };
}

const asText = (value: string): string => value;

/** A client that keeps every value as text (the mapping converts) and compares times in UTC. */
export async function connect(
  { applicationName, ...target }: PostgresTarget,
  connectTimeoutMs: number,
): Promise<pg.Client> {
  const client = new pg.Client({
    ...target,
    connectionTimeoutMillis: connectTimeoutMs,
    application_name: applicationName ?? 'venice-connect-source',
    types: { getTypeParser: () => asText },
  });
  // A failure after connecting (server restarted) must not crash the process; the next query reports it.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query("SET TIME ZONE 'UTC'");
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

/** SQLSTATE classes and socket errors that mean the server is away, not that the query is wrong. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'EAI_AGAIN',
]);

export function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (UNAVAILABLE_CODES.has(code)) return true;
    // 08: connection exception; 57P0x: admin/crash shutdown, cannot connect now; 53300: too many connections.
    if (code.startsWith('08') || /^57P0[1-3]$/.test(code) || code === '53300') return true;
  }
  const message = error instanceof Error ? error.message : String(error);
  return /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(
    message,
  );
}

/** A failure of an unavailable server as Connect's RetriableError; others as they are. */
export function retriableOr(error: unknown, target: PostgresTarget, retryAfterMs: number): unknown {
  if (!isUnavailable(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new RetriableError(
    `PostgreSQL at ${target.host}:${target.port} (database ${target.database}) is not reachable: ${reason}; retrying in ${retryAfterMs} ms`,
    retryAfterMs,
    { cause: error },
  );
}
