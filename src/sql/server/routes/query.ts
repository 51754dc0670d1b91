// POST /query (ksqlDB's first query API: {ksql, streamsProperties}, a chunked JSON array of header, rows
// and a final message), POST /query-stream (the newer one: {sql, properties}, delimited lines by
// default) and POST /close-query. PRINT goes to /query and is answered as lines of text. The two query endpoints differ in the request body and in what the
// Accept header picks: /query reads application/json as its own array format, as ksqlDB does.
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { OpenedStatement, StatementRequest } from '../../engine/api.js';
import type { RouteContext } from '../context.js';
import { BadRequestError, toHttpError } from '../errors.js';
import { DELIMITED, JSON_TYPE, KSQL_V1_JSON, negotiate } from '../media-types.js';
import { createQueryFormat, type QueryFormatName } from '../query-formats.js';
import { readCloseQueryRequest, readKsqlRequest, readQueryStreamRequest } from '../requests.js';
import { streamQuery } from '../stream-query.js';
import { streamPrint } from '../stream-print.js';

const OFFERED = [DELIMITED, KSQL_V1_JSON, JSON_TYPE];

interface ResponseChoice {
  format: QueryFormatName;
  contentType: string;
}

function queryEndpointChoice(headers: IncomingHttpHeaders): ResponseChoice {
  const type = negotiate(headers, OFFERED, KSQL_V1_JSON);
  return type === DELIMITED
    ? { format: 'delimited', contentType: type }
    : { format: 'streamed-rows', contentType: type };
}

function queryStreamChoice(headers: IncomingHttpHeaders): ResponseChoice {
  const type = negotiate(headers, OFFERED, DELIMITED);
  const format: QueryFormatName =
    type === KSQL_V1_JSON ? 'streamed-rows' : type === JSON_TYPE ? 'json' : 'delimited';
  return { format, contentType: type };
}

export const queryRoutes: FastifyPluginAsync<RouteContext> = async (app, context) => {
  // PRINT is answered on /query only (as lines of text), as in ksqlDB; /query-stream runs SELECTs.
  const run = async (
    reply: FastifyReply,
    statement: StatementRequest,
    choice: ResponseChoice,
    printAllowed: boolean,
  ) => {
    let opened: OpenedStatement;
    try {
      opened = printAllowed
        ? await context.engine.open(statement)
        : { kind: 'query', handle: await context.engine.query(statement) };
    } catch (error) {
      const { status, body } = toHttpError(error, statement.sql);
      const contentType = choice.contentType === DELIMITED ? JSON_TYPE : choice.contentType;
      return reply.code(status).header('content-type', contentType).send(body);
    }
    reply.hijack();
    if (opened.kind === 'print') return streamPrint(opened.print, reply.raw, context.logger);
    const format = createQueryFormat(choice.format, opened.handle, choice.contentType);
    await streamQuery(opened.handle, format, reply.raw, context);
  };

  app.post('/query', async (request, reply) =>
    run(reply, readKsqlRequest(request.body), queryEndpointChoice(request.headers), true),
  );

  app.post('/query-stream', async (request, reply) =>
    run(reply, readQueryStreamRequest(request.body), queryStreamChoice(request.headers), false),
  );

  app.post('/close-query', async (request, reply) => {
    const queryId = readCloseQueryRequest(request.body);
    if (!(await context.openQueries.close(queryId))) throw new BadRequestError(`No query with id ${queryId}`);
    return reply.code(200).header('content-type', JSON_TYPE).send('');
  });
};
