// A pull query's WHERE when table scans are off (ksql.query.pull.table.scan.enabled=false): like ksqlDB's
// QueryFilterNode, each disjunct of the WHERE (in disjunctive normal form, IN and BETWEEN expanded) must
// pin every key column once, by equality or a range on a STRING key of a non-windowed table, else the
// query is refused with ksqlDB's message. With table scans on (the default) any WHERE is answered.
import type { Expression } from '../parser/index.js';
import { SqlAnalysisError } from './errors.js';
import { expressionText } from './expression-text.js';
import { formatType } from '../types/index.js';
import type { Column, LogicalSchema } from './schema.js';

const HELP =
  ' See https://cnfl.io/queries for more info.\nAdd EMIT CHANGES if you intended to issue a push query.\n' +
  'Pull queries require a WHERE clause that:\n' +
  ' - includes a key equality expression, e.g. `SELECT * FROM X WHERE <key-column> = Y;`.\n' +
  ' - in the case of a multi-column key, is a conjunction of equality expressions that cover all key columns.\n' +
  'If more flexible queries are needed, table scans can be enabled by setting ksql.query.pull.table.scan.enabled=true.';

function refused(message: string): SqlAnalysisError {
  return new SqlAnalysisError(`${message}.${HELP}`);
}

/** The WHERE as OR-ed conjunctions: `A AND (B OR C)` is `A AND B`, `A AND C`; `K IN (1, 2)` is `K = 1`, `K = 2`. */
export function disjuncts(expression: Expression): Expression[] {
  const pos = expression.pos;
  switch (expression.kind) {
    case 'LogicalBinary': {
      const left = disjuncts(expression.left);
      const right = disjuncts(expression.right);
      if (expression.operator === 'OR') return [...left, ...right];
      return left.flatMap((l) =>
        right.map((r): Expression => ({ kind: 'LogicalBinary', operator: 'AND', left: l, right: r, pos })),
      );
    }
    case 'InList':
      if (expression.negated) return [expression];
      return expression.list.map((item) => ({
        kind: 'Comparison',
        operator: '=',
        left: expression.value,
        right: item,
        pos,
      }));
    case 'Between':
      if (expression.negated) return [expression];
      return [
        {
          kind: 'LogicalBinary',
          operator: 'AND',
          left: { kind: 'Comparison', operator: '>=', left: expression.value, right: expression.lower, pos },
          right: { kind: 'Comparison', operator: '<=', left: expression.value, right: expression.upper, pos },
          pos,
        },
      ];
    default:
      return [expression];
  }
}

function hasColumnRef(expression: Expression): boolean {
  if (expression.kind === 'ColumnRef') return true;
  return Object.values(expression).some((child: unknown) =>
    Array.isArray(child)
      ? child.some((item) => isExpression(item) && hasColumnRef(item))
      : isExpression(child) && hasColumnRef(child),
  );
}

/** The names of the columns an expression reads, in order. */
export function columnNames(expression: Expression): string[] {
  if (expression.kind === 'ColumnRef') return [expression.name.value];
  return Object.values(expression).flatMap((child: unknown) =>
    Array.isArray(child)
      ? child.flatMap((item) => (isExpression(item) ? columnNames(item) : []))
      : isExpression(child)
        ? columnNames(child)
        : [],
  );
}

function isExpression(value: unknown): value is Expression {
  return typeof value === 'object' && value !== null && 'kind' in value && 'pos' in value;
}

interface DisjunctKeys {
  readonly seen: Set<number>;
  ranged: boolean;
  readonly lookups: { comparison: Expression; key: Column; literal: Expression }[];
}

/**
 * Checks a pull query's WHERE on a table as ksqlDB's QueryFilterNode: with table scans off, refuses one
 * that would need a scan; when every disjunct looks keys up, refuses a key that is NULL or a literal of
 * another type (ksqlDB's strict coercion), table scans on or off.
 */
