// CREATE STREAM|TABLE ... AS SELECT and INSERT INTO ... SELECT: plans the query (planner), registers the
// sink with its topic (formats and partitions from the first source unless the WITH clause says), and
// starts the query in the runtime under ksqlDB's id.
import {
  FormatError,
  parseFormatProperties,
  validateSerdeTarget,
  type FormatOptions,
} from '../formats/index.js';
import { parseStatements, type CreateAsSelect, type InsertInto, type Query } from '../parser/index.js';
import type { DataSource } from '../planner/data-source.js';
import { planQuery, type QueryPlan, type SinkRequest } from '../planner/index.js';
import { startPersistentQuery } from '../runtime/index.js';
import { persistentQueryId, type PersistentQueryKind, type QueryEntry } from './catalog.js';
import { commandId, type StatementContext } from './context.js';
import type { CommandResult, PreparedCommand } from './prepared-command.js';
import {
  ensureTopic,
  timestampColumn,
  timestampColumnName,
  topicExists,
  withConfiguredWrap,
} from './source-topics.js';
import { queryUpgradeIssue, sourceUpgradeIssue } from './source-upgrade.js';
import { StatementError } from './statement-error.js';
import { sanitizedStatementText } from './sanitized-statement.js';
import { ACCEPTED_PROPERTIES, WithProperties } from './with-properties.js';

export async function prepareCreateAsSelect(
  statement: CreateAsSelect,
  context: StatementContext,
): Promise<PreparedCommand> {
  const { catalog } = context.engine;
  const name = statement.name.value;
  const kind = statement.sourceType;
  const lower = kind.toLowerCase();
  const id = commandId(lower, `\`${name}\``, 'create');
  const props = new WithProperties(statement.properties, ACCEPTED_PROPERTIES.CREATE_AS);
  const existing = catalog.source(name);
  if (existing !== undefined && !statement.orReplace) {
    if (!statement.ifNotExists) {
      throw new StatementError(
        `Cannot add ${lower} '${name}': A ${existing.kind.toLowerCase()} with the same name already exists`,
      );
    }
    const message = `Cannot add ${lower} \`${name}\`: A ${existing.kind.toLowerCase()} with the same name already exists.`;
    return { commandId: id, apply: () => Promise.resolve({ message }) };
  }

  const timestampColumn = timestampColumnName(props);
  const plan = plan_(statement.query, context, {
    kind: 'CREATE',
    sourceType: kind,
    name,
    ...(timestampColumn === undefined ? {} : { timestampColumn }),
  });
  if (plan.kind !== kind) {
    throw new StatementError(
      `Invalid result type. Your SELECT query produces a ${plan.kind}. ` +
        `Please use CREATE ${plan.kind} AS SELECT statement instead.`,
    );
  }
  const first = catalog.source(plan.sourceNames[0]);
  if (first === undefined) throw new StatementError(`${plan.sourceNames[0]} does not exist.`);
  const sink = sinkSource(statement, props, plan, first, context.properties);
  if (existing !== undefined) refuseIncompatibleReplacement(existing, sink, statement.query, context);
  if (!context.restoring) {
    const partitions = props.integer('PARTITIONS') ?? (await partitionsOf(context, first.topic));
    await ensureTopic(context, {
      topic: sink.topic,
      partitions,
      replicas: props.integer('REPLICAS'),
      retentionMs: props.string('RETENTION_MS'),
      compacted: kind === 'TABLE' && sink.window === undefined,
    });
  }

  return {
    commandId: id,
    apply: async (sequence) => {
      const replaced = statement.orReplace ? catalog.createAsQuery(name) : undefined;
      const queryId = replaced?.id ?? persistentQueryId('CREATE_AS', kind, name, sequence);
      if (replaced !== undefined) {
        catalog.removeQuery(replaced.id);
        await replaced.control?.stop();
      }
      const registered: DataSource = { ...sink, createdByQuery: queryId };
      catalog.putSource(registered, statement.orReplace, plan.sourceNames);
      return register(context, 'CREATE_AS', queryId, statement.text, registered, plan);
    },
  };
}

