// Where a project's components answer, for the commands that talk to them (and later the console):
// the same rule for every component. An address given in the environment (VENICE_BOOTSTRAP_SERVERS,
// VENICE_REGISTRY_URL, VENICE_CONNECT_URL) wins; then the pipeline running from this project (the
// addresses it actually started with, whatever flags it got); then venice.yaml and the VENICE_* port
// settings; then the defaults. A command's own flag comes before all of these, and is the caller's to
// check.
import { environmentValue } from '../config/environment.js';
import { loadConfig } from '../config/load.js';
import { SETTINGS, type VeniceConfig } from '../config/settings.js';
import { parseBootstrapServers } from '../config/values.js';
import { COMPONENT_CATALOG, kafkaBootstrap, reachableHost } from './components.js';
import { runtimePaths } from './paths.js';
import { isAlive } from './process-info.js';
import { readState, type SupervisorState } from './state.js';

export interface ProjectAddresses {
  /** host:port,... of Kafka. */
  bootstrapServers: string;
  /** Base URL of the schema registry. */
  registryUrl: string;
  /** Base URL of the connect worker's REST API. */
  connectUrl: string;
}

/** The variables that give an address outright. */
export const ADDRESS_VARIABLES = {
  bootstrapServers: SETTINGS.bootstrapServers.env,
  registryUrl: 'VENICE_REGISTRY_URL',
  connectUrl: 'VENICE_CONNECT_URL',
} as const satisfies Record<keyof ProjectAddresses, string>;

export interface ProjectLookup {
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** --config, if the command has one. */
  configFile?: string;
}

/**
 * Where the project's `address` points. Throws ConfigError when the variable that gives it, or
 * venice.yaml or a VENICE_* setting consulted after it, is invalid.
 */
export function projectAddress(address: keyof ProjectAddresses, lookup: ProjectLookup = {}): string {
  const env = lookup.env ?? process.env;
  const variable = ADDRESS_VARIABLES[address];
  const given = environmentValue(env, variable)?.trim();
  if (given !== undefined && given !== '') {
    return address === 'bootstrapServers' ? parseBootstrapServers(given, variable) : given;
  }
  const config = loadConfig({
    cwd: lookup.cwd,
    env,
    configFile: lookup.configFile,
    catalog: COMPONENT_CATALOG,
  });
  const running = runningPipeline(config);
  const fromPipeline =
    running === null
      ? null
      : address === 'bootstrapServers'
        ? running.bootstrapServers
        : runningHttpUrl(running, address === 'registryUrl' ? 'registry' : 'connect');
  return fromPipeline ?? configuredAddresses(config)[address];
}

/** The addresses a configuration gives its components. */
export function configuredAddresses(config: VeniceConfig): ProjectAddresses {
  const host = reachableHost(config);
  return {
    bootstrapServers: kafkaBootstrap(config),
    registryUrl: `http://${host.includes(':') ? `[${host}]` : host}:${config.ports.registry}`,
    connectUrl: `http://${host.includes(':') ? `[${host}]` : host}:${config.ports.connect}`,
  };
}

/** The state of the pipeline running from this project's data dir, if one is. */
function runningPipeline(config: VeniceConfig): SupervisorState | null {
  const state = readState(runtimePaths(config.dataDir).stateFile);
  const up =
    state !== null && (state.phase === 'running' || state.phase === 'starting') && isAlive(state.pid);
  return up ? state : null;
}

/** An HTTP component's address as the running pipeline announced it; null when it runs none. */
function runningHttpUrl(state: SupervisorState, name: 'registry' | 'connect'): string | null {
  const component = state.components.find((candidate) => candidate.name === name);
  return component?.endpoints[0]?.address ?? null;
}