export function checkPullWhere(
  where: Expression,
  schema: LogicalSchema,
  windowed: boolean,
  tableScans: boolean,
): void {
  const keys = schema.key;
  const findColumn = (name: string): { column: Column; keyIndex: number } | undefined => {
    const keyIndex = keys.findIndex((c) => c.name === name);
    if (keyIndex >= 0) return { column: keys[keyIndex] as Column, keyIndex };
    const column = schema.value.find((c) => c.name === name);
    return column === undefined ? undefined : { column, keyIndex: -1 };
  };

  const visit = (node: Expression, found: DisjunctKeys): void => {
    if (node.kind === 'LogicalBinary') {
      if (node.operator !== 'AND')
        throw refused(`Only AND expressions are supported: ${expressionText(node)}`);
      visit(node.left, found);
      visit(node.right, found);
      return;
    }
    if (node.kind === 'Like') {
      if (node.value.kind !== 'ColumnRef') throw refused('Like condition must be between strings');
      const target = findColumn(node.value.name.value);
      if (target === undefined)
        throw refused(`Like condition on non-existent column ${node.value.name.value}`);
      if (target.column.type.kind !== 'STRING') {
        throw refused(
          `The column type for Like condition must be VARCHAR. The column type is ${target.column.type.kind}`,
        );
      }
      return;
    }
    if (node.kind !== 'Comparison') {
      throw refused(`Unsupported expression in WHERE clause: ${expressionText(node)}`);
    }
    const column =
      node.right.kind === 'ColumnRef' ? node.right : node.left.kind === 'ColumnRef' ? node.left : undefined;
    if (column === undefined) throw refused('A comparison must directly reference a key column');
    const other = column === node.right ? node.left : node.right;
    if (hasColumnRef(other)) {
      throw refused('A comparison must be between a key column and a resolvable expression');
    }
    const name = column.name.value;
    if (name === 'WINDOWSTART' || name === 'WINDOWEND') {
      if (node.operator === '<>') throw refused(`Unsupported ${name} bounds: NOT_EQUAL`);
      if (!windowed) throw refused('Cannot use WINDOWSTART/WINDOWEND on non-windowed source');
      return;
    }
    const target = findColumn(name);
    if (target === undefined) throw refused(`Bound on non-existent column ${name}`);
    if (target.keyIndex < 0) return;
    if (node.operator === '<>') {
      const keyText = keys.map((c) => `\`${c.name}\` ${c.type.kind} KEY`).join(', ');
      throw refused(`Bound on key columns '[${keyText}]' must currently be '='`);
    }
    if (found.seen.has(target.keyIndex)) {
      throw refused(
        'A comparison condition on the key column cannot be combined with other comparisons such as an IN predicate',
      );
    }
    found.seen.add(target.keyIndex);
    if (node.operator === '=') found.lookups.push({ comparison: node, key: target.column, literal: other });
    // A range on a key is a range scan only on a non-windowed table's STRING key; else a table scan.
    if (node.operator !== '=' && (windowed || target.column.type.kind !== 'STRING')) {
      found.ranged = true;
    }
  };

  let needsTableScan = false;
  const lookups: DisjunctKeys['lookups'] = [];
  for (const disjunct of disjuncts(where)) {
    const found: DisjunctKeys = { seen: new Set(), ranged: false, lookups: [] };
    try {
      visit(disjunct, found);
      if (found.seen.size === 0) {
        throw refused(`WHERE clause missing key column for disjunct: ${expressionText(disjunct)}`);
      }
      if (found.seen.size !== keys.length) {
        const specified = [...found.seen].map((i) => keys[i]?.name ?? '').join(', ');
        const expected = keys.map((c) => `\`${c.name}\` ${c.type.kind} KEY`).join(', ');
        throw refused(
          `Multi-column sources must specify every key in the WHERE clause. Specified: [${specified}] Expected: [${expected}]`,
        );
      }
    } catch (error) {
      // With table scans on, a disjunct that cannot look keys up is answered by a scan instead.
      if (!tableScans) throw error;
      return;
    }
    needsTableScan ||= found.ranged;
    lookups.push(...found.lookups);
  }
  if (needsTableScan) {
    if (tableScans) return;
    throw new SqlAnalysisError(
      'Query requires table scan to be enabled. Table scans can be enabled by setting ksql.query.pull.table.scan.enabled=true',
    );
  }
  for (const lookup of lookups) checkKeyLiteral(lookup.comparison, lookup.key, lookup.literal);
}

const NON_TEXT_KEYS = new Set(['INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL', 'BOOLEAN']);

/** A looked-up key must be a value of the key's type: no NULL, no string for a number (or back). */
function checkKeyLiteral(comparison: Expression, key: Column, literal: Expression): void {
  if (literal.kind === 'NullLiteral') {
    throw new SqlAnalysisError(`Primary key columns can not be NULL: ${expressionText(comparison)}`);
  }
  const text =
    literal.kind === 'StringLiteral'
      ? literal.value
      : literal.kind === 'NumberLiteral'
        ? literal.text
        : undefined;
  if (text === undefined) return;
  // (A string for a DATE, TIME or TIMESTAMP key is left to the comparison, which converts it.)
  const mismatch =
    literal.kind === 'StringLiteral' ? NON_TEXT_KEYS.has(key.type.kind) : key.type.kind === 'STRING';
  if (mismatch) {
    throw new SqlAnalysisError(
      `'${text}' can not be converted to the type of the key column: ${key.name} ${formatType(key.type)} KEY`,
    );
  }
}
