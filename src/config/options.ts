// The configuration flags of the lifecycle commands, and turning them (with the environment and
// venice.yaml) into a VeniceConfig, reporting a bad setting as a usage error that says how to fix it.
import type { Command } from 'commander';
import { CliError, ExitCode } from '../cli/output.js';
import { COMPONENT_CATALOG, COMPONENT_NAMES, portsInUse } from '../supervisor/components.js';
import { ConfigError } from './errors.js';
import { loadConfig } from './load.js';
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
import { LOG_LEVELS, PORT_SETTINGS, type ConfigLayer, type PortName, type VeniceConfig } from './settings.js';

export interface ConfigFlags {
  config?: string;
  dataDir?: string;
  host?: string;
  retention?: string;
  components?: string;
  bootstrapServers?: string;
  postgresUrl?: string;
  logLevel?: string;
  [portFlag: string]: unknown;
}

/** --config and --data-dir: enough for commands that only need to find the pipeline. */
export function addLocationOptions(command: Command): Command {
  return command
    .option('--config <file>', 'venice.yaml to use (default: ./venice.yaml if present; env VENICE_CONFIG)')
    .option('--data-dir <dir>', 'data directory (default: ./.venice; env VENICE_DATA_DIR)');
}

/** Every setting `venice up` takes; port flags only for the ports of components this Venice has. */
export function addStartOptions(command: Command): Command {
  addLocationOptions(command)
    .option('--host <host>', 'interface the components bind (default: 127.0.0.1; env VENICE_HOST)')
    .option(
      '--components <names>',
      `components to start, comma-separated (of: ${COMPONENT_NAMES.join(', ')})`,
    )
    .option('--retention <time>', 'retention of new topics: forever, 7d, 12h, or ms (default: forever)')
    .option('--bootstrap-servers <hosts>', 'use this existing Kafka cluster instead of the embedded broker')
    .option('--postgres-url <url>', 'use this PostgreSQL instead of the embedded one')
    .option('--log-level <level>', `log level of every component (${LOG_LEVELS.join(', ')}; default: info)`);
  for (const name of portsInUse()) {
    const setting = PORT_SETTINGS[name];
    command.option(
      `${setting.flag} <port>`,
      `${setting.label} port (default: ${setting.defaultPort}; env ${setting.env})`,
    );
  }
  return command;
}

function camelCase(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

export function flagsToLayer(flags: ConfigFlags): ConfigLayer {
  const layer: ConfigLayer = {};
  if (flags.dataDir !== undefined)
    layer.dataDir = parseNonEmptyString(flags.dataDir, '--data-dir', './.venice');
  if (flags.host !== undefined) layer.host = parseHost(flags.host, '--host');
  if (flags.retention !== undefined) layer.retentionMs = parseRetention(flags.retention, '--retention');
  if (flags.components !== undefined) {
    layer.components = parseComponents(flags.components, '--components', COMPONENT_NAMES);
  }
  if (flags.bootstrapServers !== undefined) {
    layer.bootstrapServers = parseBootstrapServers(flags.bootstrapServers, '--bootstrap-servers');
  }
  if (flags.postgresUrl !== undefined)
    layer.postgresUrl = parsePostgresUrl(flags.postgresUrl, '--postgres-url');
  if (flags.logLevel !== undefined) layer.logLevel = parseLogLevel(flags.logLevel, '--log-level');
  for (const name of Object.keys(PORT_SETTINGS) as PortName[]) {
    const setting = PORT_SETTINGS[name];
    const value = flags[camelCase(setting.flag)];
    if (typeof value === 'string') {
      layer.ports ??= {};
      layer.ports[name] = parsePort(value, setting.flag, setting.defaultPort);
    }
  }
  return layer;
}

/** The configuration for a command, or a CliError (usage) naming the bad setting and the fix. */
export function configFromFlags(flags: ConfigFlags, cwd = process.cwd()): VeniceConfig {
  try {
    return loadConfig({
      flags: flagsToLayer(flags),
      configFile: flags.config,
      cwd,
      catalog: COMPONENT_CATALOG,
    });
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, error.hint, ExitCode.usage);
    throw error;
  }
}
