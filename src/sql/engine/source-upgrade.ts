// CREATE OR REPLACE's compatibility rules, as ksqlDB states them: a source keeps its name, kind, topic,
// timestamp column and key columns, and its value columns may only be added at the end; a running query
// is only replaced when ksqlDB could upgrade its plan in place (no joins, no windowed aggregation).
import type { Query } from '../parser/index.js';
import type { DataSource } from '../planner/data-source.js';
import { collect } from '../planner/aggregation/expression-tree.js';
import { expressionText } from '../planner/expression-text.js';
import type { Column } from '../planner/schema.js';
import type { Catalog } from './catalog.js';
import { describeColumn } from './columns.js';

/** Why `existing` cannot become `replacement`, in ksqlDB's words, or undefined when it can. */
export function sourceUpgradeIssue(existing: DataSource, replacement: DataSource): string | undefined {
  const properties: [string, (source: DataSource) => string][] = [
    ['name', (s) => s.name],
    ['type', (s) => s.kind],
    ['topic', (s) => `${s.topic} (${s.keyFormat}, ${s.valueFormat})`],
    ['timestampColumn', (s) => timestampText(s)],
  ];
  const issues = properties
    .filter(([, read]) => read(existing) !== read(replacement))
    .map(([name, read]) => incompatible(existing, name, read(existing), read(replacement)));
  const schemaIssue = schemaDifference(existing, replacement);
  if (schemaIssue !== undefined) {
    issues.push(
      `${incompatible(existing, 'schema', schemaText(existing), schemaText(replacement))}. (${schemaIssue})`,
    );
  }
  return issues.length === 0 ? undefined : `Cannot upgrade data source: ${issues.join('\n\tAND ')}`;
}

/**
 * Why the query of `previous` cannot be upgraded in place to `next`, or undefined when it can. ksqlDB
 * only knows how to upgrade plans without joins or windowed aggregation.
 */
export function queryUpgradeIssue(
  previous: Query,
  next: Query,
  catalog: Catalog,
  isAggregate: (name: string) => boolean,
): string | undefined {
  if (previous.window !== undefined && previous.groupBy !== undefined) {
    return 'Upgrades not yet supported for StreamWindowedAggregate';
  }
  if (previous.groupBy !== undefined && next.groupBy !== undefined) {
    // The store holds each group's accumulators: the new query must compute the same ones.
    const before = aggregateCalls(previous, isAggregate);
    const after = aggregateCalls(next, isAggregate);
    if (before.join('\0') !== after.join('\0')) {
      return (
        'Query is not upgradeable. Plan step of type StreamAggregate must have matching aggregate functions. ' +
        `Values differ: [${before.join(', ')}] vs. [${after.join(', ')}]`
      );
    }
  }
  if (previous.joins.length > 0) {
    const kind = (name: string) => catalog.source(name)?.kind ?? 'STREAM';
    const left = kind(previous.from.name.value);
    const right = kind(previous.joins[0].right.name.value);
    const step =
      left === 'TABLE' ? 'TableTableJoin' : right === 'TABLE' ? 'StreamTableJoin' : 'StreamStreamJoin';
    return `Upgrades not yet supported for ${step}`;
  }
  if (next.joins.length > 0) {
    return 'Query is not upgradeable. Cannot change a non-join source into a join source.';
  }
  return undefined;
}

/** The aggregate calls of the SELECT and HAVING, in order, each once. */
function aggregateCalls(query: Query, isAggregate: (name: string) => boolean): string[] {
  const calls = collect(
    [query.select, query.having],
    (e) => e.kind === 'FunctionCall' && isAggregate(e.name.value),
  );
  return [...new Set(calls.map(expressionText))];
}

function incompatible(source: DataSource, property: string, from: string, to: string): string {
  return `DataSource '${source.name}' has ${property} = ${from} which is not upgradeable to ${to}`;
}

function timestampText(source: DataSource): string {
  const column = source.timestampColumn;
  if (column === undefined) return 'Optional.empty';
  return column.format === undefined ? column.name : `${column.name} (${column.format})`;
}

function schemaText(source: DataSource): string {
  return [...source.schema.key, ...source.schema.value].map(describeColumn).join(', ');
}

/**
 * The key columns must stay as they are; the value columns may be added to at the end. Lists, as ksqlDB
 * does, the old columns that are not at their place in the new schema.
 */
function schemaDifference(existing: DataSource, replacement: DataSource): string | undefined {
  const key = moved(existing.schema.key, replacement.schema.key);
  if (key.length > 0) {
    return `Key columns must be identical. The following key columns are changed, missing or reordered: [${key.join(', ')}]`;
  }
  const value = moved(existing.schema.value, replacement.schema.value);
  return value.length === 0
    ? undefined
    : `The following columns are changed, missing or reordered: [${value.join(', ')}]`;
}

function moved(before: readonly Column[], after: readonly Column[]): string[] {
  return before
    .filter(
      (column, index) =>
        after[index] === undefined || describeColumn(after[index]) !== describeColumn(column),
    )
    .map(describeColumn);
}
