// The resolved `broker` section: the embedded broker's listeners and security, paths made absolute and
// checked against the rest of the configuration: Venice's services (and the CLI) reach the broker on
// ports.kafka with the kafka.* settings, so that listener must exist and speak their protocol.
import fs from 'node:fs';
import { resolveListeners, type ListenerSpec } from '../broker/security/listeners.js';
import type { SslClientAuth } from '../broker/security/tls-settings.js';
import type { SecurityProtocol } from '../client/security-settings.js';
import {
  BROKER_SETTINGS,
  type BrokerFileKey,
  type BrokerSettingKey,
  type BrokerSettingValues,
} from './broker-settings.js';
import { ConfigError } from './errors.js';

export interface BrokerConfig {
  listeners: string | null;
  listenerSecurityProtocolMap: string | null;
  advertisedListeners: string | null;
  /** Absolute paths. */
  sslCertFile: string | null;
  sslKeyFile: string | null;
  sslCaFile: string | null;
  sslClientAuth: SslClientAuth;
  /** null: the broker's default (every mechanism it has). */
  saslEnabledMechanisms: string[] | null;
  saslPlainUsersFile: string | null;
  authorizer: boolean;
  superUsers: string[];
  allowEveryoneIfNoAclFound: boolean;
}

/** What checkEmbeddedBroker needs from the rest of the configuration. */
export interface ServicesConnection {
  /** The interface the components bind (host). */
  host: string;
  kafkaPort: number;
  /** kafka.securityProtocol: how the services and the CLI talk to the broker. */
  protocol: SecurityProtocol;
}

type Pick = <K extends BrokerSettingKey>(key: K) => BrokerSettingValues[K];

export function resolveBrokerConfig(
  pick: Pick,
  pickPath: (key: BrokerFileKey) => string | null,
): BrokerConfig {
  const config: BrokerConfig = {
    listeners: pick('broker.listeners'),
    listenerSecurityProtocolMap: pick('broker.listenerSecurityProtocolMap'),
    advertisedListeners: pick('broker.advertisedListeners'),
    sslCertFile: pickPath('broker.sslCertFile'),
    sslKeyFile: pickPath('broker.sslKeyFile'),
    sslCaFile: pickPath('broker.sslCaFile'),
    sslClientAuth: pick('broker.sslClientAuth'),
    saslEnabledMechanisms: pick('broker.saslEnabledMechanisms'),
    saslPlainUsersFile: pickPath('broker.saslPlainUsersFile'),
    authorizer: pick('broker.authorizer'),
    superUsers: pick('broker.superUsers'),
    allowEveryoneIfNoAclFound: pick('broker.allowEveryoneIfNoAclFound'),
  };
  if (config.superUsers.some((principal) => principal.toUpperCase() === 'USER:ANONYMOUS'))
    throw new ConfigError(
      `${names('broker.superUsers')} names User:ANONYMOUS: every unauthenticated client would bypass the ACLs`,
      'make Venice log in (kafka.saslUsername) and name that user instead, e.g. User:venice',
    );
  for (const key of ['sslCertFile', 'sslKeyFile', 'sslCaFile', 'saslPlainUsersFile'] as const) {
    const file = config[key];
    if (file !== null && !fs.existsSync(file))
      throw new ConfigError(`broker.${key}: ${file} does not exist`, `check ${names(`broker.${key}`)}`);
  }
  return config;
}

/**
 * Checks, before `venice up` starts the embedded broker, that Venice's services can use it: they (and
 * the CLI) connect to host:ports.kafka with the kafka.* settings, so a listener must be there, speaking
 * that protocol; and with ACLs enforced, that listener must authenticate them.
 */
export function checkEmbeddedBroker(config: BrokerConfig, services: ServicesConnection): void {
  let listeners: ListenerSpec[];
  try {
    listeners = resolveListeners({
      host: services.host,
      port: services.kafkaPort,
      advertisedHost: services.host,
      advertisedPort: services.kafkaPort,
      listeners: config.listeners,
      listenerSecurityProtocolMap: config.listenerSecurityProtocolMap,
      advertisedListeners: config.advertisedListeners,
    });
  } catch (error) {
    throw new ConfigError(
      `broker listeners: ${(error as Error).message}`,
      `check ${BROKER_SETTINGS['broker.listeners'].yaml}, ${BROKER_SETTINGS['broker.listenerSecurityProtocolMap'].yaml} and ${BROKER_SETTINGS['broker.advertisedListeners'].yaml}`,
    );
  }
  const servicesListener = listeners.find((listener) => listener.port === services.kafkaPort);
  if (servicesListener === undefined)
    throw new ConfigError(
      `${names('broker.listeners')} has no listener on ports.kafka (${services.kafkaPort}): Venice's services and the CLI reach the broker there`,
      `add one, e.g. SERVICES://127.0.0.1:${services.kafkaPort} with SERVICES:SASL_PLAINTEXT in ${BROKER_SETTINGS['broker.listenerSecurityProtocolMap'].yaml}, or change ports.kafka`,
    );
  if (!reachesFrom(servicesListener.host, services.host))
    throw new ConfigError(
      `the listener on ports.kafka (${servicesListener.name}) binds ${servicesListener.host}, but the services connect to ${reachable(services.host)} (host is ${services.host})`,
      `bind it to ${reachable(services.host)} (or 0.0.0.0)`,
    );
  if (servicesListener.securityProtocol !== services.protocol)
    throw new ConfigError(
      `the listener on ports.kafka (${servicesListener.name}) is ${servicesListener.securityProtocol} but kafka.securityProtocol is ${services.protocol}: Venice's services could not talk to their broker`,
      `set kafka.securityProtocol to ${servicesListener.securityProtocol} (with its kafka.* credentials), or change the listener's protocol`,
    );
  if (config.authorizer && !servicesListener.securityProtocol.startsWith('SASL_'))
    throw new ConfigError(
      `${names('broker.authorizer')} is on but the services' listener ${servicesListener.name} is ${servicesListener.securityProtocol}: Venice's services would be User:ANONYMOUS, and letting them work lets any local client do anything`,
      `make it SASL_PLAINTEXT (or SASL_SSL), log the services in with kafka.saslUsername / kafka.saslPasswordFile, and name that user in ${BROKER_SETTINGS['broker.superUsers'].yaml}`,
    );
  const tlsListener = listeners.find((listener) => listener.securityProtocol.endsWith('SSL'));
  if (tlsListener !== undefined && (config.sslCertFile === null || config.sslKeyFile === null))
    throw new ConfigError(
      `listener ${tlsListener.name} uses TLS but ${config.sslCertFile === null ? 'broker.sslCertFile' : 'broker.sslKeyFile'} is not set`,
      'make a certificate with `venice certs create` and set broker.sslCertFile and broker.sslKeyFile',
    );
  if (config.sslClientAuth !== 'none' && config.sslCaFile === null)
    throw new ConfigError(
      `broker.sslClientAuth is ${config.sslClientAuth} but broker.sslCaFile is not set`,
      'set broker.sslCaFile to the CA that signs the client certificates',
    );
}

function reachable(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

/** Whether a listener bound to `bound` accepts the services, which connect to the reachable `host`. */
function reachesFrom(bound: string, host: string): boolean {
  return bound === '0.0.0.0' || bound === '::' || bound === reachable(host);
}

/** "broker.listeners (VENICE_BROKER_LISTENERS, --broker-listeners)" */
function names(key: BrokerSettingKey): string {
  const setting = BROKER_SETTINGS[key];
  return `${setting.yaml} (${setting.env}, ${setting.flag})`;
}
