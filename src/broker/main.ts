// Assembles a running broker: identity, logs, group coordinator, API handlers and the TCP listener.
import fs from 'node:fs';
import { defaultBrokerConfig, type BrokerConfig } from './config.js';
import { loadOrCreateIdentity } from './cluster-identity.js';
import { AppendNotifier } from './events.js';
import { ProducerIdAllocator } from './producer-ids.js';
import { LogManager } from './log/log-manager.js';
import { GroupCoordinator } from './groups/coordinator.js';
import { Dispatcher } from './dispatcher.js';
import { TcpServer } from './server/tcp-server.js';
import { HANDLERS } from './handlers/index.js';
import { openOffsetsTopic } from './offsets-topic.js';
import type { BrokerContext } from './broker-context.js';
import { createLogger, type Logger } from './logger.js';
import { startHealthServer, type HealthServer } from '../shared/health-server.js';

export interface RunningBroker {
  readonly context: BrokerContext;
  /** The port actually bound (differs from the configured one when that was 0). */
  readonly port: number;
  stop(): Promise<void>;
}

export async function startBroker(
  overrides: Partial<BrokerConfig> = {},
  logger: Logger = createLogger(),
): Promise<RunningBroker> {
  const config = defaultBrokerConfig(overrides);
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const identity = loadOrCreateIdentity(config.dataDir, config.nodeId);
  const logs = await LogManager.open(config.dataDir, config.topicDefaults);
  const offsetsTopic = openOffsetsTopic(logs, config.offsetsTopicPartitions);
  const groups = new GroupCoordinator(offsetsTopic.store, {
    initialRebalanceDelayMs: config.groupInitialRebalanceDelayMs,
    warn: (message) => logger.warn(message),
  });
  groups.load(offsetsTopic.readAll());

  const supportedApis = HANDLERS.map((handler) => ({
    apiKey: handler.apiKey,
    minVersion: handler.minVersion,
    maxVersion: handler.maxVersion,
  })).sort((a, b) => a.apiKey - b.apiKey);

  const context: BrokerContext = {
    config,
    identity,
    logs,
    groups,
    producerIds: new ProducerIdAllocator(config.dataDir),
    appends: new AppendNotifier(),
    supportedApis,
  };
  const dispatcher = new Dispatcher(HANDLERS, () => context, {
    warn: (message) => logger.warn(message),
    error: (message, error) => logger.error({ err: error }, message),
  });
  const server = new TcpServer({
    host: config.host,
    port: config.port,
    limits: config,
    processor: dispatcher,
    warn: (message) => logger.warn(message),
  });

  let port: number;
  try {
    port = await server.listen();
  } catch (error) {
    groups.shutdown();
    await logs.close();
    throw describeListenError(error, config);
  }
  // Asked for any free port: tell clients the one we got, unless told otherwise.
  if (config.port === 0 && overrides.advertisedPort === undefined) config.advertisedPort = port;
  const startedAt = Date.now();
  let health: HealthServer | undefined;
  if (config.healthPort !== null) {
    health = await startHealthServer(config.host, config.healthPort, () => ({
      status: 'ok',
      component: 'broker',
      kafka: `${config.advertisedHost}:${config.advertisedPort}`,
      clusterId: identity.clusterId,
      topics: logs.topics().length,
      connections: server.connectionCount,
      uptimeMs: Date.now() - startedAt,
    }));
  }
  logger.info(
    `broker ${identity.nodeId} of cluster ${identity.clusterId} listening on ${config.host}:${port} ` +
      `(advertised ${config.advertisedHost}:${config.advertisedPort}), data in ${config.dataDir}`,
  );

  let stopping: Promise<void> | undefined;
  return {
    context,
    port,
    stop() {
      stopping ??= (async () => {
        context.appends.wakeAll();
        await health?.close();
        await server.close();
        groups.shutdown();
        await logs.close();
        logger.info('broker stopped');
      })();
      return stopping;
    },
  };
}

function describeListenError(error: unknown, config: BrokerConfig): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new Error(
      `port ${config.port} on ${config.host} is already in use (another Kafka or Venice broker?); ` +
        'stop it or choose another port with --port',
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
