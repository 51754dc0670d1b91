// GET / (an empty object, as Confluent answers) and GET /health for the supervisor.
import type { FastifyPluginAsync } from 'fastify';
import type { HealthReport } from '../../../service/health-server.js';

export interface RootContext {
  health: () => HealthReport;
}

export const rootRoutes: FastifyPluginAsync<RootContext> = async (app, { health }) => {
  app.get('/', async () => ({}));

  app.get('/health', async (_request, reply) => {
    const report = health();
    return reply.code(report.status === 'ok' ? 200 : 503).send(report);
  });
};
