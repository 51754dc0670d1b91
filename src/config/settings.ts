// What a Venice pipeline can be configured with: one table, SETTINGS, gives each setting's names (flag,
// VENICE_* variable, venice.yaml key), parser, default and help. The environment, flag and venice.yaml
// readers, the `--help` text and docs/configuration.md are all driven by it; load.ts applies the
// sources in order of precedence (flags, environment, venice.yaml, default).
import { SASL_MECHANISMS, SECURITY_PROTOCOLS } from '../client/security-settings.js';
import type { KafkaClientSettings, SaslMechanism, SecurityProtocol } from '../client/security-settings.js';
import {
  LOG_LEVELS,
  parseBootstrapServers,
  parseChoice,
  parseSecret,
  parsePositiveInteger,
  parseComponents,
  parseHost,
  parseLogLevel,
  parseNonEmptyString,
  parseOptionalCount,
  parseOptionalSeed,
  parsePort,
  parsePostgresUrl,
  parseRate,
  parseRetention,
  type LogLevel,
} from './values.js';
import { HTTP_SETTINGS, type HttpSettingValues } from './http-settings.js';
import { BROKER_SETTINGS, type BrokerSettingValues } from './broker-settings.js';
import type { HttpConfig } from './http.js';
import type { BrokerConfig } from './broker.js';

export { LOG_LEVELS, type LogLevel };

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
  /** How every client of Venice reaches Kafka: security, and the replication of internal topics. */
  kafkaClient: KafkaClientSettings;
  logLevel: LogLevel;
  /** Authentication, TLS and request checks of the HTTP components, and their clients' credentials. */
  http: HttpConfig;
  /** The embedded broker's listeners, TLS, SASL and ACL enforcement. */
  broker: BrokerConfig;
  /** The demo component's order generator (`venice up --demo`). */
  demo: DemoSettings;
}

export interface DemoSettings {
  /** Orders per second. */
  rate: number;
  /** Orders to produce in all, over every run of the data dir; null: no end. */
  count: number | null;
  /** The generator's seed; null: one is picked and kept in the data dir. */
  seed: string | null;
}

/** The components this Venice has (names, and which run when nothing says): given by the caller. */
export interface ComponentCatalog {
  names: readonly string[];
  defaults: readonly string[];
  /** Components that are coming, with the issue that brings each, for help texts ("sql (#10)"). */
  planned?: readonly string[];
}

type PortKey = `ports.${PortName}`;

/** The value of every setting, by key; a port's key is its venice.yaml path. */
export type SettingValues = {
  dataDir: string;
  host: string;
  retentionMs: number;
  components: string[];
  bootstrapServers: string | null;
  postgresUrl: string | null;
  kafkaSecurityProtocol: SecurityProtocol;
  kafkaSaslMechanism: SaslMechanism;
  kafkaSaslUsername: string | null;
  kafkaSaslPassword: string | null;
  kafkaSaslPasswordFile: string | null;
  kafkaSslCaFile: string | null;
  kafkaSslCertFile: string | null;
  kafkaSslKeyFile: string | null;
  kafkaReplicationFactor: number | null;
  logLevel: LogLevel;
  demoRate: number;
  demoCount: number | null;
  demoSeed: string | null;
} & Record<PortKey, number> &
  HttpSettingValues &
  BrokerSettingValues;
export type SettingKey = keyof SettingValues;

/** The settings one source (flags, environment or venice.yaml) gives; anything left out falls through. */
export type ConfigLayer = Partial<SettingValues>;

export interface Setting<K extends SettingKey = SettingKey> {
  key: K;
  /** Where it sits in venice.yaml: a dotted path is a key nested below its parent. */
  yaml: string;
  env: string;
  /** The flag of `venice up`; commander keeps its value under the camel-cased name (--kafka-port: kafkaPort). */
  flag: string;
  /** What the flag takes, as shown in help: `--kafka-port <port>`. */
  flagValue: string;
  help: string;
  /** The allowed values, listed in help. */
  choices?: (catalog: ComponentCatalog) => readonly string[];
  /** Checks a value from any source; `where` names the source in the error ("--host", "venice.yaml line 2, host"). */
  parse(raw: unknown, where: string, catalog: ComponentCatalog): SettingValues[K];
  default(catalog: ComponentCatalog): SettingValues[K];
  /** The default as help and docs write it. */
  defaultText: string;
  /** A value as written in venice.yaml, for hints. */
  example: string;
  /** A secret: its value is never shown, and `venice up` hands it to components in the environment. */
  secret?: boolean;
}

