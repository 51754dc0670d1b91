// The `http` settings as the CLI resolves them (flags given to this command, VENICE_HTTP_* variables,
// venice.yaml, defaults): the components take their server side, every client its credentials
// (http-client.ts).
import type { HttpConfig } from '../config/http.js';
import { loadConfig } from '../config/load.js';
import { COMPONENT_CATALOG } from '../supervisor/components.js';
import { reportingConfigErrors, type ConfigFlags } from './config-options.js';
import type { HttpClientFlags } from './http-client.js';

export function httpSettings(flags: ConfigFlags = {}): HttpConfig {
  return reportingConfigErrors(() => loadConfig({ flags, catalog: COMPONENT_CATALOG }).http);
}

/**
 * What `venice registry|sql|connect|console` pass their component: its checks, and its client side
 * (the --http-user, --http-password and --http-ca it was given over the variables and venice.yaml).
 */
export function componentHttpOptions(flags: HttpClientFlags = {}): {
  http: HttpConfig['server'];
  httpClient: HttpConfig['client'];
} {
  const { httpUser, httpPassword, httpCa } = flags;
  const { server, client } = httpSettings({ httpUser, httpPassword, httpCa });
  return { http: server, httpClient: client };
}
