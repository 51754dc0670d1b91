// The `broker` rows of the settings table: the embedded broker's listeners, TLS, SASL and authorizer,
// named after Kafka's server.properties (listeners, listener.security.protocol.map, super.users, ...).
// `venice up` hands them to `venice broker`; docs/security.md shows the layout `venice install --secure`
// writes.
import { SSL_CLIENT_AUTH_MODES, type SslClientAuth } from '../broker/security/tls-settings.js';
// The broker offers the mechanisms the clients speak (src/broker/security/sasl-mechanisms.ts).
import { SASL_MECHANISMS } from '../client/security-settings.js';
import { ConfigError } from './errors.js';
import { parseChoice } from './values.js';
import { parsePath } from './http-values.js';
import type { Setting } from './settings.js';

export interface BrokerSettingValues {
  'broker.listeners': string | null;
  'broker.listenerSecurityProtocolMap': string | null;
  'broker.advertisedListeners': string | null;
  'broker.sslCertFile': string | null;
  'broker.sslKeyFile': string | null;
  'broker.sslCaFile': string | null;
  'broker.sslClientAuth': SslClientAuth;
  'broker.saslEnabledMechanisms': string[] | null;
  'broker.saslPlainUsersFile': string | null;
  'broker.authorizer': boolean;
  'broker.superUsers': string[];
  'broker.allowEveryoneIfNoAclFound': boolean;
}
export type BrokerSettingKey = keyof BrokerSettingValues;

/** The settings that name files: relative paths resolve like every other path (see load.ts). */
export const BROKER_FILE_KEYS = [
  'broker.sslCertFile',
  'broker.sslKeyFile',
  'broker.sslCaFile',
  'broker.saslPlainUsersFile',
] as const satisfies readonly BrokerSettingKey[];
export type BrokerFileKey = (typeof BROKER_FILE_KEYS)[number];

function show(raw: unknown): string {
  return JSON.stringify(raw) ?? String(raw);
}

/** A comma-separated text or a YAML list, joined as Kafka writes it ("A://h:1,B://h:2"). */
function parseEntryList(raw: unknown, where: string, example: string): string {
  const items =
    typeof raw === 'string'
      ? raw.split(',')
      : Array.isArray(raw) && raw.every((item) => typeof item === 'string')
        ? (raw as string[])
        : null;
  const cleaned = items?.map((item) => item.trim()).filter((item) => item !== '');
  if (cleaned === undefined || cleaned.length === 0)
    throw new ConfigError(`${where}: expected a list, got ${show(raw)}`, `for example ${example}`);
  return cleaned.join(',');
}

/** listener.security.protocol.map: "NAME:PROTOCOL,...", a YAML list of those, or a YAML map. */
function parseProtocolMap(raw: unknown, where: string): string {
  const example = '{SERVICES: SASL_PLAINTEXT, EXTERNAL: SASL_SSL}';
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const entries = Object.entries(raw as Record<string, unknown>);
    if (entries.length === 0 || entries.some(([, value]) => typeof value !== 'string'))
      throw new ConfigError(`${where}: expected listener names with protocols, got ${show(raw)}`, example);
    return entries.map(([name, protocol]) => `${name}:${String(protocol).trim()}`).join(',');
  }
  return parseEntryList(raw, where, example);
}

function parseSwitch(raw: unknown, where: string): boolean {
  if (typeof raw === 'boolean') return raw;
  const text = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (['on', 'true', 'yes', '1'].includes(text)) return true;
  if (['off', 'false', 'no', '0'].includes(text)) return false;
  throw new ConfigError(`${where}: expected on or off, got ${show(raw)}`, 'write on or off');
}

/** super.users: principals separated by ";" (as Kafka writes them), or a YAML list. */
function parsePrincipals(raw: unknown, where: string): string[] {
  const items =
    typeof raw === 'string'
      ? raw.split(';')
      : Array.isArray(raw) && raw.every((item) => typeof item === 'string')
        ? (raw as string[])
        : null;
  const principals = items?.map((item) => item.trim()).filter((item) => item !== '');
  const bad = principals?.find((principal) => !/^[^:\s]+:\S+$/.test(principal));
  if (principals === undefined || bad !== undefined)
    throw new ConfigError(
      `${where}: expected principals Type:name, got ${show(bad ?? raw)}`,
      'for example [User:venice, User:admin] (or "User:venice;User:admin")',
    );
  return [...new Set(principals)];
}

function parseMechanisms(raw: unknown, where: string): string[] {
  const list = parseEntryList(raw, where, '[PLAIN, SCRAM-SHA-512]').split(',');
  return [...new Set(list.map((name) => parseChoice<string>(name, where, SASL_MECHANISMS)))];
}

type BrokerSettings = { readonly [K in BrokerSettingKey]: Setting<K> };

