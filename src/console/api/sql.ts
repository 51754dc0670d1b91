// POST /api/sql {"sql": "..."}: runs a statement on the SQL engine (ksqlDB's REST API). A SELECT goes
// to /query-stream and answers with its columns and rows: a pull query's rows, or a push query's rows
// until `limit` rows or `timeoutMs` (then the query is closed). Anything else goes to /ksql and
// answers with the engine's own result list (SHOW, DESCRIBE, CREATE, TERMINATE, ...).
// POST /api/sql/stream {"sql": "..."}: a query's rows as server-sent events while they arrive, until
// the engine ends it or the page closes the connection (the SQL page's Stop button).
import type { FastifyPluginAsync } from 'fastify';
import { toJsonSafe } from '../json.js';
import { badRequest } from '../errors.js';
import { fetchAsCaller, type ApiContext } from './context.js';
import { forward, notConfigured } from './passthrough.js';
import { bodyObject, optionalInteger, requiredString } from './params.js';
import { messageOf, queryStream, type QueryHeader } from './query-stream.js';

const DEFAULT_ROWS = 100;
const DEFAULT_PUSH_TIMEOUT_MS = 5000;
const KEEP_ALIVE_MS = 15_000;

function isQuery(sql: string): boolean {
  return /^\s*select\b/i.test(sql);
}

interface QueryResult extends QueryHeader {
  kind: 'query';
  rows: unknown[][];
  /** True when the rows were cut off by the limit or the time (a push query never ends by itself). */
  truncated: boolean;
}

async function runQuery(
  base: string,
  sql: string,
  limit: number,
  timeoutMs: number,
  properties: unknown,
  via: typeof fetch,
): Promise<QueryResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const result: QueryResult = {
    kind: 'query',
    queryId: null,
    columns: [],
    columnTypes: [],
    rows: [],
    truncated: false,
  };
  try {
    for await (const item of queryStream(base, sql, properties, controller.signal, via)) {
      if (item.kind === 'header') Object.assign(result, item.header);
      else result.rows.push(item.row);
      if (result.rows.length >= limit) break;
    }
  } finally {
    clearTimeout(timer);
    result.truncated = result.rows.length >= limit || controller.signal.aborted;
    controller.abort();
  }
  return result;
}

function checkedProperties(properties: unknown): unknown {
  if (properties !== undefined && (typeof properties !== 'object' || properties === null))
    throw badRequest(
      'properties must be an object',
      'give {"auto.offset.reset": "earliest"} or leave it out',
    );
  return properties;
}

export const sqlRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  const engine = () => {
    if (context.urls.sql === null) throw notConfigured('SQL engine');
    return context.urls.sql;
  };

  app.post('/api/sql', async (request, reply) => {
    const base = engine();
    const body = bodyObject(request.body);
    const sql = requiredString(body.sql, 'sql');
    const properties = checkedProperties(body.properties);
    if (isQuery(sql)) {
      const limit = optionalInteger(body.limit, 'limit', 1) ?? DEFAULT_ROWS;
      const timeoutMs = optionalInteger(body.timeoutMs, 'timeoutMs', 100) ?? DEFAULT_PUSH_TIMEOUT_MS;
      return runQuery(base, sql, limit, timeoutMs, properties, fetchAsCaller(context, request));
    }
    const answer = await forward(
      'SQL engine',
      base,
      'POST',
      '/ksql',
      { ksql: sql, streamsProperties: properties ?? {} },
      fetchAsCaller(context, request),
    );
    if (answer.status >= 400) {
      reply.code(answer.status);
      return {
        error: messageOf(answer.body) ?? `the SQL engine answered ${answer.status}`,
        detail: answer.body,
      };
    }
    return { kind: 'statements', results: answer.body };
  });

  app.post('/api/sql/stream', async (request, reply) => {
    const base = engine();
    const body = bodyObject(request.body);
    const sql = requiredString(body.sql, 'sql');
    if (!isQuery(sql))
      throw badRequest('only a SELECT streams rows', 'send other statements to POST /api/sql');
    const properties = checkedProperties(body.properties);
    const abort = new AbortController();
    // The response's close (not the request's, which closes once its body is read) means the page left.
    reply.raw.on('close', () => abort.abort());
    const items = queryStream(base, sql, properties, abort.signal, fetchAsCaller(context, request));
    // The first item decides the answer: an engine error (a bad statement) is still a JSON error.
    const first = await items.next();
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    const send = (event: string, data: unknown) =>
      out.write(`event: ${event}\ndata: ${JSON.stringify(toJsonSafe(data))}\n\n`);
    const keepAlive = setInterval(() => out.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    try {
      let next = first;
      while (!next.done) {
        if (next.value.kind === 'header') send('header', next.value.header);
        else send('row', next.value.row);
        next = await items.next();
      }
      if (!abort.signal.aborted) send('end', {});
    } catch (error) {
      if (!abort.signal.aborted) send('failure', { error: (error as Error).message });
    } finally {
      clearInterval(keepAlive);
      abort.abort();
      out.end();
    }
  });
};
