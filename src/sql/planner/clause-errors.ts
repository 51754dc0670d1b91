// ksqlDB words an expression's error by the clause it is in: "WHERE column 'BOB' cannot be resolved.",
// "Error in WHERE expression: Cannot compare ...". The compiler does not know the clause; this wraps it.
import type { Expression } from '../parser/index.js';
import { UnresolvedColumnError } from './columns.js';
import { CodeGenerationError, SqlAnalysisError } from './errors.js';
import type { CompiledExpression, ExpressionCompiler, ExpressionScope } from './expression-compiler.js';
import { expressionText } from './expression-text.js';

export type Clause = 'SELECT' | 'WHERE' | 'PARTITION BY' | 'HAVING' | 'GROUP BY';

export function compileIn(
  clause: Clause,
  compiler: ExpressionCompiler,
  expression: Expression,
  scope: ExpressionScope,
): CompiledExpression {
  try {
    return compiler.compile(expression, scope);
  } catch (error) {
    if (error instanceof UnresolvedColumnError) {
      const name = error.columnText;
      const extra =
        clause === 'PARTITION BY'
          ? ` '${name}' must be a column in the source schema since PARTITION BY is applied on the input.`
          : '';
      throw new SqlAnalysisError(`${clause} column '${name}' cannot be resolved.${extra}`, error.pos);
    }
    if (error instanceof CodeGenerationError && clause === 'SELECT') {
      throw new SqlAnalysisError(`Invalid Select: ${error.detail}.`);
    }
    if (error instanceof SqlAnalysisError && (clause === 'WHERE' || clause === 'HAVING')) {
      // ksqlDB quotes the clause's expression as the failed statement (`Statement: (ID = '10')`).
      throw new SqlAnalysisError(
        `Error in ${clause} expression: ${error.detail}`,
        error.pos,
        expressionText(expression),
      );
    }
    throw error;
  }
}
