// The components a pipeline is made of: one entry each. A later component (registry, sql, connect,
// postgres, console) is added by appending its definition here; the supervisor, the config (names,
// defaults, port flags) and the lifecycle commands pick it up from this table.
import { CLI_ENTRY, componentDataDir } from './paths.js';
import { embeddedPostgresUrl } from '../postgres/defaults.js';
import { kafkaClientEnvironment } from '../config/kafka-client.js';
import { httpEnvironment } from './http-environment.js';
import { brokerListeners, brokerSecurityArguments } from './broker-arguments.js';
import type { ComponentCatalog, LogLevel, PortName, VeniceConfig } from '../config/settings.js';

export interface Endpoint {
  label: string;
  address: string;
}

/** What a component's command is built from: everything is passed to it explicitly. */
export interface ComponentContext {
  config: VeniceConfig;
  /** The component's own folder (`paths.componentDataDir`), created before it starts when it keeps data. */
  dataDir: string;
  logLevel: LogLevel;
}

/** The process to run: any executable, so a non-Node program (postgres) can be a component. */
export interface ComponentCommand {
  executable: string;
  args: string[];
  /** Added to the supervisor's own environment. */
  env: Record<string, string>;
}

/** The answer of a custom probe; `detail` says why it failed (or what it saw). */
export interface ProbeOutcome {
  ok: boolean;
  detail?: string;
}

/**
 * How to tell that the component is ready, and later that it is still alive: an HTTP GET answering 200,
 * a TCP port accepting connections, or a custom probe (a PostgreSQL `SELECT 1`).
 */
export type HealthCheck =
  | { kind: 'http'; url: string; ca?: string | null }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'custom'; description: string; probe(timeoutMs: number): Promise<ProbeOutcome> };

/**
 * The periodic liveness probe once the component is ready: the health check again, where only no
 * answer counts as a failure (an HTTP 503 is an answer: the process lives and says it is degraded).
 */
export interface LivenessSettings {
  intervalMs: number;
  /** A probe that takes longer than this failed. */
  timeoutMs: number;
  /** Consecutive failed probes after which the component is killed and restarted. */
  failureThreshold: number;
}

/**
 * How long a graceful stop may take. The component gets `graceMs` after SIGTERM; every time it reports
 * stop progress (a log line with a `stopProgress` field whose value changed, see docs/supervisor.md) the
 * deadline moves to `progressWindowMs` from then, never past `maxMs` after the SIGTERM.
 */
export interface StopSettings {
  graceMs: number;
  progressWindowMs: number;
  maxMs: number;
}

export const DEFAULT_LIVENESS: LivenessSettings = { intervalMs: 5000, timeoutMs: 2000, failureThreshold: 3 };
export const DEFAULT_STOP: StopSettings = { graceMs: 10_000, progressWindowMs: 10_000, maxMs: 300_000 };

export interface ComponentDefinition {
  name: string;
  description: string;
  /** Components that must be ready before this one starts. */
  dependsOn: readonly string[];
  /**
   * It reaches its dependencies itself, retrying until they answer (the registry retries Kafka for up to
   * 30 s): it is started as soon as they are started, so its own loading overlaps theirs. It is still
   * ready only when its own health check passes.
   */
  waitsForDependencies?: boolean;
  /** Started when venice.yaml does not list `components`. */
  enabledByDefault: boolean;
  /** It keeps files in its own folder under the data dir (the broker's segments). */
  keepsData: boolean;
  /** The ports it binds; checked for conflicts before anything starts. */
  ports: readonly PortName[];
  /**
   * Why this component is not started although enabled, when an external service replaces it
   * (--bootstrap-servers for the broker); null when it runs.
   */
  replacedBy(config: VeniceConfig): string | null;
  /** The process that runs the component in the foreground, logging to stdout, stopping on SIGTERM. */
  command(context: ComponentContext): ComponentCommand;
  /** Readiness and liveness. */
  healthCheck(config: VeniceConfig): HealthCheck;
  /** What users connect to, printed by `venice up`. */
  endpoints(config: VeniceConfig): Endpoint[];
  /** How long it may take to become ready before `venice up` gives up. */
  readyTimeoutMs: number;
  /** Defaults: DEFAULT_LIVENESS. */
  liveness?: Partial<LivenessSettings>;
  /** Defaults: DEFAULT_STOP. */
  stop?: Partial<StopSettings>;
}

