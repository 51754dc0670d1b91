// Walking and rewriting AST expressions for the aggregation planner: finding aggregate calls, comparing
// an expression with a GROUP BY expression (ignoring positions and `SOURCE.` qualifiers of the single
// source), and replacing matches with references to the aggregation's output columns.
import type { ColumnRef, Expression } from '../../parser/index.js';
import { expressionText } from '../expression-text.js';

const EXPRESSION_KINDS: ReadonlySet<string> = new Set([
  'NullLiteral',
  'BooleanLiteral',
  'NumberLiteral',
  'StringLiteral',
  'TypedLiteral',
  'ColumnRef',
  'Dereference',
  'Subscript',
  'UnaryArithmetic',
  'BinaryArithmetic',
  'Concatenation',
  'Comparison',
  'LogicalBinary',
  'Not',
  'Between',
  'InList',
  'Like',
  'IsNull',
  'IsDistinctFrom',
  'SearchedCase',
  'SimpleCase',
  'Cast',
  'ArrayConstructor',
  'MapConstructor',
  'StructConstructor',
  'FunctionCall',
  'Lambda',
  'IntervalUnitArgument',
  'AtTimeZone',
]);

export function isExpression(node: unknown): node is Expression {
  return (
    typeof node === 'object' &&
    node !== null &&
    EXPRESSION_KINDS.has((node as { kind?: unknown }).kind as string)
  );
}

/**
 * Rebuilds `node` bottom-up through `replace`: where it returns an expression, that takes the node's
 * place and is not descended into; undefined descends into the node's parts.
 */
export function rewrite<T>(node: T, replace: (expr: Expression) => Expression | undefined): T {
  if (Array.isArray(node)) return node.map((child: unknown) => rewrite(child, replace)) as T;
  if (typeof node !== 'object' || node === null) return node;
  if (isExpression(node)) {
    const replaced = replace(node);
    if (replaced !== undefined) return replaced as T;
  }
  let changed = false;
  const copy: Record<string, unknown> = {};
  for (const [field, child] of Object.entries(node)) {
    const next = field === 'pos' ? child : rewrite(child, replace);
    changed ||= next !== child;
    copy[field] = next;
  }
  return changed ? (copy as T) : node;
}

/** Every expression node in `node`, parents before children, not descending below `stop` matches. */
export function collect(node: unknown, match: (expr: Expression) => boolean): Expression[] {
  const found: Expression[] = [];
  rewrite(node, (expr) => {
    if (match(expr)) {
      found.push(expr);
      return expr;
    }
    return undefined;
  });
  return found;
}

/** A key comparing expressions as ksqlDB does: by text, `S.COL` as `COL` for the single source. */
export function canonicalText(
  expr: Expression,
  dropQualifier: (source: string) => string | undefined,
): string {
  const unqualified = rewrite(expr, (e) => {
    if (e.kind !== 'ColumnRef' || e.source === undefined) return undefined;
    const prefix = dropQualifier(e.source.value);
    if (prefix === undefined) return undefined;
    const ref: ColumnRef = { ...e, source: undefined, name: { ...e.name, value: prefix + e.name.value } };
    return ref;
  });
  return expressionText(unqualified);
}

export function columnRef(name: string, at: Pick<Expression, 'pos'>): ColumnRef {
  return {
    kind: 'ColumnRef',
    pos: at.pos,
    name: { kind: 'Identifier', pos: at.pos, value: name, quoted: true },
  };
}
