// The function registry: a name maps to overloads; a call is resolved against the argument types the way
// ksqlDB resolves it (exact types first, then the fewest implicit widenings), and its arguments are converted
// to the chosen overload's types before it runs.
import { declaredName } from './declared-names.js';
import {
  coerceValue,
  commonType,
  formatType,
  SqlTypes,
  typesEqual,
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
/** ARRAY<element> where the element may be a type variable (ARRAY_CONTAINS(ARRAY<T>, T)). */
export interface ArrayParam {
  readonly kind: 'ARRAY_OF';
  readonly element: ParamType;
}
/** MAP<key, value> where either may be a type variable. */
export interface MapParam {
  readonly kind: 'MAP_OF';
  readonly key: ParamType;
  readonly value: ParamType;
}
/** A time unit keyword, as in TIMESTAMPADD(SECONDS, 5, ts): its value is the unit's name, 'SECONDS'. */
export interface IntervalUnitParam {
  readonly kind: 'INTERVAL_UNIT';
}
/**
 * A lambda, `(x, y) => body`. Its parameters' types are given in terms of the type variables the other
 * arguments bind (TRANSFORM(ARRAY<T>, (T) => R)); `returns` is matched against the type of the body,
 * which may bind a new variable (R) or must fit a fixed type (FILTER's BOOLEAN).
 */
export interface LambdaParam {
  readonly kind: 'LAMBDA';
  readonly params: readonly ParamType[];
  readonly returns: ParamType;
}
export type ParamType =
  SqlType | AnyDecimalParam | GenericParam | ArrayParam | MapParam | IntervalUnitParam | LambdaParam;

export const ANY_DECIMAL: AnyDecimalParam = { kind: 'ANY_DECIMAL' };
export const INTERVAL_UNIT: IntervalUnitParam = { kind: 'INTERVAL_UNIT' };
export const generic = (name: string): GenericParam => ({ kind: 'GENERIC', name });
export const arrayOf = (element: ParamType): ArrayParam => ({ kind: 'ARRAY_OF', element });
export const mapOf = (key: ParamType, value: ParamType): MapParam => ({ kind: 'MAP_OF', key, value });
export const lambda = (params: readonly ParamType[], returns: ParamType): LambdaParam => ({
  kind: 'LAMBDA',
  params,
  returns,
});

export interface Param {
  readonly name: string;
  readonly type: ParamType;
}

/** A compiled lambda as functions receive it: SQL values in, a SQL value out. */
export type SqlLambda = (...args: SqlValue[]) => SqlValue;
/** What a resolved call is invoked with: values, and JS functions at lambda positions. */
export type CallArgument = SqlValue | SqlLambda;

/** ksqlDB's categories, as SHOW FUNCTIONS and DESCRIBE FUNCTION print them. */
export type FunctionCategory =
  | 'STRING'
  | 'MATHEMATICAL'
  | 'DATE / TIME'
  | 'ARRAY'
  | 'MAP'
  | 'JSON'
  | 'LAMBDA'
  | 'CONVERSIONS'
  | 'REGULAR EXPRESSION'
  | 'URL'
  | 'NULL'
  | 'TABLE'
  | 'AGGREGATE'
  | 'OTHER';

export interface FunctionOverload {
  readonly params: readonly Param[];
  /** The last parameter takes zero or more arguments. */
  readonly variadic?: boolean;
  /**
   * A fixed type, or computed from the argument types after widening (e.g. DECIMAL precision). At a lambda
   * position the type is what its body returns (after widening to the bound variable); at an interval
   * unit, STRING.
   */
  readonly returns: SqlType | ((argTypes: readonly SqlType[]) => SqlType);
  /**
   * Whether `invoke` sees NULL arguments. When false (the default, as most ksqlDB functions behave) a NULL
   * argument makes the result NULL without calling it.
   */
  readonly acceptsNulls?: boolean;
  /** At a lambda position the value is a SqlLambda (read it with `asLambda`). */
  readonly invoke?: Invoke;
  /**
   * Instead of `invoke`, for functions whose behaviour depends on the argument types beyond what the
   * values show (a DOUBLE 1.0 prints as '1.0', an INTEGER 1 as '1'): called once per resolved call.
   */
  readonly specialize?: (argTypes: readonly SqlType[]) => Invoke;
}

export type Invoke = (args: readonly SqlValue[]) => SqlValue;

export interface SqlFunction {
  /** Upper case, as ksqlDB lists it. */
  readonly name: string;
  readonly description: string;
  /** For SHOW FUNCTIONS; OTHER when absent. */
  readonly category?: FunctionCategory;
  readonly overloads: readonly FunctionOverload[];
  /** RANDOM and the like: the same arguments can give another result. */
  readonly nondeterministic?: boolean;
}

/** A call bound to one overload: its result type, and a function from argument values to the result. */
export interface ResolvedCall {
  readonly fn: SqlFunction;
  readonly overload: FunctionOverload;
  readonly returnType: SqlType;
  /** The type each argument is converted to (for a lambda: its result; for an interval unit: STRING). */
  readonly argTypes: readonly SqlType[];
  readonly invoke: (args: readonly CallArgument[]) => SqlValue;
}

/** Reads a lambda argument inside `invoke`. */
export function asLambda(value: SqlValue | undefined): SqlLambda {
  if (typeof value !== 'function') throw new Error('expected a lambda argument');
  return value as SqlLambda;
}

export class FunctionResolutionError extends Error {
  override readonly name = 'FunctionResolutionError';
}

/**
 * A lambda argument as the compiler describes it: its arity, and once its body is compiled, the body's type
 * (`null` for a body that is a bare NULL literal).
 */
export interface LambdaArgType {
  readonly kind: 'LAMBDA';
  readonly arity: number;
  readonly returns?: SqlType | null;
}
export interface IntervalUnitArgType {
  readonly kind: 'INTERVAL_UNIT';
}
/** A NULL literal's type is unknown: `null` here. It matches any parameter. */
export type ArgType = SqlType | null | LambdaArgType | IntervalUnitArgType;

export const INTERVAL_UNIT_ARG: IntervalUnitArgType = { kind: 'INTERVAL_UNIT' };
export const lambdaArg = (arity: number, returns?: SqlType | null): LambdaArgType =>
  returns === undefined ? { kind: 'LAMBDA', arity } : { kind: 'LAMBDA', arity, returns };

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

  all(): SqlFunction[] {
    return this.names().map((n) => this.functions.get(n) as SqlFunction);
  }

  /**
   * Step 1 of compiling a call with lambdas. `argTypes` has the types of the other arguments and
   * `lambdaArg(arity)` (no `returns` yet) at each lambda. The answer has, at each lambda position, the
   * types of that lambda's parameters (undefined elsewhere). The compiler then compiles each body with
   * them, and calls `resolve` with `lambdaArg(arity, bodyType)` (step 2).
   */
  lambdaParamTypes(
    name: string,
    argTypes: readonly ArgType[],
  ): ReadonlyArray<readonly SqlType[] | undefined> {
    const fn = this.lookup(name);
    for (const overload of fn.overloads) {
      const match = matchOverload(overload, argTypes);
      if (match !== undefined) return match.lambdaParams;
    }
    throw noMatch(fn, argTypes);
  }

  resolve(name: string, argTypes: readonly ArgType[]): ResolvedCall {
    const fn = this.lookup(name);
    let best: { call: ResolvedCall; cost: number } | undefined;
    for (const overload of fn.overloads) {
      const match = matchOverload(overload, argTypes);
      if (match?.complete === true && (best === undefined || match.cost < best.cost)) {
        best = { call: bind(fn, overload, argTypes, match.types), cost: match.cost };
      }
    }
    if (best !== undefined) return best.call;
    throw noMatch(fn, argTypes);
  }

  private lookup(name: string): SqlFunction {
    const fn = this.get(name);
    if (fn === undefined)
      throw new FunctionResolutionError(`Can't find any functions with the name '${name}'`);
    return fn;
  }
}

