// /mode: READWRITE, READONLY (refuse changes) or IMPORT (register with given ids), globally and per subject.
import type { FastifyPluginAsync } from 'fastify';
import { defaultToGlobalQuery, forceQuery, modeBody, subjectParams } from '../schemas.js';
import { WRITE, type RouteContext } from './context.js';

export const modeRoutes: FastifyPluginAsync<RouteContext> = async (app, { registry }) => {
  app.get('/mode', async () => registry.getMode(null));

  app.put<{ Body: { mode?: string }; Querystring: { force: boolean } }>(
    '/mode',
    { ...WRITE, schema: { body: modeBody, querystring: forceQuery } },
    async (request) => registry.setMode(null, request.body?.mode, request.query.force),
  );

  app.delete('/mode', WRITE, async () => registry.deleteMode(null));

  app.get<{ Params: { subject: string }; Querystring: { defaultToGlobal: boolean } }>(
    '/mode/:subject',
    { schema: { params: subjectParams, querystring: defaultToGlobalQuery } },
    async (request) => registry.getMode(request.params.subject, request.query.defaultToGlobal),
  );

  app.put<{ Params: { subject: string }; Body: { mode?: string }; Querystring: { force: boolean } }>(
    '/mode/:subject',
    { ...WRITE, schema: { params: subjectParams, body: modeBody, querystring: forceQuery } },
    async (request) => registry.setMode(request.params.subject, request.body?.mode, request.query.force),
  );

  app.delete<{ Params: { subject: string } }>(
    '/mode/:subject',
    { ...WRITE, schema: { params: subjectParams } },
    async (request) => registry.deleteMode(request.params.subject),
  );
};
