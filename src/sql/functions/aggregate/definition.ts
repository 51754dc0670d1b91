// How each aggregate function describes itself to the registry: its overloads as DESCRIBE FUNCTION
// lists them, and a binder that accepts or refuses one call's argument types and literal arguments.
import type { SqlType, SqlValue } from '../../types/index.js';
import type { AggregateFunction, ResolvedAggregate } from './aggregate-function.js';

/** A NULL literal's type is unknown: `null`. */
export type AggregateArgType = SqlType | null;

/** A literal argument's value, or undefined where the argument is not a literal. */
export type LiteralArg = SqlValue | undefined;

/** A call bound to its overload. */
export interface BoundAggregate extends ResolvedAggregate {
  /**
   * How many of the call's arguments are evaluated on every row and passed to `aggregate`, in order;
   * the ones after are literal parameters (TOPK's k, EARLIEST_BY_OFFSET's n and ignoreNulls).
   */
  readonly rowArgCount: number;
  /** Whether it can aggregate a table (it has `undo`); ksqlDB refuses the others there. */
  readonly supportsTables: boolean;
}

export interface AggregateSignature {
  /** `SUM(INT val)` style, as DESCRIBE FUNCTION's arguments. */
  readonly args: string;
  readonly returns: string;
  readonly description: string;
}

export interface AggregateDefinition {
  /** Upper case. */
  readonly name: string;
  readonly description: string;
  readonly signatures: readonly AggregateSignature[];
  /** The bound call, or undefined when no overload takes these arguments. */
  bind(argTypes: readonly AggregateArgType[], literals: readonly LiteralArg[]): BoundAggregate | undefined;
}

/** A bound call over one function instance factory. */
export function bound<A>(
  name: string,
  returnType: SqlType,
  rowArgCount: number,
  create: () => AggregateFunction<A>,
  intermediateType: SqlType = returnType,
): BoundAggregate {
  const probe = create();
  return {
    name,
    returnType,
    intermediateType,
    rowArgCount,
    supportsTables: probe.undo !== undefined,
    create: create as () => AggregateFunction,
  };
}

/** Kinds ksqlDB's MIN, MAX and TOPK accept: the ones with a natural order. */
export const ORDERED_KINDS: ReadonlySet<string> = new Set([
  'INTEGER',
  'BIGINT',
  'DOUBLE',
  'DECIMAL',
  'STRING',
  'BYTES',
  'DATE',
  'TIME',
  'TIMESTAMP',
]);

export const NUMERIC_KINDS: ReadonlySet<string> = new Set(['INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL']);
