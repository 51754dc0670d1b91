// Turns the lifecycle commands' flags (with the environment and venice.yaml) into a VeniceConfig,
// reporting a bad setting as a usage error that says how to fix it.
import { CliError, ExitCode } from '../cli/output.js';
import { COMPONENT_CATALOG, COMPONENT_NAMES } from '../supervisor/components.js';
import type { ConfigFlags } from './flags.js';
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
import { PORT_SETTINGS, type ConfigLayer, type PortName, type VeniceConfig } from './settings.js';

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
