// What every statement executor works with: the catalog, the Kafka client, the schema registry, the
// function registry and the properties in effect. One per engine; statements get it with the request's
// properties merged in (StatementContext).
import type { Kafka } from '../../client/index.js';
import type { Logger } from '../../service/index.js';
import type { SchemaRegistryClient } from '../../serdes/index.js';
import type { AggregateRegistry } from '../functions/aggregate/index.js';
import type { FunctionRegistry } from '../functions/index.js';
import type { AggregationPlanner } from '../planner/index.js';
import type { RuntimeDeps } from '../runtime/index.js';
import type { Catalog } from './catalog.js';
import type { CommandStatus, CurrentStatusEntity } from './entities.js';

export interface EngineContext {
  readonly catalog: Catalog;
  readonly kafka: Kafka;
  readonly registry?: SchemaRegistryClient;
  /** Scalar functions; the planner resolves calls against it. */
  readonly functions: FunctionRegistry;
  /** EXPLODE and the like, and COUNT, SUM, ...: for SHOW FUNCTIONS and DESCRIBE FUNCTION. */
  readonly tableFunctions: FunctionRegistry;
  readonly aggregates: AggregateRegistry;
  /** Plans GROUP BY over `aggregates` (whose COLLECT_LIST/SET limits come from the server's properties). */
  readonly planAggregation: AggregationPlanner;
  readonly serviceId: string;
  readonly logger: Logger;
  /** Server-wide ksql.* properties. */
  readonly serverProperties: Readonly<Record<string, string>>;
  /** The runtime's dependencies with these properties in effect. */
  runtimeDeps(properties: Readonly<Record<string, string>>): RuntimeDeps;
}

/** One statement's view: the engine plus the request's (and SET's) properties. */
export interface StatementContext {
  readonly engine: EngineContext;
  /** Server properties overridden by the request's and the session's SETs. */
  readonly properties: Readonly<Record<string, string>>;
  /** Only the overrides (what the command topic records and EXPLAIN shows). */
  readonly overrides: Readonly<Record<string, string>>;
  /**
   * Replaying the command topic: the statement ran before, so topics are neither checked, created nor
   * deleted, and queries are started once the replay is done.
   */
  readonly restoring: boolean;
  /** While restoring: the queries to start once the replay is done, if they still exist then. */
  readonly deferredStarts: (() => Promise<void>)[];
}

/** ksqlDB's command ids: `stream/`NAME`/create`, `stream/NAME/drop`, `terminate/CSAS_X_1/execute`. */
export function commandId(type: string, entity: string, action: string): string {
  return `${type}/${entity}/${action}`;
}

export function currentStatus(
  statementText: string,
  id: string,
  sequence: number,
  message: string,
  queryId: string | null = null,
): CurrentStatusEntity {
  const status: CommandStatus = { status: 'SUCCESS', message, queryId };
  return {
    '@type': 'currentStatus',
    statementText,
    commandId: id,
    commandStatus: status,
    commandSequenceNumber: sequence,
    warnings: [],
  };
}
