// The expression compiler: type-checks an AST expression against a scope once and turns it into a
// closure over a record (see expression-compiler.ts for the contract). Each node becomes one small
// closure; literals are folded into constants; nothing is allocated per record beyond the results.
//
// Semantics follow ksqlDB: comparisons with a NULL operand are false (not NULL), AND/OR/NOT are
// three-valued, arithmetic wraps like Java's int and long, DECIMAL arithmetic is exact (arithmetic.ts),
// CAST as casts.ts. An evaluation that fails (a division by zero, a bad CAST, a function that throws)
// gives NULL and is reported through `onError`.
import {
  FunctionResolutionError,
  INTERVAL_UNIT_ARG,
  lambdaArg,
  type ArgType,
  type FunctionRegistry,
  type ResolvedCall,
  type SqlLambda,
} from '../functions/index.js';
import type {
  Between,
  Cast,
  Comparison,
  Expression,
  FunctionCall,
  InList,
  Lambda,
  Like,
  SearchedCase,
  SimpleCase,
} from '../parser/index.js';
import type { ProcessingError } from '../runtime/operator.js';
import type { SqlRecord } from '../runtime/records.js';
import {
  SqlDecimal,
  SqlTypes,
  coerceValue,
  commonType,
  formatType,
  fromAst,
  typesEqual,
  type SqlType,
  type SqlValue,
} from '../types/index.js';
import {
  arithmeticOp,
  arithmeticType,
  isNumeric,
  negate,
  toOperand,
  type NumericKind,
} from './arithmetic.js';
import { castConverter, unsupportedCastMessage } from './casts.js';
import { resolveColumn } from './columns.js';
import {
  comparatorFor,
  nestedTypesCompatible,
  OPERATOR_NAMES,
  valuesEqual,
  type Comparator,
} from './comparison.js';
import { CodeGenerationError, SqlAnalysisError } from './errors.js';
import type { CompiledExpression, ExpressionCompiler, ExpressionScope } from './expression-compiler.js';
import { expressionText } from './expression-text.js';
import { javaText, parseDateText, parseTimeText, parseTimestampText } from './java-text.js';

export interface ExpressionCompilerOptions {
  /** Called when an evaluation fails (the expression then gives NULL), e.g. to the processing log. */
  readonly onError?: (error: ProcessingError) => void;
}

type Evaluator = (record: SqlRecord) => SqlValue;

interface Compiled {
  readonly type: SqlType | null;
  readonly evaluate: Evaluator;
  /** Set when the value is known at compile time (literals and what is built of them). */
  readonly constant?: { readonly value: SqlValue };
}

interface LambdaSlot {
  readonly type: SqlType;
  value: SqlValue;
}

interface Context {
  readonly scope: ExpressionScope;
  readonly functions: FunctionRegistry;
  readonly lambdas: ReadonlyMap<string, LambdaSlot>;
  readonly onError?: (error: ProcessingError) => void;
}

function constant(type: SqlType | null, value: SqlValue): Compiled {
  return { type, evaluate: () => value, constant: { value } };
}

function fail(message: string, expr: Expression): never {
  throw new SqlAnalysisError(message, expr.pos);
}

function typeName(type: SqlType | null): string {
  return type === null ? 'NULL' : formatType(type);
}

// ---------------------------------------------------------------- literals

function numberLiteral(expr: Extract<Expression, { kind: 'NumberLiteral' }>): Compiled {
  switch (expr.type) {
    case 'INTEGER':
      return constant(SqlTypes.INTEGER, Number(expr.text));
    case 'BIGINT':
      // The parser typed it by range (a leading minus is part of the literal).
      return constant(SqlTypes.BIGINT, BigInt(expr.text));
    case 'DECIMAL': {
      const value = SqlDecimal.parse(expr.text);
      return constant(SqlTypes.decimal(Math.max(value.precision, 1), value.scale), value);
    }
    case 'DOUBLE': {
      const value = Number(expr.text);
      if (!Number.isFinite(value)) fail(`Number overflows DOUBLE: ${expr.text}`, expr);
      return constant(SqlTypes.DOUBLE, value);
    }
  }
}

function typedLiteral(expr: Extract<Expression, { kind: 'TypedLiteral' }>): Compiled {
  const kind = expr.typeName.toUpperCase();
  const parsers: Readonly<Record<string, [SqlType, (text: string) => number | undefined]>> = {
    DATE: [SqlTypes.DATE, parseDateText],
    TIME: [SqlTypes.TIME, parseTimeText],
    TIMESTAMP: [SqlTypes.TIMESTAMP, parseTimestampText],
  };
  const entry = parsers[kind];
  if (entry === undefined) fail(`Unknown literal type ${expr.typeName}`, expr);
  const value = entry[1](expr.value);
  if (value === undefined) fail(`Invalid ${kind} literal: '${expr.value}'`, expr);
  return constant(entry[0], value);
}