export const DEFAULT_DATA_DIR = './.venice';
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_RETENTION_MS = -1;
export const DEFAULT_LOG_LEVEL: LogLevel = 'info';
export const DEFAULT_SECURITY_PROTOCOL: SecurityProtocol = 'PLAINTEXT';
export const DEFAULT_SASL_MECHANISM: SaslMechanism = 'PLAIN';
/** Orders per second of the demo: enough to see numbers move, little enough for a laptop to ignore. */
export const DEFAULT_DEMO_RATE = 10;
export const CONFIG_FILE_NAME = 'venice.yaml';
/** --config / VENICE_CONFIG: not a setting but where the settings are read from. */
export const CONFIG_FILE_FLAG = '--config';
export const CONFIG_FILE_ENV = 'VENICE_CONFIG';

/**
 * Every port, its default and what listens there. The broker health port is 9644, the port Redpanda's
 * admin API uses, so it stays clear of the other well-known Kafka-ecosystem ports.
 */
const PORTS: Readonly<Record<PortName, { defaultPort: number; label: string }>> = {
  kafka: { defaultPort: 9092, label: 'Kafka' },
  brokerHealth: { defaultPort: 9644, label: 'broker health' },
  registry: { defaultPort: 8081, label: 'schema registry' },
  connect: { defaultPort: 8083, label: 'Kafka Connect' },
  sql: { defaultPort: 8088, label: 'SQL engine' },
  console: { defaultPort: 9000, label: 'console' },
  postgres: { defaultPort: 5433, label: 'PostgreSQL' },
};

export const DEFAULT_PORTS: Readonly<PortMap> = Object.fromEntries(
  PORT_NAMES.map((name) => [name, PORTS[name].defaultPort]),
) as PortMap;

function portSetting(name: PortName): Setting<PortKey> {
  const words = name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  const { defaultPort, label } = PORTS[name];
  return {
    key: `ports.${name}`,
    yaml: `ports.${name}`,
    env: `VENICE_${words.replace(/-/g, '_').toUpperCase()}_PORT`,
    flag: `--${words}-port`,
    flagValue: '<port>',
    help: `${label} port`,
    parse: (raw, where) => parsePort(raw, where, defaultPort),
    default: () => defaultPort,
    defaultText: String(defaultPort),
    example: String(defaultPort),
  };
}

function portSettings(): { [K in PortKey]: Setting<K> } {
  return Object.fromEntries(PORT_NAMES.map((name) => [`ports.${name}`, portSetting(name)])) as {
    [K in PortKey]: Setting<K>;
  };
}

