// Where the commands that need the schema registry find it: --registry-url, else what
// supervisor/addresses.ts finds (VENICE_REGISTRY_URL, the pipeline running from this project,
// venice.yaml's ports.registry, the default), the same way Kafka is found.
import { DEFAULT_REGISTRY_URL } from '../registry/defaults.js';
import { ADDRESS_VARIABLES, projectAddress } from '../supervisor/addresses.js';
import { reportingConfigErrors } from './config-options.js';

export const REGISTRY_URL_FLAGS = '--registry-url <url>';
export const REGISTRY_URL_HELP = `schema registry to talk to (default: $${ADDRESS_VARIABLES.registryUrl}, the running pipeline, venice.yaml, or ${DEFAULT_REGISTRY_URL})`;

export function resolveRegistryUrl(flag?: string): string {
  const given = flag?.trim();
  if (given) return given;
  return reportingConfigErrors(() => projectAddress('registryUrl'));
}
