// What a read-only user of the console may do: everything that changes nothing. The method decides,
// except for the requests that read although they are POSTs or PUTs: a schema lookup and a connector
// config check are reads, and SQL statements are judged by the SQL engine, which parses them (SHOW,
// DESCRIBE, EXPLAIN, SELECT and PRINT read) and refuses the rest to a read-only user with 403. The
// registry, the SQL engine and the worker get the caller's own credentials (fetchAsCaller), so they
// check the same user again.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { requestReadOnly, requestUser, writesByMethod } from '../service/http-security/index.js';

const SQL_PATHS = ['/api/sql', '/api/sql/stream'];
/** POST /subjects/{subject}: Confluent's SUBJECT_READ (compatibility tests are SUBJECT_WRITE). */
const SCHEMA_LOOKUP = /^\/api\/schemas\/subjects\/[^/]+\/?$/;
const CONNECTOR_VALIDATE = /^\/api\/connect\/connector-plugins\/[^/]+\/config\/validate\/?$/;

function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0];
}

/** Whether a request writes, from its method and path (SQL statements: the SQL engine decides). */
export function consoleWrites(request: FastifyRequest): boolean {
  if (!writesByMethod(request)) return false;
  const path = pathOf(request);
  if (SQL_PATHS.includes(path)) return false;
  if (request.method === 'POST' && SCHEMA_LOOKUP.test(path)) return false;
  if (request.method === 'PUT' && CONNECTOR_VALIDATE.test(path)) return false;
  return true;
}

/** GET /api/session: who the page is logged in as, so that it hides what a read-only user cannot do. */
export const sessionRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/session', async (request) => ({
    user: requestUser(request)?.name ?? null,
    readOnly: requestReadOnly(request),
  }));
};
