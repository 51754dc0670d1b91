// The embedded PostgreSQL's fixed names, shared by the component, `venice psql` and the supervisor.
import { DEFAULT_HOST, DEFAULT_PORTS } from '../config/settings.js';

/** PGlite has one database and one role: every client uses them. */
export const EMBEDDED_DATABASE = 'postgres';
export const EMBEDDED_USER = 'postgres';
export const DEFAULT_POSTGRES_PORT = DEFAULT_PORTS.postgres;
/** The installed @electric-sql/pglite (package.json pins it); a data folder template serves one version. */
export const PGLITE_VERSION = '0.5.14';

export function embeddedPostgresUrl(
  host: string = DEFAULT_HOST,
  port: number = DEFAULT_POSTGRES_PORT,
): string {
  return `postgres://${EMBEDDED_USER}@${host.includes(':') ? `[${host}]` : host}:${port}/${EMBEDDED_DATABASE}`;
}
