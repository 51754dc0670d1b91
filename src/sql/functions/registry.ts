// The function registry: a name maps to overloads; a call is resolved against the argument types the way
// ksqlDB resolves it (exact types first, then the fewest implicit widenings), and its arguments are converted
// to the chosen overload's types before it runs.
import {
  coerceValue,
  commonType,
  formatType,
  wideningDistance,
  type SqlType,
  type SqlValue,
} from '../types/index.js';

/** DECIMAL of any precision and scale. */
export interface AnyDecimalParam {
  readonly kind: 'ANY_DECIMAL';
}
/** A type variable: every argument at a `T` parameter is brought to one common type. */
export interface GenericParam {
  readonly kind: 'GENERIC';
  readonly name: string;
}
export type ParamType = SqlType | AnyDecimalParam | GenericParam;

export const ANY_DECIMAL: AnyDecimalParam = { kind: 'ANY_DECIMAL' };
export const generic = (name: string): GenericParam => ({ kind: 'GENERIC', name });

export interface Param {
  readonly name: string;
  readonly type: ParamType;
}

export interface FunctionOverload {
  readonly params: readonly Param[];
  /** The last parameter takes zero or more arguments. */
  readonly variadic?: boolean;
  /** A fixed type, or computed from the argument types after widening (e.g. DECIMAL precision). */
  readonly returns: SqlType | ((argTypes: readonly SqlType[]) => SqlType);
  /**
   * Whether `invoke` sees NULL arguments. When false (the default, as most ksqlDB functions behave) a NULL
   * argument makes the result NULL without calling it.
   */
  readonly acceptsNulls?: boolean;
  readonly invoke: (args: readonly SqlValue[]) => SqlValue;
}

export interface SqlFunction {
  /** Upper case, as ksqlDB lists it. */
  readonly name: string;
  readonly description: string;
  readonly overloads: readonly FunctionOverload[];
  /** RANDOM and the like: the same arguments can give another result. */
  readonly nondeterministic?: boolean;
}

/** A call bound to one overload: its result type, and a function from argument values to the result. */
export interface ResolvedCall {
  readonly fn: SqlFunction;
  readonly overload: FunctionOverload;
  readonly returnType: SqlType;
  /** The type each argument is converted to. */
  readonly argTypes: readonly SqlType[];
  readonly invoke: (args: readonly SqlValue[]) => SqlValue;
}

export class FunctionResolutionError extends Error {
  override readonly name = 'FunctionResolutionError';
}

/** A NULL literal's type is unknown: `null` here. It matches any parameter. */
export type ArgType = SqlType | null;

export class FunctionRegistry {
  private readonly functions = new Map<string, SqlFunction>();

  register(fn: SqlFunction): void {
    const name = fn.name.toUpperCase();
    if (this.functions.has(name)) throw new Error(`function ${name} is registered twice`);
    this.functions.set(name, fn);
  }

  get(name: string): SqlFunction | undefined {
    return this.functions.get(name.toUpperCase());
  }

  names(): string[] {
    return [...this.functions.keys()].sort();
  }

  resolve(name: string, argTypes: readonly ArgType[]): ResolvedCall {
    const fn = this.get(name);
    if (fn === undefined)
      throw new FunctionResolutionError(`Can't find any functions with the name '${name}'`);
    let best: { call: ResolvedCall; cost: number } | undefined;
    for (const overload of fn.overloads) {
      const match = matchOverload(overload, argTypes);
      if (match !== undefined && (best === undefined || match.cost < best.cost)) {
        best = { call: bind(fn, overload, argTypes, match.types), cost: match.cost };
      }
    }
    if (best !== undefined) return best.call;
    const given = argTypes.map((t) => (t === null ? 'NULL' : formatType(t))).join(', ');
    const alternatives = fn.overloads.map((o) => describeOverload(fn.name, o)).join('\n');
    throw new FunctionResolutionError(
      `Function '${fn.name}' does not accept parameters (${given}).\nValid alternatives are:\n${alternatives}\n` +
        'For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;',
    );
  }
}

