// The runtime's entry points, called by the engine: run a plan as a persistent query (CSAS, CTAS,
// INSERT INTO), as a transient push query, or answer a pull query; and insert one row (INSERT VALUES).
import type { QueryHandle } from '../engine/api.js';
import type { Expression } from '../parser/index.js';
import type { DataSource } from '../planner/data-source.js';
import type { QueryPlan } from '../planner/plan.js';
import type { RuntimeDeps } from './context.js';

export type { RuntimeDeps } from './context.js';

export type QueryState = 'RUNNING' | 'ERROR' | 'STOPPED';

/** A running CSAS/CTAS/INSERT INTO. */
export interface PersistentQuery {
  readonly queryId: string;
  readonly sink: DataSource;
  state(): QueryState;
  /** Records read and written so far, and processing errors, for DESCRIBE EXTENDED. */
  stats(): { readonly consumed: number; readonly produced: number; readonly errors: number };
  /** Stops consuming, flushes what was produced and commits; the group's offsets stay. */
  stop(): Promise<void>;
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
  void options;
  void deps;
  return Promise.reject(new Error('not yet'));
}

export interface TransientQueryOptions {
  /** e.g. transient_ORDERS_123 */
  readonly queryId: string;
  readonly plan: QueryPlan;
}

/** SELECT ... EMIT CHANGES: rows until LIMIT or close(). */
export function startPushQuery(options: TransientQueryOptions, deps: RuntimeDeps): Promise<QueryHandle> {
  void options;
  void deps;
  return Promise.reject(new Error('not yet'));
}

/** SELECT without EMIT: the current rows of a table (or a stream's records so far), then the end. */
export function runPullQuery(options: TransientQueryOptions, deps: RuntimeDeps): Promise<QueryHandle> {
  void options;
  void deps;
  return Promise.reject(new Error('not yet'));
}

/** INSERT INTO target [(columns)] VALUES (...): one row, serialized and produced. */
export function insertValues(
  target: DataSource,
  columns: readonly string[],
  values: readonly Expression[],
  deps: RuntimeDeps,
): Promise<void> {
  void target;
  void columns;
  void values;
  void deps;
  return Promise.reject(new Error('not yet'));
}