/** A subcommand of this installation's venice CLI, run by the same Node. */
export function veniceCommand(args: string[], env: Record<string, string> = {}): ComponentCommand {
  return { executable: process.execPath, args: [CLI_ENTRY, ...args], env };
}

export function livenessOf(component: ComponentDefinition): LivenessSettings {
  return { ...DEFAULT_LIVENESS, ...component.liveness };
}

export function stopSettingsOf(component: ComponentDefinition): StopSettings {
  return { ...DEFAULT_STOP, ...component.stop };
}

/** The address to reach a component on from this machine, given the interface it binds. */
export function reachableHost(config: VeniceConfig): string {
  return config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
}

/** Where the components reach Kafka: the external cluster, or the embedded broker. */
export function kafkaBootstrap(config: VeniceConfig): string {
  return config.bootstrapServers ?? `${reachableHost(config)}:${config.ports.kafka}`;
}

/** The Kafka client settings of every component that talks to Kafka, in the environment (never in `ps`). */
function kafkaEnvironment(config: VeniceConfig): Record<string, string> {
  return kafkaClientEnvironment(config.kafkaClient);
}

/** The broker's Kafka addresses: one, or one per listener ("Kafka EXTERNAL (SASL_SSL)"). */
function brokerEndpoints(config: VeniceConfig): Endpoint[] {
  const listeners = brokerListeners(config);
  if (listeners === null)
    return [{ label: 'Kafka', address: `${reachableHost(config)}:${config.ports.kafka}` }];
  return listeners.map((listener) => ({
    label: `Kafka ${listener.name} (${listener.securityProtocol})`,
    address: `${listener.advertisedHost}:${listener.advertisedPort}`,
  }));
}

/** Where the embedded PostgreSQL answers (its one database and user). */
export function embeddedPostgres(config: VeniceConfig): string {
  return embeddedPostgresUrl(reachableHost(config), config.ports.postgres);
}

/** A connection URL without its password, for messages. */
function redactedUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@');
}

/** A URL of an HTTP component: https when the `http` settings give a certificate. */
function httpUrl(config: VeniceConfig, port: number, pathname: string): string {
  return urlOf(config.http.server.tlsCert !== null ? 'https' : 'http', config, port, pathname);
}

/** The broker's health endpoint is its own plain-HTTP server, outside the `http` settings. */
function brokerHealthUrl(config: VeniceConfig): string {
  return urlOf('http', config, config.ports.brokerHealth, '/health');
}

