// How the schema commands reach the registry: one client per command, its failures turned into CLI
// errors with what to do next (the registry's counterpart of withKafka in connection.ts).
import type { Command } from 'commander';
import { SchemaRegistryClient, SchemaRegistryError } from '../serdes/client.js';
import {
  addHttpClientOptions,
  cliFetch,
  httpRefusal,
  tlsTrustFailure,
  type HttpClientFlags,
} from './http-client.js';
import { CliError, ExitCode } from './output.js';
import { REGISTRY_URL_FLAGS, REGISTRY_URL_HELP, resolveRegistryUrl } from './registry-url.js';

/** The options every command that talks to the registry takes (see registry-url.ts, http-client.ts). */
export interface RegistryOptions extends HttpClientFlags {
  registryUrl?: string;
}

/** --registry-url and the HTTP credentials flags. */
export function addRegistryOptions(command: Command, help = REGISTRY_URL_HELP): Command {
  command.option(REGISTRY_URL_FLAGS, help);
  return addHttpClientOptions(command);
}

export async function withRegistry<T>(
  options: RegistryOptions,
  run: (client: SchemaRegistryClient) => Promise<T>,
): Promise<T> {
  const url = resolveRegistryUrl(options.registryUrl);
  const client = new SchemaRegistryClient({ url, timeoutMs: 30_000, fetch: cliFetch(options) });
  try {
    return await run(client);
  } catch (error) {
    if (!(error instanceof SchemaRegistryError)) throw error;
    throw registryFailure(error, url, options);
  }
}

/** A registry client's failure as the CLI reports it: what happened and what to do. */
export function registryFailure(error: SchemaRegistryError, url: string, flags: HttpClientFlags): CliError {
  const what = `the schema registry at ${url}`;
  if (error.status === 0)
    return (
      tlsTrustFailure(what, error, flags) ??
      new CliError(
        error.message,
        'start the pipeline with `venice up`, or pass --registry-url http://host:port',
        ExitCode.unavailable,
      )
    );
  const refusal = httpRefusal(what, error.status, error.message, flags);
  if (refusal !== null) return refusal;
  if (error.status === 404)
    return new CliError(error.message, 'list the subjects with `venice schemas`', ExitCode.notFound);
  return new CliError(error.message, undefined, ExitCode.failure);
}
