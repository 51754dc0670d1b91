// The built-in functions, one file per family, gathered in one registry; table functions in another.
import { mathFunctions } from './math.js';
import { nullFunctions } from './nulls.js';
import { regexFunctions } from './regex.js';
import { FunctionRegistry, type FunctionCategory, type SqlFunction } from './registry.js';
import { stringFunctions } from './string.js';
import { lambdaFunctions } from './lambda.js';
import { tableFunctions } from './table.js';
import { dateTimeFunctions } from './date-time.js';

export * from './registry.js';

/** The families written before categories existed get theirs here. */
const inCategory = (category: FunctionCategory, fns: readonly SqlFunction[]): SqlFunction[] =>
  fns.map((fn) => (fn.category === undefined ? { ...fn, category } : fn));

export const scalarFunctions: readonly SqlFunction[] = [
  ...inCategory('STRING', stringFunctions),
  ...inCategory('REGULAR EXPRESSION', regexFunctions),
  ...inCategory('MATHEMATICAL', mathFunctions),
  ...inCategory('OTHER', nullFunctions),
  ...lambdaFunctions,
  ...dateTimeFunctions,
];

/** A new registry holding every built-in scalar function. */
export function createBuiltinRegistry(): FunctionRegistry {
  const registry = new FunctionRegistry();
  for (const fn of scalarFunctions) registry.register(fn);
  return registry;
}

/** A new registry of the table functions (EXPLODE, CUBE_EXPLODE): see table.ts for what they return. */
export function createTableFunctionRegistry(): FunctionRegistry {
  const registry = new FunctionRegistry();
  for (const fn of tableFunctions) registry.register(fn);
  return registry;
}
