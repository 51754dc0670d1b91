// Pass-through views of the other components' REST APIs, so that the UI talks to one origin:
//   /api/schemas/*  -> the schema registry  (Confluent's API: /subjects, /schemas/ids/N, /config, ...)
//   /api/connect/*  -> the connect worker   (Kafka Connect's API: /connectors, /connector-plugins, ...)
// Method, query string and JSON body are forwarded; the answer comes back with its status. A component
// that does not answer is a 502 that names it and says how to start it.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import { fetchAsCaller, type ApiContext } from './context.js';

const FORWARD_TIMEOUT_MS = 30_000;

interface Target {
  prefix: string;
  label: string;
  url: (context: ApiContext) => string | null;
  contentType: string;
}

const TARGETS: readonly Target[] = [
  {
    prefix: '/api/schemas',
    label: 'schema registry',
    url: (context) => context.urls.registry,
    contentType: 'application/vnd.schemaregistry.v1+json',
  },
  {
    prefix: '/api/connect',
    label: 'connect worker',
    url: (context) => context.urls.connect,
    contentType: 'application/json',
  },
];

export function unreachable(label: string, url: string, error: unknown): ApiError {
  const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
  return new ApiError(502, `the ${label} at ${url} does not answer (${cause})`, 'start it with `venice up`');
}

export function notConfigured(label: string): ApiError {
  return new ApiError(
    503,
    `the console runs without a ${label}`,
    `restart the console with the ${label}'s URL`,
  );
}

/** Sends a request to a component and returns its status and JSON (or text) answer. */
export async function forward(
  label: string,
  base: string,
  method: string,
  pathAndQuery: string,
  body: unknown,
  via: typeof fetch,
  contentType = 'application/json',
): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await via(new URL(pathAndQuery, base), {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': contentType }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
    });
  } catch (error) {
    throw unreachable(label, base, error);
  }
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? null : (JSON.parse(text) as unknown);
  } catch {
    // not JSON: passed on as text
  }
  return { status: response.status, body: parsed };
}

export const passThroughRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  for (const target of TARGETS) {
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const base = target.url(context);
      if (base === null) throw notConfigured(target.label);
      const pathAndQuery = request.url.slice(target.prefix.length) || '/';
      const hasBody = request.method !== 'GET' && request.method !== 'DELETE' && request.body !== undefined;
      const answer = await forward(
        target.label,
        base,
        request.method,
        pathAndQuery,
        hasBody ? request.body : undefined,
        fetchAsCaller(context, request),
        target.contentType,
      );
      return reply.code(answer.status).send(answer.body);
    };
    app.route({ method: ['GET', 'POST', 'PUT', 'DELETE'], url: `${target.prefix}/*`, handler });
  }
};
