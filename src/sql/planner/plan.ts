// The logical plan: what the planner hands the runtime. A planned source is a schema (what its records
// look like), where its records come from (`input`), and the operators they pass through, in order.
//
// Stateless steps (WHERE, SELECT, PARTITION BY) append operators to a planned source. Aggregation and
// joins are planned by their own modules (aggregation.ts, join.ts) through the function types below, so
// that this file and the core planner do not depend on them:
//   - planAggregation takes the planned source after WHERE and returns the step after GROUP BY, WINDOW,
//     HAVING and the SELECT projection;
//   - planJoin takes two planned sources and returns a step whose input is a `Merge` of the two, with the
//     join's combining operator.
import type { Join, Query } from '../parser/index.js';
import type { Operator, OperatorContext, OperatorFactory, ProcessingError } from '../runtime/operator.js';
import type { SqlValue } from '../types/index.js';
import type { Emit, SqlRecord } from '../runtime/records.js';
import type { DataSource, WindowInfo } from './data-source.js';
import type { ExpressionCompiler, ExpressionScope } from './expression-compiler.js';
import type { LogicalSchema } from './schema.js';

export type SourceKind = 'STREAM' | 'TABLE';

export interface PlannedSource {
  /** The columns of the records this step emits. */
  readonly schema: LogicalSchema;
  readonly kind: SourceKind;
  /** Set when the key is windowed (WINDOWSTART and WINDOWEND can be referenced). */
  readonly window?: WindowInfo;
  /** Where the records come from before `operators`. */
  readonly input: PlanInput;
  /** Applied in order to what `input` gives; the last one's output is this step's output. */
  readonly operators: readonly OperatorFactory[];
  /**
   * Source aliases in scope (`A` in `A.ID`) and the prefix their columns carry in `schema`: `''` for a
   * single source (A.ID is just ID), `A_` after a join (ksqlDB's `A_ID`).
   */
  readonly aliases: ReadonlyMap<string, string>;
  /**
   * How a SELECT names each key column (same order as schema.key), for the checks of a persistent query's
   * projection ("must include the key column ID"). Absent: each key column by its own name.
   */
  readonly keyBindings?: readonly KeyBinding[];
  /**
   * Set by a step that already applied the SELECT (an aggregation): the projection's column order, when it
   * differs from key columns then value columns. The core then adds no projection of its own.
   */
  readonly projected?: { readonly order?: readonly ColumnPosition[] };
  /** A join's columns in ksqlDB's joined-schema order (joinedColumnOrder), which `*` follows after a PARTITION BY. */
  readonly joinedColumnOrder?: readonly string[];
  /** The columns `*` stands for, in order, when not the key then the value columns (set by PARTITION BY). */
  readonly starOrder?: readonly string[];
}

/** A key column as the projection may name it. */
export interface KeyBinding {
  /** What the messages call it: 'key column', 'partitioning expression', 'join expression', ... */
  readonly what: string;
  /** Expression texts (expressionText) that stand for it in a SELECT, besides a reference to the column. */
  readonly texts: readonly string[];
  /** As the message lists it, e.g. `ID`, `INPUT.ID` or `L.A or R.A`. */
  readonly display: string;
  /** As the message's example uses it, e.g. `L.A`. */
  readonly example: string;
  /** Whether `display` names alternatives (the message then says "expressions"). */
  readonly alternatives?: boolean;
  /** A foreign-key join's key: the left table's (alias) primary key column, each one required. */
  readonly foreignKey?: { readonly table: string; readonly column: string };
}

export interface ColumnPosition {
  readonly namespace: 'KEY' | 'VALUE';
  readonly index: number;
  /** A value column that is the row's window bound (a transient query's tombstone keeps it). */
  readonly windowBound?: 'start' | 'end';
}

/** The result of a step (aggregation, join); the same shape, so steps compose. */
export type PlannedStep = PlannedSource;

export type PlanInput = TopicInput | MergeInput;

/** Records read from a catalog source's topic, deserialized to `source.schema`. */
export interface TopicInput {
  readonly kind: 'Topic';
  readonly source: DataSource;
  /** The alias it was given in FROM/JOIN, or its name. */
  readonly alias: string;
}

/** Several planned sources feeding one combining operator (a join): input i goes to port i. */
export interface MergeInput {
  readonly kind: 'Merge';
  readonly inputs: readonly PlannedSource[];
  readonly combine: MergeOperatorFactory;
}

export type MergeOperatorFactory = (downstream: Emit, context: OperatorContext) => MergeOperator;

