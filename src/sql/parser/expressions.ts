// Expressions, by recursive descent with one function per precedence level, loosest first:
//   OR < AND < NOT < predicates (comparison, BETWEEN, IN, LIKE, IS [NOT] NULL, IS [NOT] DISTINCT FROM)
//   < || < + - < * / % < unary + - < AT TIME ZONE < postfix ([index], ->field) < primary.
// This is ksqlDB's order: `a || b + c` is `a || (b + c)`, and `NOT a = b` is `NOT (a = b)`.
import type {
  ArithmeticOperator,
  ComparisonOperator,
  Expression,
  FunctionCall,
  Identifier,
  Lambda,
  MapEntry,
  NumberLiteral,
  StructFieldValue,
  TimeUnit,
  WhenClause,
} from './ast.js';
import type { TokenCursor } from './cursor.js';
import { parseType } from './types.js';

const COMPARISON: ReadonlyMap<string, ComparisonOperator> = new Map([
  ['=', '='],
  ['<>', '<>'],
  ['!=', '<>'],
  ['<', '<'],
  ['<=', '<='],
  ['>', '>'],
  ['>=', '>='],
]);

/** Time units by every spelling ksqlDB accepts; singular and plural mean the same. */
export const TIME_UNITS: ReadonlyMap<string, TimeUnit> = new Map([
  ['MILLISECOND', 'MILLISECONDS'],
  ['MILLISECONDS', 'MILLISECONDS'],
  ['SECOND', 'SECONDS'],
  ['SECONDS', 'SECONDS'],
  ['MINUTE', 'MINUTES'],
  ['MINUTES', 'MINUTES'],
  ['HOUR', 'HOURS'],
  ['HOURS', 'HOURS'],
  ['DAY', 'DAYS'],
  ['DAYS', 'DAYS'],
]);

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 63n - 1n;

export function parseExpressionAt(cursor: TokenCursor): Expression {
  return parseOr(cursor);
}

function parseOr(cursor: TokenCursor): Expression {
  let left = parseAnd(cursor);
  while (cursor.tryKeyword('OR')) {
    left = { kind: 'LogicalBinary', operator: 'OR', left, right: parseAnd(cursor), pos: left.pos };
  }
  return left;
}

function parseAnd(cursor: TokenCursor): Expression {
  let left = parseNot(cursor);
  while (cursor.tryKeyword('AND')) {
    left = { kind: 'LogicalBinary', operator: 'AND', left, right: parseNot(cursor), pos: left.pos };
  }
  return left;
}

function parseNot(cursor: TokenCursor): Expression {
  const pos = cursor.pos();
  if (cursor.tryKeyword('NOT')) return { kind: 'Not', operand: parseNot(cursor), pos };
  return parsePredicated(cursor);
}

function parsePredicated(cursor: TokenCursor): Expression {
  const value = parseValueExpression(cursor);
  const pos = value.pos;
  const token = cursor.peek();
  const comparison = token.kind === 'symbol' ? COMPARISON.get(token.value) : undefined;
  if (comparison !== undefined) {
    cursor.next();
    return {
      kind: 'Comparison',
      operator: comparison,
      left: value,
      right: parseValueExpression(cursor),
      pos,
    };
  }
  if (cursor.tryKeyword('IS')) {
    const negated = cursor.tryKeyword('NOT');
    if (cursor.acceptKeyword('NULL')) return { kind: 'IsNull', negated, value, pos };
    cursor.expectKeyword('DISTINCT');
    cursor.expectKeyword('FROM');
    return { kind: 'IsDistinctFrom', negated, left: value, right: parseValueExpression(cursor), pos };
  }
  const negated =
    cursor.isKeyword('NOT') && ['BETWEEN', 'IN', 'LIKE'].some((word) => cursor.isKeyword(word, 1));
  if (negated) cursor.next();
  if (cursor.tryKeyword('BETWEEN')) {
    const lower = parseValueExpression(cursor);
    cursor.expectKeyword('AND');
    return { kind: 'Between', negated, value, lower, upper: parseValueExpression(cursor), pos };
  }
  if (cursor.tryKeyword('IN')) {
    cursor.expectSymbol('(');
    const list = parseList(cursor, parseExpressionAt);
    cursor.expectSymbol(')');
    return { kind: 'InList', negated, value, list, pos };
  }
  if (cursor.tryKeyword('LIKE')) {
    const pattern = parseValueExpression(cursor);
    const escape = cursor.tryKeyword('ESCAPE') ? cursor.expectString() : undefined;
    return { kind: 'Like', negated, value, pattern, ...(escape === undefined ? {} : { escape }), pos };
  }
  return value;
}

