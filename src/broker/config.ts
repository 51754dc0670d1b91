// Broker settings: what the process listens on, where it keeps data, and the defaults new topics get.
import path from 'node:path';
import { DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORTS } from '../config/settings.js';
import { DEFAULT_MAX_OPEN_SEGMENT_FILES } from './log/open-files.js';
import type { SslClientAuth } from './security/tls-settings.js';
import { DEFAULT_SASL_MECHANISMS } from './security/sasl-mechanisms.js';
import type { PrincipalBuilder } from './security/principal-builder.js';
import { AUTHORIZER_DISABLED, type AuthorizerSettings } from './security/authorizer.js';

/**
 * Kafka's default group.initial.rebalance.delay.ms: a new group waits this long for more members before its
 * first rebalance, so a group whose members start together rebalances once rather than once per member.
 */
export const DEFAULT_GROUP_INITIAL_REBALANCE_DELAY_MS = 3000;
/** Kafka's transaction.max.timeout.ms default: 15 minutes. */
export const DEFAULT_TRANSACTION_MAX_TIMEOUT_MS = 900_000;

/**
 * Partitions the broker holds at most (max.broker.partitions, as KIP-578 names it). A partition costs no
 * file descriptor while unused, but about 7 KiB of memory and start and stop time (docs/benchmarks.md):
 * 20,000 is about 150 MiB and a few seconds each way.
 */
export const DEFAULT_MAX_PARTITIONS = 20_000;

export { DEFAULT_MAX_OPEN_SEGMENT_FILES };

export interface BrokerConfig {
  /** Interface to bind. */
  host: string;
  port: number;
  /** Host and port clients are told to connect to (Metadata, FindCoordinator). */
  advertisedHost: string;
  advertisedPort: number;
  nodeId: number;
  dataDir: string;
  /** Create a topic on first Metadata or Produce request that names it (auto.create.topics.enable). */
  autoCreateTopics: boolean;
  /** Let DeleteTopics remove the schema registry's `_schemas` (refused by default: its ids are sacred). */
  allowDeleteInternal: boolean;
  /** Partitions of an auto-created topic (num.partitions). */
  defaultPartitions: number;
  /** Largest request frame accepted (socket.request.max.bytes). */
  maxRequestBytes: number;
  /**
   * Bytes all connections together may hold in requests being read or answered
   * (queued.max.request.bytes); reading pauses while it is reached. At least maxRequestBytes is
   * always admitted when nothing else is held.
   */
  queuedMaxRequestBytes: number;
  /** A connection with nothing in flight is closed after this long without traffic (connections.max.idle.ms). */
  connectionsMaxIdleMs: number;
  /**
   * A connection whose request has started but is not complete after this long is closed (no Kafka
   * setting: a client gives up on a request after its request.timeout.ms, 30 s by default).
   */
  requestReadTimeoutMs: number;
  /** Connections open at once; more are closed as they arrive (max.connections). */
  maxConnections: number;
  /** Connections open at once from one address (max.connections.per.ip). */
  maxConnectionsPerIp: number;
  /** fsync a partition before answering an acks=all produce, so an acknowledged record survives a crash. */
  flushBeforeAcksAll: boolean;
  /** Topic config defaults applied to new topics (log.* in Kafka), by topic config name. */
  topicDefaults: Record<string, string>;
  /** group.initial.rebalance.delay.ms (0: a new group rebalances as soon as its first member joins). */
  groupInitialRebalanceDelayMs: number;
  /** offsets.topic.num.partitions */
  offsetsTopicPartitions: number;
  /** transaction.max.timeout.ms: a producer asking for a longer transaction.timeout.ms is refused. */
  transactionMaxTimeoutMs: number;
  /** Port of the HTTP health endpoint (GET /health) on the same host; null for none. */
  healthPort: number | null;
  /** Partitions of all topics together (max.broker.partitions, KIP-578); CreateTopics beyond is refused. */
  maxPartitions: number;
  /**
   * Segment files kept open at once (no Kafka setting: Kafka keeps them all open). Others are opened on
   * demand; the bound is lowered to half the process's descriptor limit when that is lower.
   */
  maxOpenSegmentFiles: number;
  /**
   * Kafka's `listeners` ("INTERNAL://127.0.0.1:9092,EXTERNAL://0.0.0.0:9093"); null: one PLAINTEXT listener
   * on host:port, advertised as advertisedHost:advertisedPort.
   */
  listeners: string | null;
  /** listener.security.protocol.map ("INTERNAL:PLAINTEXT,EXTERNAL:SASL_SSL"); null: Kafka's default map. */
  listenerSecurityProtocolMap: string | null;
  /** advertised.listeners, by listener name; a listener not named is advertised as it is bound. */
  advertisedListeners: string | null;
  /** PEM certificate (chain) and key of SSL and SASL_SSL listeners. */
  sslCertificateFile: string | null;
  sslKeyFile: string | null;
  /** PEM CA that client certificates must chain to. */
  sslCaFile: string | null;
  /** ssl.client.auth: a client certificate is required, requested (optional) or not asked for. */
  sslClientAuth: SslClientAuth;
  /** sasl.enabled.mechanisms of SASL listeners. */
  saslEnabledMechanisms: string[];
  /** Static PLAIN users ("name=password" lines), besides the SCRAM users; null for none. */
  saslPlainUsersFile: string | null;
  /** connections.max.reauth.ms: a SASL session lasts this long before the client must re-authenticate; 0: forever. */
  connectionsMaxReauthMs: number;
  /** ACL enforcement (authorizer.class.name, super.users, allow.everyone.if.no.acl.found); off by default. */
  authorizer: AuthorizerSettings;
  /** Names each connection's principal before authentication (embedders and tests; no flag). */
  principalBuilder: PrincipalBuilder | null;
}

