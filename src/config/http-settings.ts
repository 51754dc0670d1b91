// The `http` rows of the settings table: how the HTTP components (registry, sql, connect, console)
// authenticate, encrypt and check requests, and which credentials Venice's own clients (the CLI, the
// supervisor's probes, one component calling another) send. docs/security.md explains them.
import {
  AUTHENTICATION_METHODS,
  parseAuthenticationMethod,
  parseHostList,
  parseNameList,
  parseOriginList,
  parsePath,
  parseSecretText,
  parseUsersSource,
  type AuthenticationMethod,
  type HttpUsersSource,
} from './http-values.js';
import type { Setting } from './settings.js';

/** The value of each http setting. */
export interface HttpSettingValues {
  'http.authenticationMethod': AuthenticationMethod | null;
  'http.users': HttpUsersSource | null;
  'http.roles': string[];
  'http.readOnlyRoles': string[];
  'http.tlsCert': string | null;
  'http.tlsKey': string | null;
  'http.allowedHosts': string[] | null;
  'http.corsOrigins': string[];
  'http.user': string | null;
  'http.password': string | null;
  'http.passwordFile': string | null;
  'http.ca': string | null;
}
export type HttpSettingKey = keyof HttpSettingValues;

/** Roles that may read but not change anything, unless http.readOnlyRoles says otherwise. */
export const DEFAULT_READ_ONLY_ROLES = ['readonly'];
/** Confluent's authentication.roles default: any authenticated user. */
export const ANY_ROLE = '*';

type HttpSettings = { readonly [K in HttpSettingKey]: Setting<K> };

export const HTTP_SETTINGS: HttpSettings = {
  'http.authenticationMethod': {
    key: 'http.authenticationMethod',
    yaml: 'http.authenticationMethod',
    env: 'VENICE_HTTP_AUTHENTICATION_METHOD',
    flag: '--http-authentication-method',
    flagValue: '<method>',
    help: "HTTP authentication (Confluent's authentication.method)",
    choices: () => AUTHENTICATION_METHODS,
    parse: (raw, where) => parseAuthenticationMethod(raw, where),
    default: () => null,
    defaultText: 'BASIC when users are given, else NONE',
    example: 'BASIC',
  },
  'http.users': {
    key: 'http.users',
    yaml: 'http.users',
    env: 'VENICE_HTTP_USERS',
    flag: '--http-users',
    flagValue: '<file>',
    help: 'users of the HTTP components: a users file (name, scrypt hash, roles)',
    parse: (raw, where) => parseUsersSource(raw, where),
    default: () => null,
    defaultText: 'none',
    example: './users.yaml',
  },
  'http.roles': {
    key: 'http.roles',
    yaml: 'http.roles',
    env: 'VENICE_HTTP_ROLES',
    flag: '--http-roles',
    flagValue: '<roles>',
    help: "roles let in, comma-separated (Confluent's authentication.roles)",
    parse: (raw, where) => parseNameList(raw, where, '[admin, developer, readonly]'),
    default: () => [ANY_ROLE],
    defaultText: '* (any user)',
    example: '[admin, readonly]',
  },
  'http.readOnlyRoles': {
    key: 'http.readOnlyRoles',
    yaml: 'http.readOnlyRoles',
    env: 'VENICE_HTTP_READ_ONLY_ROLES',
    flag: '--http-read-only-roles',
    flagValue: '<roles>',
    help: 'roles that may read but not change anything',
    parse: (raw, where) => parseNameList(raw, where, '[readonly]'),
    default: () => [...DEFAULT_READ_ONLY_ROLES],
    defaultText: DEFAULT_READ_ONLY_ROLES.join(','),
    example: '[readonly, auditor]',
  },
  'http.tlsCert': {
    key: 'http.tlsCert',
    yaml: 'http.tlsCert',
    env: 'VENICE_HTTP_TLS_CERT',
    flag: '--http-tls-cert',
    flagValue: '<file>',
    help: 'serve HTTPS with this certificate (PEM, with its chain)',
    parse: (raw, where) => parsePath(raw, where, './certs/server.pem'),
    default: () => null,
    defaultText: 'none (HTTP)',
    example: './certs/server.pem',
  },
  'http.tlsKey': {
    key: 'http.tlsKey',
    yaml: 'http.tlsKey',
    env: 'VENICE_HTTP_TLS_KEY',
    flag: '--http-tls-key',
    flagValue: '<file>',
    help: "the HTTPS certificate's private key (PEM)",
    parse: (raw, where) => parsePath(raw, where, './certs/server-key.pem'),
    default: () => null,
    defaultText: 'none',
    example: './certs/server-key.pem',
  },
  'http.allowedHosts': {
    key: 'http.allowedHosts',
    yaml: 'http.allowedHosts',
    env: 'VENICE_HTTP_ALLOWED_HOSTS',
    flag: '--http-allowed-hosts',
    flagValue: '<names>',
    help: 'Host header values accepted, against DNS rebinding (* accepts any)',
    parse: (raw, where) => parseHostList(raw, where),
    default: () => null,
    defaultText: "this machine's names and addresses",
    example: '[venice.example.com]',
  },
  'http.corsOrigins': {
    key: 'http.corsOrigins',
    yaml: 'http.corsOrigins',
    env: 'VENICE_HTTP_CORS_ORIGINS',
    flag: '--http-cors-origins',
    flagValue: '<origins>',
    help: 'web origins allowed cross-origin requests',
    parse: (raw, where) => parseOriginList(raw, where),
    default: () => [],
    defaultText: 'none (CORS off)',
    example: '[https://app.example.com]',
  },
  'http.user': {
    key: 'http.user',
    yaml: 'http.user',
    env: 'VENICE_HTTP_USER',
    flag: '--http-user',
    flagValue: '<name>',
    help: "user Venice's own clients log in as",
    parse: (raw, where) => parseSecretText(raw, where),
    default: () => null,
    defaultText: 'none',
    example: 'alice',
  },
  'http.password': {
    key: 'http.password',
    yaml: 'http.password',
    env: 'VENICE_HTTP_PASSWORD',
    flag: '--http-password',
    flagValue: '<password>',
    help: "that user's password (prefer the variable: a flag shows in ps)",
    parse: (raw, where) => parseSecretText(raw, where),
    default: () => null,
    defaultText: 'none',
    example: 'change-me',
  },
  'http.passwordFile': {
    key: 'http.passwordFile',
    yaml: 'http.passwordFile',
    env: 'VENICE_HTTP_PASSWORD_FILE',
    flag: '--http-password-file',
    flagValue: '<file>',
    help: 'file holding that password on its first line (mode 0600), instead of http.password',
    parse: (raw, where) => parsePath(raw, where, './secrets/http-admin.password'),
    default: () => null,
    defaultText: 'none',
    example: './secrets/http-admin.password',
  },
  'http.ca': {
    key: 'http.ca',
    yaml: 'http.ca',
    env: 'VENICE_HTTP_CA',
    flag: '--http-ca',
    flagValue: '<file>',
    help: "CA certificate (PEM) Venice's own clients trust for HTTPS",
    parse: (raw, where) => parsePath(raw, where, './certs/ca.pem'),
    default: () => null,
    defaultText: "the system's CAs",
    example: './certs/ca.pem',
  },
};
