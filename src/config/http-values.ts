// Parsers for the `http` settings (authentication, TLS, Host and CORS checks of the HTTP components, and
// the credentials Venice's own clients send), shared by flags, VENICE_* variables and venice.yaml.
import { ConfigError } from './errors.js';

export const AUTHENTICATION_METHODS = ['NONE', 'BASIC'] as const;
export type AuthenticationMethod = (typeof AUTHENTICATION_METHODS)[number];

/** One account of the HTTP components: its scrypt hash (never the password) and its roles. */
export interface HttpUser {
  name: string;
  passwordHash: string;
  roles: string[];
}

/** Where the users come from: a users file (its path, as written), or a list written in venice.yaml. */
export type HttpUsersSource = string | HttpUser[];

const USER_NAME = /^[A-Za-z0-9._@-]+$/;
const HASH_PREFIX = 'scrypt$';
const HASH_HINT = 'make one with `venice http-users add <name> --role <role>`, which writes the hash';

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

export function parseAuthenticationMethod(raw: unknown, where: string): AuthenticationMethod {
  const method = typeof raw === 'string' ? raw.trim().toUpperCase() : raw;
  if (!AUTHENTICATION_METHODS.includes(method as AuthenticationMethod)) {
    throw new ConfigError(
      `${where}: unknown authentication method ${show(raw)}`,
      `use ${AUTHENTICATION_METHODS.join(' or ')} (as Confluent's authentication.method)`,
    );
  }
  return method as AuthenticationMethod;
}

/** A list of names: a YAML list, or a comma-separated text (flags and variables). */
export function parseNameList(raw: unknown, where: string, example: string): string[] {
  const names =
    typeof raw === 'string'
      ? raw.split(',')
      : Array.isArray(raw) && raw.every((item) => typeof item === 'string' || typeof item === 'number')
        ? raw.map(String)
        : null;
  const cleaned = names?.map((name) => name.trim()).filter((name) => name !== '');
  if (cleaned === undefined || cleaned.some((name) => /\s/.test(name))) {
    throw new ConfigError(`${where}: expected a list of names, got ${show(raw)}`, `for example ${example}`);
  }
  return [...new Set(cleaned)];
}

/** http.users: a users file's path, or (in venice.yaml, or as JSON in a variable) the list itself. */
export function parseUsersSource(raw: unknown, where: string): HttpUsersSource {
  if (typeof raw === 'string' && raw.trim().startsWith('[')) {
    let list: unknown;
    try {
      list = JSON.parse(raw);
    } catch {
      throw new ConfigError(
        `${where}: the users list is not valid JSON`,
        'give the path of a users file instead',
      );
    }
    return parseUserList(list, where);
  }
  if (typeof raw === 'string' && raw.trim() !== '') return raw.trim();
  if (Array.isArray(raw)) return parseUserList(raw, where);
  throw new ConfigError(
    `${where}: expected the path of a users file or a list of users, got ${show(raw)}`,
    'for example `users: ./users.yaml`, or a list of `- {name: alice, password: "scrypt$…", roles: [admin]}`',
  );
}

/** The users of a users file or an inline list; each needs a name and a scrypt hash. */
export function parseUserList(raw: unknown, where: string): HttpUser[] {
  if (!Array.isArray(raw)) {
    throw new ConfigError(`${where}: expected a list of users`, 'each user is `{name, password, roles}`');
  }
  const users = raw.map((entry, index) => parseUser(entry, `${where}[${index}]`));
  const names = new Set<string>();
  for (const user of users) {
    if (names.has(user.name))
      throw new ConfigError(`${where}: user "${user.name}" is listed twice`, 'keep one entry per user');
    names.add(user.name);
  }
  return users;
}

function parseUser(raw: unknown, where: string): HttpUser {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${where}: expected a user {name, password, roles}`, HASH_HINT);
  }
  const { name, password, roles } = raw as Record<string, unknown>;
  if (typeof name !== 'string' || !USER_NAME.test(name)) {
    throw new ConfigError(
      `${where}: expected a user name of letters, digits and . _ @ -`,
      'for example name: alice',
    );
  }
  // The value itself is never shown: it may be a password written in clear by mistake.
  if (typeof password !== 'string' || !password.startsWith(HASH_PREFIX) || password.split('$').length !== 6) {
    throw new ConfigError(
      `${where} (${name}): password must be a scrypt hash, not a password in clear`,
      HASH_HINT,
    );
  }
  return {
    name,
    passwordHash: password,
    roles: roles === undefined ? [] : parseNameList(roles, `${where} (${name}).roles`, '[admin]'),
  };
}

/** A Host header value as allowed: a name or address, without port; `*` allows any. */
export function parseHostList(raw: unknown, where: string): string[] {
  return parseNameList(raw, where, '[venice.example.com, 10.0.0.5]').map((host) =>
    host.toLowerCase().replace(/^\[(.*)\]$/, '$1'),
  );
}

/** CORS origins (scheme://host[:port]), or `*`. */
export function parseOriginList(raw: unknown, where: string): string[] {
  const origins = parseNameList(raw, where, '[https://app.example.com]');
  for (const origin of origins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigError(
        `${where}: "${origin}" is not an origin`,
        'an origin is scheme://host[:port] with no path, for example https://app.example.com',
      );
    }
  }
  return origins.map((origin) => origin.toLowerCase());
}

/** A file path (a certificate, a key, a CA). */
export function parsePath(raw: unknown, where: string, example: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new ConfigError(`${where}: expected a file path, got ${show(raw)}`, `for example ${example}`);
  }
  return raw.trim();
}

/** A text given as is (a user name, a password); never echoed back in the error. */
export function parseSecretText(raw: unknown, where: string): string {
  if (typeof raw !== 'string' && typeof raw !== 'number') {
    throw new ConfigError(
      `${where}: expected a text`,
      'quote it in venice.yaml if it has special characters',
    );
  }
  return String(raw);
}
