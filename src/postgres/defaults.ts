// The embedded PostgreSQL's fixed names, shared by the component, `venice psql` and the supervisor.
import { DEFAULT_HOST, DEFAULT_PORTS } from '../config/settings.js';

/** PGlite has one database and one role: every client uses them. */
export const EMBEDDED_DATABASE = 'postgres';
export const EMBEDDED_USER = 'postgres';
export const DEFAULT_POSTGRES_PORT = DEFAULT_PORTS.postgres;
/** The application_name of the supervisor's probe: its SELECT 1 is never made to wait (client-connection.ts). */
export const HEALTH_APPLICATION_NAME = 'venice-health';
/**
 * PostgreSQL settings the embedded database starts with. PGlite zero-fills its shared memory inside the
 * WebAssembly memory, so all of shared_buffers is resident from the start: initdb's 128MB made the
 * component 320 MiB; 16MB (2,048 pages; the operating system's cache holds the rest of the files) keeps it
 * near 170 MiB.
 */
export const EMBEDDED_SETTINGS: readonly string[] = ['shared_buffers=16MB'];
/** The installed @electric-sql/pglite (package.json pins it); a data folder template serves one version. */
export const PGLITE_VERSION = '0.5.14';

export function embeddedPostgresUrl(
  host: string = DEFAULT_HOST,
  port: number = DEFAULT_POSTGRES_PORT,
): string {
  return `postgres://${EMBEDDED_USER}@${host.includes(':') ? `[${host}]` : host}:${port}/${EMBEDDED_DATABASE}`;
}
