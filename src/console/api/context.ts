// What every route group of the API is given: the Kafka client, the decoder, where the other
// components answer, and how to ask the supervisor for its status.
import type { FastifyRequest } from 'fastify';
import type { Kafka } from '../../client/index.js';
import type { Serdes } from '../../serdes/index.js';
import type { RecordDecoder } from '../decode.js';

/** The supervisor's status report (what `venice status --json` prints), or why there is none. */
export type StatusSource = () => Promise<unknown>;

export interface ComponentUrls {
  registry: string | null;
  sql: string | null;
  connect: string | null;
}

export interface ApiContext {
  kafka: Kafka;
  bootstrapServers: string;
  decoder: RecordDecoder;
  /** Null without a registry: schema-framed records are then shown undecoded. */
  serdes: Serdes | null;
  urls: ComponentUrls;
  status: StatusSource | null;
  /** How the console reaches the other components: its own user, the CA it trusts. */
  fetch: typeof fetch;
}

/**
 * The console's fetch, sending the caller's own credentials when the request carried some: the
 * registry, the SQL engine and the worker then check that user's roles, not the console's.
 */
export function fetchAsCaller(context: ApiContext, request: FastifyRequest): typeof fetch {
  const authorization = request.headers.authorization;
  if (authorization === undefined) return context.fetch;
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', authorization);
    return context.fetch(input, { ...init, headers });
  };
}