// ---------------------------------------------------------------- operators

function arithmetic(expr: Extract<Expression, { kind: 'BinaryArithmetic' }>, ctx: Context): Compiled {
  const left = compileNode(expr.left, ctx);
  const right = compileNode(expr.right, ctx);
  // An untyped NULL operand is refused before anything else, as ksqlDB's Operator.resultType does.
  if (left.type === null || right.type === null) {
    const types = `${left.type === null ? 'null' : typeName(left.type)} and ${right.type === null ? 'null' : typeName(right.type)}`;
    fail(
      `Error processing expression: ${expressionText(expr)}. Arithmetic on types ${types} are not supported.`,
      expr,
    );
  }
  const lt = left.type;
  const rt = right.type;
  // ksqlDB reads `+` between two strings as their concatenation.
  if (expr.operator === '+' && lt?.kind === 'STRING' && rt?.kind === 'STRING') {
    return concatenation({ kind: 'Concatenation', left: expr.left, right: expr.right, pos: expr.pos }, ctx);
  }
  const result = arithmeticType(expr.operator, lt, rt);
  if (result === undefined) {
    fail(
      `Error processing expression: ${expressionText(expr)}. Unsupported arithmetic types. ${typeName(left.type)} ${typeName(right.type)}`,
      expr,
    );
  }
  const kind = result.kind as NumericKind;
  const toLeft = toOperand(kind, lt);
  const toRight = toOperand(kind, rt);
  const op = arithmeticOp(expr.operator, result);
  const l = left.evaluate;
  const r = right.evaluate;
  return foldable(result, [left, right], (record) => {
    const a = l(record);
    if (a === null) return null;
    const b = r(record);
    if (b === null) return null;
    return op(toLeft(a), toRight(b));
  });
}

/** A node whose value is constant when its inputs are; folded once, errors left to run time. */
function foldable(type: SqlType | null, inputs: readonly Compiled[], evaluate: Evaluator): Compiled {
  if (!inputs.every((i) => i.constant !== undefined)) return { type, evaluate };
  try {
    return constant(type, evaluate(EMPTY_RECORD));
  } catch {
    return { type, evaluate };
  }
}

const EMPTY_RECORD: SqlRecord = { key: [], value: [], timestamp: 0, partition: 0, offset: 0 };

function unary(expr: Extract<Expression, { kind: 'UnaryArithmetic' }>, ctx: Context): Compiled {
  const operand = compileNode(expr.operand, ctx);
  if (operand.type !== null && !isNumeric(operand.type)) {
    fail(
      `Error processing expression: ${expressionText(expr)}. Unsupported arithmetic type. ${typeName(operand.type)}`,
      expr,
    );
  }
  if (expr.operator === '+' || operand.type === null) return operand;
  const neg = negate(operand.type);
  const evaluate = operand.evaluate;
  return foldable(operand.type, [operand], (r) => {
    const v = evaluate(r);
    return v === null ? null : neg(v);
  });
}

function comparisonError(
  expr: Expression,
  left: Expression,
  lt: SqlType,
  right: Expression,
  rt: SqlType,
  op: string,
): never {
  fail(
    `Cannot compare ${expressionText(left)} (${formatType(lt)}) to ${expressionText(right)} (${formatType(rt)}) with ${op}.`,
    expr,
  );
}

function requireComparator(
  expr: Expression,
  left: Expression,
  lt: SqlType | null,
  right: Expression,
  rt: SqlType | null,
  opName: string,
  equalityOnly: boolean,
): Comparator {
  if (lt === null || rt === null) {
    // ksqlDB names each side's base type (NULL for an untyped NULL), not its expression.
    fail(
      `Comparison with NULL not supported: ${lt?.kind ?? 'NULL'} ${opSymbol(opName)} ${rt?.kind ?? 'NULL'}\n` +
        "Use 'IS NULL' or 'IS NOT NULL' instead.",
      expr,
    );
  }
  const comparator = comparatorFor(lt, rt, equalityOnly);
  if (comparator === undefined) comparisonError(expr, left, lt, right, rt, opName);
  return comparator;
}

function opSymbol(name: string): string {
  for (const [symbol, n] of Object.entries(OPERATOR_NAMES)) if (n === name) return symbol;
  return name;
}

const TESTS: Readonly<Record<Comparison['operator'], (c: number) => boolean>> = {
  '=': (c) => c === 0,
  '<>': (c) => c !== 0,
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
};

