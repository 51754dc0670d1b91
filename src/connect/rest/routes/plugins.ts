// /connector-plugins: the installed connectors (and with ?connectorsOnly=false the converters too), and
// checking a config against a plugin. A config naming another connector.class than the path is refused.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { RouteContext } from '../context.js';
import { badRequest } from '../errors.js';
import { queryFlag, readConfig } from '../requests.js';

type PluginRequest = FastifyRequest<{ Params: { plugin: string } }>;

export const pluginRoutes: FastifyPluginAsync<RouteContext> = async (app, { herder }) => {
  app.get(
    '/connector-plugins',
    async (request: FastifyRequest<{ Querystring: Record<string, string | string[] | undefined> }>) =>
      herder.plugins(queryFlag(request.query.connectorsOnly, true)),
  );

  app.put('/connector-plugins/:plugin/config/validate', async (request: PluginRequest) => {
    const plugin = request.params.plugin;
    const config = readConfig(request.body, 'PUT /connector-plugins/{plugin}/config/validate');
    const included = config['connector.class'];
    if (included !== undefined && !withoutSuffix(included).endsWith(withoutSuffix(plugin)))
      throw badRequest(
        `Included connector type ${included} does not match request type ${plugin}; ` +
          `leave "connector.class" out or validate against /connector-plugins/${included}/config/validate`,
      );
    return herder.validateConfig(plugin, { ...config, 'connector.class': included ?? plugin });
  });
};

/** `JdbcSinkConnector` and `JdbcSink` name the same plugin, as in Kafka Connect. */
function withoutSuffix(name: string): string {
  return name.endsWith('Connector') && name.length > 'Connector'.length
    ? name.slice(0, -'Connector'.length)
    : name;
}
