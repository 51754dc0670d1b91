// Plans GROUP BY, WINDOW, HAVING and the SELECT of an aggregate query, given the source after WHERE.
// It checks the query as ksqlDB does (with its messages), names the result's key and value columns,
// resolves the aggregate calls, and rewrites SELECT and HAVING to read the aggregation's output:
//
//   input ──▶ aggregate (key: the GROUP BY values, value: KSQL_AGG_VARIABLE_0..n) ──▶ HAVING ──▶ SELECT
//
// The result is a TABLE, windowed when there is a WINDOW clause.
import {
  AggregateResolutionError,
  createAggregateRegistry,
  type AggregateRegistry,
  type LiteralArg,
} from '../functions/aggregate/index.js';
import {
  createBuiltinRegistry,
  createTableFunctionRegistry,
  type FunctionRegistry,
} from '../functions/index.js';
import { FormatError, type FormatName } from '../formats/format.js';
import { validateSerdeTarget } from '../formats/support.js';
import type { Expression, FunctionCall, Query } from '../parser/index.js';
import {
  aggregateOperator,
  retentionRefusal,
  type AggregateCall,
  type RecordEvaluator,
} from '../runtime/aggregate/index.js';
import { havingFilter, tableProjection } from '../runtime/aggregate/table-steps.js';
import { groupByRepartition, repartitionMarker } from '../runtime/operators/repartition.js';
import type { SqlRecord } from '../runtime/records.js';
import { formatType, type SqlType } from '../types/index.js';
import { canonicalText, collect, columnRef, rewrite } from './aggregation/expression-tree.js';
import { ColumnNamer } from './aggregation/names.js';
import { windowInfoOf, windowSpecOf } from './aggregation/window.js';
import { resolveColumn } from './columns.js';
import { SqlAnalysisError } from './errors.js';
import { registerAggregationPlanner } from './step-planners.js';
import type { ExpressionCompiler, ExpressionScope } from './expression-compiler.js';
import { expressionText } from './expression-text.js';
import {
  scopeOf,
  type AggregationPlanner,
  type ColumnPosition,
  type PlannedSource,
  type PlannedStep,
} from './plan.js';
import type { Column, LogicalSchema } from './schema.js';

/** ksqlDB's name for an aggregation's state store. */
export const AGGREGATE_STORE_NAME = 'Aggregate-Aggregate-Materialize';

const WINDOW_BOUNDS = new Set(['WINDOWSTART', 'WINDOWEND']);
const TABLE_FUNCTIONS = new Set(createTableFunctionRegistry().names());

export interface AggregationPlannerOptions {
  /** Defaults to createAggregateRegistry() (the limits of COLLECT_LIST/SET at their defaults). */
  readonly aggregates?: AggregateRegistry;
  /** The scalar functions (builtin and user-defined): a call to none of them nor an aggregate is unknown. */
  readonly functions?: FunctionRegistry;
}

export function createAggregationPlanner(options: AggregationPlannerOptions = {}): AggregationPlanner {
  const registry = options.aggregates ?? createAggregateRegistry();
  const known = knownFunctions(options.functions ?? createBuiltinRegistry());
  return (input, query, compiler, persistentSink) =>
    new AggregationPlan(registry, known, input, query, compiler, persistentSink).plan();
}

export const planAggregation: AggregationPlanner = createAggregationPlanner();

// The core planner finds it here once this module is loaded (step-planners.ts); PlanOptions can override.
registerAggregationPlanner(planAggregation);

/** Whether a query aggregates: GROUP BY, WINDOW, or an aggregate call in SELECT or HAVING. */
export function isAggregateQuery(
  query: Query,
  registry: AggregateRegistry = createAggregateRegistry(),
): boolean {
  if (query.groupBy !== undefined || query.window !== undefined) return true;
  const isCall = (e: Expression) => e.kind === 'FunctionCall' && registry.has(e.name.value);
  return collect([query.select, query.having], isCall).length > 0;
}

interface SelectItemColumn {
  readonly expression: Expression;
  readonly alias?: string;
}

interface SelectColumn {
  readonly expression: Expression;
  readonly name: string;
}

