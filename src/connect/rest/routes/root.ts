// GET /: the worker's version, commit and Kafka cluster id (Kafka Connect's RootResource); GET /health
// for the supervisor and load balancers (200 once the worker has started and reads its topics, else 503).
import type { FastifyPluginAsync } from 'fastify';
import type { RouteContext } from '../context.js';

export const rootRoutes: FastifyPluginAsync<RouteContext> = async (app, { herder, health }) => {
  app.get('/', async () => herder.workerInfo());

  app.get('/health', async (_request, reply) => {
    const { status, body } = health();
    return reply.code(status).send(body);
  });
};
