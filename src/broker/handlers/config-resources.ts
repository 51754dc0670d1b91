// Config resources as the config APIs name them, and the broker-level settings they can describe.
import type { BrokerContext } from '../broker-context.js';
import { ConfigSource, KafkaConfigType, type DescribedConfig } from '../log/log-config.js';

export const ResourceType = { topic: 2, broker: 4, brokerLogger: 8 } as const;

/** Broker settings Venice reports; they are set by `venice broker` flags, so they are read-only here. */
export function describeBrokerConfigs(broker: BrokerContext): DescribedConfig[] {
  const { config } = broker;
  const entries: [string, string, 'boolean' | 'int' | 'string'][] = [
    ['auto.create.topics.enable', String(config.autoCreateTopics), 'boolean'],
    ['num.partitions', String(config.defaultPartitions), 'int'],
    ['default.replication.factor', '1', 'int'],
    ['socket.request.max.bytes', String(config.maxRequestBytes), 'int'],
    ['advertised.listeners', `PLAINTEXT://${config.advertisedHost}:${config.advertisedPort}`, 'string'],
    ['group.initial.rebalance.delay.ms', String(config.groupInitialRebalanceDelayMs), 'int'],
    ['offsets.topic.num.partitions', String(config.offsetsTopicPartitions), 'int'],
    ['transaction.max.timeout.ms', String(config.transactionMaxTimeoutMs), 'int'],
  ];
  return entries.map(([name, value, type]) => ({
    name,
    value,
    readOnly: true,
    source: ConfigSource.STATIC_BROKER_CONFIG,
    isDefault: false,
    type,
    kafkaType: KafkaConfigType[type],
    sensitive: false,
    doc: '',
  }));
}

/** Whether a broker resource name (a node id, or empty for the cluster default) is this node. */
export function isThisBroker(resourceName: string, broker: BrokerContext): boolean {
  return resourceName === '' || resourceName === String(broker.identity.nodeId);
}
