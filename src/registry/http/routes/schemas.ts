// /schemas: schemas by global id, and the schema types this registry understands.
import type { FastifyPluginAsync } from 'fastify';
import { schemaNotFound } from '../../errors.js';
import { SCHEMA_TYPES } from '../../registry.js';
import { deletedQuery, idParams, schemaByIdQuery } from '../schemas.js';
import type { RouteContext } from './context.js';

interface IdParams {
  id: string;
}

function parseId(text: string): number {
  const id = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(id)) throw schemaNotFound();
  return id;
}

export const schemaRoutes: FastifyPluginAsync<RouteContext> = async (app, { registry }) => {
  app.get('/schemas/types', async () => SCHEMA_TYPES);

  app.get<{ Params: IdParams; Querystring: { fetchMaxId: boolean } }>(
    '/schemas/ids/:id',
    { schema: { params: idParams, querystring: schemaByIdQuery } },
    async (request) => {
      const schema = registry.schemaById(parseId(request.params.id));
      return request.query.fetchMaxId ? { ...schema, maxId: registry.maxId } : schema;
    },
  );

  app.get<{ Params: IdParams }>(
    '/schemas/ids/:id/schema',
    { schema: { params: idParams } },
    async (request, reply) => reply.send(registry.schemaById(parseId(request.params.id)).schema),
  );

  app.get<{ Params: IdParams; Querystring: { deleted: boolean } }>(
    '/schemas/ids/:id/versions',
    { schema: { params: idParams, querystring: deletedQuery } },
    async (request) => registry.versionsOfId(parseId(request.params.id), request.query),
  );

  app.get<{ Params: IdParams; Querystring: { deleted: boolean } }>(
    '/schemas/ids/:id/subjects',
    { schema: { params: idParams, querystring: deletedQuery } },
    async (request) => registry.subjectsOfId(parseId(request.params.id), request.query),
  );
};