/** An expression without boolean operators or predicates: what GROUP BY, PARTITION BY and VALUES take. */
export function parseValueExpression(cursor: TokenCursor): Expression {
  let left = parseAdditive(cursor);
  while (cursor.trySymbol('||')) {
    left = { kind: 'Concatenation', left, right: parseAdditive(cursor), pos: left.pos };
  }
  return left;
}

function parseAdditive(cursor: TokenCursor): Expression {
  let left = parseMultiplicative(cursor);
  for (;;) {
    const operator = acceptOperator(cursor, ['+', '-']);
    if (operator === undefined) return left;
    left = { kind: 'BinaryArithmetic', operator, left, right: parseMultiplicative(cursor), pos: left.pos };
  }
}

function parseMultiplicative(cursor: TokenCursor): Expression {
  let left = parseUnary(cursor);
  for (;;) {
    const operator = acceptOperator(cursor, ['*', '/', '%']);
    if (operator === undefined) return left;
    left = { kind: 'BinaryArithmetic', operator, left, right: parseUnary(cursor), pos: left.pos };
  }
}

function acceptOperator<T extends ArithmeticOperator>(
  cursor: TokenCursor,
  operators: readonly T[],
): T | undefined {
  for (const operator of operators) {
    if (cursor.trySymbol(operator)) return operator;
  }
  return undefined;
}

function parseUnary(cursor: TokenCursor): Expression {
  const pos = cursor.pos();
  const operator = acceptOperator(cursor, ['+', '-']);
  if (operator === undefined) return parseAtTimeZone(cursor);
  // A minus before a number is part of the literal, as in ksqlDB: -2147483648 is an INTEGER and
  // -9223372036854775808 a BIGINT, though neither would fit without its sign.
  const next = cursor.peek();
  if (operator === '-' && (next.kind === 'integer' || next.kind === 'decimal' || next.kind === 'float')) {
    cursor.next();
    return numberLiteral(cursor, `-${next.value}`, shapeOf(next.kind), pos);
  }
  return { kind: 'UnaryArithmetic', operator, operand: parseUnary(cursor), pos };
}

function shapeOf(kind: 'integer' | 'decimal' | 'float'): 'INTEGER' | 'DECIMAL' | 'DOUBLE' {
  return kind === 'integer' ? 'INTEGER' : kind === 'decimal' ? 'DECIMAL' : 'DOUBLE';
}

function parseAtTimeZone(cursor: TokenCursor): Expression {
  const value = parsePostfix(cursor);
  if (!cursor.tryKeyword('AT')) return value;
  cursor.expectKeyword('TIME');
  cursor.expectKeyword('ZONE');
  return { kind: 'AtTimeZone', value, zone: cursor.expectString(), pos: value.pos };
}

function parsePostfix(cursor: TokenCursor): Expression {
  let base = parsePrimary(cursor);
  for (;;) {
    if (cursor.trySymbol('[')) {
      const index = parseValueExpression(cursor);
      cursor.expectSymbol(']');
      base = { kind: 'Subscript', base, index, pos: base.pos };
    } else if (cursor.isSymbol('->') && !cursor.isSymbol('*', 1)) {
      cursor.next();
      base = { kind: 'Dereference', base, field: cursor.expectIdentifier(), pos: base.pos };
    } else {
      return base;
    }
  }
}

