// The sql component's REST API: ksqlDB's endpoints, content types and error bodies, with every route
// group registered here, in one place. Served over HTTP/1.1 and cleartext HTTP/2 on one port
// (listener.ts), since ksqlDB's newer clients speak HTTP/2 to /query-stream and /inserts-stream.
import http from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerFactory } from 'fastify';
import type { SqlEngine } from '../engine/api.js';
import type { HealthReport, Logger } from '../../service/index.js';
import { guardApp, type BareRequest, type HttpSecurity } from '../../service/http-security/index.js';
import { CommandStatuses } from './command-statuses.js';
import type { RouteContext, ServerInfo } from './context.js';
import { BadRequestError, genericError, toHttpError } from './errors.js';
import { KSQL_V1_JSON } from './media-types.js';
import { OpenQueries } from './open-queries.js';
import { infoRoutes } from './routes/info.js';
import { INSERTS_PATH, insertsRoutes } from './routes/inserts.js';
import { ksqlRoutes } from './routes/ksql.js';
import { queryRoutes } from './routes/query.js';
import { upgradeListener } from './routes/ws-query.js';
import { ERROR_CODES } from '../engine/errors.js';
import { firstStateChange } from '../parser/statement-effects.js';
import { readKsqlRequest } from './requests.js';

/** The version of ksqlDB whose API and dialect Venice follows, as /info reports it. */
export const KSQLDB_API_VERSION = '0.29.0';
/** Statements are text: 10 MiB is far beyond any script. */
export const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024;

export interface SqlHttpOptions {
  readonly engine: SqlEngine;
  readonly logger: Logger;
  readonly health: () => HealthReport;
  readonly info?: Partial<ServerInfo>;
  readonly bodyLimit?: number;
  /** Authentication, read-only users, Host and CORS checks. */
  readonly security: HttpSecurity;
}

/**
 * What a read-only user may not do by path: insert rows. /ksql is judged by its statements once its
 * body is read (statementWrites); queries, PRINT and closing one's own query are reads.
 */
const WRITE_PATHS = [INSERTS_PATH, '/ksql/terminate'];

/** What the statements of a /ksql request would change (CREATE, DROP, INSERT, TERMINATE...), or null. */
function statementWrites(body: unknown): string | null {
  let request: ReturnType<typeof readKsqlRequest>;
  try {
    request = readKsqlRequest(body);
  } catch {
    return null; // the route answers the bad body
  }
  // The variables as the engine substitutes them (upper-cased names), so both parse the same text.
  const variables = new Map(Object.entries(request.variables ?? {}).map(([k, v]) => [k.toUpperCase(), v]));
  return firstStateChange(request.sql, variables);
}

export interface SqlHttpServer {
  readonly app: FastifyInstance;
  readonly openQueries: OpenQueries;
}

class MalformedJsonError extends BadRequestError {}

export async function buildSqlHttpServer(
  options: SqlHttpOptions,
  /** Serve on a server made elsewhere (listener.ts); without it, app.listen binds HTTP/1.1 only. */
  serverFactory?: FastifyServerFactory,
): Promise<SqlHttpServer> {
  const app = Fastify({
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    logger: false,
    keepAliveTimeout: 30_000,
    ...(serverFactory ? { serverFactory } : {}),
  });

  app.removeAllContentTypeParsers();
  // Every body is JSON, whatever it is labelled (curl -d sends a form type), except /inserts-stream,
  // whose rows are read as they come.
  app.addContentTypeParser('*', (request, payload, done) => {
    if (request.url.split('?')[0] === INSERTS_PATH) return done(null, payload as Readable);
    readText(payload as Readable, options.bodyLimit ?? DEFAULT_BODY_LIMIT).then((text) => {
      if (text.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch (error) {
        done(
          new MalformedJsonError(`Malformed JSON: ${error instanceof Error ? error.message : String(error)}`),
        );
      }
    }, done);
  });

  app.addHook('onRequest', async (_request, reply) => {
    reply.header('content-type', KSQL_V1_JSON);
  });
  const isWritePath = (url: string) => WRITE_PATHS.includes(url.split('?')[0]);
  guardApp(app, options.security.guard, {
    isWrite: (request) => request.method !== 'GET' && isWritePath(request.url),
    bodyWrites: (request) => (request.url.split('?')[0] === '/ksql' ? statementWrites(request.body) : null),
    errorBody: (status, message) => genericError(status * 100, message),
  });

  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const { status, body } = frameworkError(error);
    if (status >= 500) options.logger.error({ err: error, url: request.url }, 'request failed');
    reply.code(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .send(genericError(ERROR_CODES.NOT_FOUND, `HTTP 404 Not Found: ${request.method} ${request.url}`));
  });

  const context: RouteContext = {
    engine: options.engine,
    openQueries: new OpenQueries(),
    commandStatuses: new CommandStatuses(),
    logger: options.logger,
    info: {
      version: options.info?.version ?? KSQLDB_API_VERSION,
      kafkaClusterId: options.info?.kafkaClusterId ?? '',
      ...(options.info?.processingLogTopic ? { processingLogTopic: options.info.processingLogTopic } : {}),
    },
  };
  await app.register(infoRoutes, { ...context, health: options.health });
  await app.register(ksqlRoutes, context);
  await app.register(queryRoutes, context);
  await app.register(insertsRoutes, context);
  // WebSocket queries arrive as HTTP/1.1 upgrades, which never reach fastify's router.
  const upgrade = upgradeListener(app.server, context);
  app.server.on('upgrade', (request: BareRequest & http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const verdict = options.security.guard.judge(request, false);
    if (verdict.pass) return upgrade(request, socket, head);
    const body = JSON.stringify(genericError(verdict.status * 100, verdict.message));
    const headers = Object.entries({ ...verdict.headers, 'content-type': KSQL_V1_JSON })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.end(
      `HTTP/1.1 ${verdict.status} ${http.STATUS_CODES[verdict.status]}\r\n${headers}` +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  return { app, openQueries: context.openQueries };
}

function frameworkError(error: FastifyError | Error): ReturnType<typeof toHttpError> {
  const fastifyError = error as FastifyError;
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return { status: 413, body: genericError(41300, 'Request body is too large') };
  const status = fastifyError.statusCode;
  if (!(error instanceof BadRequestError) && status !== undefined && status >= 400 && status < 500)
    return { status, body: genericError(ERROR_CODES.BAD_REQUEST, error.message) };
  return toHttpError(error);
}

function readText(stream: Readable, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        const error = Object.assign(new Error('Request body is too large'), {
          code: 'FST_ERR_CTP_BODY_TOO_LARGE',
          statusCode: 413,
        });
        stream.destroy();
        reject(error);
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}
