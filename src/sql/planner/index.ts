// The planner's entry points: planQuery turns a SELECT (of a CREATE ... AS SELECT, INSERT INTO, a push or
// a pull query) into a QueryPlan against the catalog; createExpressionCompiler compiles expressions.
export * from './plan.js';
export { SqlAnalysisError } from './errors.js';
export { createExpressionCompiler, type ExpressionCompilerOptions } from './expressions.js';
export { registerAggregationPlanner, registerJoinPlanner } from './step-planners.js';

export { planQuery, schemaText, type PlanOptions, type SinkRequest } from './query-planner.js';
export { planProjection, type Projection, type ProjectionOptions } from './projection.js';
export { planPartitionBy, checkKeyType } from './partition-by.js';
export { compileIn, type Clause } from './clause-errors.js';
export { expressionText, identifierText } from './expression-text.js';
