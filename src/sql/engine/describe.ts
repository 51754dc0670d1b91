// DESCRIBE and EXPLAIN's building blocks: a schema as ksqlDB's FieldInfo/SchemaInfo, a source as its
// SourceDescription, a persistent query as RunningQuery and QueryDescription.
import type { DataSource } from '../planner/data-source.js';
import type { QueryPlan } from '../planner/index.js';
import type { Column, LogicalSchema } from '../planner/schema.js';
import type { SqlType } from '../types/index.js';
import type { QueryEntry } from './catalog.js';
import type { StatementContext } from './context.js';
import type {
  FieldInfo,
  QueryDescription,
  QueryError,
  RunningQuery,
  SchemaInfo,
  SourceDescription,
} from './entities.js';

export function schemaInfo(type: SqlType): SchemaInfo {
  switch (type.kind) {
    case 'ARRAY':
      return { type: 'ARRAY', fields: null, memberSchema: schemaInfo(type.element) };
    case 'MAP':
      return { type: 'MAP', fields: null, memberSchema: schemaInfo(type.value) };
    case 'STRUCT':
      return {
        type: 'STRUCT',
        fields: type.fields.map((f) => ({ name: f.name, schema: schemaInfo(f.type) })),
        memberSchema: null,
      };
    case 'DECIMAL':
      return {
        type: 'DECIMAL',
        fields: null,
        memberSchema: null,
        parameters: { precision: type.precision, scale: type.scale },
      };
    default:
      return { type: type.kind, fields: null, memberSchema: null };
  }
}

function fieldInfo(column: Column): FieldInfo {
  const base = { name: column.name, schema: schemaInfo(column.type) };
  if (column.namespace === 'KEY') return { ...base, type: 'KEY' };
  if (column.header === undefined) return base;
  return column.header.key === undefined
    ? { ...base, type: 'HEADER' }
    : { ...base, type: 'HEADER', headerKey: column.header.key };
}

/** Key columns, then value columns; pseudo-columns and window bounds are not listed, as in ksqlDB. */
export function schemaFields(schema: LogicalSchema): FieldInfo[] {
  return [...schema.key, ...schema.value].map(fieldInfo);
}

export function runningQuery(query: QueryEntry): RunningQuery {
  const state = queryState(query);
  return {
    queryString: query.statementText,
    sinks: [query.sinkName],
    sinkKafkaTopics: [query.sinkTopic],
    id: query.id,
    statusCount: { [state]: 1 },
    queryType: 'PERSISTENT',
    state,
  };
}

/** RUNNING, ERROR, ... as the runtime says; PENDING until it has started. */
export function queryState(query: QueryEntry): string {
  return query.control?.state() ?? 'PENDING';
}

export async function describeSource(
  source: DataSource,
  extended: boolean,
  context: StatementContext,
): Promise<SourceDescription> {
  const { catalog, kafka } = context.engine;
  let partitions = 0;
  let replication = 0;
  if (extended) {
    try {
      const topic = await kafka.topics.describe(source.topic);
      partitions = topic.partitions.length;
      replication = topic.partitions[0]?.replicas.length ?? 0;
    } catch {
      // The topic went away: ksqlDB still describes the source, with zeros.
    }
  }
  const writers = catalog.queriesWriting(source.name);
  const readers = catalog.queriesReading(source.name);
  return {
    name: source.name,
    windowType: source.window?.type ?? null,
    readQueries: readers.map(runningQuery),
    writeQueries: writers.map(runningQuery),
    fields: schemaFields(source.schema),
    type: source.kind,
    timestamp: source.timestampColumn?.name ?? '',
    statistics: '',
    errorStats: '',
    extended,
    keyFormat: source.keyFormat,
    valueFormat: source.valueFormat,
    topic: source.topic,
    partitions,
    replication,
    statement: source.sqlText,
    queryOffsetSummaries: [],
    sourceConstraints: catalog.sourcesReading(source.name),
  };
}

/** A plan as text: where records come from and the steps they take, for EXPLAIN's topology. */
export function describePlan(plan: QueryPlan, sinkName?: string): string {
  const lines = plan.sourceNames.map((name) => ` --> Source: ${name}`);
  lines.push(` --> Steps: ${plan.root.operators.length} operator(s), output ${plan.kind}`);
  if (sinkName !== undefined) lines.push(` --> Sink: ${sinkName}`);
  return `Topologies:\n   Sub-topology: 0\n${lines.join('\n')}\n`;
}

export function queryDescription(query: QueryEntry, sink: DataSource | undefined): QueryDescription {
  const schema = sink?.schema ?? { key: [], value: [] };
  const text = [
    ...query.sourceNames.map((name) => ` --> Source: ${name}`),
    ` --> Sink: ${query.sinkName} (topic: ${query.sinkTopic})`,
  ].join('\n');
  return {
    id: query.id,
    statementText: query.statementText,
    windowType: sink?.window?.type ?? null,
    fields: schemaFields(schema),
    sources: query.sourceNames,
    sinks: [query.sinkName],
    topology: `Topologies:\n   Sub-topology: 0\n${text}\n`,
    executionPlan: text,
    overriddenProperties: query.overriddenProperties,
    queryType: 'PERSISTENT',
    state: queryState(query),
    queryErrors: queryErrors(query),
  };
}

/** ksqlDB's QueryError list: here, what stopped the query, if it failed. */
function queryErrors(query: QueryEntry): QueryError[] {
  const failure = query.control?.failure?.();
  if (failure === undefined) return [];
  return [{ timestamp: failure.timestamp, errorMessage: failure.message, type: 'UNKNOWN' }];
}