function comparison(expr: Comparison, ctx: Context): Compiled {
  const left = compileNode(expr.left, ctx);
  const right = compileNode(expr.right, ctx);
  const equality = expr.operator === '=' || expr.operator === '<>';
  const compare = requireComparator(
    expr,
    expr.left,
    left.type,
    expr.right,
    right.type,
    OPERATOR_NAMES[expr.operator],
    equality,
  );
  const test = TESTS[expr.operator];
  const l = left.evaluate;
  const r = right.evaluate;
  return foldable(SqlTypes.BOOLEAN, [left, right], (record) => {
    const a = l(record);
    if (a === null) return false;
    const b = r(record);
    if (b === null) return false;
    return test(compare(a, b));
  });
}

function isDistinctFrom(expr: Extract<Expression, { kind: 'IsDistinctFrom' }>, ctx: Context): Compiled {
  const left = compileNode(expr.left, ctx);
  const right = compileNode(expr.right, ctx);
  const lt = left.type ?? right.type;
  const rt = right.type ?? left.type;
  const name = expr.negated ? 'IS_NOT_DISTINCT_FROM' : 'IS_DISTINCT_FROM';
  const compare =
    lt === null || rt === null ? () => 0 : requireComparator(expr, expr.left, lt, expr.right, rt, name, true);
  const l = left.evaluate;
  const r = right.evaluate;
  const distinct = expr.negated ? false : true;
  return foldable(SqlTypes.BOOLEAN, [left, right], (record) => {
    const a = l(record);
    const b = r(record);
    if (a === null || b === null) return a === b ? !distinct : distinct;
    return compare(a, b) !== 0 ? distinct : !distinct;
  });
}

function requireBoolean(compiled: Compiled, expr: Expression): void {
  if (compiled.type !== null && compiled.type.kind !== 'BOOLEAN') {
    fail(`Type error: ${expressionText(expr)} (${formatType(compiled.type)}) is not a BOOLEAN.`, expr);
  }
}

function logical(expr: Extract<Expression, { kind: 'LogicalBinary' }>, ctx: Context): Compiled {
  const left = compileNode(expr.left, ctx);
  const right = compileNode(expr.right, ctx);
  requireBoolean(left, expr.left);
  requireBoolean(right, expr.right);
  const l = left.evaluate;
  const r = right.evaluate;
  const evaluate: Evaluator =
    expr.operator === 'AND'
      ? (record) => {
          const a = l(record);
          if (a === false) return false;
          const b = r(record);
          if (b === false) return false;
          return a === null || b === null ? null : true;
        }
      : (record) => {
          const a = l(record);
          if (a === true) return true;
          const b = r(record);
          if (b === true) return true;
          return a === null || b === null ? null : false;
        };
  return foldable(SqlTypes.BOOLEAN, [left, right], evaluate);
}

function not(expr: Extract<Expression, { kind: 'Not' }>, ctx: Context): Compiled {
  const operand = compileNode(expr.operand, ctx);
  requireBoolean(operand, expr.operand);
  const evaluate = operand.evaluate;
  return foldable(SqlTypes.BOOLEAN, [operand], (r) => {
    const v = evaluate(r);
    return v === null ? null : !v;
  });
}

function between(expr: Between, ctx: Context): Compiled {
  const value = compileNode(expr.value, ctx);
  const lower = compileNode(expr.lower, ctx);
  const upper = compileNode(expr.upper, ctx);
  const low = requireComparator(expr, expr.value, value.type, expr.lower, lower.type, 'BETWEEN', false);
  const high = requireComparator(expr, expr.value, value.type, expr.upper, upper.type, 'BETWEEN', false);
  const v = value.evaluate;
  const lo = lower.evaluate;
  const hi = upper.evaluate;
  const negated = expr.negated;
  return foldable(SqlTypes.BOOLEAN, [value, lower, upper], (record) => {
    const x = v(record);
    const a = lo(record);
    const b = hi(record);
    if (x === null || a === null || b === null) return false;
    const inside = low(x, a) >= 0 && high(x, b) <= 0;
    return negated ? !inside : inside;
  });
}

const BOOLEAN_WORDS = ['true', 'yes', 'false', 'no'];

/** A STRING literal read as a number for IN: any decimal text, compared by value (ksqlDB's leniency). */
function numericText(text: string, valueType: SqlType, item: Expression): Compiled {
  try {
    const value = SqlDecimal.parse(text);
    return constant(SqlTypes.decimal(Math.max(value.precision, 1), value.scale), value);
  } catch {
    fail(`Invalid Predicate: invalid input syntax for type ${valueType.kind}: "${text}".`, item);
  }
}

/**
 * An IN list item. Constants are brought to the value's type as ksqlDB does: a STRING literal is read as
 * a number, a BOOLEAN (any prefix of true/yes/false/no) or a time; next to a STRING value, other
 * literals are read as their text; constructors of literals are cast element-wise.
 */