export function defaultBrokerConfig(given: Partial<BrokerConfig> = {}): BrokerConfig {
  // An option left undefined (an unset CLI flag) must not hide the default.
  const overrides = Object.fromEntries(
    Object.entries(given).filter(([, value]) => value !== undefined),
  ) as Partial<BrokerConfig>;
  const host = overrides.host ?? DEFAULT_HOST;
  const port = overrides.port ?? DEFAULT_PORTS.kafka;
  const config: BrokerConfig = {
    host,
    port,
    advertisedHost: overrides.advertisedHost ?? (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host),
    advertisedPort: overrides.advertisedPort ?? port,
    nodeId: 1,
    dataDir: path.resolve(DEFAULT_DATA_DIR),
    autoCreateTopics: true,
    allowDeleteInternal: false,
    defaultPartitions: 1,
    maxRequestBytes: 100 * 1024 * 1024,
    queuedMaxRequestBytes: 256 * 1024 * 1024,
    connectionsMaxIdleMs: 10 * 60 * 1000,
    requestReadTimeoutMs: 30_000,
    maxConnections: 1000,
    maxConnectionsPerIp: 1000,
    flushBeforeAcksAll: true,
    topicDefaults: {},
    groupInitialRebalanceDelayMs: DEFAULT_GROUP_INITIAL_REBALANCE_DELAY_MS,
    offsetsTopicPartitions: 1,
    transactionMaxTimeoutMs: DEFAULT_TRANSACTION_MAX_TIMEOUT_MS,
    healthPort: null,
    maxPartitions: DEFAULT_MAX_PARTITIONS,
    maxOpenSegmentFiles: DEFAULT_MAX_OPEN_SEGMENT_FILES,
    listeners: null,
    listenerSecurityProtocolMap: null,
    advertisedListeners: null,
    sslCertificateFile: null,
    sslKeyFile: null,
    sslCaFile: null,
    sslClientAuth: 'none',
    saslEnabledMechanisms: [...DEFAULT_SASL_MECHANISMS],
    saslPlainUsersFile: null,
    connectionsMaxReauthMs: 0,
    authorizer: AUTHORIZER_DISABLED,
    principalBuilder: null,
    ...overrides,
  };
  checkLimits(config);
  if (!Number.isSafeInteger(config.connectionsMaxReauthMs) || config.connectionsMaxReauthMs < 0) {
    throw new Error(
      `connections.max.reauth.ms must be 0 (no re-authentication) or more, got ${config.connectionsMaxReauthMs} ` +
        '(set it with --connections-max-reauth-ms)',
    );
  }
  return config;
}

/** Each limit, its Kafka name and its `venice broker` flag, for an error that says what to change. */
const LIMITS: [keyof BrokerConfig, string, string][] = [
  ['maxRequestBytes', 'socket.request.max.bytes', '--max-request-bytes'],
  ['queuedMaxRequestBytes', 'queued.max.request.bytes', '--queued-max-request-bytes'],
  ['connectionsMaxIdleMs', 'connections.max.idle.ms', '--connections-max-idle-ms'],
  ['requestReadTimeoutMs', 'request read timeout', '--request-read-timeout-ms'],
  ['maxConnections', 'max.connections', '--max-connections'],
  ['maxConnectionsPerIp', 'max.connections.per.ip', '--max-connections-per-ip'],
  ['transactionMaxTimeoutMs', 'transaction.max.timeout.ms', '--transaction-max-timeout-ms'],
  ['maxPartitions', 'max.broker.partitions', '--max-partitions'],
  ['maxOpenSegmentFiles', 'open segment files', '--max-open-segment-files'],
];

function checkLimits(config: BrokerConfig): void {
  for (const [key, kafkaName, flag] of LIMITS) {
    const value = config[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      throw new Error(
        `${kafkaName} must be a positive whole number, got ${String(value)} (set it with ${flag})`,
      );
    }
  }
}
