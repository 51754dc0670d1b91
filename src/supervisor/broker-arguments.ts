// The embedded broker's `broker.*` settings as `venice broker` flags. They name files, never secrets,
// so they may show in `ps`.
import type { BrokerConfig } from '../config/broker.js';
import { resolveListeners, type ListenerSpec } from '../broker/security/listeners.js';
import type { VeniceConfig } from '../config/settings.js';

export function brokerSecurityArguments(broker: BrokerConfig): string[] {
  const args: string[] = [];
  const add = (flag: string, value: string | null) => {
    if (value !== null) args.push(flag, value);
  };
  add('--listeners', broker.listeners);
  add('--listener-security-protocol-map', broker.listenerSecurityProtocolMap);
  add('--advertised-listeners', broker.advertisedListeners);
  add('--ssl-certificate-file', broker.sslCertFile);
  add('--ssl-key-file', broker.sslKeyFile);
  add('--ssl-ca-file', broker.sslCaFile);
  if (broker.sslClientAuth !== 'none') add('--ssl-client-auth', broker.sslClientAuth);
  add('--sasl-enabled-mechanisms', broker.saslEnabledMechanisms?.join(',') ?? null);
  add('--sasl-plain-users-file', broker.saslPlainUsersFile);
  if (broker.authorizer) args.push('--authorizer');
  if (broker.superUsers.length > 0) add('--super-users', broker.superUsers.join(';'));
  if (broker.allowEveryoneIfNoAclFound) args.push('--allow-everyone-if-no-acl-found');
  return args;
}

/** The listeners broker.listeners configures, or null for the one PLAINTEXT listener on host and ports.kafka. */
export function brokerListeners(config: VeniceConfig): ListenerSpec[] | null {
  if (config.broker.listeners === null) return null;
  return resolveListeners({
    host: config.host,
    port: config.ports.kafka,
    advertisedHost: config.host,
    advertisedPort: config.ports.kafka,
    listeners: config.broker.listeners,
    listenerSecurityProtocolMap: config.broker.listenerSecurityProtocolMap,
    advertisedListeners: config.broker.advertisedListeners,
  });
}
