// SHOW / LIST statements and DESCRIBE STREAMS|TABLES, DESCRIBE <source>: the catalog, the broker's
// topics and the function registry as ksqlDB's entities (DESCRIBE FUNCTION: function-descriptions.ts).
import type { DescribeSource, DescribeSources, ListStatement } from '../parser/index.js';
import type { DataSource } from '../planner/data-source.js';
import type { StatementContext } from './context.js';
import { describeSource, queryDescription, runningQuery, schemaInfo } from './describe.js';
import type { FunctionNamesEntity, KsqlEntity, SourceInfo } from './entities.js';
import { StatementError } from './statement-error.js';

/** ksqlDB's defaults for the properties SHOW PROPERTIES always lists. */
export const DEFAULT_PROPERTIES: Readonly<Record<string, string>> = {
  'ksql.streams.auto.offset.reset': 'latest',
  'ksql.persistence.default.format.key': 'KAFKA',
  'ksql.persistence.wrap.single.values': 'true',
  'ksql.output.topic.name.prefix': '',
  'ksql.internal.topic.replicas': '1',
};

function sourceInfo(source: DataSource): SourceInfo {
  return {
    type: source.kind,
    name: source.name,
    topic: source.topic,
    keyFormat: source.keyFormat,
    valueFormat: source.valueFormat,
    isWindowed: source.window !== undefined,
  };
}

export async function executeList(
  statement: ListStatement,
  context: StatementContext,
  variables: ReadonlyMap<string, string>,
): Promise<KsqlEntity> {
  const { catalog, kafka } = context.engine;
  const base = { statementText: statement.text, warnings: [] };
  switch (statement.target) {
    case 'STREAMS':
    case 'TABLES': {
      const kind = statement.target === 'STREAMS' ? 'STREAM' : 'TABLE';
      const sources = catalog.sources(kind);
      if (statement.extended) {
        const sourceDescriptions = await Promise.all(sources.map((s) => describeSource(s, true, context)));
        return { ...base, '@type': 'source_descriptions', sourceDescriptions };
      }
      return statement.target === 'STREAMS'
        ? { ...base, '@type': 'streams', streams: sources.map(sourceInfo) }
        : { ...base, '@type': 'tables', tables: sources.map(sourceInfo) };
    }
    case 'QUERIES': {
      const queries = catalog.queries();
      if (statement.extended) {
        const queryDescriptions = queries.map((q) => queryDescription(q, catalog.source(q.sinkName)));
        return { ...base, '@type': 'query_descriptions', queryDescriptions };
      }
      return { ...base, '@type': 'queries', queries: queries.map(runningQuery) };
    }
    case 'TOPICS': {
      const listed = await kafka.topics.list({ includeInternal: statement.all });
      const visible = listed
        .filter((t) => statement.all || !t.name.startsWith('_'))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      const topics = visible.map((t) => ({
        name: t.name,
        replicaInfo: Array.from({ length: t.partitions }, () => t.replicationFactor),
      }));
      if (!statement.extended) return { ...base, '@type': 'kafka_topics', topics };
      const consumers = await consumerCounts(context);
      return {
        ...base,
        '@type': 'kafka_topics_extended',
        topics: topics.map((t) => ({
          ...t,
          consumerCount: consumers.get(t.name)?.members ?? 0,
          consumerGroupCount: consumers.get(t.name)?.groups ?? 0,
        })),
      };
    }
    case 'PROPERTIES':
      return listProperties(statement.text, context);
    case 'FUNCTIONS':
      return { ...base, '@type': 'function_names', functions: functionNames(context) };
    case 'TYPES':
      return {
        ...base,
        '@type': 'type_list',
        types: Object.fromEntries(catalog.types().map(([name, type]) => [name, schemaInfo(type)])),
      };
    case 'VARIABLES':
      return {
        ...base,
        '@type': 'variables',
        variables: [...variables].map(([name, value]) => ({ name, value })),
      };
    case 'CONNECTORS':
    case 'CONNECTOR_PLUGINS':
      throw new StatementError('Venice runs no Kafka Connect cluster: ksql.connect.url is not configured.');
  }
}

/** Per topic: the members and groups of the consumer groups reading it (SHOW TOPICS EXTENDED). */
async function consumerCounts(
  context: StatementContext,
): Promise<Map<string, { members: number; groups: number }>> {
  const counts = new Map<string, { members: number; groups: number }>();
  const { kafka } = context.engine;
  for (const group of await kafka.groups.list()) {
    const description = await kafka.groups.describe(group.id);
    const topics = new Set(description.offsets.map((o) => o.topic));
    for (const topic of topics) {
      const entry = counts.get(topic) ?? { members: 0, groups: 0 };
      entry.groups += 1;
      entry.members += description.members.filter((m) => m.assignments.some((a) => a.topic === topic)).length;
      counts.set(topic, entry);
    }
  }
  return counts;
}

function listProperties(statementText: string, context: StatementContext): KsqlEntity {
  const merged: Record<string, string> = {
    ...DEFAULT_PROPERTIES,
    'ksql.service.id': context.engine.serviceId,
    ...context.engine.serverProperties,
    ...context.overrides,
  };
  const names = Object.keys(merged).sort();
  return {
    '@type': 'properties',
    statementText,
    warnings: [],
    properties: names.map((name) => ({
      name,
      scope: name.startsWith('ksql.streams.') ? 'KSQL_STREAMS' : 'KSQL',
      value: merged[name],
    })),
    overwrittenProperties: Object.keys(context.overrides).sort(),
    defaultProperties: names.filter(
      (name) => !(name in context.engine.serverProperties) && !(name in context.overrides),
    ),
  };
}

export async function executeDescribeSource(
  statement: DescribeSource,
  context: StatementContext,
): Promise<KsqlEntity> {
  const name = statement.name.value;
  const source = context.engine.catalog.source(name);
  if (source === undefined) {
    throw new StatementError(
      `Could not find STREAM/TABLE '${name}' in the Metastore${context.engine.catalog.alternativesHint(name)}`,
    );
  }
  return {
    '@type': 'sourceDescription',
    statementText: statement.text,
    warnings: [],
    sourceDescription: await describeSource(source, statement.extended, context),
  };
}

export async function executeDescribeSources(
  statement: DescribeSources,
  context: StatementContext,
): Promise<KsqlEntity> {
  const kind = statement.target === 'STREAMS' ? 'STREAM' : 'TABLE';
  const sources = context.engine.catalog.sources(kind);
  return {
    '@type': 'source_descriptions',
    statementText: statement.text,
    warnings: [],
    sourceDescriptions: await Promise.all(sources.map((s) => describeSource(s, statement.extended, context))),
  };
}

/** SHOW FUNCTIONS: scalar, table and aggregate functions by name. */
function functionNames(context: StatementContext): FunctionNamesEntity['functions'] {
  const { functions, tableFunctions, aggregates } = context.engine;
  const listed: FunctionNamesEntity['functions'][number][] = [
    ...functions.names().map((name) => ({
      name,
      category: functions.get(name)?.category ?? 'OTHER',
      type: 'SCALAR' as const,
    })),
    ...tableFunctions.names().map((name) => ({ name, category: 'TABLE', type: 'TABLE' as const })),
    ...aggregates.names().map((name) => ({ name, category: 'AGGREGATE', type: 'AGGREGATE' as const })),
  ];
  return listed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
