// The ON clause of one JOIN: checked to be a single equality whose two sides each read exactly one
// source, one of them the source being joined, and oriented so that `left` reads the sources joined
// so far and `right` the new one. Messages are ksqlDB's.
import type { AliasedSource, ColumnRef, Comparison, Expression, Join } from '../parser/index.js';
import { SqlAnalysisError, unknownQualifierError } from './errors.js';
import { formatJoinExpression } from './join-text.js';
import type { PlannedSource } from './plan.js';
import type { Column } from './schema.js';

/** A column a join expression reads: its source alias and its column in that side's schema. */
export interface JoinColumn {
  readonly alias: string;
  /** The column's name as the source declares it (ID). */
  readonly name: string;
  /** The column in the side's schema (ID for a single source, T_ID in the result of an earlier join). */
  readonly column: Column;
  /** Whether it is the side's key column (its only one). */
  readonly isKey: boolean;
}

export interface JoinCondition {
  /** The ON expression over the left side's sources, and over the joined source. */
  readonly left: Expression;
  readonly right: Expression;
  /** The column each side's expression is, when it is a bare column. */
  readonly leftColumn?: JoinColumn;
  readonly rightColumn?: JoinColumn;
  /** The two sides as written and printed by ksqlDB (`LT.ID1`, `RT.F2`), in the order written. */
  readonly text: { readonly first: string; readonly second: string };
  /** Whether the ON clause names the joined source first (`ON r.id = l.id`). */
  readonly flipped: boolean;
  /** The alias every referenced column was resolved to, for printing unqualified columns. */
  readonly qualify: (column: string) => string | undefined;
}

interface Side {
  readonly planned: PlannedSource;
  readonly aliases: ReadonlyMap<string, string>;
}

/**
 * A later join's condition that compares a source with itself, found before any join is planned: ksqlDB's
 * analyzer rejects it ahead of the planner's checks on an earlier join. Only sides fully qualified by
 * a source of the query are judged here; the rest (and the first join) is left to analyzeJoinCondition.
 */
export function checkJoinsReferenceTwoSources(from: AliasedSource, joins: readonly Join[]): void {
  const aliasOf = (source: AliasedSource) => (source.alias ?? source.name).value;
  const aliases = new Set([aliasOf(from), ...joins.map((join) => aliasOf(join.right))]);
  for (const join of joins.slice(1)) {
    if (join.on.kind !== 'Comparison' || join.on.operator !== '=') continue;
    const first = soleQualifier(join.on.left);
    if (first !== undefined && aliases.has(first) && first === soleQualifier(join.on.right)) {
      throw new SqlAnalysisError(
        'Each side of the join must reference exactly one source and not the same source. ' +
          `Left side references \`${first}\` and right references \`${first}\``,
      );
    }
  }
}

/** The one source an expression's columns all name, when every column is qualified. */
function soleQualifier(expression: Expression): string | undefined {
  const qualifiers = new Set(columnRefs(expression).map((ref) => ref.source?.value));
  const [only] = qualifiers;
  return qualifiers.size === 1 ? only : undefined;
}

