// The resolved `http` section: who may use the HTTP components and how, read from the http settings
// (users files read, paths made absolute). The service kit turns it into request checks and TLS
// servers; the clients take their credentials from it.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ConfigError } from './errors.js';
import { passwordOf } from './secret-file.js';
import { ANY_ROLE } from './http-settings.js';
import type { HttpSettingKey, HttpSettingValues } from './http-settings.js';
import { parseUserList, type AuthenticationMethod, type HttpUser } from './http-values.js';

export type { AuthenticationMethod, HttpUser };

export interface HttpServerConfig {
  authenticationMethod: AuthenticationMethod;
  users: HttpUser[];
  /** Where the users were read from, for messages: a file, or venice.yaml / the environment. */
  usersSource: string | null;
  /** Roles let in (authentication.roles); `*` lets in any user. */
  roles: string[];
  readOnlyRoles: string[];
  /** Absolute paths; both set, or neither. */
  tlsCert: string | null;
  tlsKey: string | null;
  /** Host header values accepted; null: this machine's names and addresses. `*` accepts any. */
  allowedHosts: string[] | null;
  corsOrigins: string[];
}

export interface HttpClientConfig {
  user: string | null;
  password: string | null;
  /** Absolute path of a CA certificate to trust, or null for the system's. */
  ca: string | null;
}

export interface HttpConfig {
  server: HttpServerConfig;
  client: HttpClientConfig;
}

/** A setting's value and the directory its relative paths resolve against. */
export type HttpPick = <K extends HttpSettingKey>(
  key: K,
) => { value: HttpSettingValues[K]; base: string; rank: number };

export function resolveHttpConfig(pick: HttpPick): HttpConfig {
  const usersSetting = pick('http.users');
  let users: HttpUser[] = [];
  let usersSource: string | null = null;
  if (typeof usersSetting.value === 'string') {
    usersSource = path.resolve(usersSetting.base, usersSetting.value);
    users = readUsersFile(usersSource);
  } else if (usersSetting.value !== null) {
    users = usersSetting.value;
    usersSource = 'the http.users list';
  }
  const method = pick('http.authenticationMethod').value ?? (usersSource !== null ? 'BASIC' : 'NONE');
  if (method === 'BASIC' && users.length === 0) {
    throw new ConfigError(
      'http.authenticationMethod is BASIC but no users are configured',
      'add users with `venice http-users add <name> --role admin` and point http.users at the file (docs/security.md)',
    );
  }
  const absolute = (key: 'http.tlsCert' | 'http.tlsKey' | 'http.ca' | 'http.passwordFile') => {
    const { value, base } = pick(key);
    return value === null ? null : path.resolve(base, value);
  };
  const tlsCert = absolute('http.tlsCert');
  const tlsKey = absolute('http.tlsKey');
  return {
    server: {
      authenticationMethod: method,
      users,
      usersSource,
      roles: pick('http.roles').value,
      readOnlyRoles: pick('http.readOnlyRoles').value,
      tlsCert,
      tlsKey,
      allowedHosts: pick('http.allowedHosts').value,
      corsOrigins: pick('http.corsOrigins').value,
    },
    client: {
      user: pick('http.user').value,
      password: passwordOf(
        pick('http.password'),
        { value: absolute('http.passwordFile'), rank: pick('http.passwordFile').rank },
        { password: 'http.password', file: 'http.passwordFile' },
      ),
      ca: absolute('http.ca'),
    },
  };
}

/** Why the TLS settings cannot work (one of the pair is missing), or null. */
export function tlsPairProblem(config: HttpServerConfig): ConfigError | null {
  if ((config.tlsCert === null) === (config.tlsKey === null)) return null;
  return new ConfigError(
    `http.${config.tlsCert === null ? 'tlsCert' : 'tlsKey'} is missing: HTTPS needs both a certificate and its key`,
    'make a pair with `venice certs create` and set http.tlsCert and http.tlsKey',
  );
}

/** Whether a request needs a user and password. */
export function authenticationRequired(config: HttpServerConfig): boolean {
  return config.authenticationMethod === 'BASIC';
}

/** Whether a user may come in at all (authentication.roles). */
export function userAdmitted(config: HttpServerConfig, user: HttpUser): boolean {
  return config.roles.includes(ANY_ROLE) || user.roles.some((role) => config.roles.includes(role));
}

/** A user whose every role is read-only may read and not write; a user without roles has full access. */
export function userReadOnly(config: HttpServerConfig, user: HttpUser): boolean {
  return user.roles.length > 0 && user.roles.every((role) => config.readOnlyRoles.includes(role));
}

/** A users file: a YAML list of users, or a map with a `users` list. */
export function readUsersFile(file: string): HttpUser[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `cannot read the users file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      'create it with `venice http-users add <name> --role admin --file <file>`, or fix http.users',
    );
  }
  const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  let parsed: unknown;
  try {
    parsed = yaml.parse(text);
  } catch (error) {
    throw new ConfigError(
      `the users file ${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
      'it is a list of `- {name, password, roles}`',
    );
  }
  if (parsed === null || parsed === undefined) return [];
  const list = Array.isArray(parsed) ? parsed : (parsed as { users?: unknown }).users;
  return parseUserList(list ?? [], path.basename(file));
}
