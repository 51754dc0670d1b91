// POST /api/sql {"sql": "..."}: runs a statement on the SQL engine (ksqlDB's REST API). A SELECT goes
// to /query-stream and answers with its columns and rows: a pull query's rows, or a push query's rows
// until `limit` rows or `timeoutMs` (then the query is closed). Anything else goes to /ksql and
// answers with the engine's own result list (SHOW, DESCRIBE, CREATE, TERMINATE, ...).
import type { FastifyPluginAsync } from 'fastify';
import { ApiError, badRequest } from '../errors.js';
import { fetchAsCaller, type ApiContext } from './context.js';
import { forward, notConfigured, unreachable } from './passthrough.js';
import { bodyObject, optionalInteger, requiredString } from './params.js';

const DELIMITED = 'application/vnd.ksqlapi.delimited.v1';
const DEFAULT_ROWS = 100;
const DEFAULT_PUSH_TIMEOUT_MS = 5000;

function isQuery(sql: string): boolean {
  return /^\s*select\b/i.test(sql);
}

interface QueryResult {
  kind: 'query';
  queryId: string | null;
  columns: string[];
  columnTypes: string[];
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
    let response: Response;
    try {
      response = await via(new URL('/query-stream', base), {
        method: 'POST',
        headers: { accept: DELIMITED, 'content-type': 'application/json' },
        body: JSON.stringify({ sql, properties: properties ?? {} }),
        signal: controller.signal,
      });
    } catch (error) {
      throw unreachable('SQL engine', base, error);
    }
    if (!response.ok) {
      const text = await response.text();
      let detail: unknown = text;
      try {
        detail = JSON.parse(text);
      } catch {
        // plain text
      }
      throw new ApiError(response.status, messageOf(detail) ?? `the SQL engine answered ${response.status}`);
    }
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let pending = '';
    const take = (line: string) => {
      if (line.trim() === '') return;
      const item = JSON.parse(line) as unknown;
      if (Array.isArray(item)) result.rows.push(item);
      else if (item && typeof item === 'object') {
        const header = item as {
          queryId?: string;
          columnNames?: string[];
          columnTypes?: string[];
          message?: string;
        };
        if (header.columnNames) {
          result.queryId = header.queryId ?? null;
          result.columns = header.columnNames;
          result.columnTypes = header.columnTypes ?? [];
        } else if (header.message) throw new ApiError(400, header.message);
      }
    };
    try {
      while (result.rows.length < limit) {
        const { done, value } = await reader.read();
        if (done) break;
        pending += decoder.decode(value, { stream: true });
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) take(line);
      }
      take(pending);
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
    result.truncated = result.rows.length >= limit || controller.signal.aborted;
    result.rows = result.rows.slice(0, limit);
    if (result.truncated) await reader.cancel().catch(() => {});
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return result;
}

function messageOf(detail: unknown): string | undefined {
  return detail && typeof detail === 'object' && typeof (detail as { message?: unknown }).message === 'string'
    ? (detail as { message: string }).message
    : undefined;
}

export const sqlRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  app.post('/api/sql', async (request, reply) => {
    const base = context.urls.sql;
    if (base === null) throw notConfigured('SQL engine');
    const body = bodyObject(request.body);
    const sql = requiredString(body.sql, 'sql');
    if (isQuery(sql)) {
      const limit = optionalInteger(body.limit, 'limit', 1) ?? DEFAULT_ROWS;
      const timeoutMs = optionalInteger(body.timeoutMs, 'timeoutMs', 100) ?? DEFAULT_PUSH_TIMEOUT_MS;
      return runQuery(base, sql, limit, timeoutMs, body.properties, fetchAsCaller(context, request));
    }
    if (body.properties !== undefined && (typeof body.properties !== 'object' || body.properties === null))
      throw badRequest('properties must be an object');
    const answer = await forward(
      'SQL engine',
      base,
      'POST',
      '/ksql',
      { ksql: sql, streamsProperties: body.properties ?? {} },
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
};