function parsePrimary(cursor: TokenCursor): Expression {
  const token = cursor.peek();
  const pos = token.pos;
  switch (token.kind) {
    case 'integer':
    case 'decimal':
    case 'float':
      cursor.next();
      return numberLiteral(cursor, token.value, shapeOf(token.kind), pos);
    case 'string':
      cursor.next();
      return { kind: 'StringLiteral', value: token.value, pos };
    case 'symbol':
      if (cursor.trySymbol('(')) {
        const inner = parseExpressionAt(cursor);
        cursor.expectSymbol(')');
        return inner;
      }
      break;
    case 'word':
      switch (token.value) {
        case 'NULL':
          cursor.next();
          return { kind: 'NullLiteral', pos };
        case 'TRUE':
        case 'FALSE':
          cursor.next();
          return { kind: 'BooleanLiteral', value: token.value === 'TRUE', pos };
        case 'CASE':
          return parseCase(cursor);
        case 'CAST': {
          cursor.next();
          cursor.expectSymbol('(');
          const value = parseExpressionAt(cursor);
          cursor.expectKeyword('AS');
          const type = parseType(cursor);
          cursor.expectSymbol(')');
          return { kind: 'Cast', value, type, pos };
        }
        case 'ARRAY':
          if (cursor.isSymbol('[', 1)) return parseArray(cursor);
          break;
        case 'MAP':
          if (cursor.isSymbol('(', 1)) return parseMap(cursor);
          break;
        case 'STRUCT':
          if (cursor.isSymbol('(', 1)) return parseStruct(cursor);
          break;
      }
      break;
  }
  if (cursor.isIdentifier()) return parseNamed(cursor);
  cursor.expect('an expression');
  throw cursor.error();
}

/** A column, a qualified column, a function call, or a typed literal such as DATE '2024-01-31'. */
function parseNamed(cursor: TokenCursor): Expression {
  const name = cursor.expectIdentifier();
  const pos = name.pos;
  if (cursor.isSymbol('(')) return parseFunctionCall(cursor, name);
  if (!name.quoted && cursor.peek().kind === 'string') {
    return { kind: 'TypedLiteral', typeName: name.value, value: cursor.next().value, pos };
  }
  if (cursor.isSymbol('.') && cursor.isIdentifier(1)) {
    cursor.next();
    return { kind: 'ColumnRef', source: name, name: cursor.expectIdentifier(), pos };
  }
  return { kind: 'ColumnRef', name, pos };
}

function parseFunctionCall(cursor: TokenCursor, name: Identifier): FunctionCall {
  cursor.expectSymbol('(');
  if (cursor.acceptSymbol('*')) {
    cursor.expectSymbol(')');
    return { kind: 'FunctionCall', name, args: [], star: true, pos: name.pos };
  }
  const args: Expression[] = [];
  if (!cursor.acceptSymbol(')')) {
    do args.push(parseArgument(cursor));
    while (cursor.acceptSymbol(','));
    cursor.expectSymbol(')');
  }
  return { kind: 'FunctionCall', name, args, star: false, pos: name.pos };
}

function parseArgument(cursor: TokenCursor): Expression {
  const lambda = tryLambda(cursor);
  if (lambda !== undefined) return lambda;
  const token = cursor.peek();
  // A reserved unit word alone as an argument (TIMESTAMPADD(SECONDS, ...)); the singular DAY, HOUR, ... are
  // not reserved, so ksqlDB reads them as column names, and so does this parser.
  const unit = token.kind === 'word' && !cursor.isIdentifier() ? TIME_UNITS.get(token.value) : undefined;
  if (unit !== undefined && (cursor.isSymbol(',', 1) || cursor.isSymbol(')', 1))) {
    cursor.next();
    return { kind: 'IntervalUnitArgument', unit, pos: token.pos };
  }
  return parseExpressionAt(cursor);
}

/** `x => body` or `(x, y) => body`, recognised by looking ahead for `=>`. */
function tryLambda(cursor: TokenCursor): Lambda | undefined {
  const pos = cursor.pos();
  if (cursor.isIdentifier() && cursor.isSymbol('=>', 1)) {
    const param = cursor.expectIdentifier();
    cursor.next();
    return { kind: 'Lambda', params: [param], body: parseExpressionAt(cursor), pos };
  }
  if (!cursor.isSymbol('(')) return undefined;
  let ahead = 1;
  for (;;) {
    if (!cursor.isIdentifier(ahead)) return undefined;
    ahead++;
    if (cursor.isSymbol(')', ahead)) break;
    if (!cursor.isSymbol(',', ahead)) return undefined;
    ahead++;
  }
  if (!cursor.isSymbol('=>', ahead + 1)) return undefined;
  cursor.next();
  const params: Identifier[] = [];
  do params.push(cursor.expectIdentifier());
  while (cursor.acceptSymbol(','));
  cursor.expectSymbol(')');
  cursor.expectSymbol('=>');
  return { kind: 'Lambda', params, body: parseExpressionAt(cursor), pos };
}

