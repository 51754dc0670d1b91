// Reading a query from the SQL engine's /query-stream (ksqlDB's HTTP/1.1 delimited format): one JSON
// header line with the query id and columns, then one JSON array per row. Shared by POST /api/sql
// (collects rows up to a limit) and POST /api/sql/stream (passes them on as they arrive).
import { ApiError } from '../errors.js';
import { unreachable } from './passthrough.js';

const DELIMITED = 'application/vnd.ksqlapi.delimited.v1';

export interface QueryHeader {
  queryId: string | null;
  columns: string[];
  columnTypes: string[];
}

export type QueryItem = { kind: 'header'; header: QueryHeader } | { kind: 'row'; row: unknown[] };

export function messageOf(detail: unknown): string | undefined {
  return detail && typeof detail === 'object' && typeof (detail as { message?: unknown }).message === 'string'
    ? (detail as { message: string }).message
    : undefined;
}

function parseItem(line: string): QueryItem | null {
  if (line.trim() === '') return null;
  const item = JSON.parse(line) as unknown;
  if (Array.isArray(item)) return { kind: 'row', row: item };
  if (!item || typeof item !== 'object') return null;
  const header = item as {
    queryId?: string;
    columnNames?: string[];
    columnTypes?: string[];
    message?: string;
  };
  if (header.columnNames)
    return {
      kind: 'header',
      header: {
        queryId: header.queryId ?? null,
        columns: header.columnNames,
        columnTypes: header.columnTypes ?? [],
      },
    };
  // An error met after the header (the engine ends the stream with it).
  if (header.message) throw new ApiError(400, header.message);
  return null;
}

/**
 * Runs `sql` on the engine and yields its header and rows until the engine ends the query or `signal`
 * aborts; aborting closes the connection, which closes a push query on the engine. An engine error
 * before the first line is an ApiError with the engine's status and message.
 */
export async function* queryStream(
  base: string,
  sql: string,
  properties: unknown,
  signal: AbortSignal,
  /** The fetch that carries the caller's credentials (fetchAsCaller). */
  via: typeof fetch,
): AsyncGenerator<QueryItem> {
  let response: Response;
  try {
    response = await via(new URL('/query-stream', base), {
      method: 'POST',
      headers: { accept: DELIMITED, 'content-type': 'application/json' },
      body: JSON.stringify({ sql, properties: properties ?? {} }),
      signal,
    });
  } catch (error) {
    if (signal.aborted) return;
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
  try {
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (signal.aborted) return;
        throw error;
      }
      if (chunk.done) break;
      pending += decoder.decode(chunk.value, { stream: true });
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const item = parseItem(line);
        if (item) yield item;
      }
    }
    const last = parseItem(pending);
    if (last) yield last;
  } finally {
    await reader.cancel().catch(() => {});
  }
}
