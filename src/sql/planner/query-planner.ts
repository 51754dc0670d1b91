// planQuery: a SELECT to a QueryPlan. The order is ksqlDB's: FROM and JOINs (join.ts), WHERE, then either
// the aggregation (aggregation.ts: GROUP BY, WINDOW, HAVING and the projection) or PARTITION BY and the
// projection; for a persistent query, the sink's checks (keys in the projection, INSERT INTO's schema).
import type { FunctionRegistry } from '../functions/index.js';
import type { AliasedSource, Expression, Query, SelectItem } from '../parser/index.js';
import { filterOperator } from '../runtime/operators/filter.js';
import { selectOperator } from '../runtime/operators/select.js';
import { formatType, typesEqual } from '../types/index.js';
import { compileIn } from './clause-errors.js';
import type { CatalogView, DataSource } from './data-source.js';
import { checkPullWhere, columnNames } from './pull-where.js';
import { SqlAnalysisError } from './errors.js';
import type { ExpressionCompiler } from './expression-compiler.js';
import { expressionText, identifierText } from './expression-text.js';
import { createExpressionCompiler } from './expressions.js';
import { checkJoinsReferenceTwoSources } from './join-condition.js';
import { magicTimestampLiterals } from './magic-timestamps.js';
import { castLiteralsToTarget } from './implicit-casts.js';
import { planPartitionBy } from './partition-by.js';
import {
  ErrorRelay,
  scopeOf,
  type AggregationPlanner,
  type JoinPlanner,
  type PlannedSource,
  type QueryPlan,
  type QueryType,
} from './plan.js';
import { planProjection } from './projection.js';
import { isTableFunctionCall, planTableFunctions } from './table-functions.js';
import type { LogicalSchema } from './schema.js';
import { registeredAggregationPlanner, registeredJoinPlanner } from './step-planners.js';

/** Where a persistent query writes: a new stream/table (CSAS/CTAS) or an existing one (INSERT INTO). */
export type SinkRequest =
  | {
      readonly kind: 'CREATE';
      readonly sourceType: 'STREAM' | 'TABLE';
      readonly name: string;
      /** WITH (TIMESTAMP='col'): checked against the projection before its keys, as ksqlDB does. */
      readonly timestampColumn?: string;
    }
  | { readonly kind: 'INSERT'; readonly target: DataSource };

export interface PlanOptions {
  readonly type: QueryType;
  readonly functions: FunctionRegistry;
  /** Defaults to createExpressionCompiler(functions), reporting evaluation errors to the plan's relay. */
  readonly compiler?: ExpressionCompiler;
  /** For PERSISTENT: the sink, so that its schema can be checked (key columns, INSERT compatibility). */
  readonly sink?: SinkRequest;
  /** ksql.* properties in effect for the statement. */
  readonly properties?: Readonly<Record<string, string>>;
  /** Override the registered planners (tests, or before the modules register themselves). */
  readonly planAggregation?: AggregationPlanner;
  readonly planJoin?: JoinPlanner;
}

function planSource(aliased: AliasedSource, catalog: CatalogView): PlannedSource {
  const name = aliased.name.value;
  const source = catalog.source(name);
  if (source === undefined) {
    throw new SqlAnalysisError(`Source \`${name}\` does not exist.`, aliased.name.pos);
  }
  const alias = aliased.alias?.value ?? name;
  return {
    schema: source.schema,
    kind: source.kind,
    ...(source.window === undefined ? {} : { window: source.window }),
    input: { kind: 'Topic', source, alias },
    operators: [],
    aliases: new Map([[alias, '']]),
  };
}

function walk(expression: Expression, visit: (e: Expression) => void): void {
  visit(expression);
  for (const value of Object.values(expression)) {
    if (Array.isArray(value)) {
      for (const item of value) walkLoose(item, visit);
    } else walkLoose(value, visit);
  }
}

function walkLoose(value: unknown, visit: (e: Expression) => void): void {
  if (typeof value !== 'object' || value === null) return;
  const node = value as { kind?: unknown };
  if (typeof node.kind === 'string' && node.kind !== 'Identifier') {
    walk(value as Expression, visit);
    return;
  }
  // when/then pairs, map entries and struct fields are plain objects holding expressions.
  for (const inner of Object.values(value)) walkLoose(inner, visit);
}

/**
 * Whether the SELECT calls a function the scalar registry does not know (an aggregate, then); table
 * functions are not aggregates.
 */
