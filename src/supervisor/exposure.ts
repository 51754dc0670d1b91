// Refusing to expose the HTTP components without authentication: `venice up --host 0.0.0.0` (any
// interface other than loopback) lets the whole network register schemas, run SQL and start
// connectors, so it needs users configured, or an explicit --insecure that accepts the risk.
import { authenticationRequired, tlsPairProblem } from '../config/http.js';
import { HTTP_SETTINGS } from '../config/http-settings.js';
import type { VeniceConfig } from '../config/settings.js';
import { StartRefused } from './preflight.js';

/** The components `--insecure` concerns: they answer HTTP. */
const HTTP_COMPONENTS = ['registry', 'sql', 'connect', 'console'];

export function isLoopback(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return name === 'localhost' || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/**
 * Throws StartRefused when HTTP components would answer beyond this machine without authentication
 * (unless `insecure`), or when authentication is on and the components have no user to call each
 * other with.
 */
export function checkHttpExposure(
  config: VeniceConfig,
  components: readonly string[],
  insecure: boolean,
): void {
  const http = components.filter((name) => HTTP_COMPONENTS.includes(name));
  if (http.length === 0) return;
  const server = config.http.server;
  const tls = tlsPairProblem(server);
  if (tls) throw new StartRefused(tls.message, tls.hint ?? '', 'config');
  if (!authenticationRequired(server) && !isLoopback(config.host) && !insecure) {
    throw new StartRefused(
      `refusing to start ${http.join(', ')} on ${config.host} without authentication: anyone who can reach ` +
        'this machine could change schemas, run SQL and start connectors',
      'set up users and HTTPS as docs/security.md shows: `venice http-users add <name> --role admin` and ' +
        `\`venice certs create\`, then http.users (or ${HTTP_SETTINGS['http.users'].env}), http.tlsCert and ` +
        'http.tlsKey in venice.yaml;\n  ' +
        'or, on a network you trust, accept the risk with `venice up --insecure`',
      'config',
    );
  }
  if (authenticationRequired(server) && config.http.client.user === null) {
    throw new StartRefused(
      'authentication is on, but no user is given for the components to call each other with ' +
        '(the console and sql call the registry, the supervisor probes them)',
      `set http.user in venice.yaml (or ${HTTP_SETTINGS['http.user'].env}) to a user with full access, and ` +
        `its password in ${HTTP_SETTINGS['http.password'].env}`,
      'config',
    );
  }
}