/** CREATE OR REPLACE ... AS SELECT: the sink must stay compatible, and the running query upgradeable. */
function refuseIncompatibleReplacement(
  existing: DataSource,
  sink: DataSource,
  query: Query,
  context: StatementContext,
): void {
  const { catalog } = context.engine;
  const issue = sourceUpgradeIssue(existing, sink);
  if (issue !== undefined) throw new StatementError(issue);
  const running = catalog.createAsQuery(existing.name);
  const [previous] = running === undefined ? [] : parseStatements(running.statementText);
  if (previous?.kind !== 'CreateAsSelect') return;
  const refusal = queryUpgradeIssue(previous.query, query, catalog, (name) =>
    context.engine.aggregates.has(name),
  );
  if (refusal !== undefined) throw new StatementError(refusal);
}

export function prepareInsertInto(statement: InsertInto, context: StatementContext): PreparedCommand {
  const { catalog } = context.engine;
  const name = statement.target.value;
  const target = catalog.source(name);
  if (target === undefined) {
    const { line, column } = statement.target.pos;
    throw new StatementError(`Line: ${line}, Col: ${column}: Source \`${name}\` does not exist.`);
  }
  if (target.schema.value.some((c) => c.header !== undefined)) {
    throw new StatementError(`Cannot insert into ${name} because it has header columns`);
  }
  if (target.kind === 'TABLE') {
    throw new StatementError(`INSERT INTO can only be used to insert into a stream. ${name} is a table.`);
  }
  if (target.isSource) throw new StatementError(`Cannot insert into read-only stream: ${name}`);
  const props = new WithProperties(statement.properties, ACCEPTED_PROPERTIES.INSERT);
  const plan = plan_(statement.query, context, { kind: 'INSERT', target });
  const requestedId = props.string('QUERY_ID')?.toUpperCase();
  if (requestedId !== undefined && catalog.query(requestedId) !== undefined) {
    throw new StatementError(`Query ID '${requestedId}' already exists.`);
  }
  return {
    commandId: commandId('stream', `\`${name}\``, 'create'),
    apply: (sequence) =>
      register(
        context,
        'INSERT',
        requestedId ?? persistentQueryId('INSERT', 'STREAM', name, sequence),
        statement.text,
        // ksqlDB's INSERT INTO writes each row's ROWTIME: the target's TIMESTAMP column is for its readers.
        withoutTimestampColumn(target),
        plan,
      ),
  };
}

function withoutTimestampColumn(source: DataSource): DataSource {
  const { timestampColumn: _column, ...rest } = source;
  return rest;
}

function plan_(query: Query, context: StatementContext, sink: SinkRequest): QueryPlan {
  return planQuery(query, context.engine.catalog, {
    type: 'PERSISTENT',
    functions: context.engine.functions,
    sink,
    properties: context.properties,
    planAggregation: context.engine.planAggregation,
  });
}

/** Records the query in the catalog and starts it (or, while restoring, once the replay is done). */
async function register(
  context: StatementContext,
  kind: PersistentQueryKind,
  queryId: string,
  statementText: string,
  sink: DataSource,
  plan: QueryPlan,
): Promise<CommandResult> {
  const { catalog } = context.engine;
  const entry: QueryEntry = {
    id: queryId,
    kind,
    statementText,
    sinkName: sink.name,
    sinkTopic: sink.topic,
    sourceNames: plan.sourceNames,
    overriddenProperties: context.overrides,
  };
  catalog.addQuery(entry);
  const start = async (): Promise<void> => {
    entry.control = await startPersistentQuery(
      { queryId, plan, sink },
      context.engine.runtimeDeps(context.properties),
    );
  };
  if (context.restoring) {
    context.deferredStarts.push(async () => {
      if (catalog.query(queryId) === entry) await start();
    });
  } else {
    try {
      await start();
    } catch (error) {
      catalog.removeQuery(queryId);
      if (kind === 'CREATE_AS') catalog.removeSource(sink.name);
      throw error;
    }
  }
  return { message: `Created query with ID ${queryId}`, queryId };
}

