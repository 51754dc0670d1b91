// What the API handlers may reach: the broker's state, in one place.
import type { BrokerConfig } from './config.js';
import type { ClusterIdentity } from './cluster-identity.js';
import type { ProducerIdAllocator } from './producer-ids.js';
import type { LogManager } from './log/log-manager.js';
import type { GroupCoordinator } from './groups/coordinator.js';
import type { TransactionCoordinator } from './transactions/coordinator.js';
import type { DynamicBrokerConfig } from './dynamic-config.js';
import type { ScramCredentialStore } from './security/scram-credentials.js';
import type { ListenerSpec } from './security/listeners.js';
import type { Authorizer } from './security/authorizer.js';
import type { AclStore } from './security/acl-store.js';

export interface SupportedApi {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export interface BrokerContext {
  /** Live settings: dynamic broker configs change some of them while the broker runs. */
  readonly config: BrokerConfig;
  readonly dynamicConfig: DynamicBrokerConfig;
  readonly identity: ClusterIdentity;
  readonly logs: LogManager;
  readonly groups: GroupCoordinator;
  readonly transactions: TransactionCoordinator;
  readonly producerIds: ProducerIdAllocator;
  /** SCRAM credentials, for SASL authentication and the SCRAM credential APIs. */
  readonly scramCredentials: ScramCredentialStore;
  /** The listeners, first the default one; Metadata tells a client the one it connected on. */
  readonly listeners: readonly ListenerSpec[];
  /** Decides what each connection's principal may do (allows everything unless enabled). */
  readonly authorizer: Authorizer;
  /** The ACLs, kept in the ACL topic, which the authorizer reads; null while the authorizer is off. */
  readonly acls: AclStore | null;
  /** Every API with a handler, for ApiVersions. */
  readonly supportedApis: readonly SupportedApi[];
}

/** Where a client connected on `listenerName` is told to connect (Kafka advertises per listener). */
export function advertisedEndpoint(
  broker: BrokerContext,
  listenerName: string,
): { host: string; port: number } {
  const listener =
    broker.listeners.find((candidate) => candidate.name === listenerName) ?? broker.listeners[0];
  return listener
    ? { host: listener.advertisedHost, port: listener.advertisedPort }
    : { host: broker.config.advertisedHost, port: broker.config.advertisedPort };
}