function noMatch(fn: SqlFunction, argTypes: readonly ArgType[]): FunctionResolutionError {
  const given = argTypes.map(formatArgType).join(', ');
  const alternatives = fn.overloads.map((o) => describeOverload(fn.name, o)).join('\n');
  return new FunctionResolutionError(
    `Function '${declaredName(fn.name)}' does not accept parameters (${given}).\nValid alternatives are:\n${alternatives}\n` +
      'For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;',
  );
}

function formatArgType(type: ArgType): string {
  if (type === null) return 'NULL';
  if (type.kind === 'LAMBDA') return 'LAMBDA';
  if (type.kind === 'INTERVAL_UNIT') return 'INTERVAL_UNIT';
  return formatType(type);
}

export function describeOverload(name: string, overload: FunctionOverload): string {
  const params = overload.params.map((p, i) => {
    const dots = overload.variadic === true && i === overload.params.length - 1 ? '...' : '';
    return `${formatParamType(p.type)}${dots} ${p.name}`;
  });
  return `${name}(${params.join(', ')})`;
}

export function formatParamType(type: ParamType): string {
  switch (type.kind) {
    case 'ANY_DECIMAL':
      return 'DECIMAL';
    case 'GENERIC':
      return type.name;
    case 'ARRAY_OF':
      return `ARRAY<${formatParamType(type.element)}>`;
    case 'MAP_OF':
      return `MAP<${formatParamType(type.key)}, ${formatParamType(type.value)}>`;
    case 'INTERVAL_UNIT':
      return 'INTERVAL_UNIT';
    case 'LAMBDA':
      return `LAMBDA<(${type.params.map(formatParamType).join(', ')}) => ${formatParamType(type.returns)}>`;
    default:
      return formatType(type);
  }
}