function callsAggregate(items: readonly SelectItem[], functions: FunctionRegistry): boolean {
  let found = false;
  for (const item of items) {
    if (item.kind !== 'SelectExpression') continue;
    walk(item.expression, (e) => {
      if (e.kind !== 'FunctionCall' || isTableFunctionCall(e)) return;
      if (e.star || functions.get(e.name.value) === undefined) found = true;
    });
  }
  return found;
}

function planWhere(
  where: Expression,
  input: PlannedSource,
  compiler: ExpressionCompiler,
  windowedAggregation: boolean,
): PlannedSource {
  let predicate;
  try {
    predicate = compileIn('WHERE', compiler, magicTimestampLiterals(where), scopeOf(input));
  } catch (error) {
    // ksqlDB's analysis lets a windowed aggregation's WHERE name the window bounds; its type check of the
    // filter, over the source's columns, then cannot find them.
    const bound =
      error instanceof SqlAnalysisError ? /^WHERE column '(WINDOWSTART|WINDOWEND)'/.exec(error.detail) : null;
    if (windowedAggregation && bound !== null) {
      throw new SqlAnalysisError(`Error in WHERE expression: Unknown column ${bound[1]}.`);
    }
    throw error;
  }
  if (predicate.type !== null && predicate.type.kind !== 'BOOLEAN') {
    throw new SqlAnalysisError(
      `Type error in WHERE expression: Should evaluate to boolean but is ${expressionText(where)} (${formatType(predicate.type)}) instead.`,
      where.pos,
    );
  }
  return {
    ...input,
    operators: [...input.operators, filterOperator((r) => predicate.evaluate(r), input.kind)],
  };
}

/** `ID` INTEGER KEY, `NAME` STRING: a schema as ksqlDB prints it in messages. */
export function schemaText(schema: LogicalSchema): string {
  return [
    ...schema.key.map((c) => `\`${c.name}\` ${formatType(c.type)} KEY`),
    ...schema.value.map((c) => `\`${c.name}\` ${formatType(c.type)}`),
  ].join(', ');
}

function sameColumns(a: LogicalSchema, b: LogicalSchema): boolean {
  const same = (x: LogicalSchema['key'], y: LogicalSchema['key']): boolean =>
    x.length === y.length && x.every((c, i) => c.name === y[i]?.name && typesEqual(c.type, y[i].type));
  return same(a.key, b.key) && same(a.value, b.value);
}

function checkInsertInto(result: LogicalSchema, target: DataSource): void {
  if (!sameColumns(result, target.schema)) {
    throw new SqlAnalysisError(
      `Incompatible schema between results and sink.\nResult schema is ${schemaText(result)}\nSink schema is ${schemaText(target.schema)}`,
    );
  }
}

function sinkName(sink: SinkRequest | undefined): string | undefined {
  if (sink === undefined) return undefined;
  return sink.kind === 'CREATE' ? sink.name : sink.target.name;
}

const PULL_QUERY_HELP =
  ' See https://cnfl.io/queries for more info.\nAdd EMIT CHANGES if you intended to issue a push query.';

/** The clauses a pull query cannot have, refused in ksqlDB's order (its PullQueryValidator's rules). */
function checkPullClauses(query: Query): void {
  const refused: [boolean, string][] = [
    [query.joins.length > 0, 'JOIN clauses.'],
    [query.window !== undefined, 'WINDOW clauses.'],
    [query.groupBy !== undefined, 'GROUP BY clauses.'],
    [query.partitionBy !== undefined, 'PARTITION BY clauses.'],
    [query.having !== undefined, 'HAVING clauses.'],
  ];
  const found = refused.find(([present]) => present);
  if (found)
    throw new SqlAnalysisError(`Pull queries don't support ${found[1]}${PULL_QUERY_HELP}`, query.pos);
  // ROWPARTITION and ROWOFFSET are a topic record's, which a pull query's state store does not keep.
  const selected = query.select.flatMap((item) =>
    item.kind === 'SelectExpression' ? columnNames(item.expression) : [],
  );
  const filtered = query.where === undefined ? [] : columnNames(query.where);
  for (const [clause, names] of [
    ['SELECT', selected],
    ['WHERE', filtered],
  ] as const) {
    const disallowed = names.filter((name) => name === 'ROWPARTITION' || name === 'ROWOFFSET');
    if (disallowed.length > 0) {
      const listed = disallowed.map((name) => `\`${name}\``).join(', ');
      throw new SqlAnalysisError(
        `Pull queries don't support the following columns in ${clause} clauses: ${listed}\n${PULL_QUERY_HELP}`,
      );
    }
  }
}

