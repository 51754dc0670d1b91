// ksqlDB's entities as the shell prints them: a table for each listing, a block of facts and a field
// table for DESCRIBE, the message of a command. An entity of a kind the shell does not know is printed
// as JSON rather than lost.
import type { FieldInfo, KsqlEntity, SchemaInfo, SourceDescription } from '../../sql/engine/entities.js';
import { renderTable, type Cell } from '../render.js';

export function renderEntity(entity: KsqlEntity): string {
  const warnings = entity.warnings?.map((warning) => `WARNING: ${warning.message}\n`).join('') ?? '';
  return warnings + renderBody(entity);
}

function table(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return renderTable(headers, rows) + '\n';
}

function renderBody(entity: KsqlEntity): string {
  switch (entity['@type']) {
    case 'currentStatus':
      return table(['Message'], [[entity.commandStatus.message]]);
    case 'streams':
      return table(
        ['Stream Name', 'Kafka Topic', 'Key Format', 'Value Format', 'Windowed'],
        entity.streams.map((s) => [s.name, s.topic, s.keyFormat, s.valueFormat, s.isWindowed]),
      );
    case 'tables':
      return table(
        ['Table Name', 'Kafka Topic', 'Key Format', 'Value Format', 'Windowed'],
        entity.tables.map((t) => [t.name, t.topic, t.keyFormat, t.valueFormat, t.isWindowed]),
      );
    case 'queries':
      return table(
        ['Query ID', 'Query Type', 'Status', 'Sink Name', 'Sink Kafka Topic', 'Query String'],
        entity.queries.map((q) => [
          q.id,
          q.queryType,
          q.state,
          q.sinks.join(', '),
          q.sinkKafkaTopics.join(', '),
          q.queryString,
        ]),
      );
    case 'kafka_topics':
      return table(
        ['Kafka Topic', 'Partitions', 'Partition Replicas'],
        entity.topics.map((t) => [t.name, t.replicaInfo.length, t.replicaInfo.join(',')]),
      );
    case 'properties':
      return table(
        ['Property', 'Scope', 'Value'],
        entity.properties.map((p) => [p.name, p.scope, p.value]),
      );
    case 'function_names':
      return table(
        ['Function Name', 'Category', 'Type'],
        entity.functions.map((f) => [f.name, f.category, f.type]),
      );
    case 'variables':
      return table(
        ['Variable Name', 'Value'],
        entity.variables.map((v) => [v.name, v.value]),
      );
    case 'type_list':
      return table(
        ['Type Name', 'Schema'],
        Object.entries(entity.types).map(([name, schema]) => [name, schemaText(schema)]),
      );
    case 'sourceDescription':
      return describeSource(entity.sourceDescription);
    case 'source_descriptions':
      return entity.sourceDescriptions.map(describeSource).join('\n');
    case 'describe_function':
      return describeFunction(entity);
    case 'queryDescription': {
      const q = entity.queryDescription;
      return (
        facts([
          ['ID', q.id],
          ['Query Type', q.queryType],
          ['SQL', q.statementText],
          ['State', q.state],
        ]) +
        '\n' +
        fieldTable(q.fields) +
        `\nSources that this query reads from: ${q.sources.join(', ')}\n` +
        `Sinks that this query writes to: ${q.sinks.join(', ')}\n` +
        (q.executionPlan ? `\nExecution plan\n--------------\n${q.executionPlan}\n` : '') +
        (q.topology ? `\nProcessing topology\n-------------------\n${q.topology}\n` : '')
      );
    }
    default:
      return JSON.stringify(entity, null, 2) + '\n';
  }
}

function facts(pairs: readonly (readonly [string, string | number | null | undefined])[]): string {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([label, value]) => `${label.padEnd(width)} : ${value}\n`)
    .join('');
}

function describeSource(source: SourceDescription): string {
  return (
    facts([
      ['Name', source.name],
      ['Type', source.type],
      ['Timestamp field', source.timestamp || 'Not set - using <ROWTIME>'],
      ['Key format', source.keyFormat],
      ['Value format', source.valueFormat],
      [
        'Kafka topic',
        `${source.topic} (partitions: ${source.partitions}, replication: ${source.replication})`,
      ],
      ['Window type', source.windowType],
      ['Statement', source.extended ? source.statement : undefined],
    ]) +
    '\n' +
    fieldTable(source.fields) +
    (source.extended && source.readQueries.length + source.writeQueries.length > 0
      ? `\nQueries that read from this ${source.type}: ${source.readQueries.map((q) => q.id).join(', ') || '-'}\n` +
        `Queries that write to this ${source.type}: ${source.writeQueries.map((q) => q.id).join(', ') || '-'}\n`
      : '')
  );
}

function fieldTable(fields: readonly FieldInfo[]): string {
  return table(
    ['Field', 'Type'],
    fields.map((field) => [
      field.name,
      `${schemaText(field.schema)}${field.type === 'KEY' ? '  (key)' : field.type === 'HEADER' ? '  (header)' : ''}`,
    ]),
  );
}

/** A DESCRIBE schema as type text: ARRAY<STRING>, STRUCT<A INTEGER>. */
export function schemaText(schema: SchemaInfo): string {
  if (schema.type === 'ARRAY' && schema.memberSchema) return `ARRAY<${schemaText(schema.memberSchema)}>`;
  if (schema.type === 'MAP' && schema.memberSchema) return `MAP<STRING, ${schemaText(schema.memberSchema)}>`;
  if (schema.type === 'STRUCT' && schema.fields)
    return `STRUCT<${schema.fields.map((f) => `${f.name} ${schemaText(f.schema)}`).join(', ')}>`;
  return schema.type;
}

/** DESCRIBE FUNCTION as ksqlDB's CLI prints it: the function, then each variation with its arguments. */
function describeFunction(entity: Extract<KsqlEntity, { '@type': 'describe_function' }>): string {
  const name = entity.name.toUpperCase();
  const line = (label: string, value: string) => `${label.padEnd(12)}: ${value}\n`;
  const described = (label: string, value: string) => (value.trim() === '' ? '' : line(label, value.trim()));
  const argument = (arg: { name: string; type: string; isVariadic?: boolean }) => {
    const type = arg.type + (arg.isVariadic === true ? '[]' : '');
    return arg.name === '' ? type : `${arg.name} ${type}`;
  };
  return (
    line('Name', name) +
    described('Author', entity.author) +
    described('Version', entity.version) +
    described('Overview', entity.description) +
    line('Type', entity.type) +
    line('Jar', entity.path) +
    line('Variations', '') +
    entity.functions
      .map(
        (variation) =>
          `\n\t${line('Variation', `${name}(${variation.arguments.map(argument).join(', ')})`)}` +
          `\t${line('Returns', variation.returnType)}` +
          (variation.description.trim() === ''
            ? ''
            : `\t${line('Description', variation.description.trim())}`) +
          variation.arguments
            .map((arg) =>
              arg.description.trim() === '' ? '' : `\t${line(arg.name, arg.description.trim())}`,
            )
            .join(''),
      )
      .join('')
  );
}