function inListItem(item: Expression, valueType: SqlType, ctx: Context): Compiled {
  const compiled = compileNode(item, ctx);
  const known = compiled.constant;
  if (known === undefined || compiled.type === null || typesEqual(compiled.type, valueType)) return compiled;
  const literal = known.value;
  if (literal === null) return compiled;
  if (compiled.type.kind === 'STRING' && isNumeric(valueType))
    return numericText(literal as string, valueType, item);
  if (compiled.type.kind === 'STRING' && valueType.kind === 'BOOLEAN') {
    const text = (literal as string).trim().toLowerCase();
    const word = text.length === 0 ? undefined : BOOLEAN_WORDS.find((w) => w.startsWith(text));
    if (word === undefined)
      fail(`Invalid Predicate: invalid input syntax for type BOOLEAN: "${literal as string}".`, item);
    return constant(SqlTypes.BOOLEAN, word === 'true' || word === 'yes');
  }
  if (valueType.kind === 'STRING') return constant(SqlTypes.STRING, javaText(literal, compiled.type));
  if (isNumeric(compiled.type) && isNumeric(valueType)) return compiled;
  const convert = castConverter(compiled.type, valueType);
  if (convert === undefined) return compiled;
  try {
    return constant(valueType, convert(literal));
  } catch (error) {
    fail(`Invalid Predicate: ${(error as Error).message}`, item);
  }
}

const NESTED_KINDS = new Set(['ARRAY', 'MAP', 'STRUCT']);

function inList(expr: InList, ctx: Context): Compiled {
  const value = compileNode(expr.value, ctx);
  const vt = value.type;
  if (vt === null) fail(`Invalid Predicate: the value of IN can not be NULL`, expr);
  const items: { evaluate: Evaluator; compare: Comparator }[] = [];
  for (const item of expr.list) {
    const compiled = inListItem(item, vt, ctx);
    if (compiled.type === null) continue;
    const compare =
      NESTED_KINDS.has(vt.kind) && !nestedTypesCompatible(vt, compiled.type)
        ? undefined
        : comparatorFor(vt, compiled.type, true);
    if (compare === undefined) {
      fail(
        `Invalid Predicate: operator does not exist: ${formatType(vt)} = ${formatType(compiled.type)} (${expressionText(item)})\nHint: You might need to add explicit type casts.`,
        item,
      );
    }
    items.push({ evaluate: compiled.evaluate, compare });
  }
  const v = value.evaluate;
  const negated = expr.negated;
  return {
    type: SqlTypes.BOOLEAN,
    evaluate: (record) => {
      const x = v(record);
      if (x === null) return false;
      for (const item of items) {
        const y = item.evaluate(record);
        if (y !== null && item.compare(x, y) === 0) return !negated;
      }
      return negated;
    },
  };
}

/** A LIKE pattern (`%` any run, `_` one character, `escape` quoting the next) as a RegExp. */
export function likePattern(pattern: string, escape: string | undefined): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (escape !== undefined && c === escape && i + 1 < pattern.length) {
      source += pattern.charAt(++i).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'u');
}

function like(expr: Like, ctx: Context): Compiled {
  const value = compileNode(expr.value, ctx);
  const pattern = compileNode(expr.pattern, ctx);
  for (const [c, e] of [
    [value, expr.value],
    [pattern, expr.pattern],
  ] as const) {
    if (c.type !== null && c.type.kind !== 'STRING') {
      fail(`Type error: LIKE requires STRING operands, ${expressionText(e)} is ${formatType(c.type)}.`, e);
    }
  }
  const escape = expr.escape;
  const negated = expr.negated;
  const v = value.evaluate;
  if (pattern.constant !== undefined) {
    const text = pattern.constant.value;
    if (text === null) return constant(SqlTypes.BOOLEAN, null);
    const regex = likePattern(text as string, escape);
    return {
      type: SqlTypes.BOOLEAN,
      evaluate: (r) => {
        const x = v(r);
        return x === null ? null : regex.test(x as string) !== negated;
      },
    };
  }
  const p = pattern.evaluate;
  let lastPattern: string | undefined;
  let lastRegex: RegExp | undefined;
  return {
    type: SqlTypes.BOOLEAN,
    evaluate: (r) => {
      const x = v(r);
      const text = p(r);
      if (x === null || text === null) return null;
      if (text !== lastPattern || lastRegex === undefined) {
        lastPattern = text as string;
        lastRegex = likePattern(lastPattern, escape);
      }
      return lastRegex.test(x as string) !== negated;
    },
  };
}

function isNull(expr: Extract<Expression, { kind: 'IsNull' }>, ctx: Context): Compiled {
  const value = compileNode(expr.value, ctx);
  const v = value.evaluate;
  const negated = expr.negated;
  return foldable(SqlTypes.BOOLEAN, [value], (r) => (v(r) === null) !== negated);
}