export function describeOverload(name: string, overload: FunctionOverload): string {
  const params = overload.params.map((p, i) => {
    const dots = overload.variadic === true && i === overload.params.length - 1 ? '...' : '';
    return `${formatParamType(p.type)}${dots} ${p.name}`;
  });
  return `${name}(${params.join(', ')})`;
}

function formatParamType(type: ParamType): string {
  if (type.kind === 'ANY_DECIMAL') return 'DECIMAL';
  if (type.kind === 'GENERIC') return type.name;
  return formatType(type);
}

function paramAt(overload: FunctionOverload, index: number): Param | undefined {
  const { params } = overload;
  if (index < params.length) return params[index];
  return overload.variadic === true ? params[params.length - 1] : undefined;
}

/** The target type of each argument and the total number of widening steps, or undefined if it does not fit. */
function matchOverload(
  overload: FunctionOverload,
  args: readonly ArgType[],
): { types: SqlType[]; cost: number } | undefined {
  const required = overload.variadic === true ? overload.params.length - 1 : overload.params.length;
  if (args.length < required || (overload.variadic !== true && args.length > required)) return undefined;

  // Type variables take the common type of all their non-NULL arguments.
  const bindings = new Map<string, SqlType>();
  for (const [i, arg] of args.entries()) {
    const param = paramAt(overload, i);
    if (param?.type.kind !== 'GENERIC' || arg === null) continue;
    const bound = bindings.get(param.type.name);
    const common = bound === undefined ? arg : commonType(bound, arg);
    if (common === undefined) return undefined;
    bindings.set(param.type.name, common);
  }

  const types: SqlType[] = [];
  let cost = 0;
  for (const [i, arg] of args.entries()) {
    const param = paramAt(overload, i);
    if (param === undefined) return undefined;
    const target = concreteType(param.type, arg, bindings);
    if (target === undefined) return undefined;
    if (arg !== null) {
      const distance = wideningDistance(arg, target);
      if (distance === undefined) return undefined;
      if (distance === 0 && !sameShape(arg, target)) return undefined;
      cost += distance;
    }
    types.push(target);
  }
  return { types, cost };
}

function concreteType(param: ParamType, arg: ArgType, bindings: Map<string, SqlType>): SqlType | undefined {
  if (param.kind === 'GENERIC') return bindings.get(param.name) ?? arg ?? undefined;
  if (param.kind === 'ANY_DECIMAL') {
    if (arg?.kind === 'DECIMAL') return arg;
    if (arg?.kind === 'INTEGER') return { kind: 'DECIMAL', precision: 10, scale: 0 };
    if (arg?.kind === 'BIGINT') return { kind: 'DECIMAL', precision: 19, scale: 0 };
    return undefined;
  }
  return param;
}

/** Same kind is not enough for containers: ARRAY<STRING> is not ARRAY<INTEGER>. */
function sameShape(arg: SqlType, target: SqlType): boolean {
  if (arg.kind === 'DECIMAL') return true;
  return formatType(arg) === formatType(target);
}

function bind(
  fn: SqlFunction,
  overload: FunctionOverload,
  argTypes: readonly ArgType[],
  targets: readonly SqlType[],
): ResolvedCall {
  const returnType = typeof overload.returns === 'function' ? overload.returns(targets) : overload.returns;
  const invoke = (values: readonly SqlValue[]): SqlValue => {
    const converted = values.map((v, i) => {
      const from = argTypes[i];
      const to = targets[i];
      return from === null || from === undefined || to === undefined ? v : coerceValue(v, from, to);
    });
    if (overload.acceptsNulls !== true && converted.some((v) => v === null)) return null;
    return overload.invoke(converted);
  };
  return { fn, overload, returnType, argTypes: targets, invoke };
}
