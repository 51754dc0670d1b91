// The checks every HTTP component applies to every request, in this order:
//   1. the Host header is one this server answers to (DNS rebinding);
//   2. CORS: a configured origin gets its headers, and its preflight is answered here;
//   3. Basic authentication (401 with WWW-Authenticate), except on the open paths (/health);
//   4. authentication.roles lets the user in (403), and a read-only user does not write (403);
//   5. for requests whose body says whether they write (SQL statements), once the body is read.
// judge() decides on a bare request, so the sql component's WebSocket upgrades, which never reach
// fastify's router, are checked the same way as routed requests.
import crypto from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  authenticationRequired,
  userAdmitted,
  userReadOnly,
  type HttpServerConfig,
  type HttpUser,
} from '../../config/http.js';
import { defaultAllowedHosts, hostAllowed } from './hosts.js';
import { verifyPassword } from './passwords.js';

export const REALM = 'venice';
/** Answered without a user: the supervisor's probe. Its report holds no secret. */
export const OPEN_PATHS: readonly string[] = ['/health'];

export interface BareRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** What to do with a request: let it through (as this user, if any), or answer it now. */
export type Verdict =
  | { pass: true; user: HttpUser | null; readOnly: boolean; headers: Record<string, string> }
  | { pass: false; status: number; message: string; headers: Record<string, string> };

export interface RequestGuard {
  judge(request: BareRequest, isWrite: boolean): Verdict;
}

/** How a component plugs the guard in: what counts as a write, and its own error body. */
export interface GuardHooks {
  /** Whether a request changes something, from its method and path: read-only users are refused it. */
  isWrite(request: FastifyRequest): boolean;
  /**
   * For requests that isWrite lets through but whose body may write (SQL statements): what the body
   * would change, in a few words (`CREATE STREAM`), or null. Asked only for read-only users.
   */
  bodyWrites?(request: FastifyRequest): string | null;
  errorBody(status: number, message: string): unknown;
}

/** The refusal of a write to a read-only user: who, what, and what to do. */
export function readOnlyMessage(user: string, what?: string): string {
  return (
    `user ${user} is read-only${what ? ` and may not run ${what}` : ''}: ` +
    'log in as a user with a role outside http.readOnlyRoles to change anything'
  );
}

/** The default of isWrite: any method but GET, HEAD and OPTIONS. */
export function writesByMethod(request: FastifyRequest): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
}

/** Verified credentials, by a digest of the header, so that scrypt runs once per user, not per request. */
const VERIFIED_CACHE_SIZE = 1024;

export function createRequestGuard(config: HttpServerConfig, bindHost: string): RequestGuard {
  const allowedHosts = config.allowedHosts ?? defaultAllowedHosts(bindHost);
  const users = new Map(config.users.map((user) => [user.name, user]));
  const verified = new Map<string, HttpUser>();

  const authenticate = (header: string | undefined): HttpUser | null => {
    const match = header === undefined ? null : /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (match === null) return null;
    const digest = crypto.createHash('sha256').update(match[1]).digest('base64');
    const known = verified.get(digest);
    if (known !== undefined) return known;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    const user = users.get(decoded.slice(0, colon));
    if (user === undefined || !verifyPassword(decoded.slice(colon + 1), user.passwordHash)) return null;
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value as string);
    verified.set(digest, user);
    return user;
  };

  const judge = (request: BareRequest, isWrite: boolean): Verdict => {
    const host = request.headers.host ?? (request.headers[':authority'] as string | undefined);
    if (!hostAllowed(host, allowedHosts)) {
      return {
        pass: false,
        status: 403,
        message: `this server does not answer to the host name "${host ?? ''}": add it to http.allowedHosts`,
        headers: {},
      };
    }
    const cors = corsHeaders(request.headers.origin, config.corsOrigins);
    if (cors !== null && request.method === 'OPTIONS' && request.headers['access-control-request-method'])
      return { pass: false, status: 204, message: '', headers: { ...cors, ...PREFLIGHT_HEADERS } };
    const headers = cors ?? {};
    const path = request.url.split('?')[0];
    if (!authenticationRequired(config) || OPEN_PATHS.includes(path))
      return { pass: true, user: null, readOnly: false, headers };
    const user = authenticate(request.headers.authorization);
    if (user === null) {
      return {
        pass: false,
        status: 401,
        message: 'authentication required: send a user and password (HTTP Basic)',
        headers: { ...headers, 'www-authenticate': `Basic realm="${REALM}", charset="UTF-8"` },
      };
    }
    if (!userAdmitted(config, user))
      return { pass: false, status: 403, message: `user ${user.name} has no role allowed here`, headers };
    const readOnly = userReadOnly(config, user);
    if (isWrite && readOnly)
      return { pass: false, status: 403, message: readOnlyMessage(user.name), headers };
    return { pass: true, user, readOnly, headers };
  };

  return { judge };
}

const requestUsers = new WeakMap<object, { user: HttpUser; readOnly: boolean }>();

/** The user a request was let through as; null when authentication is off (or on an open path). */
export function requestUser(request: FastifyRequest): HttpUser | null {
  return requestUsers.get(request.raw)?.user ?? null;
}

/** Whether the request's user may only read (false without authentication). */
export function requestReadOnly(request: FastifyRequest): boolean {
  return requestUsers.get(request.raw)?.readOnly ?? false;
}

/** Runs the guard first on every request of `app` (before body parsing, so a refused body is not read). */
export function guardApp(app: FastifyInstance, guard: RequestGuard, hooks: GuardHooks): void {
  app.addHook('onRequest', async (request, reply) => {
    const verdict = guard.judge(request.raw as BareRequest, hooks.isWrite(request));
    reply.headers(verdict.headers);
    if (verdict.pass) {
      if (verdict.user !== null)
        requestUsers.set(request.raw, { user: verdict.user, readOnly: verdict.readOnly });
      return;
    }
    if (verdict.status === 204) return reply.code(204).send();
    return reply.code(verdict.status).send(hooks.errorBody(verdict.status, verdict.message));
  });
  const bodyWrites = hooks.bodyWrites;
  if (bodyWrites === undefined) return;
  app.addHook('preHandler', async (request, reply) => {
    const user = requestUsers.get(request.raw);
    if (user === undefined || !user.readOnly) return;
    const what = bodyWrites(request);
    if (what === null) return;
    return reply.code(403).send(hooks.errorBody(403, readOnlyMessage(user.user.name, what)));
  });
}

const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
  'access-control-allow-headers': 'authorization, content-type, accept',
  'access-control-max-age': '600',
};

/** CORS headers for a request from an allowed origin; null when it has no Origin or one not allowed. */
function corsHeaders(origin: string | undefined, allowed: readonly string[]): Record<string, string> | null {
  if (origin === undefined || allowed.length === 0) return null;
  const any = allowed.includes('*');
  if (!any && !allowed.includes(origin.toLowerCase())) return null;
  return {
    'access-control-allow-origin': any ? '*' : origin,
    vary: 'Origin',
    ...(any ? {} : { 'access-control-allow-credentials': 'true' }),
  };
}
