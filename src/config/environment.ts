// The VENICE_* environment variables, read into a ConfigLayer.
import {
  parseBootstrapServers,
  parseComponents,
  parseHost,
  parseLogLevel,
  parseNonEmptyString,
  parsePort,
  parsePostgresUrl,
  parseRetention,
} from './values.js';
import { PORT_NAMES, PORT_SETTINGS, type ConfigLayer } from './settings.js';

export const ENVIRONMENT_VARIABLES = {
  config: 'VENICE_CONFIG',
  dataDir: 'VENICE_DATA_DIR',
  host: 'VENICE_HOST',
  retention: 'VENICE_RETENTION',
  components: 'VENICE_COMPONENTS',
  bootstrapServers: 'VENICE_BOOTSTRAP_SERVERS',
  postgresUrl: 'VENICE_POSTGRES_URL',
  logLevel: 'VENICE_LOG_LEVEL',
} as const;

export function readEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  knownComponents: readonly string[],
): ConfigLayer {
  // An empty variable counts as unset, as in most shells' ${VAR:-default}.
  const get = (name: string) => (env[name] !== undefined && env[name] !== '' ? env[name] : undefined);
  const names = ENVIRONMENT_VARIABLES;
  const layer: ConfigLayer = {};
  const dataDir = get(names.dataDir);
  if (dataDir !== undefined) layer.dataDir = parseNonEmptyString(dataDir, names.dataDir, './.venice');
  const host = get(names.host);
  if (host !== undefined) layer.host = parseHost(host, names.host);
  const retention = get(names.retention);
  if (retention !== undefined) layer.retentionMs = parseRetention(retention, names.retention);
  const components = get(names.components);
  if (components !== undefined)
    layer.components = parseComponents(components, names.components, knownComponents);
  const bootstrap = get(names.bootstrapServers);
  if (bootstrap !== undefined)
    layer.bootstrapServers = parseBootstrapServers(bootstrap, names.bootstrapServers);
  const postgresUrl = get(names.postgresUrl);
  if (postgresUrl !== undefined) layer.postgresUrl = parsePostgresUrl(postgresUrl, names.postgresUrl);
  const logLevel = get(names.logLevel);
  if (logLevel !== undefined) layer.logLevel = parseLogLevel(logLevel, names.logLevel);
  for (const name of PORT_NAMES) {
    const setting = PORT_SETTINGS[name];
    const value = get(setting.env);
    if (value !== undefined) {
      layer.ports ??= {};
      layer.ports[name] = parsePort(value, setting.env, setting.defaultPort);
    }
  }
  return layer;
}
