// The registry's HTTP API: Confluent's content types, error bodies and status codes, with every
// route group registered here, in one place.
import http from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { HealthReport } from '../../service/health-server.js';
import { guardApp, serverFactoryFor, type HttpSecurity } from '../../service/http-security/index.js';
import { RegistryError } from '../errors.js';
import type { SchemaRegistry } from '../registry.js';
import type { Forwarder } from './forwarding.js';
import { compatibilityRoutes } from './routes/compatibility.js';
import { configRoutes } from './routes/config.js';
import { refusedToReadOnly } from './routes/context.js';
import { modeRoutes } from './routes/mode.js';
import { rootRoutes } from './routes/root.js';
import { schemaRoutes } from './routes/schemas.js';
import { subjectRoutes } from './routes/subjects.js';

export const RESPONSE_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const REQUEST_CONTENT_TYPES = [
  'application/vnd.schemaregistry.v1+json',
  'application/vnd.schemaregistry+json',
  'application/json',
  // Confluent's Java client sends this for requests without a body.
  'application/octet-stream',
];
/** Confluent limits a schema to 1 MiB by default, well above any real schema. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/**
 * The longest URL path parameter, as sent (percent-encoded). A subject is a topic name (up to 249
 * characters) plus `-value`, and each of its characters may take up to 9 bytes encoded.
 */
export const MAX_PATH_PARAMETER_LENGTH = 4096;

export interface HttpOptions {
  registry: SchemaRegistry;
  health: () => HealthReport;
  /** Set on a follower: writes go to the primary. */
  forwarder?: Forwarder;
  bodyLimit?: number;
  /** Authentication, read-only users, Host and CORS checks, TLS. */
  security: HttpSecurity;
}

class MalformedJsonError extends Error {}

export async function buildHttpServer(options: HttpOptions): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    logger: false,
    serverFactory: serverFactoryFor(options.security.tls),
    routerOptions: { maxParamLength: MAX_PATH_PARAMETER_LENGTH },
    // A bad percent-encoding or an over-long parameter: answered in Confluent's shape too.
    frameworkErrors: (error, _request, reply) => {
      const status = error.statusCode ?? 400;
      const body = JSON.stringify(confluentError(status, error.message));
      reply.raw.writeHead(status, {
        'content-type': RESPONSE_CONTENT_TYPE,
        'content-length': Buffer.byteLength(body),
      });
      reply.raw.end(body);
    },
    clientErrorHandler: answerClientError,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(REQUEST_CONTENT_TYPES, { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(new MalformedJsonError(error instanceof Error ? error.message : String(error)), undefined);
    }
  });

  app.addHook('onRequest', async (_request, reply) => {
    reply.header('content-type', RESPONSE_CONTENT_TYPE);
  });
  // A read-only user may read and look a schema up (a POST that changes nothing), not change schemas,
  // config or mode (the routes marked WRITE) nor test compatibility, as Confluent's authorizer decides.
  guardApp(app, options.security.guard, {
    isWrite: (request) => refusedToReadOnly(request.routeOptions.config),
    errorBody: (status, message) => confluentError(status, message),
  });

  if (options.forwarder) {
    const forwarder = options.forwarder;
    app.addHook('preHandler', async (request, reply) => {
      const config = request.routeOptions.config as { write?: boolean };
      if (config.write) return forwarder.forward(request, reply);
    });
  }

  app.setErrorHandler((error: FastifyError | Error, _request, reply) => {
    const { status, body } = errorResponse(error);
    reply.code(status).header('content-type', RESPONSE_CONTENT_TYPE).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .send({ error_code: 404, message: `HTTP 404 Not Found: ${request.method} ${request.url}` });
  });

  await app.register(rootRoutes, { health: options.health });
  const context = { registry: options.registry };
  await app.register(subjectRoutes, context);
  await app.register(schemaRoutes, context);
  await app.register(compatibilityRoutes, context);
  await app.register(configRoutes, context);
  await app.register(modeRoutes, context);
  return app;
}

function confluentError(errorCode: number, message: string): { error_code: number; message: string } {
  return { error_code: errorCode, message };
}

/** Errors Node's HTTP parser finds before Fastify sees a request (headers too large, a timeout). */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request header fields too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request timeout']
        : [400, 'Bad request'];
  const body = JSON.stringify(confluentError(status, message));
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: ${RESPONSE_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy();
}

function errorResponse(error: FastifyError | Error): {
  status: number;
  body: { error_code: number; message: string };
} {
  if (error instanceof RegistryError)
    return { status: error.status, body: { error_code: error.errorCode, message: error.message } };
  // Confluent (rest-utils) answers a body that is not JSON with 400 and error_code 400.
  if (error instanceof MalformedJsonError)
    return { status: 400, body: { error_code: 400, message: `Malformed JSON: ${error.message}` } };
  const fastifyError = error as FastifyError;
  if (fastifyError.validation)
    return { status: 422, body: { error_code: 422, message: `Unprocessable entity: ${error.message}` } };
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return { status: 413, body: { error_code: 413, message: 'Request body is too large' } };
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500)
    return { status, body: { error_code: status, message: error.message } };
  return {
    status: 500,
    body: { error_code: 50001, message: `Error in the schema registry: ${error.message}` },
  };
}
