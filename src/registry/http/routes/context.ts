// What every route plugin is given.
import type { SchemaRegistry } from '../../registry.js';

export interface RouteContext {
  registry: SchemaRegistry;
}

/** Route config marking requests that change the registry: a follower forwards them to the primary. */
export const WRITE = { config: { write: true } } as const;

/**
 * Route config of the requests a read-only user is refused although they change nothing: Confluent's
 * authorizer classes a compatibility test as SUBJECT_WRITE (a producer's check before it registers),
 * while a lookup (POST /subjects/{subject}) is SUBJECT_READ. A follower answers these itself.
 */
export const SUBJECT_WRITE_CHECK = { config: { subjectWrite: true } } as const;

/** What the guard asks of a route: may a read-only user send it? */
export function refusedToReadOnly(config: unknown): boolean {
  const flags = config as { write?: boolean; subjectWrite?: boolean };
  return flags.write === true || flags.subjectWrite === true;
}