/** The catalog sources a planned step reads, with their aliases, in FROM/JOIN order. */
function topicInputs(planned: PlannedSource): { readonly alias: string; readonly valueFormat: FormatName }[] {
  if (planned.input.kind === 'Topic') {
    return [{ alias: planned.input.alias, valueFormat: planned.input.source.valueFormat }];
  }
  return planned.input.inputs.flatMap(topicInputs);
}

/** ksqlDB cannot GROUP BY a source whose values are in the KAFKA format. */
function refuseKafkaValueFormat(input: PlannedSource): void {
  const kafka = topicInputs(input).filter((source) => source.valueFormat.toUpperCase() === 'KAFKA');
  if (kafka.length === 0) return;
  throw new SqlAnalysisError(
    `Source(s) ${kafka.map((source) => source.alias).join(', ')} are using the 'KAFKA' value format. ` +
      'This format does not yet support GROUP BY.',
  );
}

class AggregationPlan {
  private readonly scope: ExpressionScope;
  private readonly windowed: boolean;
  private readonly canonical: (expr: Expression) => string;
  /** Aggregate calls by canonical text, in the order they were met: KSQL_AGG_VARIABLE_<index>. */
  private readonly calls = new Map<string, { readonly call: FunctionCall; readonly name: string }>();
  /** The column references this plan put in place of group keys and aggregate calls. */
  private readonly inserted = new Set<Expression>();

  constructor(
    private readonly registry: AggregateRegistry,
    private readonly knownFunctions: ReadonlySet<string>,
    private readonly input: PlannedSource,
    private readonly query: Query,
    private readonly compiler: ExpressionCompiler,
    private readonly persistentSink: string | undefined,
  ) {
    this.scope = scopeOf(input);
    this.windowed = query.window !== undefined;
    this.canonical = (expr) => canonicalText(expr, (source) => input.aliases.get(source));
  }

