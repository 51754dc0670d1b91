// What a Venice pipeline can be configured with, and the defaults. Each setting can come from a flag,
// a VENICE_* environment variable or venice.yaml; load.ts applies them in that order of precedence.

export const PORT_NAMES = [
  'kafka',
  'brokerHealth',
  'registry',
  'connect',
  'sql',
  'console',
  'postgres',
] as const;
export type PortName = (typeof PORT_NAMES)[number];
export type PortMap = Record<PortName, number>;

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A fully resolved configuration: every setting has a value and every path is absolute. */
export interface VeniceConfig {
  /** The directory venice.yaml lives in (or the working directory); relative paths resolve against it. */
  projectDir: string;
  /** The venice.yaml that was read, or null when there is none. */
  configFile: string | null;
  dataDir: string;
  /** The interface every component binds to. */
  host: string;
  ports: PortMap;
  /** retention.ms that new topics get; -1 keeps records forever. */
  retentionMs: number;
  /** Names of the components `venice up` starts. */
  components: string[];
  /** External mode: an existing Kafka cluster used instead of the embedded broker. */
  bootstrapServers: string | null;
  /** External mode: a real PostgreSQL used instead of the embedded one. */
  postgresUrl: string | null;
  logLevel: LogLevel;
}

/** The settings one source (flags, environment or file) gives; anything left out falls through. */
export interface ConfigLayer {
  dataDir?: string;
  host?: string;
  ports?: Partial<PortMap>;
  retentionMs?: number;
  components?: string[];
  bootstrapServers?: string;
  postgresUrl?: string;
  logLevel?: LogLevel;
}

export const DEFAULT_DATA_DIR = './.venice';
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_RETENTION_MS = -1;
export const DEFAULT_LOG_LEVEL: LogLevel = 'info';
export const CONFIG_FILE_NAME = 'venice.yaml';

/**
 * Every port, with the three names a user can set it by. The broker health port is 9644, the port
 * Redpanda's admin API uses, so it stays clear of the other well-known Kafka-ecosystem ports.
 */
export const PORT_SETTINGS: Readonly<Record<PortName, PortSetting>> = {
  kafka: { defaultPort: 9092, label: 'Kafka', flag: '--kafka-port', env: 'VENICE_KAFKA_PORT' },
  brokerHealth: {
    defaultPort: 9644,
    label: 'broker health',
    flag: '--broker-health-port',
    env: 'VENICE_BROKER_HEALTH_PORT',
  },
  registry: {
    defaultPort: 8081,
    label: 'schema registry',
    flag: '--registry-port',
    env: 'VENICE_REGISTRY_PORT',
  },
  connect: { defaultPort: 8083, label: 'Kafka Connect', flag: '--connect-port', env: 'VENICE_CONNECT_PORT' },
  sql: { defaultPort: 8088, label: 'SQL engine', flag: '--sql-port', env: 'VENICE_SQL_PORT' },
  console: { defaultPort: 9000, label: 'console', flag: '--console-port', env: 'VENICE_CONSOLE_PORT' },
  postgres: { defaultPort: 5433, label: 'PostgreSQL', flag: '--postgres-port', env: 'VENICE_POSTGRES_PORT' },
};

export interface PortSetting {
  defaultPort: number;
  /** What listens there, in messages ("port 9092 (Kafka) is in use"). */
  label: string;
  flag: string;
  env: string;
}

/** The venice.yaml key of a port, for messages that say how to change it. */
export function portYamlKey(name: PortName): string {
  return `ports.${name}`;
}

/** How to change a port, naming all three ways. */
export function howToChangePort(name: PortName): string {
  const setting = PORT_SETTINGS[name];
  return `${setting.flag} <port>, ${setting.env}=<port>, or \`${portYamlKey(name)}\` in ${CONFIG_FILE_NAME}`;
}

export function defaultPorts(): PortMap {
  return Object.fromEntries(PORT_NAMES.map((name) => [name, PORT_SETTINGS[name].defaultPort])) as PortMap;
}
