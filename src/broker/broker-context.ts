// What the API handlers may reach: the broker's state, in one place.
import type { BrokerConfig } from './config.js';
import type { ClusterIdentity } from './cluster-identity.js';
import type { ProducerIdAllocator } from './producer-ids.js';
import type { LogManager } from './log/log-manager.js';
import type { GroupCoordinator } from './groups/coordinator.js';
import type { TransactionCoordinator } from './transactions/coordinator.js';
import type { DynamicBrokerConfig } from './dynamic-config.js';

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
  /** Every API with a handler, for ApiVersions. */
  readonly supportedApis: readonly SupportedApi[];
}
