// POST /ksql: statements other than SELECT, answered with one entity each (SET and DEFINE give none).
import type { FastifyPluginAsync } from 'fastify';
import type { RouteContext } from '../context.js';
import { toHttpError } from '../errors.js';
import { KSQL_V1_JSON, JSON_TYPE, negotiate } from '../media-types.js';
import { readKsqlRequest } from '../requests.js';

export const ksqlRoutes: FastifyPluginAsync<RouteContext> = async (app, context) => {
  app.post('/ksql', async (request, reply) => {
    reply.header('content-type', negotiate(request.headers, [KSQL_V1_JSON, JSON_TYPE], KSQL_V1_JSON));
    const statement = readKsqlRequest(request.body);
    try {
      const entities = await context.engine.execute(statement);
      context.commandStatuses.record(entities);
      return entities;
    } catch (error) {
      const { status, body } = toHttpError(error, statement.sql);
      if (body['@type'] === 'statement_error') context.commandStatuses.record(body.entities);
      if (status >= 500) context.logger.error({ err: error }, 'statement failed in the server');
      return reply.code(status).send(body);
    }
  });
};
