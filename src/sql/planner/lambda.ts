// Lambdas (`x => x + 1`, `(k, v) => v > 0`) as the expression compiler hands them to functions such as
// TRANSFORM, FILTER and REDUCE. This is the shape agreed with the functions' owner:
//   - the argument's type, given to FunctionRegistry.resolve, is a LambdaSqlType (kind 'LAMBDA', with the
//     parameter types and the body's type), passed where a SqlType goes;
//   - the argument's value is a LambdaValue, a JS function of the parameters' values, passed where a
//     SqlValue goes. It never throws for a bad row: an evaluation error inside gives NULL, as elsewhere.
// The parameter types follow ksqlDB's lambda functions: the arguments between the collection and the
// lambda (REDUCE's initial state) come first, then the collection's element (ARRAY) or key and value (MAP).
import type { SqlType, SqlValue } from '../types/index.js';

export interface LambdaSqlType {
  readonly kind: 'LAMBDA';
  readonly params: readonly SqlType[];
  readonly returns: SqlType | null;
}

export type LambdaValue = (...args: SqlValue[]) => SqlValue;

export function isLambdaType(type: unknown): type is LambdaSqlType {
  return typeof type === 'object' && type !== null && (type as { kind?: unknown }).kind === 'LAMBDA';
}

/**
 * The parameter types of the lambda at `lambdaIndex` of a call whose other arguments have `argTypes`,
 * or undefined when the first argument is not an ARRAY or a MAP.
 */
export function lambdaParamTypes(
  argTypes: readonly (SqlType | null)[],
  lambdaIndex: number,
): SqlType[] | undefined {
  const collection = argTypes[0];
  if (collection === null || collection === undefined) return undefined;
  const state: SqlType[] = [];
  for (let i = 1; i < lambdaIndex; i++) {
    const type = argTypes[i];
    if (type !== null && type !== undefined && !isLambdaType(type)) state.push(type);
  }
  if (collection.kind === 'ARRAY') return [...state, collection.element];
  if (collection.kind === 'MAP') return [...state, collection.key, collection.value];
  return undefined;
}