export interface MergeOperator {
  /** One entry point per input, in the order of MergeInput.inputs. */
  readonly ports: readonly Operator[];
  advance?(streamTime: number): void;
}

/** GROUP BY / WINDOW / HAVING / the aggregate projection, given the source after WHERE. */
export type AggregationPlanner = (
  input: PlannedSource,
  query: Query,
  compiler: ExpressionCompiler,
  /** The sink of a persistent query: its projection must then include every grouping expression. */
  persistentSink?: string,
) => PlannedStep;

/** One JOIN clause, given the planned left side (a source, or the joins so far) and right side. */
export type JoinPlanner = (
  left: PlannedSource,
  right: PlannedSource,
  join: Join,
  compiler: ExpressionCompiler,
) => PlannedStep;

/**
 * Where a persistent query re-keys before stateful work (GROUP BY other than the key, ...): the records
 * go through a repartition topic partitioned by the new key, so that each key's state lives on one
 * partition, whichever server holds it. The planner marks the point with an operator factory carrying
 * this (runtime/operators/repartition.ts); where nothing is repartitioned (push and pull queries) it
 * passes records on unchanged.
 */
export interface RepartitionPoint {
  /** ksqlDB's name of the step: the topic is `_confluent-ksql-<service id>query_<ID>-<name>-repartition`. */
  readonly name: string;
  /**
   * The record(s) to write and the key each is partitioned by. A table change whose old and new rows have
   * different keys gives two: the old row's retraction under the old key, the new row under the new one.
   * A null key: the record is kept where it is (the stateful step reports and drops it).
   */
  split(record: SqlRecord): readonly RepartitionedRecord[];
  /**
   * How the key is written, and so which partition Kafka's partitioner gives it: `sink`, in the sink's key
   * format (an aggregation's group key: the bytes ksqlDB would write); a source, in that source's key
   * format (a join side re-keyed to meet the other side's partitions); `text`, its key string (both
   * sides of a join re-keyed alike).
   */
  readonly keyFormat: RepartitionKeyFormat;
}

export type RepartitionKeyFormat = 'sink' | 'text' | { readonly source: DataSource };

export interface RepartitionedRecord {
  readonly key: readonly SqlValue[] | null;
  readonly record: SqlRecord;
}

/** An operator factory marking a repartition point (a pass-through where nothing is repartitioned). */
export type RepartitionMarker = OperatorFactory & { readonly repartition: RepartitionPoint };

export function isRepartitionMarker(factory: OperatorFactory): factory is RepartitionMarker {
  return (factory as Partial<RepartitionMarker>).repartition !== undefined;
}

/** What the SELECT is for: a CREATE ... AS SELECT / INSERT INTO, a push query, or a pull query. */
export type QueryType = 'PERSISTENT' | 'PUSH' | 'PULL';

export interface QueryPlan {
  readonly type: QueryType;
  /** The output columns (for a persistent query: the sink's). */
  readonly schema: LogicalSchema;
  readonly kind: SourceKind;
  readonly window?: WindowInfo;
  /** The catalog sources read, in FROM/JOIN order. */
  readonly sourceNames: readonly string[];
  /** The whole plan: its output is the query's output. */
  readonly root: PlannedSource;
  /** LIMIT of a push or pull query. */
  readonly limit?: number;
  /** The SELECT's column order for a transient query's rows (schema.key then schema.value when absent). */
  readonly columnOrder?: readonly ColumnPosition[];
  /**
   * Where the expressions' evaluation errors go: the runtime points it at the running query's
   * processing log (OperatorContext.processingError) before the first record.
   */
  readonly errors: ErrorRelay;
  /** A pull query's key lookup, when its WHERE pins every key column to a literal. */
  readonly pullKey?: readonly SqlValue[];
}

/** Forwards evaluation errors of compiled expressions to whatever the runtime sets as `target`. */
export class ErrorRelay {
  target: ((error: ProcessingError) => void) | undefined;
  readonly report = (error: ProcessingError): void => {
    this.target?.(error);
  };
}

/** The expression scope of a planned source: its schema, window and aliases. */
export function scopeOf(planned: PlannedSource): ExpressionScope {
  return { schema: planned.schema, windowed: planned.window !== undefined, aliases: planned.aliases };
}

/** The same planned source with more operators after the existing ones, and the schema they give. */
export function withOperators(
  planned: PlannedSource,
  schema: LogicalSchema,
  ...operators: OperatorFactory[]
): PlannedSource {
  return { ...planned, schema, operators: [...planned.operators, ...operators] };
}
