// How the schema commands reach the registry: one client per command, its failures turned into CLI
// errors with what to do next (the registry's counterpart of withKafka in connection.ts).
import { cliFetch } from './http-settings.js';
import { SchemaRegistryClient, SchemaRegistryError } from '../serdes/client.js';
import { CliError, ExitCode } from './output.js';
import { resolveRegistryUrl } from './registry-url.js';

/** The option every command that talks to the registry takes (see registry-url.ts). */
export interface RegistryOptions {
  registryUrl?: string;
}

export async function withRegistry<T>(
  flag: string | undefined,
  run: (client: SchemaRegistryClient) => Promise<T>,
): Promise<T> {
  const client = new SchemaRegistryClient({
    url: resolveRegistryUrl(flag),
    timeoutMs: 30_000,
    fetch: cliFetch(),
  });
  try {
    return await run(client);
  } catch (error) {
    if (!(error instanceof SchemaRegistryError)) throw error;
    if (error.status === 0)
      throw new CliError(
        error.message,
        'start the pipeline with `venice up`, or pass --registry-url http://host:port',
        ExitCode.unavailable,
      );
    if (error.status === 401 || error.status === 403)
      throw new CliError(
        error.message,
        'log in with VENICE_HTTP_USER and VENICE_HTTP_PASSWORD (or http.user / http.password in venice.yaml); see docs/security.md',
        ExitCode.failure,
      );
    if (error.status === 404)
      throw new CliError(error.message, 'list the subjects with `venice schemas`', ExitCode.notFound);
    throw new CliError(error.message, undefined, ExitCode.failure);
  }
}
