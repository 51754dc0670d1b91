// /config: the compatibility level, globally and per subject.
import type { FastifyPluginAsync } from 'fastify';
import { configBody, defaultToGlobalQuery, subjectParams } from '../schemas.js';
import { WRITE, type RouteContext } from './context.js';

interface ConfigBody {
  compatibility?: string;
  compatibilityLevel?: string;
}

const levelIn = (body: ConfigBody | undefined) => body?.compatibility ?? body?.compatibilityLevel;

export const configRoutes: FastifyPluginAsync<RouteContext> = async (app, { registry }) => {
  app.get('/config', async () => registry.getConfig(null));

  app.put<{ Body: ConfigBody }>('/config', { ...WRITE, schema: { body: configBody } }, async (request) =>
    registry.setConfig(null, levelIn(request.body)),
  );

  app.delete('/config', WRITE, async () => registry.deleteConfig(null));

  app.get<{ Params: { subject: string }; Querystring: { defaultToGlobal: boolean } }>(
    '/config/:subject',
    { schema: { params: subjectParams, querystring: defaultToGlobalQuery } },
    async (request) => registry.getConfig(request.params.subject, request.query.defaultToGlobal),
  );

  app.put<{ Params: { subject: string }; Body: ConfigBody }>(
    '/config/:subject',
    { ...WRITE, schema: { params: subjectParams, body: configBody } },
    async (request) => registry.setConfig(request.params.subject, levelIn(request.body)),
  );

  app.delete<{ Params: { subject: string } }>(
    '/config/:subject',
    { ...WRITE, schema: { params: subjectParams } },
    async (request) => registry.deleteConfig(request.params.subject),
  );
};