export function analyzeJoinCondition(
  left: PlannedSource,
  right: PlannedSource,
  join: Join,
  rightAlias: string,
): JoinCondition {
  const sides: Side[] = [
    { planned: left, aliases: left.aliases },
    { planned: right, aliases: right.aliases },
  ];
  const resolved = new Map<ColumnRef, JoinColumn>();
  const qualifier = new Map<string, string>();
  const refs = columnRefs(join.on);
  // Unknown qualifiers first, as ksqlDB reports them before unresolvable or ambiguous columns.
  for (const ref of refs) {
    if (ref.source !== undefined && !sides.some((s) => s.aliases.has(ref.source?.value ?? ''))) {
      throw unknownQualifierError(ref.source.value);
    }
  }
  for (const ref of refs) {
    const column = resolveColumn(ref, sides);
    resolved.set(ref, column);
    if (ref.source === undefined) qualifier.set(ref.name.value, column.alias);
  }
  const qualify = (column: string): string | undefined => qualifier.get(column);
  const print = (e: Expression): string => formatJoinExpression(e, qualify);

  if (join.on.kind === 'LogicalBinary') {
    throw new SqlAnalysisError(
      `Invalid join condition: joins on multiple conditions are not yet supported. Got ${print(join.on)}.`,
    );
  }
  if (join.on.kind !== 'Comparison' || join.on.operator !== '=') {
    throw new SqlAnalysisError(
      `Unsupported join expression: only equality joins are supported. Got ${print(join.on)}.`,
    );
  }
  const on: Comparison = join.on;
  const sourcesOf = (e: Expression): Set<string> =>
    new Set(columnRefs(e).map((ref) => (resolved.get(ref) as JoinColumn).alias));
  const firstSources = sourcesOf(on.left);
  const secondSources = sourcesOf(on.right);
  for (const [expression, sources] of [
    [on.left, firstSources],
    [on.right, secondSources],
  ] as const) {
    if (sources.size !== 1) {
      throw new SqlAnalysisError(
        `Invalid comparison expression '${print(expression)}' in join '${print(on)}'. ` +
          'Each side of the join comparision must contain references from exactly one source.',
      );
    }
  }
  const [first] = [...firstSources] as [string];
  const [second] = [...secondSources] as [string];
  if (first === second) {
    throw new SqlAnalysisError(
      'Each side of the join must reference exactly one source and not the same source. ' +
        `Left side references \`${first}\` and right references \`${second}\``,
    );
  }
  if (first !== rightAlias && second !== rightAlias) {
    throw new SqlAnalysisError(
      `A join criteria is expected to reference the source (\`${rightAlias}\`) in the FROM clause, ` +
        `instead the right source references \`${second}\` and the left source references \`${first}\``,
    );
  }
  const flipped = first === rightAlias;
  const [leftExpr, rightExpr] = flipped ? [on.right, on.left] : [on.left, on.right];
  const columnOf = (e: Expression): JoinColumn | undefined =>
    e.kind === 'ColumnRef' ? resolved.get(e) : undefined;
  return {
    left: leftExpr,
    right: rightExpr,
    leftColumn: columnOf(leftExpr),
    rightColumn: columnOf(rightExpr),
    text: { first: print(on.left), second: print(on.right) },
    flipped,
    qualify,
  };
}

/** Every column reference in an expression (lambda parameters aside, which joins do not use). */
export function columnRefs(expression: Expression): ColumnRef[] {
  const found: ColumnRef[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const kind = (node as { kind?: unknown }).kind;
    if (kind === 'ColumnRef') {
      found.push(node as ColumnRef);
      return;
    }
    for (const [field, child] of Object.entries(node)) {
      if (field !== 'pos' && field !== 'type') visit(child);
    }
  };
  visit(expression);
  return found;
}

function resolveColumn(ref: ColumnRef, sides: readonly Side[]): JoinColumn {
  const name = ref.name.value;
  const candidates: JoinColumn[] = [];
  for (const side of sides) {
    for (const [alias, prefix] of side.aliases) {
      if (ref.source !== undefined && ref.source.value !== alias) continue;
      const column = findColumn(side.planned, `${prefix}${name}`);
      if (column !== undefined) candidates.push({ alias, name, ...column });
    }
  }
  const written = ref.source === undefined ? name : `${ref.source.value}.${name}`;
  if (candidates.length === 0) {
    throw new SqlAnalysisError(`JOIN ON column '${written}' cannot be resolved.`, ref.pos);
  }
  if (candidates.length > 1) {
    const options = candidates.map((c) => `${c.alias}.${c.name}`).join(', ');
    throw new SqlAnalysisError(`Column '${written}' is ambiguous. Could be any of: ${options}`, ref.pos);
  }
  return candidates[0] as JoinColumn;
}

function findColumn(
  planned: PlannedSource,
  name: string,
): { readonly column: Column; readonly isKey: boolean } | undefined {
  const key = planned.schema.key.find((c) => c.name === name);
  if (key !== undefined) return { column: key, isKey: planned.schema.key.length === 1 };
  const value = planned.schema.value.find((c) => c.name === name);
  return value === undefined ? undefined : { column: value, isKey: false };
}