  plan(): PlannedStep {
    const { query, input } = this;
    const groupBy = query.groupBy ?? [];
    if (query.groupBy !== undefined) refuseKafkaValueFormat(input);
    this.checkGroupBy(groupBy);
    if (this.windowed && input.input.kind !== 'Topic') this.refuseJoinWindowBounds();
    const select = this.selectColumns();

    // The key: each GROUP BY expression, named after the SELECT column that is exactly it.
    const namer = new ColumnNamer((source) => input.aliases.get(source));
    const names = select.map((item) => {
      const name = item.alias ?? namer.naturalName(item.expression);
      if (name !== undefined) namer.reserve(name);
      return name;
    });
    const columns: SelectColumn[] = select.map((item, i) => ({
      expression: item.expression,
      name: names[i] ?? namer.generate(),
    }));
    // A transient query may select a pseudo column by its own name (SELECT WINDOWSTART ...), as ksqlDB.
    const persistent = this.persistentSink !== undefined;
    select.forEach((item, i) => checkNotReserved(names[i], item.alias !== undefined, persistent));
    const keyNames = new Map<string, string>();
    /** Which key column each SELECT column is, by SELECT index. */
    const keyColumnIndexes = new Map<number, number>();
    const keyColumns: Column[] = groupBy.map((expression, keyIndex) => {
      const text = this.canonical(expression);
      const matching = columns.flatMap((c, i) => (this.canonical(c.expression) === text ? [i] : []));
      if (matching.length > 1) {
        const [first, second] = matching.map((i) => `\`${columns[i]?.name ?? ''}\``);
        throw new SqlAnalysisError(
          `The projection contains a key column more than once: ${first} and ${second}.`,
        );
      }
      const [index] = matching;
      if (index !== undefined) keyColumnIndexes.set(index, keyIndex);
      const name =
        index !== undefined
          ? (columns[index]?.name ?? '')
          : (namer.naturalName(expression) ?? namer.generate());
      keyNames.set(text, name);
      return {
        name,
        type: this.typeOf(this.compiler.compile(expression, this.scope).type, expression),
        namespace: 'KEY',
      };
    });

    // SELECT and HAVING read the aggregation's output: group keys and aggregate results.
    const valueColumns = columns.filter((_, i) => !keyColumnIndexes.has(i));
    const rewrittenSelect = valueColumns.map((c) => this.toOutputReads(c.expression, keyNames));
    const having = query.having === undefined ? undefined : this.toOutputReads(query.having, keyNames);
    if (this.calls.size === 0) {
      throw new SqlAnalysisError(
        'GROUP BY requires aggregate functions in either the SELECT or HAVING clause.',
      );
    }
    const offending = valueColumns.filter((_, i) => this.ungroupedColumns(rewrittenSelect[i]).length > 0);
    if (offending.length > 0) {
      const texts = offending.map((c) => expressionText(c.expression)).join(', ');
      throw new SqlAnalysisError(
        `Non-aggregate SELECT expression(s) not part of GROUP BY: ${texts}\n` +
          'Either add the column(s) to the GROUP BY or remove them from the SELECT.',
      );
    }
    const ungrouped = this.ungroupedColumns(having);
    if (ungrouped.length > 0) {
      throw new SqlAnalysisError(
        `Non-aggregate HAVING expression not part of GROUP BY: ${ungrouped.map(expressionText).join(', ')}`,
      );
    }

    if (this.persistentSink !== undefined) this.checkGroupingProjected(groupBy, select);
    const aggregates = [...this.calls.values()].map(({ call }) => this.resolveCall(call));
    this.checkIntermediateTypes(aggregates);
    const aggregationSchema: LogicalSchema = {
      key: keyColumns,
      value: [...this.calls.values()].map(({ name }, i) => ({
        name,
        type: aggregates[i]?.aggregate.returnType as SqlType,
        namespace: 'VALUE',
      })),
    };
    const outputScope: ExpressionScope = {
      schema: aggregationSchema,
      windowed: this.windowed,
      aliases: new Map(),
    };
    const projections = rewrittenSelect.map((expr) => this.compiler.compile(expr, outputScope));
    const schema: LogicalSchema = {
      key: keyColumns,
      value: valueColumns.map((c, i) => ({
        name: c.name,
        type: this.typeOf(projections[i]?.type ?? null, c.expression),
        namespace: 'VALUE',
      })),
    };
    checkOutputSchema(schema, persistent);

    const windowSpec = query.window === undefined ? undefined : windowSpecOf(query.window);
    const retentionIssue = windowSpec && retentionRefusal(windowSpec, AGGREGATE_STORE_NAME);
    if (retentionIssue !== undefined) throw new SqlAnalysisError(retentionIssue);
    if (query.emit === 'FINAL' && windowSpec === undefined) {
      throw new SqlAnalysisError('EMIT FINAL is only supported for windowed aggregations.');
    }
    const groupByEvaluators = groupBy.map((expression) => this.compiler.compile(expression, this.scope));
    const operators = [
      ...input.operators,
      // Grouped by other than the key: each group's records must meet on one partition first.
      ...(this.groupsByKey(groupBy)
        ? []
        : [repartitionMarker(groupByRepartition(groupByEvaluators, this.valueColumnsReadByCalls()))]),
      aggregateOperator({
        storeName: AGGREGATE_STORE_NAME,
        groupBy: groupByEvaluators,
        aggregates,
        ...(windowSpec === undefined ? {} : { window: windowSpec }),
        ...(query.emit === 'FINAL' ? { emit: 'FINAL' as const } : {}),
      }),
      ...(having === undefined ? [] : [havingFilter(this.compileHaving(having, outputScope))]),
      tableProjection(projections),
    ];
    // The SELECT's column order, for results listed as SELECTed (keys are not necessarily first).
    let valueIndex = 0;
    const order: ColumnPosition[] = columns.map((_, i) => {
      const keyIndex = keyColumnIndexes.get(i);
      return keyIndex === undefined
        ? { namespace: 'VALUE', index: valueIndex++ }
        : { namespace: 'KEY', index: keyIndex };
    });
    return {
      schema,
      kind: 'TABLE',
      projected: { order },
      ...(windowSpec === undefined ? {} : { window: windowInfoOf(windowSpec) }),
      input: input.input,
      operators,
      aliases: new Map(),
    };
  }

