// ksqlDB's WebSocket query endpoint: GET /ws/query?request=<KsqlRequest JSON>[&version=1] upgraded to a
// WebSocket (and GET /query, where ksqlDB's older servers and the clients written for them have it).
// As in ksqlDB, the socket carries one text message with the result's columns (FieldInfo, as DESCRIBE
// gives them), then one message a row, {"row":{"columns":[...]}}; when the query ends the server sends
// {"error":"done"} and closes with 1000. A request that cannot be run is answered with
// {"error":"<why>"} and close code 1003; a query that fails while running with 1011. Closing the socket
// ends the query. A PRINT sends each record's line as a message (a JSON string).
//
// Any other upgrade request (curl --http2 asks for h2c) is served as the plain HTTP/1.1 request it also
// is: RFC 7230 lets a server ignore Upgrade.
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { QueryHandle, StatementRequest, TopicPrint } from '../../engine/api.js';
import { schemaInfo } from '../../engine/describe.js';
import type { FieldInfo } from '../../engine/entities.js';
import type { RouteContext } from '../context.js';
import { toHttpError } from '../errors.js';
import { columnType, rowToJson } from '../json-values.js';
import { readKsqlRequest } from '../requests.js';
import { CLOSE_CODES, acceptWebSocket, isWebSocketUpgrade, type WebSocketConnection } from '../websocket.js';

export const WEBSOCKET_QUERY_PATHS: readonly string[] = ['/ws/query', '/query'];

type UpgradeListener = (request: http.IncomingMessage, socket: Duplex, head: Buffer) => void;

/** The 'upgrade' listener of the HTTP/1.1 server: WebSocket queries, everything else as plain HTTP. */
export function upgradeListener(server: http.Server, context: RouteContext): UpgradeListener {
  return (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!WEBSOCKET_QUERY_PATHS.includes(url.pathname) || !isWebSocketUpgrade(request)) {
      serveAsPlainHttp(server, request, socket, head);
      return;
    }
    const connection = acceptWebSocket(request, socket, head);
    if (connection) void runWebSocketQuery(connection, url.searchParams, context);
  };
}

/** Runs the query a socket's URL asks for and streams its rows; never throws. */
async function runWebSocketQuery(
  connection: WebSocketConnection,
  params: URLSearchParams,
  context: RouteContext,
): Promise<void> {
  let statement: StatementRequest;
  let handle: QueryHandle;
  try {
    statement = readSocketRequest(params);
  } catch (error) {
    closeWithError(connection, CLOSE_CODES.unsupportedData, (error as Error).message);
    return;
  }
  try {
    const opened = await context.engine.open(statement);
    if (opened.kind === 'print') return await sendPrint(connection, opened.print);
    handle = opened.handle;
  } catch (error) {
    closeWithError(connection, CLOSE_CODES.unsupportedData, toHttpError(error, statement.sql).body.message);
    return;
  }
  if (connection.closed) {
    await handle.close().catch(() => {});
    return;
  }
  connection.onClose(() => void handle.close().catch(() => {}));
  context.openQueries.add(handle);
  try {
    const types = handle.columns.map((column) => columnType(column.type));
    await connection.send(JSON.stringify(resultSchema(handle, types)));
    for await (const row of handle.rows()) {
      if (connection.closed) break;
      await connection.send(
        `{"row":{"columns":${rowToJson(row.values, types)}${row.tombstone ? ',"tombstone":true' : ''}}}`,
      );
    }
    closeWithError(connection, CLOSE_CODES.normal, 'done');
  } catch (error) {
    context.logger.warn(
      { err: error, queryId: handle.queryId },
      'query failed while streaming to a WebSocket',
    );
    closeWithError(connection, CLOSE_CODES.internalError, toHttpError(error).body.message);
  } finally {
    context.openQueries.remove(handle);
    await handle.close().catch(() => {});
  }
}

/** A PRINT over a socket: each record's line as a message of its own (a JSON string), as ksqlDB sends it. */
async function sendPrint(connection: WebSocketConnection, print: TopicPrint): Promise<void> {
  connection.onClose(() => print.close());
  try {
    for await (const line of print.lines()) {
      if (connection.closed) break;
      if (line.kind === 'record') await connection.send(JSON.stringify(line.text));
    }
    closeWithError(connection, CLOSE_CODES.normal, 'done');
  } catch (error) {
    closeWithError(connection, CLOSE_CODES.internalError, (error as Error).message);
  } finally {
    print.close();
  }
}

/** The `request` parameter (a KsqlRequest: ksql, streamsProperties, ...) and the optional `version`. */
function readSocketRequest(params: URLSearchParams): StatementRequest {
  const version = params.get('version');
  if (version !== null && version !== '1') throw new Error(`Received invalid api version: ${version}`);
  const text = params.get('request');
  if (text === null || text === '') throw new Error('Error parsing request: missing request parameter');
  try {
    return readKsqlRequest(JSON.parse(text));
  } catch (error) {
    throw new Error(`Error parsing request: ${(error as Error).message}`, { cause: error });
  }
}

/** ksqlDB's first message: the columns as FieldInfo, key columns marked KEY. */
function resultSchema(handle: QueryHandle, types: readonly ReturnType<typeof columnType>[]): FieldInfo[] {
  const keys = new Set(handle.keyColumns ?? []);
  return handle.columns.map((column, index) => {
    const type = types[index];
    const field: FieldInfo = {
      name: column.name,
      schema: type ? schemaInfo(type) : { type: column.type, fields: null, memberSchema: null },
    };
    return keys.has(column.name) ? { ...field, type: 'KEY' } : field;
  });
}

/** ksqlDB ends every socket with a last text message {"error": why} and then the close frame. */
function closeWithError(connection: WebSocketConnection, code: number, message: string): void {
  if (connection.closed) return;
  void connection.send(JSON.stringify({ error: message }));
  connection.close(code, message);
}

/**
 * Hands an upgrade request that is not a WebSocket query back to the HTTP/1.1 server as an ordinary
 * request: Node has already read its head, so the head is written out again (without the Upgrade) in
 * front of what followed it, and the socket is given to the server as a new connection.
 */
function serveAsPlainHttp(
  server: http.Server,
  request: http.IncomingMessage,
  socket: Duplex,
  head: Buffer,
): void {
  const lines = [`${request.method ?? 'GET'} ${request.url ?? '/'} HTTP/${request.httpVersion}`];
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (name === 'upgrade' || name === 'http2-settings' || name === 'connection') continue;
    lines.push(`${raw[i]}: ${raw[i + 1]}`);
  }
  socket.unshift(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), head]));
  server.emit('connection', socket);
  socket.resume();
}
