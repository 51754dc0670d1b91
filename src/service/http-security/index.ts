// HTTP security for every HTTP component, configured once (the `http` settings, config/http.ts):
// authentication, roles and read-only users, the Host check, CORS and TLS. A component builds its
// fastify app with `securityFor(config, host)` and calls `guardApp(app, security.guard, hooks)`.
import type { HttpServerConfig } from '../../config/http.js';
import { createRequestGuard, type RequestGuard } from './guard.js';
import { readTlsFiles, type TlsFiles } from './tls.js';

export {
  createRequestGuard,
  guardApp,
  readOnlyMessage,
  requestReadOnly,
  requestUser,
  writesByMethod,
  OPEN_PATHS,
  REALM,
  type BareRequest,
  type GuardHooks,
  type RequestGuard,
  type Verdict,
} from './guard.js';
export { hashPassword, verifyPassword, isPasswordHash } from './passwords.js';
export { readTlsFiles, serverFactoryFor, serviceUrl, type TlsFiles } from './tls.js';
export { defaultAllowedHosts, hostAllowed, hostOf } from './hosts.js';

/** What a component needs to serve securely: the request guard and the TLS files. */
export interface HttpSecurity {
  guard: RequestGuard;
  tls: TlsFiles | null;
  config: HttpServerConfig;
}

/** No authentication, no TLS, no CORS; the Host check still applies. */
export const OPEN_HTTP: HttpServerConfig = {
  authenticationMethod: 'NONE',
  users: [],
  usersSource: null,
  roles: ['*'],
  readOnlyRoles: [],
  tlsCert: null,
  tlsKey: null,
  allowedHosts: null,
  corsOrigins: [],
};

export function securityFor(config: HttpServerConfig | undefined, bindHost: string): HttpSecurity {
  const resolved = config ?? OPEN_HTTP;
  return { guard: createRequestGuard(resolved, bindHost), tls: readTlsFiles(resolved), config: resolved };
}