// ---------------------------------------------------------------- CASE

/** The common type of the branches, each branch's value converted to it. */
function unifyBranches(
  branches: readonly Compiled[],
  expr: Expression,
): { type: SqlType | null; evaluators: Evaluator[] } {
  let type: SqlType | null = null;
  for (const branch of branches) {
    if (branch.type === null) continue;
    const common: SqlType | undefined = type === null ? branch.type : commonType(type, branch.type);
    if (common === undefined) {
      fail(
        `Invalid Case expression. Type for all 'THEN' clauses should be the same.\nTHEN expression '${expressionText(expr)}' has type: ${formatType(branch.type)}.`,
        expr,
      );
    }
    type = common;
  }
  const target = type;
  const evaluators = branches.map((branch): Evaluator => {
    const from = branch.type;
    if (target === null || from === null || typesEqual(from, target)) return branch.evaluate;
    const evaluate = branch.evaluate;
    return (r) => coerceValue(evaluate(r), from, target);
  });
  return { type, evaluators };
}

function searchedCase(expr: SearchedCase, ctx: Context): Compiled {
  const conditions = expr.whens.map((w) => {
    const c = compileNode(w.when, ctx);
    if (c.type !== null && c.type.kind !== 'BOOLEAN') {
      fail(
        `WHEN operand type should be boolean.\nType for '${expressionText(w.when)}' is ${formatType(c.type)}`,
        w.when,
      );
    }
    return c.evaluate;
  });
  const results = [
    ...expr.whens.map((w) => compileNode(w.then, ctx)),
    ...(expr.else === undefined ? [] : [compileNode(expr.else, ctx)]),
  ];
  const { type, evaluators } = unifyBranches(results, expr);
  const otherwise = expr.else === undefined ? undefined : evaluators[conditions.length];
  return {
    type,
    evaluate: (r) => {
      for (let i = 0; i < conditions.length; i++) {
        if (conditions[i]?.(r) === true) return evaluators[i]?.(r) ?? null;
      }
      return otherwise === undefined ? null : otherwise(r);
    },
  };
}

function simpleCase(expr: SimpleCase, ctx: Context): Compiled {
  const operand = compileNode(expr.operand, ctx);
  const tests = expr.whens.map((w) => {
    const value = compileNode(w.when, ctx);
    const compare = requireComparator(expr, expr.operand, operand.type, w.when, value.type, 'EQUAL', true);
    return { evaluate: value.evaluate, compare };
  });
  const results = [
    ...expr.whens.map((w) => compileNode(w.then, ctx)),
    ...(expr.else === undefined ? [] : [compileNode(expr.else, ctx)]),
  ];
  const { type, evaluators } = unifyBranches(results, expr);
  const otherwise = expr.else === undefined ? undefined : evaluators[tests.length];
  const subject = operand.evaluate;
  return {
    type,
    evaluate: (r) => {
      const x = subject(r);
      if (x !== null) {
        for (let i = 0; i < tests.length; i++) {
          const test = tests[i];
          if (test === undefined) continue;
          const y = test.evaluate(r);
          if (y !== null && test.compare(x, y) === 0) return evaluators[i]?.(r) ?? null;
        }
      }
      return otherwise === undefined ? null : otherwise(r);
    },
  };
}

// ---------------------------------------------------------------- CAST, structures

function cast(expr: Cast, ctx: Context): Compiled {
  const value = compileNode(expr.value, ctx);
  const target = fromAst(expr.type);
  const convert = castConverter(value.type, target);
  if (convert === undefined) {
    throw new CodeGenerationError(unsupportedCastMessage(value.type ?? target, target), expr.pos);
  }
  const evaluate = value.evaluate;
  return foldable(target, [value], (r) => convert(evaluate(r)));
}

function dereference(expr: Extract<Expression, { kind: 'Dereference' }>, ctx: Context): Compiled {
  const base = compileNode(expr.base, ctx);
  if (base.type?.kind !== 'STRUCT') {
    fail(`Can't dereference ${expressionText(expr.base)}: it is ${typeName(base.type)}, not a STRUCT.`, expr);
  }
  const name = expr.field.value;
  const field = base.type.fields.find((f) => f.name === name);
  if (field === undefined) {
    fail(`Could not find field '${name}' in '${expressionText(expr.base)}'.`, expr);
  }
  const evaluate = base.evaluate;
  return {
    type: field.type,
    evaluate: (r) => {
      const struct = evaluate(r) as Readonly<Record<string, SqlValue>> | null;
      return struct === null ? null : (struct[name] ?? null);
    },
  };
}

