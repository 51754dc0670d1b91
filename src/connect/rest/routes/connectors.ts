// /connectors: listing (with ?expand=status and ?expand=info), creating, reading, reconfiguring and
// deleting connectors, their status, their lifecycle (restart, pause, resume, stop) and their active
// topics. Codes as Kafka Connect's ConnectorsResource gives them: 201 created, 200 read or replaced,
// 204 deleted, stopped or restarted (connector only), 202 for what happens in the background.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ConnectRestError } from '../../api/errors.js';
import type { ConnectorInfo, ConnectorStateInfo } from '../../api/herder.js';
import type { RouteContext } from '../context.js';
import {
  checkConnectorName,
  queryFlag,
  queryValues,
  readConfig,
  readConfigPatch,
  readCreateRequest,
  withName,
} from '../requests.js';

type Query = Record<string, string | string[] | undefined>;
interface ConnectorParams {
  connector: string;
}
type ConnectorRequest = FastifyRequest<{ Params: ConnectorParams; Querystring: Query }>;

export const connectorRoutes: FastifyPluginAsync<RouteContext> = async (app, { herder }) => {
  app.get('/connectors', async (request: FastifyRequest<{ Querystring: Query }>) => {
    const expansions = queryValues(request.query.expand);
    const names = await herder.listConnectors();
    if (request.query.expand === undefined) return names;
    const expanded: Record<string, { status?: ConnectorStateInfo; info?: ConnectorInfo }> = {};
    for (const name of names) {
      try {
        const entry: { status?: ConnectorStateInfo; info?: ConnectorInfo } = {};
        // Unknown expansions are ignored, as Kafka Connect does.
        if (expansions.includes('status')) entry.status = await herder.connectorStatus(name);
        if (expansions.includes('info')) entry.info = await herder.connectorInfo(name);
        expanded[name] = entry;
      } catch (error) {
        // Deleted while we looked: left out of the answer.
        if (!(error instanceof ConnectRestError && error.status === 404)) throw error;
      }
    }
    return expanded;
  });

  app.post('/connectors', async (request, reply) => {
    const { name, config, initialState } = readCreateRequest(request.body);
    checkConnectorName(name);
    const { info } = await herder.putConnectorConfig(name, config, false);
    // The Herder has no initial state of its own: the connector is paused or stopped right after it is created.
    if (initialState === 'PAUSED') await herder.pauseConnector(name);
    if (initialState === 'STOPPED') await herder.stopConnector(name);
    return reply.code(201).header('location', locationOf(request, name)).send(info);
  });

  app.get('/connectors/:connector', async (request: ConnectorRequest) =>
    herder.connectorInfo(request.params.connector),
  );

  app.delete('/connectors/:connector', async (request: ConnectorRequest, reply) => {
    await herder.deleteConnector(request.params.connector);
    return reply.code(204).send();
  });

  app.get('/connectors/:connector/config', async (request: ConnectorRequest) =>
    herder.connectorConfig(request.params.connector),
  );

  app.put('/connectors/:connector/config', async (request: ConnectorRequest, reply) => {
    const name = request.params.connector;
    checkConnectorName(name);
    const config = withName(name, readConfig(request.body, 'PUT /connectors/{name}/config'));
    const { created, info } = await herder.putConnectorConfig(name, config, true);
    if (created) reply.code(201).header('location', locationOf(request, name));
    return reply.send(info);
  });

  app.patch('/connectors/:connector/config', async (request: ConnectorRequest) =>
    herder.patchConnectorConfig(request.params.connector, readConfigPatch(request.body)),
  );

  app.get('/connectors/:connector/status', async (request: ConnectorRequest) =>
    herder.connectorStatus(request.params.connector),
  );

  app.post('/connectors/:connector/restart', async (request: ConnectorRequest, reply) => {
    const includeTasks = queryFlag(request.query.includeTasks, false);
    const onlyFailed = queryFlag(request.query.onlyFailed, false);
    const state = await herder.restartConnector(request.params.connector, { includeTasks, onlyFailed });
    // The connector alone (no flags): 204, as before KIP-745; otherwise 202 with the state right after.
    if (state === null) return reply.code(204).send();
    return reply.code(202).send(state);
  });

  app.put('/connectors/:connector/pause', async (request: ConnectorRequest, reply) =>
    accepted(reply, herder.pauseConnector(request.params.connector)),
  );
  app.put('/connectors/:connector/resume', async (request: ConnectorRequest, reply) =>
    accepted(reply, herder.resumeConnector(request.params.connector)),
  );
  app.put('/connectors/:connector/stop', async (request: ConnectorRequest, reply) => {
    await herder.stopConnector(request.params.connector);
    return reply.code(204).send();
  });

  app.get('/connectors/:connector/topics', async (request: ConnectorRequest) => {
    const name = request.params.connector;
    return { [name]: { topics: await herder.activeTopics(name) } };
  });
  app.put('/connectors/:connector/topics/reset', async (request: ConnectorRequest, reply) =>
    accepted(reply, herder.resetActiveTopics(request.params.connector)),
  );
};

async function accepted(reply: FastifyReply, done: Promise<void>): Promise<FastifyReply> {
  await done;
  return reply.code(202).send();
}

/** Location of a created connector: absolute, as Kafka Connect's server gives it. */
function locationOf(request: FastifyRequest, name: string): string {
  const host = request.headers.host;
  const path = `/connectors/${encodeURIComponent(name)}`;
  return host ? `${request.protocol}://${host}${path}` : path;
}
