// CREATE ... AS SELECT as ksqlDB prints it after its AST sanitizer has run, which its errors from
// building the physical plan quote (a sink format that cannot hold the key): every column qualified with
// the source's alias, every SELECT item aliased with its output column's name, one item per line, and
// EMIT CHANGES. Queries the sketch does not cover (joins, windows, `*`, lambdas) keep their own text.
import type { CreateAsSelect, Expression, Query } from '../parser/index.js';
import { rewrite } from '../planner/aggregation/expression-tree.js';
import { expressionText, identifierText } from '../planner/expression-text.js';
import type { QueryPlan } from '../planner/index.js';
import type { ColumnPosition } from '../planner/plan.js';

function covered(query: Query): boolean {
  const hasLambda = JSON.stringify(query.select).includes('"kind":"Lambda"');
  return (
    query.joins.length === 0 &&
    query.window === undefined &&
    query.select.every((item) => item.kind === 'SelectExpression') &&
    !hasLambda
  );
}

/** The sanitized text, or undefined where this sketch does not cover the query. */
export function sanitizedStatementText(statement: CreateAsSelect, plan: QueryPlan): string | undefined {
  const { query } = statement;
  if (!covered(query)) return undefined;
  const alias = identifierText((query.from.alias ?? query.from.name).value);
  const qualified = (expression: Expression): string =>
    expressionText(
      rewrite(expression, (e) =>
        e.kind === 'ColumnRef' && e.source === undefined
          ? { ...e, source: { ...e.name, value: alias.replace(/`/g, '') } }
          : undefined,
      ),
    );
  const order: readonly ColumnPosition[] = plan.columnOrder ?? [
    ...plan.schema.key.map((_, index) => ({ namespace: 'KEY' as const, index })),
    ...plan.schema.value.map((_, index) => ({ namespace: 'VALUE' as const, index })),
  ];
  const names = order.map(
    (position) => (position.namespace === 'KEY' ? plan.schema.key : plan.schema.value)[position.index]?.name,
  );
  if (names.length !== query.select.length || names.some((name) => name === undefined)) return undefined;
  const items = query.select.map((item, i) =>
    item.kind === 'SelectExpression'
      ? `  ${qualified(item.expression)} ${identifierText(names[i] ?? '')}`
      : '',
  );
  const lines = [
    `CREATE ${statement.sourceType} ${identifierText(statement.name.value)} AS SELECT`,
    items.join(',\n'),
    `FROM ${identifierText(query.from.name.value)} ${alias}`,
  ];
  if (query.where !== undefined) lines.push(`WHERE ${qualified(query.where)}`);
  if (query.groupBy !== undefined) lines.push(`GROUP BY ${query.groupBy.map(qualified).join(', ')}`);
  if (query.partitionBy !== undefined) {
    lines.push(`PARTITION BY ${query.partitionBy.map(qualified).join(', ')}`);
  }
  if (query.having !== undefined) lines.push(`HAVING ${qualified(query.having)}`);
  lines.push(`EMIT ${query.emit ?? 'CHANGES'}`);
  return lines.join('\n');
}
