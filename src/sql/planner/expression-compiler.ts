// The contract between the planner and everything that evaluates SQL expressions (filters, projections,
// group-by keys, aggregate arguments, join conditions): an AST expression is type-checked against a
// schema once, and becomes a closure over a record.
import type { Expression } from '../parser/index.js';
import type { SqlRecord } from '../runtime/records.js';
import type { SqlType, SqlValue } from '../types/index.js';
import type { LogicalSchema } from './schema.js';

export interface ExpressionScope {
  readonly schema: LogicalSchema;
  /** Whether WINDOWSTART and WINDOWEND can be referenced. */
  readonly windowed: boolean;
  /**
   * Source aliases of a join (A in A.ID), each mapping to the prefix its columns carry in the joined
   * schema (ksqlDB's `A_ID`). Empty for a single source, where `ALIAS.COL` is just COL.
   */
  readonly aliases?: ReadonlyMap<string, string>;
}

export interface CompiledExpression {
  /** The result type; null for a bare NULL literal, whose type is unknown. */
  readonly type: SqlType | null;
  /** Never throws: an evaluation error is reported through `onError` and gives NULL, as ksqlDB does. */
  evaluate(record: SqlRecord): SqlValue;
}

export interface ExpressionCompiler {
  /** Throws SqlAnalysisError (with the expression's position) when it does not type-check. */
  compile(expression: Expression, scope: ExpressionScope): CompiledExpression;
}
