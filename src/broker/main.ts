// Assembles a running broker: identity, logs, group coordinator, API handlers and the TCP listener.
import fs from 'node:fs';
import { defaultBrokerConfig, type BrokerConfig } from './config.js';
import { loadOrCreateIdentity } from './cluster-identity.js';
import { ProducerIdAllocator } from './producer-ids.js';
import { LogManager } from './log/log-manager.js';
import { openSegmentFiles } from './log/open-files.js';
import { GroupCoordinator } from './groups/coordinator.js';
import { Dispatcher } from './dispatcher.js';
import { TcpServer } from './server/tcp-server.js';
import { HANDLERS } from './handlers/index.js';
import { openOffsetsTopic } from './offsets-topic.js';
import {
  openTransactionStateTopic,
  partitionMarkerSink,
  TransactionCoordinator,
} from './transactions/index.js';
import { DynamicBrokerConfig } from './dynamic-config.js';
import { READ_ONLY_BROKER_CONFIGS } from './handlers/config-resources.js';
import type { BrokerContext } from './broker-context.js';
import { AclSet } from './security/acl-set.js';
import { AclStore } from './security/acl-store.js';
import { openAclTopic } from './security/acl-topic.js';
import { Authorizer } from './security/authorizer.js';
import { createBrokerLogger, type Logger } from './logger.js';
import { RateLimitedLog } from './rate-limited-log.js';
import { resolveListeners } from './security/listeners.js';
import { ScramCredentialStore } from './security/scram-credentials.js';
import { openScramCredentialsTopic } from './security/scram-credentials-topic.js';
import { buildSaslMechanisms } from './security/sasl-mechanisms.js';
import type { SaslSettings } from './security/sasl-session.js';
import { listenerBindings } from './server/listener-bindings.js';
import {
  listenOrExplain,
  startHealthServer,
  stopProgressReporter,
  type HealthServer,
  type ListenSetting,
} from '../service/index.js';

export interface RunningBroker {
  readonly context: BrokerContext;
  /** The port actually bound by the first listener (differs from the configured one when that was 0). */
  readonly port: number;
  /** The port actually bound by each listener, by listener name. */
  readonly ports: Readonly<Record<string, number>>;
  stop(): Promise<void>;
}

/** Which settings the broker's ports come from, so that a port in use can be told how to change. */
export interface BrokerListenSettings {
  kafka: ListenSetting;
  health: ListenSetting;
}

const PIPELINE_PORT_SETTINGS: BrokerListenSettings = {
  kafka: { setting: 'kafka' },
  health: { setting: 'brokerHealth' },
};

