// Where the commands that need the schema registry find it: --registry-url, then VENICE_REGISTRY_URL,
// then the default local registry.
import { DEFAULT_REGISTRY_URL } from '../registry/defaults.js';

export const REGISTRY_URL_FLAGS = '--registry-url <url>';
export const REGISTRY_URL_HELP = `schema registry to talk to (default: $VENICE_REGISTRY_URL or ${DEFAULT_REGISTRY_URL})`;

export function resolveRegistryUrl(flag?: string): string {
  return flag?.trim() || process.env.VENICE_REGISTRY_URL?.trim() || DEFAULT_REGISTRY_URL;
}
