// Resolves the configuration: flags, then VENICE_* environment, then venice.yaml, then defaults.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from './errors.js';
import { readEnvironment, ENVIRONMENT_VARIABLES } from './environment.js';
import { readConfigFile } from './yaml-file.js';
import {
  CONFIG_FILE_NAME,
  DEFAULT_DATA_DIR,
  DEFAULT_HOST,
  DEFAULT_LOG_LEVEL,
  DEFAULT_RETENTION_MS,
  PORT_NAMES,
  defaultPorts,
  type ConfigLayer,
  type PortMap,
  type VeniceConfig,
} from './settings.js';

/** The components this Venice has (names, and which run when venice.yaml does not say). */
export interface ComponentCatalog {
  names: readonly string[];
  defaults: readonly string[];
}

export interface LoadConfigOptions {
  /** Settings given on the command line, already parsed (see options.ts). */
  flags?: ConfigLayer;
  /** --config, if given. */
  configFile?: string;
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  catalog: ComponentCatalog;
}

export function loadConfig(options: LoadConfigOptions): VeniceConfig {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const flags = options.flags ?? {};
  const environment = readEnvironment(env, options.catalog.names);

  const explicitFile = options.configFile ?? nonEmpty(env[ENVIRONMENT_VARIABLES.config]);
  let configFile: string | null = null;
  if (explicitFile !== undefined) {
    configFile = path.resolve(cwd, explicitFile);
    if (!fs.existsSync(configFile)) {
      throw new ConfigError(
        `config file ${configFile} does not exist`,
        `check --config / ${ENVIRONMENT_VARIABLES.config}, or create one with \`venice install\``,
      );
    }
  } else if (fs.existsSync(path.join(cwd, CONFIG_FILE_NAME))) {
    configFile = path.join(cwd, CONFIG_FILE_NAME);
  }
  const projectDir = configFile !== null && explicitFile !== undefined ? path.dirname(configFile) : cwd;
  const file = configFile !== null ? readConfigFile(configFile, options.catalog.names) : {};

  const pick = <K extends keyof ConfigLayer>(key: K): ConfigLayer[K] =>
    flags[key] ?? environment[key] ?? file[key];
  // Paths from the command line or environment are relative to where the user is; those in venice.yaml
  // (and the default) to the project.
  const dataDir =
    flags.dataDir !== undefined
      ? path.resolve(cwd, flags.dataDir)
      : environment.dataDir !== undefined
        ? path.resolve(cwd, environment.dataDir)
        : path.resolve(projectDir, file.dataDir ?? DEFAULT_DATA_DIR);

  const ports: PortMap = defaultPorts();
  for (const name of PORT_NAMES) {
    ports[name] = flags.ports?.[name] ?? environment.ports?.[name] ?? file.ports?.[name] ?? ports[name];
  }

  return {
    projectDir,
    configFile,
    dataDir,
    host: pick('host') ?? DEFAULT_HOST,
    ports,
    retentionMs: pick('retentionMs') ?? DEFAULT_RETENTION_MS,
    components: pick('components') ?? [...options.catalog.defaults],
    bootstrapServers: pick('bootstrapServers') ?? null,
    postgresUrl: pick('postgresUrl') ?? null,
    logLevel: pick('logLevel') ?? DEFAULT_LOG_LEVEL,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
