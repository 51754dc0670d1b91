// The runtime's entry points, called by the engine: run a plan as a persistent query (CSAS, CTAS,
// INSERT INTO), as a transient push query, or answer a pull query; and insert one row (INSERT VALUES).
import type { QueryHandle } from '../engine/api.js';
import type { Expression } from '../parser/index.js';
import type { DataSource } from '../planner/data-source.js';
import type { QueryPlan } from '../planner/plan.js';
import type { RuntimeDeps } from './context.js';

import { runInsertValues } from './insert-values.js';
import { processingGuarantee } from './batch-committer.js';
import { runPersistentQuery } from './persistent-query.js';
import { restartOnFailure } from './restarting-query.js';
import { runPullQuery as answerPullQuery } from './pull-query.js';
import { runPushQuery } from './push-query.js';

export type { RuntimeDeps } from './context.js';
export { queryGroupId } from './persistent-query.js';
export { processingLogTopic } from './processing-log.js';
export { InMemoryKeyValueStore } from './state-store.js';
export { buildPipeline, type Pipeline, type PipelineInput } from './pipeline.js';
export { SourceDecoder } from './source-stage.js';
export { SinkEncoder } from './sink-stage.js';
export { QueryContext } from './query-context.js';

export type QueryState = 'RUNNING' | 'ERROR' | 'STOPPED';

export interface StopOptions {
  readonly keepState?: boolean;
}

/** A running CSAS/CTAS/INSERT INTO. */
export interface PersistentQuery {
  readonly queryId: string;
  readonly sink: DataSource;
  state(): QueryState;
  /** Records read and written so far, and processing errors, for DESCRIBE EXTENDED. */
  stats(): { readonly consumed: number; readonly produced: number; readonly errors: number };
  /** What stopped it, when it failed (EXPLAIN's queryErrors). */
  failure?(): QueryFailureInfo | undefined;
  /**
   * Stops consuming, flushes what was produced and commits; the group's offsets stay. keepState (the
   * server shutting down): disk stores stay, with a checkpoint, for the next start.
   */
  stop(options?: StopOptions): Promise<void>;
}

export interface QueryFailureInfo {
  readonly message: string;
  /** ms since the epoch */
  readonly timestamp: number;
}

export interface PersistentQueryOptions {
  readonly queryId: string;
  readonly plan: QueryPlan;
  /** The stream or table the query writes (already in the catalog, its topic already created). */
  readonly sink: DataSource;
}

export function startPersistentQuery(
  options: PersistentQueryOptions,
  deps: RuntimeDeps,
): Promise<PersistentQuery> {
  if (processingGuarantee(deps.properties) === 'exactly_once_v2')
    return restartOnFailure(options, deps, (onFailed) => runPersistentQuery(options, deps, onFailed));
  return runPersistentQuery(options, deps);
}

export interface TransientQueryOptions {
  /** e.g. transient_ORDERS_123 */
  readonly queryId: string;
  readonly plan: QueryPlan;
}

/** SELECT ... EMIT CHANGES: rows until LIMIT or close(). */
export function startPushQuery(options: TransientQueryOptions, deps: RuntimeDeps): Promise<QueryHandle> {
  return runPushQuery(options, deps);
}

/** SELECT without EMIT: the current rows of a table (or a stream's records so far), then the end. */
export function runPullQuery(options: TransientQueryOptions, deps: RuntimeDeps): Promise<QueryHandle> {
  return answerPullQuery(options, deps);
}

/** INSERT INTO target [(columns)] VALUES (...): one row, serialized and produced. */
export function insertValues(
  target: DataSource,
  columns: readonly string[],
  values: readonly Expression[],
  deps: RuntimeDeps,
): Promise<void> {
  return runInsertValues(target, columns, values, deps);
}