export async function startBroker(
  overrides: Partial<BrokerConfig> = {},
  logger: Logger = createBrokerLogger('info'),
  listenSettings: BrokerListenSettings = PIPELINE_PORT_SETTINGS,
): Promise<RunningBroker> {
  const config = defaultBrokerConfig(overrides);
  // Bad listener settings fail before anything is opened.
  const listeners = resolveListeners(config);
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const identity = loadOrCreateIdentity(config.dataDir, config.nodeId);
  // Dynamic broker configs set through AlterConfigs override the flags, before anything reads them.
  const dynamicConfig = new DynamicBrokerConfig(config, READ_ONLY_BROKER_CONFIGS);
  dynamicConfig.load();
  const logs = await LogManager.open(config.dataDir, config.topicDefaults, {
    maxPartitions: config.maxPartitions,
    maxOpenSegmentFiles: config.maxOpenSegmentFiles,
    logger,
  });
  if (openSegmentFiles.capacity < config.maxOpenSegmentFiles) {
    logger.info(
      `keeping at most ${openSegmentFiles.capacity} segment files open (half the process's file descriptor ` +
        `limit, below --max-open-segment-files ${config.maxOpenSegmentFiles}); raise ulimit -n to keep more`,
    );
  }
  const offsetsTopic = openOffsetsTopic(logs, config.offsetsTopicPartitions);
  // Every commit fails alike while the disk is full: a few lines a minute say so, the rest are counted.
  const groupWarnings = new RateLimitedLog((message) => logger.warn(message));
  const groups = new GroupCoordinator(offsetsTopic.store, {
    initialRebalanceDelayMs: () => config.groupInitialRebalanceDelayMs,
    warn: (message) => groupWarnings.warning('group coordinator', message),
  });
  groups.loadStored(offsetsTopic.readAll());
  const producerIds = new ProducerIdAllocator(config.dataDir);
  const transactionState = openTransactionStateTopic(logs);
  const transactions = new TransactionCoordinator(
    transactionState.store,
    producerIds,
    partitionMarkerSink(logs, groups),
    { maxTransactionTimeoutMs: config.transactionMaxTimeoutMs, warn: (message) => logger.warn(message) },
  );
  // After the groups: completing a transaction prepared before the restart settles its offset commits.
  await transactions.load(transactionState.readLatest((message) => logger.warn(message)));

  const scramTopic = openScramCredentialsTopic(logs);
  const scramCredentials = new ScramCredentialStore(scramTopic.store);
  scramCredentials.load(scramTopic.readAll(), (message) => logger.warn(message));
  // Without an authorizer there is no ACL topic, and the ACL APIs answer SECURITY_DISABLED, as in Kafka.
  const aclSet = new AclSet();
  let acls: AclStore | null = null;
  if (config.authorizer.enabled) {
    const aclTopic = openAclTopic(logs);
    aclTopic.loadInto(aclSet, (message) => logger.warn(message));
    acls = new AclStore(aclSet, aclTopic.store);
  }
  const authorizer = new Authorizer(config.authorizer, aclSet);

  const supportedApis = HANDLERS.map((handler) => ({
    apiKey: handler.apiKey,
    minVersion: handler.minVersion,
    maxVersion: handler.maxVersion,
  })).sort((a, b) => a.apiKey - b.apiKey);

  const context: BrokerContext = {
    config,
    dynamicConfig,
    identity,
    logs,
    groups,
    transactions,
    producerIds,
    scramCredentials,
    listeners,
    authorizer,
    acls,
    supportedApis,
  };
  const dispatcher = new Dispatcher(HANDLERS, () => context, {
    warn: (message) => logger.warn(message),
    error: (message, error) => logger.error({ err: error }, message),
  });
  let saslSettings: SaslSettings | undefined;
  const sasl = (): SaslSettings =>
    (saslSettings ??= {
      mechanisms: buildSaslMechanisms(config, scramCredentials),
      maxReauthMs: config.connectionsMaxReauthMs,
    });
  let server: TcpServer;
  try {
    server = new TcpServer({
      listeners: listenerBindings(listeners, dispatcher, config, sasl),
      limits: config,
      principalBuilder: config.principalBuilder,
      warn: (message) => logger.warn(message),
    });
  } catch (error) {
    await closeStorageOnly();
    throw error;
  }

  const closeStorage = closeStorageOnly;
  async function closeStorageOnly(): Promise<void> {
    transactions.shutdown();
    groups.shutdown();
    // Thousands of partitions take longer than the supervisor's grace period: say we are getting there.
    await logs.close(stopProgressReporter(logger, 'closing partitions'));
  }
  const ports: Record<string, number> = {};
  try {
    for (const [index, listener] of listeners.entries()) {
      // With --listeners, a port in use is changed there, not with --port.
      const setting =
        config.listeners !== null && listenSettings.kafka.commandFlag !== undefined
          ? { ...listenSettings.kafka, commandFlag: '--listeners' }
          : listenSettings.kafka;
      const bound = await listenOrExplain({ host: listener.host, port: listener.port, setting }, () =>
        server.listen(index),
      );
      ports[listener.name] = bound;
      // Asked for any free port: tell clients the one we got, unless told otherwise.
      if (listener.port === 0 && !listener.advertisedPortGiven) listener.advertisedPort = bound;
      listener.port = bound;
    }
  } catch (error) {
    await server.close();
    await closeStorage();
    throw error;
  }
  const port = listeners[0].port;
  // The first listener stands for the broker where one address is shown (health, log lines).
  config.advertisedHost = listeners[0].advertisedHost;
  config.advertisedPort = listeners[0].advertisedPort;
  const startedAt = Date.now();
  let health: HealthServer | undefined;
  if (config.healthPort !== null) {
    const healthWhere = { host: config.host, port: config.healthPort, setting: listenSettings.health };
    try {
      health = await startHealthServer(healthWhere, () => ({
        status: 'ok',
        component: 'broker',
        kafka: `${config.advertisedHost}:${config.advertisedPort}`,
        clusterId: identity.clusterId,
        topics: logs.topics().length,
        connections: server.connectionCount,
        uptimeMs: Date.now() - startedAt,
      }));
    } catch (error) {
      // Without its health endpoint the supervisor cannot see the broker: do not serve half a broker.
      await server.close();
      await closeStorage();
      throw error;
    }
  }
  const where = listeners
    .map(
      (listener) =>
        `${listeners.length > 1 || listener.securityProtocol !== 'PLAINTEXT' ? `${listener.name} (${listener.securityProtocol}) ` : ''}` +
        `${listener.host}:${listener.port} (advertised ${listener.advertisedHost}:${listener.advertisedPort})`,
    )
    .join(', ');
  logger.info(
    `broker ${identity.nodeId} of cluster ${identity.clusterId} listening on ${where}, data in ${config.dataDir}`,
  );

  let stopping: Promise<void> | undefined;
  return {
    context,
    port,
    ports,
    stop() {
      stopping ??= (async () => {
        await health?.close();
        await server.close();
        await closeStorage();
      })();
      return stopping;
    },
  };
}
