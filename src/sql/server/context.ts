// What every route group of the REST API is given.
import type { SqlEngine } from '../engine/api.js';
import type { Logger } from '../../service/index.js';
import type { CommandStatuses } from './command-statuses.js';
import type { OpenQueries } from './open-queries.js';

export interface ServerInfo {
  /** The ksqlDB version whose API this server speaks, for /info. */
  readonly version: string;
  readonly kafkaClusterId: string;
  /** The processing-log topic (ksql.logging.processing.topic.name), which /inserts-stream may not write. */
  readonly processingLogTopic?: string;
}

export interface RouteContext {
  readonly engine: SqlEngine;
  readonly openQueries: OpenQueries;
  readonly commandStatuses: CommandStatuses;
  readonly logger: Logger;
  readonly info: ServerInfo;
}