  /** A persistent query's projection includes every grouping expression, as ksqlDB's key must be kept. */
  private checkGroupingProjected(groupBy: readonly Expression[], select: readonly SelectItemColumn[]): void {
    const missing = [...groupBy];
    for (const item of select) {
      const text = this.canonical(item.expression);
      const index = missing.findIndex((expression) => this.canonical(expression) === text);
      if (index >= 0) missing.splice(index, 1);
    }
    if (missing.length === 0) return;
    const texts = missing.map(expressionText);
    const plural = missing.length > 1 ? 's' : '';
    const joined =
      texts.length === 1 ? texts.join('') : `${texts.slice(0, -1).join(', ')} and ${texts.at(-1)}`;
    throw new SqlAnalysisError(
      `Key${plural} missing from projection (ie, SELECT).\nThe query used to build \`${this.persistentSink}\` ` +
        `must include the grouping expression${plural} ${joined} in its projection (eg, SELECT ${texts.join(', ')}...).`,
    );
  }

  /**
   * The aggregation's state is kept in the first source's value format, as ksqlDB does: a format that
   * cannot hold an accumulator (DELIMITED and AVG's STRUCT) is refused before the sink's.
   */
  private checkIntermediateTypes(aggregates: readonly AggregateCall[]): void {
    const [first] = topicInputs(this.input);
    if (first === undefined) return;
    for (const [index, { aggregate }] of aggregates.entries()) {
      try {
        validateSerdeTarget({
          topic: '',
          isKey: false,
          columns: [
            { name: `KSQL_AGG_VARIABLE_${index}`, type: aggregate.intermediateType, namespace: 'VALUE' },
          ],
          format: first.valueFormat,
          options: {},
        });
      } catch (error) {
        if (!(error instanceof FormatError)) throw error;
        throw new SqlAnalysisError(
          'One of the functions used in the statement has an intermediate type that the value format can not ' +
            'handle. Please remove the function or change the format.',
        );
      }
    }
  }

  /**
   * The input's value columns (indexes) that the aggregate calls' arguments read, which is all that the
   * aggregation reads of a row once it has the group key; undefined when one reference does not resolve
   * to a column here (a lambda's variable, say), so that every column is kept.
   */
  private valueColumnsReadByCalls(): number[] | undefined {
    const refs = collect(
      [...this.calls.values()].map(({ call }) => call.args),
      (e) => e.kind === 'ColumnRef',
    );
    const values = this.input.schema.value;
    const read = new Set<number>();
    for (const ref of refs) {
      if (ref.kind !== 'ColumnRef') return undefined;
      let column;
      try {
        column = resolveColumn(this.scope, ref).column;
      } catch {
        return undefined;
      }
      if (column === undefined || column.namespace === 'KEY') continue;
      const index = values.indexOf(column);
      if (index < 0) return undefined;
      read.add(index);
    }
    return [...read].sort((a, b) => a - b);
  }

  /** Whether GROUP BY names exactly the input's key columns, in order (no repartition needed). */
  private groupsByKey(groupBy: readonly Expression[]): boolean {
    const key = this.input.schema.key;
    if (key.length === 0 || groupBy.length !== key.length) return false;
    return groupBy.every((expression, i) => {
      if (expression.kind !== 'ColumnRef') return false;
      try {
        return resolveColumn(this.scope, expression).column === key[i];
      } catch {
        return false;
      }
    });
  }

  private isAggregateCall = (expr: Expression): expr is FunctionCall =>
    expr.kind === 'FunctionCall' && this.registry.has(expr.name.value);

