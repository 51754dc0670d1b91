// /connectors/{name}/offsets (KIP-875): read them any time; alter (PATCH) or reset (DELETE) them only
// while the connector is STOPPED (the Herder refuses otherwise). Both answer 200 with a message.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { RouteContext } from '../context.js';
import { readOffsets } from '../requests.js';

type ConnectorRequest = FastifyRequest<{ Params: { connector: string } }>;

export const offsetRoutes: FastifyPluginAsync<RouteContext> = async (app, { herder }) => {
  app.get('/connectors/:connector/offsets', async (request: ConnectorRequest) =>
    herder.offsets(request.params.connector),
  );

  app.patch('/connectors/:connector/offsets', async (request: ConnectorRequest) => {
    await herder.alterOffsets(request.params.connector, readOffsets(request.body));
    return { message: 'The offsets for this connector have been altered successfully' };
  });

  app.delete('/connectors/:connector/offsets', async (request: ConnectorRequest) => {
    await herder.resetOffsets(request.params.connector);
    return { message: 'The offsets for this connector have been reset successfully' };
  });
};
