// How the supervisor hands the resolved `http` settings to the HTTP components it starts: as their
// VENICE_HTTP_* variables, which outrank whatever venice.yaml the component might find itself. The
// users go as a JSON list of hashes (never passwords), so an inline list in venice.yaml reaches them too.
import type { HttpConfig } from '../config/http.js';
import { HTTP_SETTINGS } from '../config/http-settings.js';

export function httpEnvironment(http: HttpConfig): Record<string, string> {
  const { server, client } = http;
  const env: Record<string, string> = {
    [HTTP_SETTINGS['http.authenticationMethod'].env]: server.authenticationMethod,
    [HTTP_SETTINGS['http.roles'].env]: server.roles.join(','),
    [HTTP_SETTINGS['http.readOnlyRoles'].env]: server.readOnlyRoles.join(','),
    [HTTP_SETTINGS['http.corsOrigins'].env]: server.corsOrigins.join(','),
  };
  if (server.users.length > 0) {
    env[HTTP_SETTINGS['http.users'].env] = JSON.stringify(
      server.users.map((user) => ({ name: user.name, password: user.passwordHash, roles: user.roles })),
    );
  }
  const optional: [keyof typeof HTTP_SETTINGS, string | null][] = [
    ['http.tlsCert', server.tlsCert],
    ['http.tlsKey', server.tlsKey],
    ['http.allowedHosts', server.allowedHosts?.join(',') ?? null],
    ['http.user', client.user],
    ['http.password', client.password],
    ['http.ca', client.ca],
  ];
  for (const [key, value] of optional) if (value !== null) env[HTTP_SETTINGS[key].env] = value;
  return env;
}