  private checkGroupBy(groupBy: readonly Expression[]): void {
    // An unknown function is named first, as ksqlDB does, rather than read as an ungrouped expression.
    const unknown = collect(
      [this.query.select, groupBy, this.query.having],
      (e) =>
        e.kind === 'FunctionCall' &&
        !this.registry.has(e.name.value) &&
        !this.knownFunctions.has(e.name.value.toUpperCase()),
    );
    const [first] = unknown;
    if (first?.kind === 'FunctionCall') {
      throw new SqlAnalysisError(
        `Can't find any functions with the name '${first.name.value.toUpperCase()}'`,
      );
    }
    const isTableFunction = (e: Expression) =>
      e.kind === 'FunctionCall' && TABLE_FUNCTIONS.has(e.name.value.toUpperCase());
    if (collect(this.query.select, isTableFunction).length > 0) {
      throw new SqlAnalysisError('Table functions cannot be used with aggregations.');
    }
    const seen = new Set<string>();
    for (const expression of groupBy) {
      const [call] = collect(expression, this.isAggregateCall);
      if (call?.kind === 'FunctionCall') {
        throw new SqlAnalysisError(
          `GROUP BY does not support aggregate functions: ${call.name.value.toUpperCase()} is an aggregate function.`,
        );
      }
      this.refuseWindowBounds(expression);
      const text = this.canonical(expression);
      if (seen.has(text))
        throw new SqlAnalysisError(`Duplicate GROUP BY expression: ${expressionText(expression)}`);
      seen.add(text);
    }
    if (this.query.having !== undefined) this.refuseWindowBounds(this.query.having);
  }

  private refuseWindowBounds(expression: Expression): void {
    const [bound] = collect(expression, (e) => e.kind === 'ColumnRef' && WINDOW_BOUNDS.has(e.name.value));
    if (bound?.kind === 'ColumnRef') {
      throw new SqlAnalysisError(
        `Window bounds column ${bound.name.value} can only be used in the SELECT clause of windowed aggregations`,
      );
    }
  }

  /**
   * ksqlDB resolves a windowed aggregation's SELECT over a join against the joined columns, where the
   * window bounds are not (its issue 5931): they cannot be selected there.
   */
  private refuseJoinWindowBounds(): void {
    const [bound] = collect(
      this.query.select,
      (e) => e.kind === 'ColumnRef' && e.source === undefined && WINDOW_BOUNDS.has(e.name.value),
    );
    if (bound?.kind === 'ColumnRef') {
      throw new SqlAnalysisError(`SELECT column '${bound.name.value}' cannot be resolved.`, bound.pos);
    }
  }

  /** SELECT items with `*` expanded to the input's columns. */
  private selectColumns(): SelectItemColumn[] {
    return this.query.select.flatMap((item): SelectItemColumn[] => {
      if (item.kind === 'SelectExpression') {
        return [
          { expression: item.expression, ...(item.alias === undefined ? {} : { alias: item.alias.value }) },
        ];
      }
      if (item.kind === 'SelectStructAll') {
        throw new SqlAnalysisError(`${expressionText(item.base)}->* is not supported in aggregate queries.`);
      }
      const prefix = item.source === undefined ? '' : (this.input.aliases.get(item.source.value) ?? '');
      const { key, value } = this.input.schema;
      return [...key, ...value]
        .filter((column) => column.header === undefined && column.name.startsWith(prefix))
        .map((column) => ({ expression: columnRef(column.name, item) }));
    });
  }

  /** Replaces group keys and aggregate calls with references to the aggregation's output columns. */
  private toOutputReads(expression: Expression, keyNames: ReadonlyMap<string, string>): Expression {
    return rewrite(expression, (e) => {
      const key = keyNames.get(this.canonical(e));
      if (key !== undefined) return this.insert(columnRef(key, e));
      if (!this.isAggregateCall(e)) return undefined;
      const [nested] = collect(e.args, this.isAggregateCall);
      if (nested !== undefined) {
        throw new SqlAnalysisError(`Aggregate functions can not be nested: ${expressionText(e)}`);
      }
      const text = this.canonical(e);
      let entry = this.calls.get(text);
      if (entry === undefined) {
        entry = { call: e, name: `KSQL_AGG_VARIABLE_${this.calls.size}` };
        this.calls.set(text, entry);
      }
      return this.insert(columnRef(entry.name, e));
    });
  }

  private insert(ref: Expression): Expression {
    this.inserted.add(ref);
    return ref;
  }