function subscript(expr: Extract<Expression, { kind: 'Subscript' }>, ctx: Context): Compiled {
  const base = compileNode(expr.base, ctx);
  const index = compileNode(expr.index, ctx);
  const b = base.evaluate;
  const i = index.evaluate;
  if (base.type?.kind === 'ARRAY') {
    if (index.type !== null && index.type.kind !== 'INTEGER' && index.type.kind !== 'BIGINT') {
      fail(`Array index must be an INTEGER or BIGINT, got ${formatType(index.type)}`, expr.index);
    }
    return {
      type: base.type.element,
      evaluate: (r) => {
        const array = b(r) as readonly SqlValue[] | null;
        const at = i(r);
        if (array === null || at === null) return null;
        const n = Number(at);
        const position = n > 0 ? n - 1 : array.length + n;
        return n === 0 || position < 0 || position >= array.length ? null : (array[position] ?? null);
      },
    };
  }
  if (base.type?.kind === 'MAP') {
    const keyType = base.type.key;
    const toKey =
      index.type === null || typesEqual(index.type, keyType) ? undefined : castConverter(index.type, keyType);
    if (
      index.type !== null &&
      !typesEqual(index.type, keyType) &&
      (toKey === undefined || !isNumeric(keyType))
    ) {
      fail(`Map key must be ${formatType(keyType)}, got ${formatType(index.type)}`, expr.index);
    }
    return {
      type: base.type.value,
      evaluate: (r) => {
        const map = b(r) as ReadonlyMap<SqlValue, SqlValue> | null;
        let key = i(r);
        if (map === null || key === null) return null;
        if (toKey !== undefined) key = toKey(key);
        return map.get(key) ?? null;
      },
    };
  }
  fail(
    `Can't subscript ${expressionText(expr.base)}: it is ${typeName(base.type)}, not an ARRAY or a MAP.`,
    expr,
  );
}

function elementType(
  items: readonly Compiled[],
  expr: Expression,
  what: string,
): { type: SqlType | null; evaluators: Evaluator[] } {
  let type: SqlType | null = null;
  for (const item of items) {
    if (item.type === null) continue;
    const common: SqlType | undefined = type === null ? item.type : commonType(type, item.type);
    if (common === undefined) {
      fail(
        `invalid input syntax for type ${typeName(type)}: ${what} elements of types ${typeName(type)} and ${formatType(item.type)} have no common type`,
        expr,
      );
    }
    type = common;
  }
  const target = type;
  const evaluators = items.map((item): Evaluator => {
    const from = item.type;
    if (target === null || from === null || typesEqual(from, target)) return item.evaluate;
    const convert = castConverter(from, target);
    const evaluate = item.evaluate;
    return convert === undefined ? evaluate : (r) => convert(evaluate(r));
  });
  return { type, evaluators };
}

/** STRING literals among other-typed elements are read as that type (ARRAY['3', 1] is ARRAY<INTEGER>). */
function coerceStringLiterals(items: Compiled[]): Compiled[] {
  const other = items.find((i) => i.type !== null && i.type.kind !== 'STRING')?.type;
  if (other === undefined || other === null) return items;
  return items.map((item) => {
    if (item.type?.kind !== 'STRING' || item.constant === undefined) return item;
    const convert = castConverter(item.type, other);
    if (convert === undefined) return item;
    try {
      return constant(other, convert(item.constant.value));
    } catch (error) {
      throw new SqlAnalysisError(`Invalid Predicate: ${(error as Error).message}`);
    }
  });
}

function arrayConstructor(expr: Extract<Expression, { kind: 'ArrayConstructor' }>, ctx: Context): Compiled {
  const items = coerceStringLiterals(expr.elements.map((e) => compileNode(e, ctx)));
  const { type, evaluators } = elementType(items, expr, 'ARRAY');
  if (type === null)
    fail(
      `Can't infer a type of ARRAY elements: cast them to the type they should have, e.g. ARRAY[CAST(NULL AS INTEGER)].`,
      expr,
    );
  const n = evaluators.length;
  return foldable(SqlTypes.array(type), items, (r) => {
    const out = new Array<SqlValue>(n);
    for (let i = 0; i < n; i++) out[i] = evaluators[i]?.(r) ?? null;
    return out;
  });
}

function mapConstructor(expr: Extract<Expression, { kind: 'MapConstructor' }>, ctx: Context): Compiled {
  if (expr.entries.length === 0) {
    fail(
      'Map constructor cannot be empty. Please supply at least one key value pair (see https://github.com/confluentinc/ksql/issues/4239).',
      expr,
    );
  }
  const keys = elementType(
    coerceStringLiterals(expr.entries.map((e) => compileNode(e.key, ctx))),
    expr,
    'MAP key',
  );
  const values = elementType(
    coerceStringLiterals(expr.entries.map((e) => compileNode(e.value, ctx))),
    expr,
    'MAP value',
  );
  if (keys.type === null || values.type === null) {
    fail(`Can't infer a type of MAP keys or values: cast them to the type they should have.`, expr);
  }
  return {
    type: SqlTypes.map(keys.type, values.type),
    evaluate: (r) => {
      const out = new Map<SqlValue, SqlValue>();
      for (let i = 0; i < keys.evaluators.length; i++) {
        out.set(keys.evaluators[i]?.(r) ?? null, values.evaluators[i]?.(r) ?? null);
      }
      return out;
    },
  };
}