function urlOf(scheme: string, config: VeniceConfig, port: number, pathname: string): string {
  const host = reachableHost(config);
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}${pathname}`;
}

/** The readiness probe of an HTTP component: its open /health, trusting the configured CA. */
function httpHealthCheck(config: VeniceConfig, port: number): HealthCheck {
  const ca = config.http.client.ca;
  return { kind: 'http', url: httpUrl(config, port, '/health'), ...(ca !== null ? { ca } : {}) };
}

/** An HTTP component: its Kafka client settings and its HTTP security, both in its environment. */
function httpComponentCommand(config: VeniceConfig, args: string[]): ComponentCommand {
  return veniceCommand(args, { ...kafkaEnvironment(config), ...httpEnvironment(config.http) });
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
    keepsData: true,
    command: ({ config, dataDir, logLevel }) =>
      veniceCommand([
        'broker',
        '--host',
        config.host,
        '--port',
        String(config.ports.kafka),
        '--data-dir',
        dataDir,
        '--log-level',
        logLevel,
        '--health-port',
        String(config.ports.brokerHealth),
        '--retention-ms',
        String(config.retentionMs),
        // A group that starts from empty rebalances at once instead of waiting Kafka's 3 s for more
        // members (as Confluent's local stacks set it): connect's worker group and every persistent
        // query's group are joined on each start, and a local broker mostly serves one member per group.
        '--group-initial-rebalance-delay-ms',
        '0',
        ...brokerSecurityArguments(config.broker),
      ]),
    healthCheck: (config) => ({ kind: 'http', url: brokerHealthUrl(config) }),
    endpoints: (config) => [
      ...brokerEndpoints(config),
      { label: 'Broker health', address: brokerHealthUrl(config) },
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
    // It retries Kafka for up to 30 s on start: loading fastify and the schema libraries overlaps the broker's start.
    waitsForDependencies: true,
    keepsData: false, // its schemas live in Kafka (_schemas)
    command: ({ config, logLevel }) =>
      httpComponentCommand(config, [
        'registry',
        '--host',
        config.host,
        '--port',
        String(config.ports.registry),
        '--bootstrap-servers',
        kafkaBootstrap(config),
        '--log-level',
        logLevel,
      ]),
    // The HTTP port opens once the state is rebuilt from _schemas, so any 200 means ready.
    healthCheck: (config) => httpHealthCheck(config, config.ports.registry),
    endpoints: (config) => [
      { label: 'Schema registry', address: httpUrl(config, config.ports.registry, '') },
    ],
    // It waits for Kafka itself (up to 30 s) before giving up.
    readyTimeoutMs: 45_000,
  },
  {
    name: 'sql',
    description: 'Streaming SQL engine (ksqlDB dialect and REST API)',
    // Only the AVRO, PROTOBUF and JSON_SR formats need the registry, so it starts beside the registry: while
    // it replays its command topic the engine retries a registry that is not up yet (for up to 30 s).
    dependsOn: ['broker'],
    // It retries Kafka for up to 30 s on start: loading the engine, the Kafka client and fastify overlaps
    // the broker's start.
    waitsForDependencies: true,
    enabledByDefault: true,
    ports: ['sql'],
    replacedBy: () => null,
    // Its state stores (tables, aggregates) live in its folder; its catalog lives in Kafka (the command topic).
    keepsData: true,
    command: ({ config, dataDir, logLevel }) =>
      httpComponentCommand(config, [
        'sql',
        '--host',
        config.host,
        '--port',
        String(config.ports.sql),
        '--bootstrap-servers',
        kafkaBootstrap(config),
        '--registry-url',
        httpUrl(config, config.ports.registry, ''),
        '--data-dir',
        dataDir,
        '--log-level',
        logLevel,
      ]),
    // The HTTP port opens once the engine has replayed its command topic, so any 200 means ready.
    healthCheck: (config) => httpHealthCheck(config, config.ports.sql),
    endpoints: (config) => [
      { label: 'SQL (ksqlDB REST API)', address: httpUrl(config, config.ports.sql, '') },
    ],
    // Replaying the command topic restarts every persistent query before the port opens.
    readyTimeoutMs: 60_000,
    // Stopping closes the push queries and flushes the persistent ones' state.
    stop: { graceMs: 20_000 },
  },
  {
    name: 'postgres',
    description: 'Embedded PostgreSQL (PGlite) for the sinks, psql and the console',
    dependsOn: [],
    enabledByDefault: true,
    ports: ['postgres'],
    replacedBy: (config) =>
      config.postgresUrl !== null
        ? `using the external PostgreSQL at ${redactedUrl(config.postgresUrl)}`
        : null,
    keepsData: true, // PGlite's data folder
    command: ({ config, dataDir, logLevel }) =>
      veniceCommand([
        'postgres',
        '--host',
        config.host,
        '--port',
        String(config.ports.postgres),
        '--data-dir',
        dataDir,
        '--log-level',
        logLevel,
      ]),
    // Ready once a SELECT 1 over the wire answers: PGlite is started and the front serves clients.
    healthCheck: (config) => {
      const url = embeddedPostgres(config);
      return {
        kind: 'custom',
        description: `SELECT 1 on ${url}`,
        probe: async (timeoutMs) => (await import('../postgres/probe.js')).probePostgres(url, timeoutMs),
      };
    },
    endpoints: (config) => [{ label: 'PostgreSQL', address: embeddedPostgres(config) }],
    // A new data folder's first start runs initdb in WebAssembly: 10 to 30 s on a busy machine.
    readyTimeoutMs: 120_000,
    // PGlite runs each statement on the component's one thread: a long statement delays the probe's answer.
    liveness: { timeoutMs: 10_000, failureThreshold: 6 },
    // Stopping rolls back the clients' open transactions, checkpoints and closes PGlite.
    stop: { graceMs: 30_000 },
  },
  {
    name: 'connect',
    description: 'Connector worker (Kafka Connect REST API)',
    // The registry is needed only by the Avro, JSON Schema and Protobuf converters, which reach it per
    // record; PostgreSQL only by the sinks, which retry a database that is not up yet.
    dependsOn: ['broker'],
    // It retries Kafka for up to 30 s on start: loading the worker and its plugins overlaps the broker's start.
    waitsForDependencies: true,
    enabledByDefault: true,
    ports: ['connect'],
    replacedBy: () => null,
    keepsData: false, // connector configs, offsets and states live in Kafka (connect-configs, -offsets, -status)
    command: ({ config, logLevel }) =>
      httpComponentCommand(config, [
        'connect',
        '--host',
        config.host,
        '--port',
        String(config.ports.connect),
        '--bootstrap-servers',
        kafkaBootstrap(config),
        '--registry-url',
        httpUrl(config, config.ports.registry, ''),
        '--postgres-url',
        config.postgresUrl ?? embeddedPostgres(config),
        '--log-level',
        logLevel,
      ]),
    // /health answers 503 until the worker has read its storage topics and resumed its connectors.
    healthCheck: (config) => httpHealthCheck(config, config.ports.connect),
    endpoints: (config) => [
      { label: 'Kafka Connect REST API', address: httpUrl(config, config.ports.connect, '') },
    ],
    readyTimeoutMs: 60_000,
    // Stopping lets every sink task finish its batch and commit its offsets.
    stop: { graceMs: 20_000 },
  },
  {
    name: 'console',
    description: 'Web console (UI and JSON API)',
    // It asks Kafka and the other components only when a page asks it, so it starts beside them.
    dependsOn: ['broker'],
    waitsForDependencies: true,
    enabledByDefault: true,
    ports: ['console'],
    replacedBy: () => null,
    keepsData: false,
    command: ({ config, logLevel }) =>
      httpComponentCommand(config, [
        'console',
        '--host',
        config.host,
        '--port',
        String(config.ports.console),
        ...pipelineAddressFlags(config),
        // Its overview shows the supervisor's status report, found through the pipeline's data dir.
        '--pipeline-data-dir',
        config.dataDir,
        '--log-level',
        logLevel,
      ]),
    healthCheck: (config) => httpHealthCheck(config, config.ports.console),
    endpoints: (config) => [{ label: 'Console', address: httpUrl(config, config.ports.console, '') }],
    readyTimeoutMs: 30_000,
  },
  {
    name: 'demo',
    description: "Demo: sets the project's pipeline up (SQL, connectors) and produces orders",
    // It applies SQL files and connectors, and the sinks write to PostgreSQL: all must be ready first.
    dependsOn: ['registry', 'sql', 'connect', 'postgres'],
    // `venice up --demo`, or `demo` in the components of venice.yaml (the ecommerce template lists it).
    enabledByDefault: false,
    ports: [],
    replacedBy: () => null,
    keepsData: true, // its tally: the generator's seed and the orders produced so far
    command: ({ config, dataDir, logLevel }) =>
      httpComponentCommand(config, [
        'demo',
        '--project-dir',
        config.projectDir,
        '--data-dir',
        dataDir,
        ...pipelineAddressFlags(config),
        '--rate',
        String(config.demo.rate),
        ...(config.demo.count === null ? [] : ['--count', String(config.demo.count)]),
        ...(config.demo.seed === null ? [] : ['--seed', config.demo.seed]),
        '--log-level',
        logLevel,
      ]),
    // It has no port: it marks itself ready in its folder once the SQL and the connectors are applied.
    healthCheck: (config) => {
      const dir = componentDataDir(config.dataDir, 'demo');
      return {
        kind: 'custom',
        description: `the pipeline set up (${dir}/ready.json)`,
        probe: async () => (await import('../demo/ready-marker.js')).probeReady(dir),
      };
    },
    endpoints: (config) => [
      { label: 'Demo orders', address: `topic orders, ${config.demo.rate}/s (venice consume orders -d)` },
    ],
    readyTimeoutMs: 90_000,
  },
];

export const COMPONENT_NAMES: readonly string[] = COMPONENTS.map((component) => component.name);

/** Where the console and the demo find Kafka and the HTTP components they drive. */
function pipelineAddressFlags(config: VeniceConfig): string[] {
  return [
    '--bootstrap-servers',
    kafkaBootstrap(config),
    '--registry-url',
    httpUrl(config, config.ports.registry, ''),
    '--sql-url',
    httpUrl(config, config.ports.sql, ''),
    '--connect-url',
    httpUrl(config, config.ports.connect, ''),
  ];
}

export const COMPONENT_CATALOG: ComponentCatalog = {
  names: COMPONENT_NAMES,
  defaults: COMPONENTS.filter((component) => component.enabledByDefault).map((component) => component.name),
  // Listed in `venice up --help` until each lands; remove an entry when its component joins COMPONENTS.
  planned: [],
};

export function componentNamed(name: string): ComponentDefinition | undefined {
  return COMPONENTS.find((component) => component.name === name);
}

/** The ports the table's components use: only these get flags and conflict checks. */
export function portsInUse(): PortName[] {
  return [...new Set(COMPONENTS.flatMap((component) => component.ports))];
}
