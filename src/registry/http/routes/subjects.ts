// /subjects: list, register, look up and delete subjects and their versions.
import type { FastifyPluginAsync } from 'fastify';
import type { SchemaRequest } from '../../registry.js';
import {
  deletedQuery,
  listSubjectsQuery,
  listVersionsQuery,
  permanentQuery,
  schemaRequestBody,
  subjectParams,
  subjectVersionParams,
} from '../schemas.js';
import { WRITE, type RouteContext } from './context.js';

interface SubjectParams {
  subject: string;
}
interface SubjectVersionParams extends SubjectParams {
  version: string;
}

export const subjectRoutes: FastifyPluginAsync<RouteContext> = async (app, { registry }) => {
  app.get<{ Querystring: { deleted: boolean; subjectPrefix?: string } }>(
    '/subjects',
    { schema: { querystring: listSubjectsQuery } },
    async (request) =>
      registry.subjects({ deleted: request.query.deleted, prefix: request.query.subjectPrefix }),
  );

  app.get<{ Params: SubjectParams; Querystring: { deleted: boolean; deletedOnly: boolean } }>(
    '/subjects/:subject/versions',
    { schema: { params: subjectParams, querystring: listVersionsQuery } },
    async (request) => registry.versions(request.params.subject, request.query),
  );

  app.post<{ Params: SubjectParams; Body: SchemaRequest }>(
    '/subjects/:subject/versions',
    { ...WRITE, schema: { params: subjectParams, body: schemaRequestBody } },
    async (request) => registry.register(request.params.subject, request.body ?? { schema: '' }),
  );

  app.get<{ Params: SubjectVersionParams; Querystring: { deleted: boolean } }>(
    '/subjects/:subject/versions/:version',
    { schema: { params: subjectVersionParams, querystring: deletedQuery } },
    async (request) => registry.getVersion(request.params.subject, request.params.version, request.query),
  );

  app.get<{ Params: SubjectVersionParams; Querystring: { deleted: boolean } }>(
    '/subjects/:subject/versions/:version/schema',
    { schema: { params: subjectVersionParams, querystring: deletedQuery } },
    async (request, reply) =>
      reply.send(registry.getVersion(request.params.subject, request.params.version, request.query).schema),
  );

  app.get<{ Params: SubjectVersionParams }>(
    '/subjects/:subject/versions/:version/referencedby',
    { schema: { params: subjectVersionParams } },
    async (request) => registry.referencedBy(request.params.subject, request.params.version),
  );

  app.delete<{ Params: SubjectVersionParams; Querystring: { permanent: boolean } }>(
    '/subjects/:subject/versions/:version',
    { ...WRITE, schema: { params: subjectVersionParams, querystring: permanentQuery } },
    async (request) =>
      registry.deleteVersion(request.params.subject, request.params.version, request.query.permanent),
  );

  app.post<{ Params: SubjectParams; Querystring: { deleted: boolean }; Body: SchemaRequest }>(
    '/subjects/:subject',
    { schema: { params: subjectParams, querystring: deletedQuery, body: schemaRequestBody } },
    async (request) => registry.lookup(request.params.subject, request.body ?? { schema: '' }, request.query),
  );

  app.delete<{ Params: SubjectParams; Querystring: { permanent: boolean } }>(
    '/subjects/:subject',
    { ...WRITE, schema: { params: subjectParams, querystring: permanentQuery } },
    async (request) => registry.deleteSubject(request.params.subject, request.query.permanent),
  );
};
