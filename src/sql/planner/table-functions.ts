// Table functions in a SELECT (EXPLODE, CUBE_EXPLODE), planned as ksqlDB plans them: a flat-map step
// after WHERE and PARTITION BY adds one value column per call (KSQL_SYNTH_n) holding one output value per
// row, and the SELECT is rewritten to read those columns in place of the calls. ksqlDB's refusals: a
// table source, a call nested in another table function or in a CASE, and (aggregation.ts) GROUP BY.
import {
  createTableFunctionRegistry,
  FunctionResolutionError,
  type FunctionRegistry,
} from '../functions/index.js';
import type { Expression, Query } from '../parser/index.js';
import { flatMapOperator, type TableFunctionEvaluator } from '../runtime/operators/flat-map.js';
import type { SqlValue } from '../types/index.js';
import { collect, columnRef, rewrite } from './aggregation/expression-tree.js';
import { compileIn } from './clause-errors.js';
import { SqlAnalysisError } from './errors.js';
import type { ExpressionCompiler } from './expression-compiler.js';
import { expressionText } from './expression-text.js';
import { scopeOf, withOperators, type PlannedSource } from './plan.js';
import type { Column } from './schema.js';

/** The prefix of the columns holding table functions' outputs; `*` does not select them. */
export const SYNTHETIC_COLUMN_PREFIX = 'KSQL_SYNTH_';

const registry: FunctionRegistry = createTableFunctionRegistry();

export function isTableFunctionCall(expr: Expression): boolean {
  return expr.kind === 'FunctionCall' && registry.get(expr.name.value) !== undefined;
}

/** ksqlDB's checks of where a table function may be called: not inside another one, not in a CASE. */
function checkPlacement(select: Query['select']): void {
  for (const outer of collect(select, isTableFunctionCall)) {
    if (outer.kind !== 'FunctionCall') continue;
    const [inner] = collect(outer.args, isTableFunctionCall);
    if (inner?.kind === 'FunctionCall') {
      throw new SqlAnalysisError(
        `Table functions cannot be nested: ${outer.name.value.toUpperCase()}(${inner.name.value.toUpperCase()}())`,
      );
    }
  }
  for (const caseExpr of collect(select, (e) => e.kind === 'SearchedCase')) {
    if (collect(caseExpr, isTableFunctionCall).length > 0) {
      throw new SqlAnalysisError(`Table functions cannot be used in CASE: ${expressionText(caseExpr)}`);
    }
  }
}

/**
 * Adds the flat-map step when the SELECT calls table functions, and returns the query whose SELECT reads
 * their outputs; the input and query unchanged otherwise.
 */
export function planTableFunctions(
  query: Query,
  input: PlannedSource,
  compiler: ExpressionCompiler,
): { readonly input: PlannedSource; readonly query: Query } {
  const calls = collect(query.select, isTableFunctionCall);
  if (calls.length === 0) return { input, query };
  checkPlacement(query.select);
  if (input.kind === 'TABLE')
    throw new SqlAnalysisError('Table source is not supported with table functions');

  const scope = scopeOf(input);
  const taken = new Set([...input.schema.key, ...input.schema.value].map((c) => c.name));
  const synthetic = new Map<Expression, string>();
  const columns: Column[] = [];
  const evaluators: TableFunctionEvaluator[] = [];
  let next = 0;
  for (const call of calls) {
    if (call.kind !== 'FunctionCall') continue;
    const args = call.args.map((arg) => compileIn('SELECT', compiler, arg, scope));
    let resolved;
    try {
      resolved = registry.resolve(
        call.name.value,
        args.map((arg) => arg.type),
      );
    } catch (error) {
      if (error instanceof FunctionResolutionError) throw new SqlAnalysisError(error.message, call.pos);
      throw error;
    }
    const { invoke, returnType } = resolved;
    let name = `${SYNTHETIC_COLUMN_PREFIX}${next++}`;
    while (taken.has(name)) name = `${SYNTHETIC_COLUMN_PREFIX}${next++}`;
    synthetic.set(call, name);
    columns.push({ name, type: returnType, namespace: 'VALUE' });
    evaluators.push((record) => {
      const output = invoke(args.map((arg) => arg.evaluate(record)));
      return Array.isArray(output) ? (output as readonly SqlValue[]) : [];
    });
  }
  const schema = { key: input.schema.key, value: [...input.schema.value, ...columns] };
  const select = rewrite(query.select, (expr) => {
    const name = synthetic.get(expr);
    return name === undefined ? undefined : columnRef(name, expr);
  });
  return {
    input: withOperators(input, schema, flatMapOperator(evaluators)),
    query: { ...query, select },
  };
}
