// What a handed-over deployment is made of, said once for both targets (compose.ts, kubernetes.ts):
// a three-node Apache Kafka in KRaft mode, PostgreSQL, and Venice's four services built as one image.
// The embedded broker and PostgreSQL are for one machine; here Kafka is the distributed engine.
import { DEFAULT_CONNECT_PORT } from '../connect/defaults.js';
import { DEFAULT_CONSOLE_PORT } from '../console/defaults.js';
import { DEFAULT_REGISTRY_PORT } from '../registry/defaults.js';
import { DEFAULT_SQL_PORT } from '../sql/defaults.js';

/** The official Apache Kafka image, pinned: a deployment must not change under its owners. */
export const KAFKA_IMAGE = 'apache/kafka:4.1.0';
/** The official PostgreSQL image, pinned to a major version (minor updates are drop-in). */
export const POSTGRES_IMAGE = 'postgres:17';
/** Where the Kafka image's scripts live, for health checks. */
export const KAFKA_BIN = '/opt/kafka/bin';
/** The Kafka image's own data folder (created by the image, owned by its user). */
export const KAFKA_DATA_DIR = '/var/lib/kafka/data';

export const KAFKA_NODE_COUNT = 3;
/** Each partition on every node, and a write acknowledged by two: one node may be down. */
export const KAFKA_REPLICATION_FACTOR = 3;
export const KAFKA_MIN_INSYNC_REPLICAS = 2;
export const KAFKA_CLIENT_PORT = 9092;
export const KAFKA_CONTROLLER_PORT = 9093;

export const POSTGRES_USER = 'venice';
export const POSTGRES_DATABASE = 'venice';
export const POSTGRES_PORT = 5432;
export const POSTGRES_DATA_DIR = '/var/lib/postgresql/data';

/** The image's folder for the services' state (the SQL engine's state stores). */
export const VENICE_STATE_DIR = '/var/lib/venice';

/**
 * Kafka settings every node shares, as the image's KAFKA_* variables (a dot becomes an underscore).
 * The internal topics of Kafka and of Venice's services are created with the cluster's defaults.
 */
export function kafkaClusterSettings(): Record<string, string> {
  return {
    KAFKA_PROCESS_ROLES: 'broker,controller',
    KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
    KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
    // A subfolder: a fresh Kubernetes volume's root holds lost+found, which is no partition folder.
    KAFKA_LOG_DIRS: `${KAFKA_DATA_DIR}/logs`,
    KAFKA_DEFAULT_REPLICATION_FACTOR: String(KAFKA_REPLICATION_FACTOR),
    KAFKA_MIN_INSYNC_REPLICAS: String(KAFKA_MIN_INSYNC_REPLICAS),
    KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: String(KAFKA_REPLICATION_FACTOR),
    KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: String(KAFKA_REPLICATION_FACTOR),
    KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: String(KAFKA_MIN_INSYNC_REPLICAS),
    // Auto-creation stays on (Kafka's default): source connectors write to topics they never create,
    // as in Kafka Connect. Such topics get the replication above.
  };
}

/** The KRaft quorum: every node votes, `id@host:controller-port`. */
export function controllerQuorumVoters(nodes: readonly KafkaNode[]): string {
  return nodes.map((node) => `${node.id}@${node.host}:${KAFKA_CONTROLLER_PORT}`).join(',');
}

export interface KafkaNode {
  id: number;
  /** The name the node is reached by inside the deployment's network. */
  host: string;
}

export function bootstrapServers(nodes: readonly KafkaNode[]): string {
  return nodes.map((node) => `${node.host}:${KAFKA_CLIENT_PORT}`).join(',');
}

export type VeniceServiceName = 'registry' | 'sql' | 'connect' | 'console';

/** Where the parts of a deployment answer, as the services see each other. */
export interface DeploymentAddresses {
  bootstrapServers: string;
  registryUrl: string;
  sqlUrl: string;
  connectUrl: string;
}

