// /connectors/{name}/tasks: the task configs, one task's status, restarting one task (204).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ConnectRestError } from '../../api/errors.js';
import type { RouteContext } from '../context.js';

type TaskRequest = FastifyRequest<{ Params: { connector: string; task: string } }>;

export const taskRoutes: FastifyPluginAsync<RouteContext> = async (app, { herder }) => {
  app.get(
    '/connectors/:connector/tasks',
    async (request: FastifyRequest<{ Params: { connector: string } }>) =>
      herder.taskConfigs(request.params.connector),
  );

  app.get('/connectors/:connector/tasks/:task/status', async (request: TaskRequest) =>
    herder.taskStatus(request.params.connector, taskNumber(request.params.task)),
  );

  app.post('/connectors/:connector/tasks/:task/restart', async (request: TaskRequest, reply) => {
    await herder.restartTask(request.params.connector, taskNumber(request.params.task));
    return reply.code(204).send();
  });
};

/** A task id is an integer; anything else matches no resource, so 404 as in Kafka Connect. */
function taskNumber(text: string): number {
  if (!/^-?\d{1,9}$/.test(text)) throw new ConnectRestError(404, 'HTTP 404 Not Found');
  return Number(text);
}
