// Resolves the configuration: flags, then VENICE_* environment, then venice.yaml, then defaults.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from './errors.js';
import { environmentValue, readEnvironment } from './environment.js';
import { readFlags, type ConfigFlags } from './flags.js';
import { readConfigFile } from './yaml-file.js';
import { resolveKafkaClient, type KafkaPathKey } from './kafka-client.js';
import { resolveHttpConfig, type HttpPick } from './http.js';
import { resolveBrokerConfig } from './broker.js';
import type { BrokerFileKey } from './broker-settings.js';
import {
  CONFIG_FILE_ENV,
  CONFIG_FILE_FLAG,
  CONFIG_FILE_NAME,
  PORT_NAMES,
  SETTINGS,
  type ComponentCatalog,
  type PortMap,
  type SettingKey,
  type SettingValues,
  type VeniceConfig,
} from './settings.js';

export type { ComponentCatalog };

export interface LoadConfigOptions {
  /** The command's flags as commander gives them (see flags.ts); `config` is the file to read. */
  flags?: ConfigFlags;
  /** --config, if given (else flags.config, then VENICE_CONFIG, then ./venice.yaml if present). */
  configFile?: string;
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  catalog: ComponentCatalog;
}

export function loadConfig(options: LoadConfigOptions): VeniceConfig {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const flags = readFlags(options.flags ?? {}, options.catalog);
  const environment = readEnvironment(env, options.catalog);

  const explicitFile = options.configFile ?? options.flags?.config ?? environmentValue(env, CONFIG_FILE_ENV);
  let configFile: string | null = null;
  if (explicitFile !== undefined) {
    configFile = path.resolve(cwd, explicitFile);
    if (!fs.existsSync(configFile)) {
      throw new ConfigError(
        `config file ${configFile} does not exist`,
        `check ${CONFIG_FILE_FLAG} / ${CONFIG_FILE_ENV}, or create one with \`venice install\``,
      );
    }
  } else if (fs.existsSync(path.join(cwd, CONFIG_FILE_NAME))) {
    configFile = path.join(cwd, CONFIG_FILE_NAME);
  }
  const projectDir = configFile !== null && explicitFile !== undefined ? path.dirname(configFile) : cwd;
  const file = configFile !== null ? readConfigFile(configFile, options.catalog) : {};

  const pick = <K extends SettingKey>(key: K): SettingValues[K] =>
    flags[key] ?? environment[key] ?? file[key] ?? SETTINGS[key].default(options.catalog);
  // Paths from the command line or environment are relative to where the user is; those in venice.yaml
  // (and the default) to the project.
  // A file named in venice.yaml is relative to the project; on the command line or in the environment,
  // to the working directory.
  const pickPath = (key: KafkaPathKey | BrokerFileKey): string | null => {
    const file = pick(key);
    if (file === null) return null;
    return path.resolve(baseOf(key), file);
  };
  const baseOf = (key: SettingKey) =>
    flags[key] !== undefined || environment[key] !== undefined ? cwd : projectDir;
  const dataDirBase = baseOf('dataDir');
  const rankOf = (key: SettingKey): number =>
    flags[key] !== undefined ? 0 : environment[key] !== undefined ? 1 : file[key] !== undefined ? 2 : 3;
  const pickHttp: HttpPick = (key) => ({ value: pick(key), base: baseOf(key), rank: rankOf(key) });
  const ports = Object.fromEntries(PORT_NAMES.map((name) => [name, pick(`ports.${name}`)])) as PortMap;

  return {
    projectDir,
    configFile,
    dataDir: path.resolve(dataDirBase, pick('dataDir')),
    host: pick('host'),
    ports,
    retentionMs: pick('retentionMs'),
    components: pick('components'),
    bootstrapServers: pick('bootstrapServers'),
    postgresUrl: pick('postgresUrl'),
    kafkaClient: resolveKafkaClient(pick, pickPath, rankOf),
    logLevel: pick('logLevel'),
    demo: { rate: pick('demoRate'), count: pick('demoCount'), seed: pick('demoSeed') },
    http: resolveHttpConfig(pickHttp),
    broker: resolveBrokerConfig(pick, pickPath),
  };
}