function structConstructor(expr: Extract<Expression, { kind: 'StructConstructor' }>, ctx: Context): Compiled {
  const fields = expr.fields.map((f) => {
    const value = compileNode(f.value, ctx);
    if (value.type === null)
      fail(
        `Can't infer a type of null. Please explicitly cast it to a required type, e.g. CAST(null AS VARCHAR).`,
        f.value,
      );
    return { name: f.name.value, type: value.type, evaluate: value.evaluate };
  });
  return {
    type: SqlTypes.struct(fields.map((f) => ({ name: f.name, type: f.type }))),
    evaluate: (r) => {
      const out: Record<string, SqlValue> = {};
      for (const f of fields) out[f.name] = f.evaluate(r);
      return out;
    },
  };
}

// ---------------------------------------------------------------- functions and lambdas

/** Compiles a lambda's body with its parameters typed; its value binds the record being evaluated. */
function lambdaValue(
  lambda: Lambda,
  paramTypes: readonly SqlType[],
  ctx: Context,
): { type: SqlType | null; bind: (r: SqlRecord) => SqlValue } {
  const slots: LambdaSlot[] = paramTypes.map((type) => ({ type, value: null }));
  const lambdas = new Map(ctx.lambdas);
  lambda.params.forEach((p, i) => {
    const slot = slots[i];
    if (slot !== undefined) lambdas.set(p.value, slot);
  });
  const body = compileNode(lambda.body, { ...ctx, lambdas });
  const evaluate = body.evaluate;
  return {
    type: body.type,
    bind: (record) => {
      const fn: SqlLambda = (...args) => {
        for (let i = 0; i < slots.length; i++) {
          const slot = slots[i];
          if (slot !== undefined) slot.value = args[i] ?? null;
        }
        return evaluate(record);
      };
      return fn as unknown as SqlValue;
    },
  };
}

function resolveCall(expr: FunctionCall, ctx: Context, argTypes: readonly ArgType[]): ResolvedCall {
  try {
    return ctx.functions.resolve(expr.name.value, argTypes);
  } catch (error) {
    if (error instanceof FunctionResolutionError) throw new SqlAnalysisError(error.message, expr.pos);
    throw error;
  }
}

/**
 * A call, with the registry's two steps for lambdas: the other arguments' types give the lambdas'
 * parameter types (`lambdaParamTypes`), then the bodies' types complete the resolution.
 */
function functionCall(expr: FunctionCall, ctx: Context): Compiled {
  if (expr.star) fail(`${expr.name.value}(*) is only valid in an aggregation (GROUP BY).`, expr);
  const argTypes: ArgType[] = [];
  const evaluators: Evaluator[] = [];
  const inputs: Compiled[] = [];
  let hasLambda = false;
  expr.args.forEach((arg, i) => {
    if (arg.kind === 'Lambda') {
      hasLambda = true;
      argTypes[i] = lambdaArg(arg.params.length);
      return;
    }
    if (arg.kind === 'IntervalUnitArgument') {
      argTypes[i] = INTERVAL_UNIT_ARG;
      evaluators[i] = () => arg.unit;
      inputs.push(constant(SqlTypes.STRING, arg.unit));
      return;
    }
    const c = compileNode(arg, ctx);
    inputs.push(c);
    argTypes[i] = c.type;
    evaluators[i] = c.evaluate;
  });
  if (hasLambda) {
    let paramTypes: ReadonlyArray<readonly SqlType[] | undefined>;
    try {
      paramTypes = ctx.functions.lambdaParamTypes(expr.name.value, argTypes);
    } catch (error) {
      if (error instanceof FunctionResolutionError) throw new SqlAnalysisError(error.message, expr.pos);
      throw error;
    }
    expr.args.forEach((arg, i) => {
      if (arg.kind !== 'Lambda') return;
      const types = paramTypes[i];
      if (types === undefined) fail(`Function ${expr.name.value} does not take a lambda here.`, arg);
      const compiled = lambdaValue(arg, types, ctx);
      argTypes[i] = lambdaArg(arg.params.length, compiled.type);
      evaluators[i] = compiled.bind;
    });
  }
  const resolved = resolveCall(expr, ctx, argTypes);
  const invoke = resolved.invoke;
  const n = evaluators.length;
  const args = new Array<SqlValue>(n);
  const evaluate: Evaluator = (r) => {
    for (let i = 0; i < n; i++) args[i] = evaluators[i]?.(r) ?? null;
    return invoke(args);
  };
  const foldableCall = resolved.fn.nondeterministic !== true && !hasLambda;
  if (foldableCall) {
    const folded = foldable(resolved.returnType, inputs, evaluate);
    if (folded.constant !== undefined) return folded;
  }
  // A call that fails is NULL by itself, as ksqlDB's generated code makes it: COALESCE(PARSE_DATE(..), ..)
  // goes on to its next argument, and a map or struct keeps its other entries.
  const onError = ctx.onError;
  const guarded: Evaluator = (r) => {
    try {
      return evaluate(r);
    } catch (error) {
      onError?.({
        message: `Error computing expression ${expressionText(expr)}: ${(error as Error).message}`,
        record: r,
        cause: error,
      });
      return null;
    }
  };
  return { type: resolved.returnType, evaluate: guarded };
}

