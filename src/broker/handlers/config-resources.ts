// Config resources as the config APIs name them, and the broker-level settings they can describe.
import type { BrokerContext } from '../broker-context.js';
import { ConfigSource, KafkaConfigType, type DescribedConfig } from '../log/log-config.js';
import { DYNAMIC_BROKER_SETTINGS } from '../dynamic-config.js';

export const ResourceType = { topic: 2, broker: 4, brokerLogger: 8 } as const;

type ValueType = 'boolean' | 'int' | 'string';

/** Every broker setting Venice reports, by Kafka name, with its current value. */
function brokerSettings(broker: BrokerContext): [string, string, ValueType][] {
  const { config } = broker;
  return [
    ['auto.create.topics.enable', String(config.autoCreateTopics), 'boolean'],
    ['num.partitions', String(config.defaultPartitions), 'int'],
    ['default.replication.factor', '1', 'int'],
    ['socket.request.max.bytes', String(config.maxRequestBytes), 'int'],
    ['queued.max.request.bytes', String(config.queuedMaxRequestBytes), 'int'],
    ['max.connections', String(config.maxConnections), 'int'],
    ['max.connections.per.ip', String(config.maxConnectionsPerIp), 'int'],
    ['connections.max.idle.ms', String(config.connectionsMaxIdleMs), 'int'],
    ['listeners', broker.listeners.map((l) => `${l.name}://${l.host}:${l.port}`).join(','), 'string'],
    [
      'advertised.listeners',
      broker.listeners.map((l) => `${l.name}://${l.advertisedHost}:${l.advertisedPort}`).join(','),
      'string',
    ],
    [
      'listener.security.protocol.map',
      broker.listeners.map((l) => `${l.name}:${l.securityProtocol}`).join(','),
      'string',
    ],
    ['sasl.enabled.mechanisms', config.saslEnabledMechanisms.join(','), 'string'],
    ['ssl.client.auth', config.sslClientAuth, 'string'],
    ['connections.max.reauth.ms', String(config.connectionsMaxReauthMs), 'int'],
    ['group.initial.rebalance.delay.ms', String(config.groupInitialRebalanceDelayMs), 'int'],
    ['offsets.topic.num.partitions', String(config.offsetsTopicPartitions), 'int'],
    ['transaction.max.timeout.ms', String(config.transactionMaxTimeoutMs), 'int'],
  ];
}

/** Reported settings that only a restart with other `venice broker` flags changes. */
export const READ_ONLY_BROKER_CONFIGS: ReadonlySet<string> = new Set([
  'default.replication.factor',
  'socket.request.max.bytes',
  'queued.max.request.bytes',
  'listeners',
  'advertised.listeners',
  'listener.security.protocol.map',
  'sasl.enabled.mechanisms',
  'ssl.client.auth',
  'connections.max.reauth.ms',
  'offsets.topic.num.partitions',
]);

/**
 * Broker settings with their current value and where it comes from: a dynamic broker config (see
 * dynamic-config.ts; those are not read-only) or the `venice broker` flags.
 */
export function describeBrokerConfigs(broker: BrokerContext): DescribedConfig[] {
  return brokerSettings(broker).map(([name, value, type]) => {
    const dynamic = DYNAMIC_BROKER_SETTINGS[name];
    return {
      name,
      value,
      readOnly: dynamic === undefined,
      source: dynamic ? broker.dynamicConfig.sourceOf(name) : ConfigSource.STATIC_BROKER_CONFIG,
      isDefault: false,
      type,
      kafkaType: KafkaConfigType[type],
      sensitive: false,
      doc: dynamic
        ? `dynamic: a change applies to ${dynamic.appliesTo}`
        : 'read-only: set by a venice broker flag',
    };
  });
}

/** Whether a broker resource name (a node id, or empty for the cluster default) is this node. */
export function isThisBroker(resourceName: string, broker: BrokerContext): boolean {
  return resourceName === '' || resourceName === String(broker.identity.nodeId);
}