/** Every setting, by key. The order is the order of help, docs and "the settings here are" hints. */
export const SETTINGS: { readonly [K in SettingKey]: Setting<K> } = {
  dataDir: {
    key: 'dataDir',
    yaml: 'dataDir',
    env: 'VENICE_DATA_DIR',
    flag: '--data-dir',
    flagValue: '<dir>',
    help: 'data directory',
    parse: (raw, where) => parseNonEmptyString(raw, where, DEFAULT_DATA_DIR),
    default: () => DEFAULT_DATA_DIR,
    defaultText: DEFAULT_DATA_DIR,
    example: DEFAULT_DATA_DIR,
  },
  host: {
    key: 'host',
    yaml: 'host',
    env: 'VENICE_HOST',
    flag: '--host',
    flagValue: '<host>',
    help: 'interface the components bind',
    parse: (raw, where) => parseHost(raw, where),
    default: () => DEFAULT_HOST,
    defaultText: DEFAULT_HOST,
    example: DEFAULT_HOST,
  },
  ...portSettings(),
  retentionMs: {
    key: 'retentionMs',
    yaml: 'retention',
    env: 'VENICE_RETENTION',
    flag: '--retention',
    flagValue: '<time>',
    help: 'retention of new topics: forever, 7d, 12h, or ms',
    parse: (raw, where) => parseRetention(raw, where),
    default: () => DEFAULT_RETENTION_MS,
    defaultText: 'forever',
    example: '7d',
  },
  components: {
    key: 'components',
    yaml: 'components',
    env: 'VENICE_COMPONENTS',
    flag: '--components',
    flagValue: '<names>',
    help: 'components to start, comma-separated',
    choices: (catalog) => [
      ...catalog.names,
      ...(catalog.planned?.length ? [`planned: ${catalog.planned.join(', ')}`] : []),
    ],
    parse: (raw, where, catalog) => parseComponents(raw, where, catalog.names),
    default: (catalog) => [...catalog.defaults],
    defaultText: 'every component',
    example: '[broker, registry]',
  },
  bootstrapServers: {
    key: 'bootstrapServers',
    yaml: 'external.bootstrapServers',
    env: 'VENICE_BOOTSTRAP_SERVERS',
    flag: '--bootstrap-servers',
    flagValue: '<hosts>',
    help: 'use this existing Kafka cluster instead of the embedded broker',
    parse: (raw, where) => parseBootstrapServers(raw, where),
    default: () => null,
    defaultText: 'none',
    example: 'kafka.internal:9092',
  },
  postgresUrl: {
    key: 'postgresUrl',
    yaml: 'external.postgresUrl',
    env: 'VENICE_POSTGRES_URL',
    flag: '--postgres-url',
    flagValue: '<url>',
    help: 'use this PostgreSQL instead of the embedded one',
    parse: (raw, where) => parsePostgresUrl(raw, where),
    default: () => null,
    defaultText: 'none',
    example: 'postgres://user:password@db.internal:5432/venice',
  },
  kafkaSecurityProtocol: {
    key: 'kafkaSecurityProtocol',
    yaml: 'kafka.securityProtocol',
    env: 'VENICE_KAFKA_SECURITY_PROTOCOL',
    flag: '--kafka-security-protocol',
    flagValue: '<protocol>',
    help: "Kafka clients' security.protocol",
    choices: () => SECURITY_PROTOCOLS,
    parse: (raw, where) => parseChoice(raw, where, SECURITY_PROTOCOLS),
    default: () => DEFAULT_SECURITY_PROTOCOL,
    defaultText: DEFAULT_SECURITY_PROTOCOL,
    example: 'SASL_SSL',
  },
  kafkaSaslMechanism: {
    key: 'kafkaSaslMechanism',
    yaml: 'kafka.saslMechanism',
    env: 'VENICE_KAFKA_SASL_MECHANISM',
    flag: '--kafka-sasl-mechanism',
    flagValue: '<mechanism>',
    help: "Kafka clients' sasl.mechanism (with SASL_*)",
    choices: () => SASL_MECHANISMS,
    parse: (raw, where) => parseChoice(raw, where, SASL_MECHANISMS),
    default: () => DEFAULT_SASL_MECHANISM,
    defaultText: DEFAULT_SASL_MECHANISM,
    example: 'SCRAM-SHA-512',
  },
  kafkaSaslUsername: {
    key: 'kafkaSaslUsername',
    yaml: 'kafka.saslUsername',
    env: 'VENICE_KAFKA_SASL_USERNAME',
    flag: '--kafka-sasl-username',
    flagValue: '<user>',
    help: "SASL username of Venice's Kafka clients",
    parse: (raw, where) => parseNonEmptyString(raw, where, 'venice'),
    default: () => null,
    defaultText: 'none',
    example: 'venice',
  },
  kafkaSaslPassword: {
    key: 'kafkaSaslPassword',
    yaml: 'kafka.saslPassword',
    env: 'VENICE_KAFKA_SASL_PASSWORD',
    flag: '--kafka-sasl-password',
    flagValue: '<password>',
    help: "SASL password of Venice's Kafka clients (prefer the variable: a flag shows in `ps`)",
    parse: (raw, where) => parseSecret(raw, where),
    default: () => null,
    defaultText: 'none',
    example: 'change-me',
    secret: true,
  },
  kafkaSaslPasswordFile: {
    key: 'kafkaSaslPasswordFile',
    yaml: 'kafka.saslPasswordFile',
    env: 'VENICE_KAFKA_SASL_PASSWORD_FILE',
    flag: '--kafka-sasl-password-file',
    flagValue: '<file>',
    help: 'file holding that password on its first line (mode 0600), instead of kafka.saslPassword',
    parse: (raw, where) => parseNonEmptyString(raw, where, './secrets/kafka-venice.password'),
    default: () => null,
    defaultText: 'none',
    example: './secrets/kafka-venice.password',
  },
  kafkaSslCaFile: {
    key: 'kafkaSslCaFile',
    yaml: 'kafka.sslCaFile',
    env: 'VENICE_KAFKA_SSL_CA_FILE',
    flag: '--kafka-ssl-ca-file',
    flagValue: '<file>',
    help: 'PEM CA bundle that verifies the brokers (with SSL, SASL_SSL; else the system CAs)',
    parse: (raw, where) => parseNonEmptyString(raw, where, 'certs/ca.pem'),
    default: () => null,
    defaultText: 'system CAs',
    example: 'certs/ca.pem',
  },
  kafkaSslCertFile: {
    key: 'kafkaSslCertFile',
    yaml: 'kafka.sslCertFile',
    env: 'VENICE_KAFKA_SSL_CERT_FILE',
    flag: '--kafka-ssl-cert-file',
    flagValue: '<file>',
    help: 'PEM client certificate, for brokers that require one (mutual TLS)',
    parse: (raw, where) => parseNonEmptyString(raw, where, 'certs/client.pem'),
    default: () => null,
    defaultText: 'none',
    example: 'certs/client.pem',
  },
  kafkaSslKeyFile: {
    key: 'kafkaSslKeyFile',
    yaml: 'kafka.sslKeyFile',
    env: 'VENICE_KAFKA_SSL_KEY_FILE',
    flag: '--kafka-ssl-key-file',
    flagValue: '<file>',
    help: 'PEM key of the client certificate',
    parse: (raw, where) => parseNonEmptyString(raw, where, 'certs/client.key'),
    default: () => null,
    defaultText: 'none',
    example: 'certs/client.key',
  },
  kafkaReplicationFactor: {
    key: 'kafkaReplicationFactor',
    yaml: 'kafka.replicationFactor',
    env: 'VENICE_KAFKA_REPLICATION_FACTOR',
    flag: '--kafka-replication-factor',
    flagValue: '<n>',
    help: "replication factor of Venice's internal topics",
    parse: (raw, where) => parsePositiveInteger(raw, where, 3),
    default: () => null,
    defaultText: '3 on 3+ brokers, else 1',
    example: '3',
  },
  logLevel: {
    key: 'logLevel',
    yaml: 'logLevel',
    env: 'VENICE_LOG_LEVEL',
    flag: '--log-level',
    flagValue: '<level>',
    help: 'log level of every component',
    choices: () => LOG_LEVELS,
    parse: (raw, where) => parseLogLevel(raw, where),
    default: () => DEFAULT_LOG_LEVEL,
    defaultText: DEFAULT_LOG_LEVEL,
    example: 'debug',
  },
  demoRate: {
    key: 'demoRate',
    yaml: 'demo.rate',
    env: 'VENICE_DEMO_RATE',
    flag: '--demo-rate',
    flagValue: '<per-second>',
    help: 'orders per second the demo produces',
    parse: (raw, where) => parseRate(raw, where),
    default: () => DEFAULT_DEMO_RATE,
    defaultText: String(DEFAULT_DEMO_RATE),
    example: '100',
  },
  demoCount: {
    key: 'demoCount',
    yaml: 'demo.count',
    env: 'VENICE_DEMO_COUNT',
    flag: '--demo-count',
    flagValue: '<n>',
    help: 'orders the demo produces in all, over every run, then it stops producing',
    parse: (raw, where) => parseOptionalCount(raw, where),
    default: () => null,
    defaultText: 'none',
    example: '10000',
  },
  demoSeed: {
    key: 'demoSeed',
    yaml: 'demo.seed',
    env: 'VENICE_DEMO_SEED',
    flag: '--demo-seed',
    flagValue: '<seed>',
    help: "seed of the demo's order generator, for the same orders every time",
    parse: (raw, where) => parseOptionalSeed(raw, where),
    default: () => null,
    defaultText: 'none',
    example: '42',
  },
  ...HTTP_SETTINGS,
  ...BROKER_SETTINGS,
};

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** Parses one value into a layer; generic so the key and the parser's result stay matched. */
export function parseInto<K extends SettingKey>(
  layer: ConfigLayer,
  key: K,
  raw: unknown,
  where: string,
  catalog: ComponentCatalog,
): void {
  const setting: Setting<K> = SETTINGS[key];
  layer[key] = setting.parse(raw, where, catalog);
}

/** A port as the supervisor's messages name it. */
export interface PortSetting {
  defaultPort: number;
  /** What listens there, in messages ("port 9092 (Kafka) is in use"). */
  label: string;
  flag: string;
  env: string;
}

/** Each port's default, label, flag and variable, from SETTINGS. */
export const PORT_SETTINGS: Readonly<Record<PortName, PortSetting>> = Object.fromEntries(
  PORT_NAMES.map((name) => {
    const setting = SETTINGS[`ports.${name}`];
    return [name, { ...PORTS[name], flag: setting.flag, env: setting.env }];
  }),
) as Record<PortName, PortSetting>;

/** The venice.yaml key of a port, for messages that say how to change it. */
export function portYamlKey(name: PortName): string {
  return SETTINGS[`ports.${name}`].yaml;
}

/** How to change a port, naming all three ways. */
export function howToChangePort(name: PortName): string {
  const setting = PORT_SETTINGS[name];
  return `${setting.flag} <port>, ${setting.env}=<port>, or \`${portYamlKey(name)}\` in ${CONFIG_FILE_NAME}`;
}

export function defaultPorts(): PortMap {
  return { ...DEFAULT_PORTS };
}
