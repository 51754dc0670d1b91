// Calls a built-in function the way the runtime will: resolve by argument types, then invoke with values.
import { createBuiltinRegistry, type ArgType } from '../../../src/sql/functions/index.js';
import { SqlTypes, type SqlValue } from '../../../src/sql/types/index.js';

export const registry = createBuiltinRegistry();

/** An argument with its SQL type; a bare `null` is an untyped NULL literal. */
export type TypedArg = readonly [SqlValue, ArgType] | null;

export const str = (v: string | null): TypedArg => [v, SqlTypes.STRING];
export const int = (v: number | null): TypedArg => [v, SqlTypes.INTEGER];
export const double = (v: number | null): TypedArg => [v, SqlTypes.DOUBLE];
export const bigint = (v: bigint | null): TypedArg => [v, SqlTypes.BIGINT];

export function call(name: string, ...args: readonly TypedArg[]): SqlValue {
  const resolved = registry.resolve(
    name,
    args.map((a) => (a === null ? null : a[1])),
  );
  return resolved.invoke(args.map((a) => (a === null ? null : a[0])));
}
