// PARTITION BY: the key becomes the given expressions (named as ksqlDB names them: a column's name, a
// struct field's name, else KSQL_COL_n), the old key columns join the value. PARTITION BY NULL leaves
// the stream without a key.
import type { ColumnRef, Expression } from '../parser/index.js';
import type { SqlRecord } from '../runtime/records.js';
import { containsMap, formatType, type SqlType, type SqlValue } from '../types/index.js';
import { rekeyOperator } from '../runtime/operators/rekey.js';
import { compileIn } from './clause-errors.js';
import { resolveColumn } from './columns.js';
import { SqlAnalysisError } from './errors.js';
import type { ExpressionCompiler } from './expression-compiler.js';
import { expressionText, identifierText } from './expression-text.js';
import { scopeOf, type KeyBinding, type PlannedSource } from './plan.js';
import type { Column } from './schema.js';

/** ksqlDB refuses MAP in keys (issue 6621): their serialized order is not stable. */
export function checkKeyType(name: string, type: SqlType): void {
  if (containsMap(type)) {
    throw new SqlAnalysisError(
      `Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: \`${name}\`. Column type: ${formatType(type)}. See https://github.com/confluentinc/ksql/issues/6621 for more.`,
    );
  }
}

/** Whether the expression reads key columns only (no value column, no pseudo-column). */
function readsKeyOnly(expression: Expression, input: PlannedSource): boolean {
  let keyOnly = true;
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    const node = value as { kind?: unknown };
    if (node.kind === 'ColumnRef') {
      const ref = value as ColumnRef;
      const prefix = ref.source === undefined ? '' : (input.aliases.get(ref.source.value) ?? '');
      if (!input.schema.key.some((c) => c.name === prefix + ref.name.value)) keyOnly = false;
      return;
    }
    for (const inner of Object.values(value)) visit(inner);
  };
  visit(expression);
  return keyOnly;
}

function keyName(expression: Expression, input: PlannedSource): string | undefined {
  if (expression.kind === 'ColumnRef') {
    // An unqualified column of a join is named as the joined schema names it (`A` is `L_A`).
    const column = resolveColumn(scopeOf(input), expression).column;
    if (column !== undefined) return column.name;
    const prefix = expression.source === undefined ? '' : (input.aliases.get(expression.source.value) ?? '');
    return prefix + expression.name.value;
  }
  if (expression.kind === 'Dereference') return expression.field.value;
  return undefined;
}

/** How the error message names a PARTITION BY expression: a column qualified by its source (INPUT.ID). */
function displayOf(expression: Expression, input: PlannedSource): string {
  if (expression.kind === 'ColumnRef' && expression.source === undefined) {
    const [alias] = [...input.aliases.entries()].find(([, prefix]) => prefix === '') ?? [];
    if (alias !== undefined) return `${identifierText(alias)}.${identifierText(expression.name.value)}`;
  }
  return expressionText(expression);
}

export function planPartitionBy(
  expressions: readonly Expression[],
  input: PlannedSource,
  compiler: ExpressionCompiler,
): PlannedSource {
  if (expressions.length === 0) throw new SqlAnalysisError('PARTITION BY requires at least one expression');
  const nulls = expressions.filter((e) => e.kind === 'NullLiteral');
  if (nulls.length > 0 && expressions.length > 1) {
    throw new SqlAnalysisError('Cannot PARTITION BY multiple columns including NULL');
  }
  const scope = scopeOf(input);
  const taken = new Set([...input.schema.key, ...input.schema.value].map((c) => c.name));
  let generated = 0;
  const keyColumns: Column[] = [];
  const bindings: KeyBinding[] = [];
  const evaluators: ((record: SqlRecord) => SqlValue)[] = [];
  for (const expression of nulls.length > 0 ? [] : expressions) {
    const compiled = compileIn('PARTITION BY', compiler, expression, scope);
    if (compiled.type === null)
      throw new SqlAnalysisError("Can't PARTITION BY an untyped NULL.", expression.pos);
    let name = keyName(expression, input);
    if (name === undefined) {
      do name = `KSQL_COL_${generated++}`;
      while (taken.has(name));
    }
    checkKeyType(name, compiled.type);
    keyColumns.push({ name, type: compiled.type, namespace: 'KEY' });
    const text = expressionText(expression);
    const display = displayOf(expression, input);
    bindings.push({
      what: 'partitioning expression',
      texts: [...new Set([text, display, identifierText(name)])],
      display,
      example: display,
    });
    // On a tombstone only the expressions of key columns alone can be computed, as in ksqlDB.
    const keyOnly = readsKeyOnly(expression, input);
    evaluators.push((record: SqlRecord): SqlValue =>
      record.value === null && !keyOnly ? null : compiled.evaluate(record),
    );
  }
  const movedKeys = input.schema.key.map((c): Column => ({ ...c, namespace: 'VALUE' }));
  return {
    ...input,
    schema: { key: keyColumns, value: [...input.schema.value, ...movedKeys] },
    // After a join, ksqlDB's `*` here is every joined column, the sides' pseudo-columns included.
    ...(input.joinedColumnOrder === undefined ? {} : { starOrder: input.joinedColumnOrder }),
    operators: [...input.operators, rekeyOperator(evaluators)],
    keyBindings: bindings,
  };
}
