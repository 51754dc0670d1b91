// Kafka Connect's REST API over a Herder: every route group registered here, in one place, with Kafka
// Connect's status codes and `{error_code, message}` bodies. A path that no route has answers 404 and a
// known path with the wrong method 405, each with the message Kafka Connect's server gives.
import type { Readable } from 'node:stream';
import Fastify, { type FastifyError, type FastifyInstance, type HTTPMethods } from 'fastify';
import type { Logger } from '../../service/index.js';
import {
  guardApp,
  serverFactoryFor,
  writesByMethod,
  type HttpSecurity,
} from '../../service/http-security/index.js';
import type { RouteContext } from './context.js';
import { badRequest, errorBody, toHttpError } from './errors.js';
import { connectorRoutes } from './routes/connectors.js';
import { offsetRoutes } from './routes/offsets.js';
import { pluginRoutes } from './routes/plugins.js';
import { rootRoutes } from './routes/root.js';
import { taskRoutes } from './routes/tasks.js';

/**
 * Checking a config against a plugin changes nothing, so read-only users may (a Cluster "Validate"
 * permission apart from the connectors' Create/Edit/Manage/Delete, as Kafka Connect authorizers have).
 */
const VALIDATE_PATH = /^\/connector-plugins\/[^/]+\/config\/validate\/?$/;

/** Connector configs are small; 10 MiB is far beyond any. */
const BODY_LIMIT = 10 * 1024 * 1024;

export interface ConnectRestOptions extends RouteContext {
  readonly logger: Logger;
  /** Authentication, read-only users (no PUT, POST, DELETE but validate), Host and CORS checks, TLS. */
  readonly security: HttpSecurity;
}

export async function buildConnectRestServer(options: ConnectRestOptions): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    logger: false,
    routerOptions: { ignoreTrailingSlash: true },
    serverFactory: serverFactoryFor(options.security.tls),
  });
  guardApp(app, options.security.guard, {
    isWrite: (request) => writesByMethod(request) && !VALIDATE_PATH.test(request.url.split('?')[0]),
    errorBody: (status, message) => errorBody(status, message),
  });

  // Every body is JSON whatever its label (`curl -d` sends a form type), so a pasted curl line works.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => {
    readText(payload as Readable).then((text) => {
      if (text.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        done(badRequest(`The request body is not valid JSON (${reason}); send a JSON object`));
      }
    }, done);
  });

  const routes: { method: string; pattern: RegExp }[] = [];
  app.addHook('onRoute', (route) => {
    const methods = ([] as HTTPMethods[]).concat(route.method);
    const pattern = new RegExp(`^${route.url.replace(/:[^/]+/g, '[^/]+').replace(/\/$/, '')}/?$`);
    for (const method of methods) routes.push({ method, pattern });
  });

  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const { status, body } = frameworkError(error);
    if (status >= 500) options.logger.error({ err: error, url: request.url }, 'connect REST request failed');
    reply.code(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const known = routes.some((route) => route.pattern.test(path));
    if (known) reply.code(405).send(errorBody(405, 'HTTP 405 Method Not Allowed'));
    else reply.code(404).send(errorBody(404, 'HTTP 404 Not Found'));
  });

  const context: RouteContext = { herder: options.herder, health: options.health };
  await app.register(rootRoutes, context);
  await app.register(connectorRoutes, context);
  await app.register(taskRoutes, context);
  await app.register(offsetRoutes, context);
  await app.register(pluginRoutes, context);
  return app;
}

function frameworkError(error: FastifyError | Error): ReturnType<typeof toHttpError> {
  const fastifyError = error as FastifyError;
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return { status: 413, body: errorBody(413, 'The request body is too large (10 MiB at most)') };
  const status = fastifyError.statusCode;
  if (fastifyError.code !== undefined && status !== undefined && status >= 400 && status < 500)
    return { status, body: errorBody(status, error.message) };
  return toHttpError(error);
}

function readText(stream: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) {
        stream.destroy();
        reject(
          Object.assign(new Error('too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }),
        );
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}