function paramAt(overload: FunctionOverload, index: number): Param | undefined {
  const { params } = overload;
  if (index < params.length) return params[index];
  return overload.variadic === true ? params[params.length - 1] : undefined;
}

interface Match {
  /** The target type of each argument (see ResolvedCall.argTypes). */
  readonly types: SqlType[];
  /** The number of widening steps. */
  readonly cost: number;
  /** The parameter types of each lambda. */
  readonly lambdaParams: Array<readonly SqlType[] | undefined>;
  /** False when a lambda's body type is not known yet. */
  readonly complete: boolean;
}

/** The target type of each argument and the total number of widening steps, or undefined if it does not fit. */
function matchOverload(overload: FunctionOverload, args: readonly ArgType[]): Match | undefined {
  const required = overload.variadic === true ? overload.params.length - 1 : overload.params.length;
  if (args.length < required || (overload.variadic !== true && args.length > required)) return undefined;

  // Type variables take the common type of the arguments bound to them. A lambda's body binds only the
  // variables the other arguments leave open (TRANSFORM's R): those it shares (REDUCE's state S) are fixed
  // by the others, since the lambda's parameters were typed from them, and the body must widen to them.
  const bindings = new Map<string, SqlType>();
  const lambdaPositions: number[] = [];
  const candidates = new Map<string, SqlType[]>();
  for (const [i, arg] of args.entries()) {
    const param = paramAt(overload, i);
    if (param === undefined) return undefined;
    if (param.type.kind === 'LAMBDA') lambdaPositions.push(i);
    else if (!collectBindings(param.type, arg, candidates)) return undefined;
  }
  if (!bindCommon(candidates, bindings)) return undefined;
  const open = new Map<string, SqlType[]>();
  for (const i of lambdaPositions) {
    if (!collectBindings((paramAt(overload, i) as Param).type, args[i] ?? null, open)) return undefined;
  }
  for (const name of bindings.keys()) open.delete(name);
  if (!bindCommon(open, bindings)) return undefined;

  const types: SqlType[] = [];
  const lambdaParams: Array<readonly SqlType[] | undefined> = [];
  let cost = 0;
  let complete = true;
  for (const [i, arg] of args.entries()) {
    const param = (paramAt(overload, i) as Param).type;
    lambdaParams.push(undefined);
    if (param.kind === 'INTERVAL_UNIT') {
      if (arg?.kind !== 'INTERVAL_UNIT') return undefined;
      types.push(SqlTypes.STRING);
      continue;
    }
    if (param.kind === 'LAMBDA') {
      if (arg?.kind !== 'LAMBDA' || arg.arity !== param.params.length) return undefined;
      const paramTypes = param.params.map((p) => substitute(p, bindings));
      if (paramTypes.some((t) => t === undefined)) return undefined;
      lambdaParams[i] = paramTypes as SqlType[];
      if (arg.returns === undefined) {
        complete = false;
        types.push(SqlTypes.STRING);
        continue;
      }
      const target = substitute(param.returns, bindings);
      if (target === undefined) return undefined;
      if (arg.returns !== null) {
        const distance = conversionCost(arg.returns, target);
        if (distance === undefined) return undefined;
        cost += distance;
      }
      types.push(target);
      continue;
    }
    if (arg?.kind === 'LAMBDA' || arg?.kind === 'INTERVAL_UNIT') return undefined;
    const target = substitute(param, bindings) ?? (param.kind === 'GENERIC' ? (arg ?? undefined) : undefined);
    const concrete = param.kind === 'ANY_DECIMAL' ? anyDecimal(arg) : target;
    if (concrete === undefined) return undefined;
    if (arg !== null) {
      const distance = conversionCost(arg, concrete);
      if (distance === undefined) return undefined;
      cost += distance;
    }
    types.push(concrete);
  }
  return { types, cost, lambdaParams, complete };
}

