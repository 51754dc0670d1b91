// The planner's entry points: planQuery turns a SELECT (of a CREATE ... AS SELECT, INSERT INTO, a push or
// a pull query) into a QueryPlan against the catalog; createExpressionCompiler compiles expressions.
import type { FunctionRegistry } from '../functions/index.js';
import type { Query } from '../parser/index.js';
import type { CatalogView, DataSource } from './data-source.js';
import type { ExpressionCompiler } from './expression-compiler.js';
import type { AggregationPlanner, JoinPlanner, QueryPlan, QueryType } from './plan.js';

export * from './plan.js';
export { SqlAnalysisError } from './errors.js';
export { createExpressionCompiler, type ExpressionCompilerOptions } from './expressions.js';
export { registerAggregationPlanner, registerJoinPlanner } from './step-planners.js';

/** Where a persistent query writes: a new stream/table (CSAS/CTAS) or an existing one (INSERT INTO). */
export type SinkRequest =
  | { readonly kind: 'CREATE'; readonly sourceType: 'STREAM' | 'TABLE'; readonly name: string }
  | { readonly kind: 'INSERT'; readonly target: DataSource };

export interface PlanOptions {
  readonly type: QueryType;
  readonly functions: FunctionRegistry;
  /** Defaults to createExpressionCompiler(functions). */
  readonly compiler?: ExpressionCompiler;
  /** For PERSISTENT: the sink, so that its schema can be checked (key columns, INSERT compatibility). */
  readonly sink?: SinkRequest;
  /** ksql.* properties in effect for the statement. */
  readonly properties?: Readonly<Record<string, string>>;
  /** Override the registered planners (tests, or before the modules register themselves). */
  readonly planAggregation?: AggregationPlanner;
  readonly planJoin?: JoinPlanner;
}

export function planQuery(query: Query, catalog: CatalogView, options: PlanOptions): QueryPlan {
  void query;
  void catalog;
  void options;
  throw new Error('not yet');
}