export function planQuery(written: Query, catalog: CatalogView, options: PlanOptions): QueryPlan {
  const query =
    options.sink?.kind === 'INSERT' ? castLiteralsToTarget(written, options.sink.target.schema) : written;
  const errors = new ErrorRelay();
  const compiler =
    options.compiler ?? createExpressionCompiler(options.functions, { onError: errors.report });
  const persistent = options.type === 'PERSISTENT';
  if (query.limit !== undefined && query.limit < 0) {
    // The parser lets a negative LIMIT through, as ksqlDB's grammar does: the query type decides.
    throw new SqlAnalysisError(
      options.type === 'PULL'
        ? "Pull queries don't support negative integers in the LIMIT clause. See https://cnfl.io/queries for more info."
        : `LIMIT must be a whole number of at least 0, not ${query.limit}.`,
    );
  }

  let current = planSource(query.from, catalog);
  if (options.type === 'PULL') checkPullClauses(query);
  const sourceNames = [query.from.name.value];
  checkJoinsReferenceTwoSources(query.from, query.joins);
  for (const join of query.joins) {
    const planJoin = options.planJoin ?? registeredJoinPlanner();
    if (planJoin === undefined) throw new SqlAnalysisError('JOIN is not supported yet.', join.pos);
    current = planJoin(current, planSource(join.right, catalog), join, compiler);
    sourceNames.push(join.right.name.value);
  }
  if (query.where !== undefined) {
    const source = current;
    current = planWhere(query.where, current, compiler, query.window !== undefined);
    const tableScans = options.properties?.['ksql.query.pull.table.scan.enabled']?.toLowerCase() !== 'false';
    if (options.type === 'PULL' && source.kind === 'TABLE') {
      checkPullWhere(query.where, source.schema, source.window !== undefined, tableScans);
    }
  }

  const aggregating =
    query.groupBy !== undefined ||
    query.window !== undefined ||
    query.having !== undefined ||
    // An unknown function is an aggregate only if there is an aggregation planner to say so.
    ((options.planAggregation ?? registeredAggregationPlanner()) !== undefined &&
      callsAggregate(query.select, options.functions));
  let root: PlannedSource;
  let columnOrder;
  if (aggregating) {
    const planAggregation = options.planAggregation ?? registeredAggregationPlanner();
    if (planAggregation === undefined)
      throw new SqlAnalysisError('GROUP BY is not supported yet.', query.pos);
    if (query.partitionBy !== undefined) {
      throw new SqlAnalysisError('PARTITION BY cannot be used with GROUP BY.', query.pos);
    }
    const name = sinkName(options.sink);
    root = planAggregation(current, query, compiler, persistent ? name : undefined);
    columnOrder = root.projected?.order;
  } else {
    const partitioned = query.partitionBy !== undefined;
    if (query.partitionBy !== undefined) current = planPartitionBy(query.partitionBy, current, compiler);
    const flatMapped = planTableFunctions(query, current, compiler);
    current = flatMapped.input;
    const name = sinkName(options.sink);
    const projection = planProjection(flatMapped.query, current, compiler, {
      ...(persistent && name !== undefined ? { persistentSink: name } : {}),
      ...(options.sink?.kind === 'CREATE' && options.sink.timestampColumn !== undefined
        ? { timestampColumn: options.sink.timestampColumn }
        : {}),
      keyOrderFromInput: partitioned,
      keyMayBeLeftOut: options.properties?.['ksql.new.query.planner.enabled'] === 'true',
    });
    const key = projection.key.map((c) => (r: Parameters<typeof c.evaluate>[0]) => c.evaluate(r));
    const value = projection.value.map((c) => (r: Parameters<typeof c.evaluate>[0]) => c.evaluate(r));
    const { keyBindings: _bindings, ...rest } = current;
    root = {
      ...rest,
      schema: projection.schema,
      operators: [...current.operators, selectOperator(key, value)],
    };
    columnOrder = projection.order;
  }
  if (options.sink?.kind === 'INSERT') checkInsertInto(root.schema, options.sink.target);
  return {
    type: options.type,
    schema: root.schema,
    kind: root.kind,
    ...(root.window === undefined ? {} : { window: root.window }),
    sourceNames,
    root,
    ...(query.limit === undefined ? {} : { limit: query.limit }),
    ...(columnOrder === undefined ? {} : { columnOrder }),
    errors,
  };
}

export { identifierText };