function bindCommon(candidates: ReadonlyMap<string, SqlType[]>, bindings: Map<string, SqlType>): boolean {
  for (const [name, types] of candidates) {
    let common: SqlType | undefined = types[0];
    for (const t of types.slice(1)) common = common === undefined ? undefined : commonType(common, t);
    if (common === undefined) return false;
    bindings.set(name, common);
  }
  return true;
}

/** Adds what `arg` tells about the type variables in `param`; false when its shape cannot fit. */
function collectBindings(param: ParamType, arg: ArgType, out: Map<string, SqlType[]>): boolean {
  if (arg === null) return true;
  switch (param.kind) {
    case 'GENERIC': {
      if (arg.kind === 'LAMBDA' || arg.kind === 'INTERVAL_UNIT') return false;
      const list = out.get(param.name) ?? [];
      list.push(arg);
      out.set(param.name, list);
      return true;
    }
    case 'ARRAY_OF':
      return arg.kind === 'ARRAY' && collectBindings(param.element, arg.element, out);
    case 'MAP_OF':
      return (
        arg.kind === 'MAP' &&
        collectBindings(param.key, arg.key, out) &&
        collectBindings(param.value, arg.value, out)
      );
    case 'LAMBDA':
      if (arg.kind !== 'LAMBDA') return false;
      return arg.returns === undefined || collectBindings(param.returns, arg.returns, out);
    default:
      return true;
  }
}

/** The concrete type of a parameter once its variables are bound; undefined when one is not. */
function substitute(param: ParamType, bindings: ReadonlyMap<string, SqlType>): SqlType | undefined {
  switch (param.kind) {
    case 'GENERIC':
      return bindings.get(param.name);
    case 'ARRAY_OF': {
      const element = substitute(param.element, bindings);
      return element === undefined ? undefined : SqlTypes.array(element);
    }
    case 'MAP_OF': {
      const key = substitute(param.key, bindings);
      const value = substitute(param.value, bindings);
      return key === undefined || value === undefined ? undefined : SqlTypes.map(key, value);
    }
    case 'ANY_DECIMAL':
    case 'INTERVAL_UNIT':
    case 'LAMBDA':
      return undefined;
    default:
      return param;
  }
}

