// The HTTP security the tests give a component: Basic authentication with an admin and a read-only
// user (role `readonly`), no TLS, no Host check, CORS off, unless overridden.
import type { HttpServerConfig } from '../../src/config/http.js';
import { hashPassword } from '../../src/service/http-security/index.js';

export interface TestHttpUsers {
  admin: { name: string; password: string };
  readOnly: { name: string; password: string };
}

export function basicAuthConfig(
  users: TestHttpUsers,
  overrides: Partial<HttpServerConfig> = {},
): HttpServerConfig {
  return {
    authenticationMethod: 'BASIC',
    users: [
      { name: users.admin.name, passwordHash: hashPassword(users.admin.password), roles: ['admin'] },
      { name: users.readOnly.name, passwordHash: hashPassword(users.readOnly.password), roles: ['readonly'] },
    ],
    usersSource: 'test',
    roles: ['*'],
    readOnlyRoles: ['readonly'],
    tlsCert: null,
    tlsKey: null,
    allowedHosts: null,
    corsOrigins: [],
    ...overrides,
  };
}
