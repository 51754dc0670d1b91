// Streams a query's rows into an HTTP response (HTTP/1.1 chunked, or an HTTP/2 stream) as they come,
// waiting for the client when it reads slower than the query produces. A client that goes away closes
// the query; a query that fails after the header is sent ends the response with an error item.
import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import type { QueryHandle } from '../engine/api.js';
import type { Logger } from '../../service/index.js';
import { toHttpError } from './errors.js';
import type { OpenQueries } from './open-queries.js';
import type { QueryEnd, QueryResponseFormat } from './query-formats.js';

export type RawResponse = ServerResponse | Http2ServerResponse;

export async function streamQuery(
  handle: QueryHandle,
  format: QueryResponseFormat,
  response: RawResponse,
  context: { openQueries: OpenQueries; logger: Logger },
): Promise<void> {
  let clientGone = false;
  let closedByServer = false;
  const onClose = () => {
    if (response.writableFinished) return;
    clientGone = true;
    void handle.close();
  };
  response.on('close', onClose);
  context.openQueries.add(handle);
  try {
    // No Content-Length: HTTP/1.1 answers chunked, HTTP/2 in DATA frames.
    response.writeHead(200, { 'content-type': format.contentType });
    await write(response, format.header());
    let end: QueryEnd = handle.isPullQuery ? 'completed' : 'limit';
    try {
      for await (const row of handle.rows()) {
        if (clientGone) break;
        await write(response, format.row(row));
      }
      // A push query closed through /close-query ends like one whose client left.
      if (!handle.isPullQuery && context.openQueries.get(handle.queryId) !== handle) end = 'closed';
    } catch (error) {
      if (clientGone) return;
      context.logger.warn({ err: error, queryId: handle.queryId }, 'query failed while streaming');
      closedByServer = true;
      await write(response, format.error(toHttpError(error).body));
      end = 'closed';
    }
    if (!clientGone) response.end(format.end(end));
  } finally {
    response.off('close', onClose);
    context.openQueries.remove(handle);
    if (clientGone || closedByServer || !handle.isPullQuery) await handle.close().catch(() => {});
  }
}

/**
 * Writes a piece, resolving when the socket can take more (or at once when the client is gone). Over
 * HTTP/2 each piece also gets a turn of the event loop to itself, so that it leaves in a DATA frame of
 * its own: some ksqlDB clients parse every frame as one JSON line.
 */
export function write(response: RawResponse, text: string): Promise<void> {
  if (text === '' || response.destroyed) return Promise.resolve();
  const ready = (response as ServerResponse).write(text);
  if (ready && 'stream' in response) return new Promise((resolve) => setImmediate(resolve));
  if (ready) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
