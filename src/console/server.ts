// The console's HTTP server: the JSON API under /api/ (documented in README.md) and the built UI.
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { KafkaClientError, type KafkaErrorKind } from '../client/index.js';
import type { HealthReport } from '../service/index.js';
import { guardApp, serverFactoryFor, type HttpSecurity } from '../service/http-security/index.js';
import { consoleWrites, sessionRoutes } from './access.js';
import type { ApiContext } from './api/context.js';
import { groupRoutes } from './api/groups.js';
import { messageRoutes } from './api/messages.js';
import { overviewRoutes } from './api/overview.js';
import { pipelineRoutes } from './api/pipeline.js';
import { passThroughRoutes } from './api/passthrough.js';
import { sqlRoutes } from './api/sql.js';
import { tailRoutes } from './api/tail.js';
import { topicRoutes } from './api/topics.js';
import { ApiError } from './errors.js';
import { toJsonSafe } from './json.js';
import { serveUi } from './static.js';

const KAFKA_STATUS: Readonly<Record<KafkaErrorKind, number>> = {
  unreachable: 502,
  'not-found': 404,
  'already-exists': 409,
  invalid: 400,
  refused: 409,
  failure: 500,
};

const KAFKA_HINT: Partial<Record<KafkaErrorKind, string>> = {
  unreachable: 'start the pipeline with `venice up`',
};

/** The API's routes, listed by GET /api/. */
export const API_ROUTES: readonly string[] = [
  'GET /api/session (the user, and whether it is read-only)',
  'GET /api/pipeline',
  'GET /api/overview',
  'GET /api/topics[?internal=true]',
  'POST /api/topics',
  'GET /api/topics/:name',
  'PATCH /api/topics/:name/configs',
  'DELETE /api/topics/:name',
  'GET /api/topics/:name/messages[?partition&offset|timestamp&limit]',
  'POST /api/topics/:name/messages',
  'GET /api/topics/:name/tail[?partition] (server-sent events)',
  'GET /api/groups',
  'GET /api/groups/:id',
  'POST /api/groups/:id/reset',
  'DELETE /api/groups/:id',
  'GET|POST|PUT|DELETE /api/schemas/* (the schema registry)',
  'GET|POST|PUT|DELETE /api/connect/* (the connect worker)',
  'POST /api/sql',
  'POST /api/sql/stream (server-sent events)',
  'GET /health',
];

export interface ConsoleServerOptions {
  context: ApiContext;
  health: () => HealthReport;
  /** The built UI's folder. */
  uiDir: string;
  /** Authentication, read-only users (reads only: access.ts), Host and CORS checks, TLS. */
  security: HttpSecurity;
}

export async function buildConsoleServer(options: ConsoleServerOptions): Promise<FastifyInstance> {
  // Live tails are long-lived responses: a stop closes them rather than waiting for the pages to leave.
  const app = Fastify({
    logger: false,
    bodyLimit: 4 * 1024 * 1024,
    forceCloseConnections: true,
    serverFactory: serverFactoryFor(options.security.tls),
  });
  // The browser asks for a user and password once (WWW-Authenticate) and sends them with every call.
  guardApp(app, options.security.guard, {
    isWrite: consoleWrites,
    errorBody: (_status, message) => ({ error: message }),
  });
  app.setReplySerializer((payload) => JSON.stringify(toJsonSafe(payload)));
  app.setErrorHandler((error: FastifyError | Error, _request, reply) => {
    if (error instanceof ApiError)
      return reply
        .code(error.status)
        .send({ error: error.message, ...(error.hint ? { hint: error.hint } : {}) });
    if (error instanceof KafkaClientError) {
      const hint = KAFKA_HINT[error.kind];
      return reply.code(KAFKA_STATUS[error.kind]).send({ error: error.message, ...(hint ? { hint } : {}) });
    }
    const status = (error as FastifyError).statusCode;
    if (status !== undefined && status >= 400 && status < 500)
      return reply.code(status).send({ error: error.message });
    return reply.code(500).send({ error: error.message });
  });

  app.get('/health', async (_request, reply) => {
    const report = options.health();
    return reply.code(report.status === 'ok' ? 200 : 503).send(report);
  });
  app.get('/api', async () => ({ routes: API_ROUTES }));
  app.get('/api/', async () => ({ routes: API_ROUTES }));
  await app.register(sessionRoutes);
  await app.register(overviewRoutes, options.context);
  await app.register(topicRoutes, options.context);
  await app.register(messageRoutes, options.context);
  await app.register(tailRoutes, options.context);
  await app.register(groupRoutes, options.context);
  await app.register(passThroughRoutes, options.context);
  await app.register(sqlRoutes, options.context);
  await app.register(pipelineRoutes, options.context);
  serveUi(app, options.uiDir);
  return app;
}