  /** Column references left after rewriting that are neither keys, aggregates, window bounds nor lambda parameters. */
  private ungroupedColumns(expression: Expression | undefined): Expression[] {
    if (expression === undefined) return [];
    const lambdaParams = new Set(
      collect(expression, (e) => e.kind === 'Lambda').flatMap((e) =>
        e.kind === 'Lambda' ? e.params.map((p) => p.value) : [],
      ),
    );
    return collect(
      expression,
      (e) =>
        e.kind === 'ColumnRef' &&
        !this.inserted.has(e) &&
        !lambdaParams.has(e.name.value) &&
        !(this.windowed && WINDOW_BOUNDS.has(e.name.value)),
    );
  }

  private resolveCall(call: FunctionCall): AggregateCall {
    const compiled = call.star ? [] : call.args.map((arg) => this.compiler.compile(arg, this.scope));
    const literals: LiteralArg[] = call.args.map((arg, i) =>
      isLiteral(arg) ? compiled[i]?.evaluate(NO_RECORD) : undefined,
    );
    try {
      const aggregate = this.registry.resolve(
        call.name.value,
        compiled.map((c) => c.type),
        literals,
      );
      if (this.input.kind === 'TABLE' && !aggregate.supportsTables) {
        throw new SqlAnalysisError(
          `The aggregation functions ${aggregate.name} cannot be applied to a table source, only to a stream source.`,
        );
      }
      const args: RecordEvaluator[] = compiled.slice(0, aggregate.rowArgCount);
      return { aggregate, args };
    } catch (error) {
      if (error instanceof AggregateResolutionError) throw new SqlAnalysisError(error.message);
      throw error;
    }
  }

  private compileHaving(having: Expression, scope: ExpressionScope): RecordEvaluator {
    const compiled = this.compiler.compile(having, scope);
    if (compiled.type !== null && compiled.type.kind !== 'BOOLEAN') {
      throw new SqlAnalysisError(
        `Type error in HAVING expression: Should evaluate to boolean but is ${expressionText(having)} (${formatType(compiled.type)}) instead.`,
      );
    }
    return compiled;
  }

  private typeOf(type: SqlType | null, expression: Expression): SqlType {
    if (type !== null) return type;
    throw new SqlAnalysisError(
      `Can't infer a type of null. Please explicitly cast it to the required type, e.g. CAST(null AS VARCHAR). ${expressionText(expression)}`,
    );
  }
}

const RESERVED_NAMES = new Set(['ROWTIME', 'ROWPARTITION', 'ROWOFFSET', 'WINDOWSTART', 'WINDOWEND']);

function checkNotReserved(name: string | undefined, aliased: boolean, persistent: boolean): void {
  if (name === undefined || !RESERVED_NAMES.has(name) || (!aliased && !persistent)) return;
  throw new SqlAnalysisError(
    aliased
      ? `\`${name}\` is a reserved column name. You cannot use it as an alias for a column.`
      : `Reserved column name in select: \`${name}\`. Please remove or alias the column.`,
  );
}

/** The scalar and table functions; a call to anything else (nor an aggregate) is unknown. */
function knownFunctions(functions: FunctionRegistry): ReadonlySet<string> {
  return new Set([...functions.names(), ...TABLE_FUNCTIONS]);
}

const NO_RECORD: SqlRecord = { key: [], value: [], timestamp: 0, partition: 0, offset: 0 };

function isLiteral(expr: Expression): boolean {
  switch (expr.kind) {
    case 'NumberLiteral':
    case 'StringLiteral':
    case 'BooleanLiteral':
    case 'NullLiteral':
      return true;
    case 'UnaryArithmetic':
      return isLiteral(expr.operand);
    default:
      return false;
  }
}

/** A transient query's rows carry its key columns too, so it may have no value column (ksqlDB's too). */
function checkOutputSchema(schema: LogicalSchema, persistent: boolean): void {
  if (persistent && schema.value.length === 0)
    throw new SqlAnalysisError('The projection contains no value columns.');
  const keyNames = new Set(schema.key.map((c) => c.name));
  const seen = new Set<string>();
  for (const column of schema.value) {
    if (keyNames.has(column.name) || seen.has(column.name)) {
      throw new SqlAnalysisError(
        `Duplicate value columns found in schema: \`${column.name}\` ${formatType(column.type)}`,
      );
    }
    seen.add(column.name);
  }
}
