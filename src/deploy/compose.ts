// `venice deploy compose`: the docker compose project, as objects that the YAML library serializes.
// Every container waits on the health of what it needs (depends_on: service_healthy), never on a sleep.
import {
  KAFKA_BIN,
  KAFKA_CLIENT_PORT,
  KAFKA_CONTROLLER_PORT,
  KAFKA_DATA_DIR,
  KAFKA_IMAGE,
  KAFKA_NODE_COUNT,
  POSTGRES_DATA_DIR,
  POSTGRES_DATABASE,
  POSTGRES_IMAGE,
  POSTGRES_URL_VARIABLE,
  POSTGRES_USER,
  VENICE_SERVICES,
  bootstrapServers,
  controllerQuorumVoters,
  healthCheckCommand,
  kafkaClusterSettings,
  postgresUrl,
  serviceAddresses,
  type KafkaNode,
  type VeniceService,
} from './topology.js';

export interface ComposeHealthCheck {
  test: string[];
  interval: string;
  timeout: string;
  retries: number;
  start_period: string;
}

export interface ComposeBuild {
  context: string;
  args: Record<string, string>;
}

export interface ComposeService {
  image: string;
  build?: ComposeBuild;
  hostname?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck: ComposeHealthCheck;
  depends_on?: Record<string, { condition: 'service_healthy' }>;
  restart: 'unless-stopped';
}

export interface ComposeProject {
  services: Record<string, ComposeService>;
  volumes: Record<string, Record<string, never>>;
}

export interface ComposeOptions {
  clusterId: string;
  /** The Venice image's name; built from the `venice/` folder next to the compose file. */
  image: string;
  /** What the image installs: the tarball in `venice/`, or name@version from the registry. */
  packageSpec: string;
}

/** The variable in .env that holds PostgreSQL's password. */
export const POSTGRES_PASSWORD_VARIABLE = 'POSTGRES_PASSWORD';
/** Published on the host for clients outside the compose network: node N answers on 19092 + N - 1. */
export const KAFKA_HOST_PORT_BASE = 19092;
/** The build context of the Venice image, relative to the compose file. */
export const IMAGE_CONTEXT = './venice';

const COMPOSE_NODES: readonly KafkaNode[] = Array.from({ length: KAFKA_NODE_COUNT }, (_, index) => ({
  id: index + 1,
  host: `kafka-${index + 1}`,
}));

/** `command` run as is, without a shell (compose's CMD form). */
function healthCheck(command: string[], startPeriod: string): ComposeHealthCheck {
  return {
    test: ['CMD', ...command],
    interval: '10s',
    timeout: '10s',
    retries: 12,
    start_period: startPeriod,
  };
}

const healthy = (names: readonly string[]): Record<string, { condition: 'service_healthy' }> =>
  Object.fromEntries(names.map((name) => [name, { condition: 'service_healthy' as const }]));

function kafkaVolume(node: KafkaNode): string {
  return `${node.host}-data`;
}

function kafkaService(node: KafkaNode, clusterId: string): ComposeService {
  const hostPort = KAFKA_HOST_PORT_BASE + node.id - 1;
  return {
    image: KAFKA_IMAGE,
    hostname: node.host,
    environment: {
      CLUSTER_ID: clusterId,
      KAFKA_NODE_ID: String(node.id),
      ...kafkaClusterSettings(),
      KAFKA_CONTROLLER_QUORUM_VOTERS: controllerQuorumVoters(COMPOSE_NODES),
      KAFKA_LISTENERS: `PLAINTEXT://:${KAFKA_CLIENT_PORT},CONTROLLER://:${KAFKA_CONTROLLER_PORT},HOST://:${hostPort}`,
      // Containers reach the node by its service name; the host by the published port.
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${node.host}:${KAFKA_CLIENT_PORT},HOST://localhost:${hostPort}`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,HOST:PLAINTEXT',
    },
    ports: [`${hostPort}:${hostPort}`],
    volumes: [`${kafkaVolume(node)}:${KAFKA_DATA_DIR}`],
    healthcheck: healthCheck(
      [`${KAFKA_BIN}/kafka-broker-api-versions.sh`, '--bootstrap-server', `localhost:${KAFKA_CLIENT_PORT}`],
      '30s',
    ),
    restart: 'unless-stopped',
  };
}

function postgresService(): ComposeService {
  return {
    image: POSTGRES_IMAGE,
    environment: {
      POSTGRES_USER,
      POSTGRES_DB: POSTGRES_DATABASE,
      POSTGRES_PASSWORD: `\${${POSTGRES_PASSWORD_VARIABLE}:?set it in .env}`,
    },
    volumes: [`postgres-data:${POSTGRES_DATA_DIR}`],
    healthcheck: healthCheck(['pg_isready', '-U', POSTGRES_USER, '-d', POSTGRES_DATABASE], '10s'),
    restart: 'unless-stopped',
  };
}

function veniceService(service: VeniceService, options: ComposeOptions): ComposeService {
  const addresses = serviceAddresses(bootstrapServers(COMPOSE_NODES), (name) => name);
  const needs = [
    ...COMPOSE_NODES.map((node) => node.host),
    ...(service.usesPostgres ? ['postgres'] : []),
    ...service.needs,
  ];
  return {
    image: options.image,
    // Every service names the same build: compose builds it once and reuses the layers.
    build: { context: IMAGE_CONTEXT, args: { VENICE_PACKAGE: options.packageSpec } },
    command: service.args(addresses),
    ...(service.usesPostgres
      ? {
          environment: {
            [POSTGRES_URL_VARIABLE]: postgresUrl('postgres', `\${${POSTGRES_PASSWORD_VARIABLE}}`),
          },
        }
      : {}),
    ports: [`${service.port}:${service.port}`],
    ...(service.stateDir === undefined ? {} : { volumes: [`${service.name}-state:${service.stateDir}`] }),
    healthcheck: healthCheck(healthCheckCommand(service.port), '20s'),
    depends_on: healthy(needs),
    restart: 'unless-stopped',
  };
}

export function composeProject(options: ComposeOptions): ComposeProject {
  const services: Record<string, ComposeService> = {};
  for (const node of COMPOSE_NODES) services[node.host] = kafkaService(node, options.clusterId);
  services.postgres = postgresService();
  for (const service of VENICE_SERVICES) services[service.name] = veniceService(service, options);

  const volumeNames = [
    ...COMPOSE_NODES.map(kafkaVolume),
    'postgres-data',
    ...VENICE_SERVICES.filter((s) => s.stateDir !== undefined).map((s) => `${s.name}-state`),
  ];
  return { services, volumes: Object.fromEntries(volumeNames.map((name) => [name, {}])) };
}

/** The .env file compose reads next to the compose file: the secrets, kept out of the YAML. */
export function composeEnvFile(postgresPassword: string): string {
  return [
    '# Read by docker compose. Keep this file private: it holds the database password.',
    `${POSTGRES_PASSWORD_VARIABLE}=${postgresPassword}`,
    '',
  ].join('\n');
}