/** A row whose names all derive from its venice.yaml key: broker.sslCaFile, VENICE_BROKER_SSL_CA_FILE, --broker-ssl-ca-file. */
function row<K extends BrokerSettingKey>(
  key: K,
  fields: Omit<Setting<K>, 'key' | 'yaml' | 'env' | 'flag'>,
): Setting<K> {
  const words = key.replace('.', '-').replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  return {
    key,
    yaml: key,
    env: `VENICE_${words.replace(/-/g, '_').toUpperCase()}`,
    flag: `--${words}`,
    ...fields,
  };
}

export const BROKER_SETTINGS: BrokerSettings = {
  'broker.listeners': row('broker.listeners', {
    flagValue: '<list>',
    help: "embedded broker's listeners, NAME://host:port (one must be on ports.kafka: the services use it)",
    parse: (raw, where) => parseEntryList(raw, where, '[SERVICES://127.0.0.1:9092, EXTERNAL://0.0.0.0:9093]'),
    default: () => null,
    defaultText: 'PLAINTEXT on host and ports.kafka',
    example: '[SERVICES://127.0.0.1:9092, EXTERNAL://0.0.0.0:9093]',
  }),
  'broker.listenerSecurityProtocolMap': row('broker.listenerSecurityProtocolMap', {
    flagValue: '<map>',
    help: 'NAME:PROTOCOL of each listener (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL)',
    parse: (raw, where) => parseProtocolMap(raw, where),
    default: () => null,
    defaultText: 'each protocol is its own listener name',
    example: '{SERVICES: SASL_PLAINTEXT, EXTERNAL: SASL_SSL}',
  }),
  'broker.advertisedListeners': row('broker.advertisedListeners', {
    flagValue: '<list>',
    help: 'NAME://host:port clients are told to connect to, per listener',
    parse: (raw, where) => parseEntryList(raw, where, '[EXTERNAL://kafka.example.com:9093]'),
    default: () => null,
    defaultText: "each listener's own address",
    example: '[EXTERNAL://kafka.example.com:9093]',
  }),
  'broker.sslCertFile': row('broker.sslCertFile', {
    flagValue: '<file>',
    help: 'PEM certificate (chain) of SSL and SASL_SSL listeners',
    parse: (raw, where) => parsePath(raw, where, './certs/server.pem'),
    default: () => null,
    defaultText: 'none',
    example: './certs/server.pem',
  }),
  'broker.sslKeyFile': row('broker.sslKeyFile', {
    flagValue: '<file>',
    help: 'PEM private key of that certificate',
    parse: (raw, where) => parsePath(raw, where, './certs/server-key.pem'),
    default: () => null,
    defaultText: 'none',
    example: './certs/server-key.pem',
  }),
  'broker.sslCaFile': row('broker.sslCaFile', {
    flagValue: '<file>',
    help: 'PEM CA that client certificates must chain to (with sslClientAuth)',
    parse: (raw, where) => parsePath(raw, where, './certs/ca.pem'),
    default: () => null,
    defaultText: 'none',
    example: './certs/ca.pem',
  }),
  'broker.sslClientAuth': row('broker.sslClientAuth', {
    flagValue: '<mode>',
    help: 'client certificates on TLS listeners (ssl.client.auth)',
    choices: () => SSL_CLIENT_AUTH_MODES,
    parse: (raw, where) => parseChoice(raw, where, SSL_CLIENT_AUTH_MODES),
    default: () => 'none',
    defaultText: 'none',
    example: 'required',
  }),
  'broker.saslEnabledMechanisms': row('broker.saslEnabledMechanisms', {
    flagValue: '<list>',
    help: 'SASL mechanisms of SASL listeners',
    choices: () => SASL_MECHANISMS,
    parse: (raw, where) => parseMechanisms(raw, where),
    default: () => null,
    defaultText: SASL_MECHANISMS.join(','),
    example: '[PLAIN, SCRAM-SHA-512]',
  }),
  'broker.saslPlainUsersFile': row('broker.saslPlainUsersFile', {
    flagValue: '<file>',
    help: 'static PLAIN users, one name=password a line (keep it mode 0600)',
    parse: (raw, where) => parsePath(raw, where, './secrets/broker-plain-users'),
    default: () => null,
    defaultText: 'none',
    example: './secrets/broker-plain-users',
  }),
  'broker.authorizer': row('broker.authorizer', {
    flagValue: '<on|off>',
    help: 'enforce ACLs (`venice acl`); off: every client may do everything',
    parse: (raw, where) => parseSwitch(raw, where),
    default: () => false,
    defaultText: 'off',
    example: 'on',
  }),
  'broker.superUsers': row('broker.superUsers', {
    flagValue: '<principals>',
    help: 'principals that bypass ACLs (super.users), separated by ";"',
    parse: (raw, where) => parsePrincipals(raw, where),
    default: () => [],
    defaultText: 'none',
    example: '[User:venice, User:admin]',
  }),
  'broker.allowEveryoneIfNoAclFound': row('broker.allowEveryoneIfNoAclFound', {
    flagValue: '<on|off>',
    help: 'let everyone use a resource no ACL names (allow.everyone.if.no.acl.found)',
    parse: (raw, where) => parseSwitch(raw, where),
    default: () => false,
    defaultText: 'off',
    example: 'off',
  }),
};
