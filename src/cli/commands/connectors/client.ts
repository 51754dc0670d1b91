// How the connectors commands reach the connect worker: --connect-url, else what supervisor/addresses.ts
// finds (VENICE_CONNECT_URL, the running pipeline, venice.yaml's ports.connect, the default). Failures
// become CLI errors that say what to do next.
import type { Command } from 'commander';
import {
  addHttpClientOptions,
  cliFetch,
  httpRefusal,
  tlsTrustFailure,
  type HttpClientFlags,
} from '../../http-client.js';
import { ConnectClientError, ConnectRestClient } from '../../../connect/rest/client.js';
import { DEFAULT_CONNECT_PORT } from '../../../connect/defaults.js';
import { DEFAULT_HOST } from '../../../config/settings.js';
import { ADDRESS_VARIABLES, projectAddress } from '../../../supervisor/addresses.js';
import { reportingConfigErrors } from '../../config-options.js';
import { CliError, ExitCode } from '../../output.js';

export const CONNECT_URL_FLAGS = '--connect-url <url>';
export const CONNECT_URL_HELP = `connect worker to talk to (default: $${ADDRESS_VARIABLES.connectUrl}, the running pipeline, venice.yaml, or http://${DEFAULT_HOST}:${DEFAULT_CONNECT_PORT})`;

export interface ConnectOptions extends HttpClientFlags {
  connectUrl?: string;
}

/** --connect-url and the HTTP credentials flags. */
export function addConnectOptions(command: Command): Command {
  command.option(CONNECT_URL_FLAGS, CONNECT_URL_HELP);
  return addHttpClientOptions(command);
}

export function resolveConnectUrl(flag?: string): string {
  const given = flag?.trim();
  if (given) return given;
  return reportingConfigErrors(() => projectAddress('connectUrl'));
}

export async function withConnect<T>(
  options: ConnectOptions,
  run: (client: ConnectRestClient) => Promise<T>,
): Promise<T> {
  const url = resolveConnectUrl(options.connectUrl);
  const client = new ConnectRestClient({ url, fetch: cliFetch(options) });
  try {
    return await run(client);
  } catch (error) {
    if (!(error instanceof ConnectClientError)) throw error;
    const what = `the connect worker at ${url}`;
    if (error.status === 0)
      throw (
        tlsTrustFailure(what, error, options) ??
        new CliError(
          error.message,
          'start the pipeline with `venice up` (or the worker alone with `venice connect`), or pass --connect-url http://host:port',
          ExitCode.unavailable,
        )
      );
    const refusal = httpRefusal(what, error.status, error.message, options);
    if (refusal !== null) throw refusal;
    if (error.status === 404)
      throw new CliError(error.message, 'list the connectors with `venice connectors`', ExitCode.notFound);
    if (error.status === 503 || error.status === 409)
      throw new CliError(
        error.message,
        'the worker is starting or rebalancing: try again in a moment',
        ExitCode.unavailable,
      );
    throw new CliError(error.message, undefined, ExitCode.failure);
  }
}