function concatenation(expr: Extract<Expression, { kind: 'Concatenation' }>, ctx: Context): Compiled {
  const call: FunctionCall = {
    kind: 'FunctionCall',
    name: { kind: 'Identifier', value: 'CONCAT', quoted: false, pos: expr.pos },
    args: [expr.left, expr.right],
    star: false,
    pos: expr.pos,
  };
  return functionCall(call, ctx);
}

// ---------------------------------------------------------------- dispatch

function compileNode(expr: Expression, ctx: Context): Compiled {
  switch (expr.kind) {
    case 'NullLiteral':
      return constant(null, null);
    case 'BooleanLiteral':
      return constant(SqlTypes.BOOLEAN, expr.value);
    case 'NumberLiteral':
      return numberLiteral(expr);
    case 'StringLiteral':
      return constant(SqlTypes.STRING, expr.value);
    case 'TypedLiteral':
      return typedLiteral(expr);
    case 'ColumnRef': {
      if (expr.source === undefined) {
        const slot = ctx.lambdas.get(expr.name.value);
        if (slot !== undefined) return { type: slot.type, evaluate: () => slot.value };
      }
      const column = resolveColumn(ctx.scope, expr);
      return { type: column.type, evaluate: column.read };
    }
    case 'Dereference':
      return dereference(expr, ctx);
    case 'Subscript':
      return subscript(expr, ctx);
    case 'UnaryArithmetic':
      return unary(expr, ctx);
    case 'BinaryArithmetic':
      return arithmetic(expr, ctx);
    case 'Concatenation':
      return concatenation(expr, ctx);
    case 'Comparison':
      return comparison(expr, ctx);
    case 'LogicalBinary':
      return logical(expr, ctx);
    case 'Not':
      return not(expr, ctx);
    case 'Between':
      return between(expr, ctx);
    case 'InList':
      return inList(expr, ctx);
    case 'Like':
      return like(expr, ctx);
    case 'IsNull':
      return isNull(expr, ctx);
    case 'IsDistinctFrom':
      return isDistinctFrom(expr, ctx);
    case 'SearchedCase':
      return searchedCase(expr, ctx);
    case 'SimpleCase':
      return simpleCase(expr, ctx);
    case 'Cast':
      return cast(expr, ctx);
    case 'ArrayConstructor':
      return arrayConstructor(expr, ctx);
    case 'MapConstructor':
      return mapConstructor(expr, ctx);
    case 'StructConstructor':
      return structConstructor(expr, ctx);
    case 'FunctionCall':
      return functionCall(expr, ctx);
    case 'Lambda':
      return fail(
        'A lambda can only be an argument of a function such as TRANSFORM, FILTER or REDUCE.',
        expr,
      );
    case 'IntervalUnitArgument':
      return fail(`A time unit (${expr.unit}) can only be a function argument.`, expr);
    case 'AtTimeZone':
      return fail('AT TIME ZONE is not supported here.', expr);
  }
}

export function createExpressionCompiler(
  functions: FunctionRegistry,
  options: ExpressionCompilerOptions = {},
): ExpressionCompiler {
  const onError = options.onError;
  return {
    compile(expression: Expression, scope: ExpressionScope): CompiledExpression {
      const compiled = compileNode(expression, { scope, functions, lambdas: new Map(), onError });
      const evaluate = compiled.evaluate;
      if (compiled.constant !== undefined) {
        const value = compiled.constant.value;
        return { type: compiled.type, evaluate: () => value };
      }
      return {
        type: compiled.type,
        evaluate(record: SqlRecord): SqlValue {
          try {
            return evaluate(record);
          } catch (error) {
            onError?.({
              message: `Error computing expression ${expressionText(expression)}: ${(error as Error).message}`,
              record,
              cause: error,
            });
            return null;
          }
        },
      };
    },
  };
}

export { valuesEqual };