/** The sink of CREATE ... AS SELECT: the plan's schema, the WITH clause's topic and formats, else the source's. */
function sinkSource(
  statement: CreateAsSelect,
  props: WithProperties,
  plan: QueryPlan,
  first: DataSource,
  properties: Readonly<Record<string, string>>,
): DataSource {
  const formats = parseFormatProperties(props.formatProperties(), {
    keyFormat: first.keyFormat,
    valueFormat: first.valueFormat,
  });
  const keyWritten = props.has('FORMAT') || props.has('KEY_FORMAT');
  const valueWritten = props.has('FORMAT') || props.has('VALUE_FORMAT');
  const keyOptions = keyWritten
    ? formats.keyOptions
    : { ...inherited(first.keyOptions), ...formats.keyOptions };
  const storedValue = plan.schema.value.filter((c) => c.header === undefined);
  const valueOptions = withConfiguredWrap(
    valueWritten ? formats.valueOptions : { ...inherited(first.valueOptions), ...formats.valueOptions },
    formats.valueFormat,
    storedValue.length,
    properties,
  );
  const prefix = properties['ksql.output.topic.name.prefix'] ?? '';
  // A keyed result of a NONE-keyed source cannot keep NONE: ksqlDB gives it the value format instead;
  // PARTITION BY NULL drops the key, and its sink's key format is NONE.
  const partitionedByNull = statement.query.partitionBy?.every((e) => e.kind === 'NullLiteral') === true;
  const keyFormat = keyWritten
    ? formats.keyFormat
    : formats.keyFormat === 'NONE' && plan.schema.key.length > 0
      ? formats.valueFormat
      : partitionedByNull && plan.schema.key.length === 0
        ? 'NONE'
        : formats.keyFormat;
  if (keyWritten && partitionedByNull && plan.schema.key.length === 0 && formats.keyFormat !== 'NONE')
    throw new StatementError('Key format specified for stream without key columns.');
  const topic = props.string('KAFKA_TOPIC') ?? `${prefix}${statement.name.value}`;
  const columns = [...plan.schema.key, ...plan.schema.value];
  try {
    validateSerdeTarget({
      topic,
      isKey: true,
      columns: plan.schema.key,
      format: keyFormat,
      options: keyOptions,
    });
    validateSerdeTarget(
      { topic, isKey: false, columns: storedValue, format: formats.valueFormat, options: valueOptions },
      formats.explicitWrap,
    );
  } catch (error) {
    // ksqlDB finds these when it builds the physical plan, and quotes the statement its sanitizer rewrote.
    if (error instanceof FormatError) {
      throw new StatementError(error.message, sanitizedStatementText(statement, plan));
    }
    throw error;
  }
  return {
    name: statement.name.value,
    kind: plan.kind,
    schema: plan.schema,
    topic,
    keyFormat,
    valueFormat: formats.valueFormat,
    keyOptions,
    valueOptions,
    timestampColumn: timestampColumn(props, columns),
    window: plan.window,
    isSource: false,
    sqlText: statement.text,
  };
}

/**
 * A source's format options a sink keeps: its delimiter. Not its schema id or name, which describe the
 * source's schema, nor WRAP_SINGLE_VALUE: ksqlDB wraps a sink's single value unless its own WITH says not to.
 */
function inherited(options: FormatOptions): FormatOptions {
  const { delimiter } = options;
  return delimiter === undefined ? {} : { delimiter };
}

async function partitionsOf(context: StatementContext, topic: string): Promise<number> {
  if (!(await topicExists(context, topic))) return 1;
  const description = await context.engine.kafka.topics.describe(topic);
  return description.partitions.length;
}