export interface VeniceService {
  name: VeniceServiceName;
  port: number;
  /** What the service is, for comments and descriptions. */
  summary: string;
  /** The venice command line, after `venice`. */
  args(addresses: DeploymentAddresses): string[];
  /** The other Venice services it needs running first. */
  needs: readonly VeniceServiceName[];
  /** Whether it writes to PostgreSQL (and so gets its URL, a secret). */
  usesPostgres: boolean;
  /** A folder of its own to keep, under VENICE_STATE_DIR. */
  stateDir?: string;
}

/** The arguments every service gets: listen on every interface of the container. */
function serviceArgs(command: VeniceServiceName, port: number, bootstrap: string): string[] {
  return [command, '--host', '0.0.0.0', '--port', String(port), '--bootstrap-servers', bootstrap];
}

export const VENICE_SERVICES: readonly VeniceService[] = [
  {
    name: 'registry',
    port: DEFAULT_REGISTRY_PORT,
    summary: 'schema registry (Confluent REST API); schemas live in the _schemas topic',
    args: (a) => serviceArgs('registry', DEFAULT_REGISTRY_PORT, a.bootstrapServers),
    needs: [],
    usesPostgres: false,
  },
  {
    name: 'sql',
    port: DEFAULT_SQL_PORT,
    summary: 'streaming SQL engine (ksqlDB REST API); statements live in its command topic',
    args: (a) => [
      ...serviceArgs('sql', DEFAULT_SQL_PORT, a.bootstrapServers),
      '--registry-url',
      a.registryUrl,
      '--data-dir',
      `${VENICE_STATE_DIR}/sql`,
    ],
    needs: ['registry'],
    usesPostgres: false,
    // State stores: a cache of the changelog topics, kept so a restart need not replay them.
    stateDir: `${VENICE_STATE_DIR}/sql`,
  },
  {
    name: 'connect',
    port: DEFAULT_CONNECT_PORT,
    summary: 'connector worker (Kafka Connect REST API); configs and offsets live in connect-* topics',
    args: (a) => [
      ...serviceArgs('connect', DEFAULT_CONNECT_PORT, a.bootstrapServers),
      '--registry-url',
      a.registryUrl,
    ],
    needs: ['registry'],
    usesPostgres: true,
  },
  {
    name: 'console',
    port: DEFAULT_CONSOLE_PORT,
    summary: 'web console',
    args: (a) => [
      ...serviceArgs('console', DEFAULT_CONSOLE_PORT, a.bootstrapServers),
      '--registry-url',
      a.registryUrl,
      '--sql-url',
      a.sqlUrl,
      '--connect-url',
      a.connectUrl,
    ],
    needs: ['registry', 'sql', 'connect'],
    usesPostgres: false,
  },
];

/** The addresses of the Venice services when each is reached by its own name. */
export function serviceAddresses(
  bootstrap: string,
  hostOf: (name: VeniceServiceName) => string,
): DeploymentAddresses {
  const url = (name: VeniceServiceName): string => {
    const service = VENICE_SERVICES.find((s) => s.name === name);
    return `http://${hostOf(name)}:${service?.port ?? 0}`;
  };
  return {
    bootstrapServers: bootstrap,
    registryUrl: url('registry'),
    sqlUrl: url('sql'),
    connectUrl: url('connect'),
  };
}

/** A health check that needs no curl: the image's node asks GET /health. */
export function healthCheckCommand(port: number): string[] {
  const script = `fetch('http://127.0.0.1:${port}/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`;
  return ['node', '-e', script];
}

/** The environment variable that carries PostgreSQL's URL to connect (venice connect reads it). */
export const POSTGRES_URL_VARIABLE = 'VENICE_POSTGRES_URL';

export function postgresUrl(host: string, password: string): string {
  return `postgres://${POSTGRES_USER}:${password}@${host}:${POSTGRES_PORT}/${POSTGRES_DATABASE}`;
}
