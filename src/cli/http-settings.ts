// The `http` settings as the CLI resolves them (flags given to this command, VENICE_HTTP_* variables,
// venice.yaml, defaults): the components take their server side, every client its credentials.
import type { HttpConfig } from '../config/http.js';
import { loadConfig } from '../config/load.js';
import { clientFetch } from '../service/http-client.js';
import { COMPONENT_CATALOG } from '../supervisor/components.js';
import { reportingConfigErrors, type ConfigFlags } from './config-options.js';

export function httpSettings(flags: ConfigFlags = {}): HttpConfig {
  return reportingConfigErrors(() => loadConfig({ flags, catalog: COMPONENT_CATALOG }).http);
}

/** What `venice registry|sql|connect|console` pass their component: its checks and its client side. */
export function componentHttpOptions(): {
  http: HttpConfig['server'];
  httpClient: HttpConfig['client'];
} {
  const { server, client } = httpSettings();
  return { http: server, httpClient: client };
}

/** The fetch of the CLI's commands that call an HTTP component: the configured user and trusted CA. */
export function cliFetch(): typeof fetch {
  return clientFetch(httpSettings().client);
}