function parseCase(cursor: TokenCursor): Expression {
  const pos = cursor.next().pos;
  const operand = cursor.isKeyword('WHEN') ? undefined : parseExpressionAt(cursor);
  const whens: WhenClause[] = [];
  while (cursor.isKeyword('WHEN')) {
    const whenPos = cursor.next().pos;
    const when = parseExpressionAt(cursor);
    cursor.expectKeyword('THEN');
    whens.push({ when, then: parseExpressionAt(cursor), pos: whenPos });
  }
  if (whens.length === 0) {
    cursor.expect('WHEN');
    throw cursor.error();
  }
  const otherwise = cursor.acceptKeyword('ELSE') ? parseExpressionAt(cursor) : undefined;
  cursor.expectKeyword('END');
  const elsePart = otherwise === undefined ? {} : { else: otherwise };
  if (operand === undefined) return { kind: 'SearchedCase', whens, ...elsePart, pos };
  return { kind: 'SimpleCase', operand, whens, ...elsePart, pos };
}

function parseArray(cursor: TokenCursor): Expression {
  const pos = cursor.next().pos;
  cursor.expectSymbol('[');
  const elements = cursor.isSymbol(']') ? [] : parseList(cursor, parseExpressionAt);
  cursor.expectSymbol(']');
  return { kind: 'ArrayConstructor', elements, pos };
}

function parseMap(cursor: TokenCursor): Expression {
  const pos = cursor.next().pos;
  cursor.expectSymbol('(');
  const entries: MapEntry[] = [];
  if (!cursor.isSymbol(')')) {
    do {
      const key = parseExpressionAt(cursor);
      cursor.expectSymbol(':=');
      entries.push({ key, value: parseExpressionAt(cursor) });
    } while (cursor.acceptSymbol(','));
  }
  cursor.expectSymbol(')');
  return { kind: 'MapConstructor', entries, pos };
}

function parseStruct(cursor: TokenCursor): Expression {
  const pos = cursor.next().pos;
  cursor.expectSymbol('(');
  const fields: StructFieldValue[] = [];
  if (!cursor.isSymbol(')')) {
    do {
      const name = cursor.expectIdentifier();
      cursor.expectSymbol(':=');
      fields.push({ name, value: parseExpressionAt(cursor) });
    } while (cursor.acceptSymbol(','));
  }
  cursor.expectSymbol(')');
  return { kind: 'StructConstructor', fields, pos };
}

/** One or more items separated by commas. */
export function parseList<T>(cursor: TokenCursor, item: (cursor: TokenCursor) => T): T[] {
  const items = [item(cursor)];
  while (cursor.acceptSymbol(',')) items.push(item(cursor));
  return items;
}

/**
 * Types a number by its shape and range: INTEGER when it fits 32 bits, else BIGINT; beyond that, and a
 * DOUBLE beyond Java's range, ksqlDB's errors (a leading minus is part of the literal's text).
 */
function numberLiteral(
  cursor: TokenCursor,
  text: string,
  shape: 'INTEGER' | 'DECIMAL' | 'DOUBLE',
  pos: NumberLiteral['pos'],
): NumberLiteral {
  if (shape === 'DOUBLE' && !Number.isFinite(Number(text))) {
    throw cursor.preparingErrorAt(cursor.previous(), `Number overflows DOUBLE: ${text}`, pos);
  }
  if (shape !== 'INTEGER') return { kind: 'NumberLiteral', type: shape, text, pos };
  const value = BigInt(text);
  if (value >= INT_MIN && value <= INT_MAX) return { kind: 'NumberLiteral', type: 'INTEGER', text, pos };
  if (value >= BIGINT_MIN && value <= BIGINT_MAX) return { kind: 'NumberLiteral', type: 'BIGINT', text, pos };
  throw cursor.preparingErrorAt(cursor.previous(), `Invalid numeric literal: ${text}`, pos);
}