function anyDecimal(arg: ArgType): SqlType | undefined {
  if (arg === null) return undefined;
  if (arg.kind === 'DECIMAL') return arg;
  if (arg.kind === 'INTEGER') return SqlTypes.decimal(10, 0);
  if (arg.kind === 'BIGINT') return SqlTypes.decimal(19, 0);
  return undefined;
}

/** Widening steps from one type to another, element-wise inside arrays and maps; undefined when it cannot. */
function conversionCost(from: SqlType, to: SqlType): number | undefined {
  if (from.kind === 'ARRAY' && to.kind === 'ARRAY') return conversionCost(from.element, to.element);
  if (from.kind === 'MAP' && to.kind === 'MAP') {
    const key = conversionCost(from.key, to.key);
    const value = conversionCost(from.value, to.value);
    return key === undefined || value === undefined ? undefined : key + value;
  }
  if (from.kind === 'STRUCT' || to.kind === 'STRUCT') return typesEqual(from, to) ? 0 : undefined;
  const distance = wideningDistance(from, to);
  if (distance === undefined) return undefined;
  // Same kind is not enough for containers: ARRAY<STRING> is not ARRAY<INTEGER>.
  if (distance === 0 && from.kind !== 'DECIMAL' && !typesEqual(from, to)) return undefined;
  return distance;
}

/** A value brought to a wider type, element-wise inside arrays and maps. */
export function convertValue(value: SqlValue, from: SqlType, to: SqlType): SqlValue {
  if (value === null || typesEqual(from, to)) return value;
  if (from.kind === 'ARRAY' && to.kind === 'ARRAY' && Array.isArray(value)) {
    return (value as readonly SqlValue[]).map((v) => convertValue(v, from.element, to.element));
  }
  if (from.kind === 'MAP' && to.kind === 'MAP' && value instanceof Map) {
    const out = new Map<SqlValue, SqlValue>();
    for (const [k, v] of value as ReadonlyMap<SqlValue, SqlValue>) {
      out.set(convertValue(k, from.key, to.key), convertValue(v, from.value, to.value));
    }
    return out;
  }
  return coerceValue(value, from, to);
}

function bind(
  fn: SqlFunction,
  overload: FunctionOverload,
  argTypes: readonly ArgType[],
  targets: readonly SqlType[],
): ResolvedCall {
  const returnType = typeof overload.returns === 'function' ? overload.returns(targets) : overload.returns;
  const convert = (v: CallArgument, i: number): SqlValue => {
    const from = argTypes[i];
    const to = targets[i];
    if (typeof v === 'function') {
      // A lambda's result is widened to the variable it binds, e.g. REDUCE's state.
      const body = from?.kind === 'LAMBDA' ? from.returns : undefined;
      if (body === undefined || body === null || to === undefined) return v as unknown as SqlValue;
      const widened: SqlLambda = (...a) => convertValue(v(...a), body, to);
      return widened as unknown as SqlValue;
    }
    if (from === null || from === undefined || to === undefined) return v;
    if (from.kind === 'LAMBDA' || from.kind === 'INTERVAL_UNIT') return v;
    return convertValue(v, from, to);
  };
  const impl = overload.specialize?.(targets) ?? overload.invoke;
  if (impl === undefined) throw new Error(`function ${fn.name} has an overload with no implementation`);
  const invoke = (values: readonly CallArgument[]): SqlValue => {
    const converted = values.map(convert);
    if (overload.acceptsNulls !== true && converted.some((v) => v === null)) return null;
    return impl(converted);
  };
  return { fn, overload, returnType, argTypes: targets, invoke };
}
