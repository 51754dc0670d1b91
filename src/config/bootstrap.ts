// Where a Kafka client command (topics, produce, consume, groups) finds Kafka when it is given no
// --bootstrap-servers: VENICE_BOOTSTRAP_SERVERS, then the pipeline running from this project (the
// address it actually started with, whatever flags it got), then venice.yaml (external.bootstrapServers,
// or host and ports.kafka), then 127.0.0.1:9092.
import { CliError, ExitCode } from '../cli/output.js';
import { ConfigError } from './errors.js';
import { loadConfig } from './load.js';
import { ENVIRONMENT_VARIABLES } from './environment.js';
import { kafkaBootstrap, COMPONENT_CATALOG } from '../supervisor/components.js';
import { readState } from '../supervisor/state.js';
import { runtimePaths } from '../supervisor/paths.js';
import { isAlive } from '../supervisor/process-info.js';

export interface ProjectLookup {
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** --config, if the command has one. */
  configFile?: string;
}

/** host:port,... of the project's Kafka. Throws ConfigError when venice.yaml is invalid. */
export function projectBootstrapServers(lookup: ProjectLookup = {}): string {
  const env = lookup.env ?? process.env;
  const fromEnvironment = env[ENVIRONMENT_VARIABLES.bootstrapServers];
  const config = loadConfig({
    cwd: lookup.cwd,
    env,
    configFile: lookup.configFile,
    catalog: COMPONENT_CATALOG,
  });
  if (fromEnvironment) return config.bootstrapServers ?? fromEnvironment;
  const state = readState(runtimePaths(config.dataDir).stateFile);
  if (state !== null && (state.phase === 'running' || state.phase === 'starting') && isAlive(state.pid)) {
    return state.bootstrapServers;
  }
  return kafkaBootstrap(config);
}

/** projectBootstrapServers for a CLI command: an invalid venice.yaml becomes a usage error with its fix. */
export function projectBootstrapServersForCli(lookup: ProjectLookup = {}): string {
  try {
    return projectBootstrapServers(lookup);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, error.hint, ExitCode.usage);
    throw error;
  }
}
