// The components a pipeline is made of: one entry each. A later component (registry, sql, connect,
// postgres, console) is added by appending its definition here; the supervisor, the config (names,
// defaults, port flags) and the lifecycle commands pick it up from this table.
import type { PortName, VeniceConfig } from '../config/settings.js';

export interface Endpoint {
  label: string;
  address: string;
}

export interface ComponentDefinition {
  name: string;
  description: string;
  /** Components that must be ready before this one starts. */
  dependsOn: readonly string[];
  /** Started when venice.yaml does not list `components`. */
  enabledByDefault: boolean;
  /** The ports it binds; checked for conflicts before anything starts. */
  ports: readonly PortName[];
  /**
   * Why this component is not started although enabled, when an external service replaces it
   * (--bootstrap-servers for the broker); null when it runs.
   */
  replacedBy(config: VeniceConfig): string | null;
  /** Arguments to the venice CLI that run the component in the foreground. */
  args(config: VeniceConfig): string[];
  /** Its own health endpoint: GET answers 200 once it is ready. */
  healthUrl(config: VeniceConfig): string;
  /** What users connect to, printed by `venice up`. */
  endpoints(config: VeniceConfig): Endpoint[];
  /** How long it may take to become ready before `venice up` gives up. */
  readyTimeoutMs: number;
}

/** The address to reach a component on from this machine, given the interface it binds. */
export function reachableHost(config: VeniceConfig): string {
  return config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
}

/** Where the components reach Kafka: the external cluster, or the embedded broker. */
export function kafkaBootstrap(config: VeniceConfig): string {
  return config.bootstrapServers ?? `${reachableHost(config)}:${config.ports.kafka}`;
}

function httpUrl(config: VeniceConfig, port: number, pathname: string): string {
  const host = reachableHost(config);
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}${pathname}`;
}

export const COMPONENTS: readonly ComponentDefinition[] = [
  {
    name: 'broker',
    description: 'Kafka-compatible broker',
    dependsOn: [],
    enabledByDefault: true,
    ports: ['kafka', 'brokerHealth'],
    replacedBy: (config) =>
      config.bootstrapServers !== null
        ? `using the external Kafka cluster at ${config.bootstrapServers}`
        : null,
    args: (config) => [
      'broker',
      '--host',
      config.host,
      '--port',
      String(config.ports.kafka),
      '--data-dir',
      config.dataDir,
      '--health-port',
      String(config.ports.brokerHealth),
      '--retention-ms',
      String(config.retentionMs),
    ],
    healthUrl: (config) => httpUrl(config, config.ports.brokerHealth, '/health'),
    endpoints: (config) => [
      { label: 'Kafka', address: `${reachableHost(config)}:${config.ports.kafka}` },
      { label: 'Broker health', address: httpUrl(config, config.ports.brokerHealth, '/health') },
    ],
    readyTimeoutMs: 30_000,
  },
  {
    name: 'registry',
    description: 'Schema registry (Confluent REST API)',
    dependsOn: ['broker'],
    enabledByDefault: true,
    ports: ['registry'],
    replacedBy: () => null,
    args: (config) => [
      'registry',
      '--host',
      config.host,
      '--port',
      String(config.ports.registry),
      '--bootstrap-servers',
      kafkaBootstrap(config),
    ],
    // The HTTP port opens once the state is rebuilt from _schemas, so any 200 means ready.
    healthUrl: (config) => httpUrl(config, config.ports.registry, '/health'),
    endpoints: (config) => [
      { label: 'Schema registry', address: httpUrl(config, config.ports.registry, '') },
    ],
    // It waits for Kafka itself (up to 30 s) before giving up.
    readyTimeoutMs: 45_000,
  },
];

export const COMPONENT_NAMES: readonly string[] = COMPONENTS.map((component) => component.name);

export const COMPONENT_CATALOG = {
  names: COMPONENT_NAMES,
  defaults: COMPONENTS.filter((component) => component.enabledByDefault).map((component) => component.name),
};

export function componentNamed(name: string): ComponentDefinition | undefined {
  return COMPONENTS.find((component) => component.name === name);
}

/** The ports the table's components use: only these get flags and conflict checks. */
export function portsInUse(): PortName[] {
  return [...new Set(COMPONENTS.flatMap((component) => component.ports))];
}
