// GET /info, /healthcheck and /status (ksqlDB's), and GET /health for Venice's supervisor.
import type { FastifyPluginAsync } from 'fastify';
import type { HealthReport } from '../../../service/index.js';
import type { RouteContext } from '../context.js';
import { genericError } from '../errors.js';
import { ERROR_CODES } from '../../engine/errors.js';

export interface InfoContext extends RouteContext {
  readonly health: () => HealthReport;
}

export const infoRoutes: FastifyPluginAsync<InfoContext> = async (app, context) => {
  app.get('/info', async () => ({
    KsqlServerInfo: {
      version: context.info.version,
      kafkaClusterId: context.info.kafkaClusterId,
      ksqlServiceId: context.engine.serviceId,
      serverStatus: 'RUNNING',
    },
  }));

  app.get('/healthcheck', async (_request, reply) => {
    const { ok, detail } = context.engine.health();
    // The engine may say which part is unwell; a part it does not mention is as healthy as the whole.
    const part = (name: string) => ({ isHealthy: partHealthy(detail[name], ok) });
    return reply.code(ok ? 200 : 503).send({
      isHealthy: ok,
      details: { metastore: part('metastore'), kafka: part('kafka'), commandRunner: part('commandRunner') },
    });
  });

  app.get('/status', async () => context.commandStatuses.all());

  app.get<{ Params: { '*': string } }>('/status/*', async (request, reply) => {
    const commandId = request.params['*'];
    const status = context.commandStatuses.get(commandId);
    if (!status)
      return reply.code(404).send(genericError(ERROR_CODES.NOT_FOUND, `Command not found: ${commandId}`));
    return { status: status.status, message: status.message };
  });

  app.get('/health', async (_request, reply) => {
    const report = context.health();
    return reply.code(report.status === 'ok' ? 200 : 503).send(report);
  });
};

function partHealthy(value: unknown, whole: boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (value && typeof value === 'object' && 'isHealthy' in value)
    return Boolean((value as { isHealthy: unknown }).isHealthy);
  return whole;
}
