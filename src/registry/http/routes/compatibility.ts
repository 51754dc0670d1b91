// /compatibility: would this schema be accepted under the subject, and if not, why.
import type { FastifyPluginAsync } from 'fastify';
import type { SchemaRequest } from '../../registry.js';
import { schemaRequestBody, subjectParams, subjectVersionParams, verboseQuery } from '../schemas.js';
import { SUBJECT_WRITE_CHECK, type RouteContext } from './context.js';

export const compatibilityRoutes: FastifyPluginAsync<RouteContext> = async (app, { registry }) => {
  app.post<{ Params: { subject: string }; Querystring: { verbose: boolean }; Body: SchemaRequest }>(
    '/compatibility/subjects/:subject/versions',
    {
      ...SUBJECT_WRITE_CHECK,
      schema: { params: subjectParams, querystring: verboseQuery, body: schemaRequestBody },
    },
    async (request) =>
      registry.checkCompatibility(
        request.params.subject,
        undefined,
        request.body ?? { schema: '' },
        request.query.verbose,
      ),
  );

  app.post<{
    Params: { subject: string; version: string };
    Querystring: { verbose: boolean };
    Body: SchemaRequest;
  }>(
    '/compatibility/subjects/:subject/versions/:version',
    {
      ...SUBJECT_WRITE_CHECK,
      schema: { params: subjectVersionParams, querystring: verboseQuery, body: schemaRequestBody },
    },
    async (request) =>
      registry.checkCompatibility(
        request.params.subject,
        request.params.version,
        request.body ?? { schema: '' },
        request.query.verbose,
      ),
  );
};
