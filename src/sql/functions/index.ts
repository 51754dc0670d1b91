// The built-in functions, one file per family, gathered in one registry.
import { mathFunctions } from './math.js';
import { nullFunctions } from './nulls.js';
import { regexFunctions } from './regex.js';
import { FunctionRegistry } from './registry.js';
import { stringFunctions } from './string.js';

export * from './registry.js';

/** A new registry holding every built-in function. */
export function createBuiltinRegistry(): FunctionRegistry {
  const registry = new FunctionRegistry();
  for (const fn of [...stringFunctions, ...regexFunctions, ...mathFunctions, ...nullFunctions])
    registry.register(fn);
  return registry;
}
