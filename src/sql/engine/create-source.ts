// CREATE [OR REPLACE] [SOURCE] STREAM|TABLE [IF NOT EXISTS]: validates the statement against the catalog
// and the topic, as ksqlDB does and with its messages, and gives the command that adds the source.
import {
  FormatError,
  SCHEMA_REGISTRY_FORMATS,
  inferColumns,
  parseFormatProperties,
  validateSerdeTarget,
} from '../formats/index.js';
import type { CreateSource, Property } from '../parser/index.js';
import type { DataSource } from '../planner/data-source.js';
import type { Column } from '../planner/schema.js';
import { buildColumns, describeColumn } from './columns.js';
import type { StatementContext } from './context.js';
import { commandId } from './context.js';
import type { PreparedCommand } from './prepared-command.js';
import { ensureTopic, formatDefaults, timestampColumn, withConfiguredWrap } from './source-topics.js';
import { sourceUpgradeIssue } from './source-upgrade.js';
import { StatementError } from './statement-error.js';
import { ACCEPTED_PROPERTIES, WithProperties } from './with-properties.js';

export async function prepareCreateSource(
  statement: CreateSource,
  context: StatementContext,
): Promise<PreparedCommand> {
  const { catalog } = context.engine;
  const name = statement.name.value;
  const kind = statement.sourceType;
  const lower = kind.toLowerCase();
  const props = new WithProperties(statement.properties, ACCEPTED_PROPERTIES.CREATE);
  const existing = catalog.source(name);
  if (statement.orReplace && (statement.isSource || existing?.isSource === true)) {
    throw new StatementError(
      `Cannot add ${lower} '${name}': CREATE OR REPLACE is not supported on source ${lower}s.`,
    );
  }
  if (existing !== undefined && !statement.orReplace && !statement.ifNotExists) {
    throw new StatementError(
      `Cannot add ${lower} '${name}': A ${existing.kind.toLowerCase()} with the same name already exists`,
    );
  }

  const topic = props.requiredString('KAFKA_TOPIC');
  const formats = parseFormatProperties(props.formatProperties(), formatDefaults(context.properties));
  const columns = await resolveColumns(statement, context, topic, formats);
  const inferred = columns.length !== statement.columns.length;
  const text = inferred ? formatCreate(statement, columns) : statement.text;
  const key = columns.filter((c) => c.namespace === 'KEY');
  const value = columns.filter((c) => c.namespace === 'VALUE');
  if (kind === 'TABLE' && key.length === 0) {
    const inferring = formats.valueOptions.schemaId !== undefined;
    throw new StatementError(
      'Tables require a PRIMARY KEY. Please define the PRIMARY KEY.' +
        (inferring
          ? '\nUse a partial schema to define the primary key and still load the value columns from the ' +
            `Schema Registry, for example:\n\tCREATE TABLE ${name} (ID INT PRIMARY KEY) WITH (...);`
          : ''),
    );
  }
  const window = props.window();
  if (window !== undefined && key.length === 0)
    throw new StatementError('Windowed sources require a key column.');
  const stored = value.filter((c) => c.header === undefined);
  const valueOptions = withConfiguredWrap(
    formats.valueOptions,
    formats.valueFormat,
    stored.length,
    context.properties,
  );
  validateSerdeTarget({
    topic,
    isKey: true,
    columns: key,
    format: formats.keyFormat,
    options: formats.keyOptions,
  });
  validateSerdeTarget(
    { topic, isKey: false, columns: stored, format: formats.valueFormat, options: valueOptions },
    formats.explicitWrap,
  );

  const source: DataSource = {
    name,
    kind,
    schema: { key, value },
    topic,
    keyFormat: formats.keyFormat,
    valueFormat: formats.valueFormat,
    keyOptions: formats.keyOptions,
    valueOptions,
    timestampColumn: timestampColumn(props, columns),
    window,
    isSource: statement.isSource,
    sqlText: text,
  };
  if (statement.orReplace && existing !== undefined) {
    const issue = sourceUpgradeIssue(existing, source);
    if (issue !== undefined) throw new StatementError(issue);
  }

  if (!context.restoring) {
    await ensureTopic(context, {
      topic,
      partitions: props.integer('PARTITIONS'),
      replicas: props.integer('REPLICAS'),
      retentionMs: props.string('RETENTION_MS'),
      compacted: kind === 'TABLE',
      example: () => exampleStatement(statement, columns),
    });
  }

  return {
    commandId: commandId(lower, `\`${name}\``, 'create'),
    loggedStatement: text,
    apply: () => {
      const current = catalog.source(name);
      if (current !== undefined && !statement.orReplace) {
        return Promise.resolve({
          message: `Cannot add ${lower} \`${name}\`: A ${current.kind.toLowerCase()} with the same name already exists.`,
        });
      }
      catalog.putSource(source, statement.orReplace);
      return Promise.resolve({ message: kind === 'STREAM' ? 'Stream created' : 'Table created' });
    },
  };
}

/** The columns as written, or, for the schema-registry formats, the missing side read from the registry. */
async function resolveColumns(
  statement: CreateSource,
  context: StatementContext,
  topic: string,
  formats: ReturnType<typeof parseFormatProperties>,
): Promise<Column[]> {
  const { catalog, registry } = context.engine;
  const written = buildColumns(statement.columns, statement.sourceType, (n) => catalog.type(n));
  const writtenKey = written.filter((c) => c.namespace === 'KEY');
  const writtenValue = written.filter((c) => c.namespace === 'VALUE' && c.header === undefined);
  if (writtenKey.length > 0 && formats.keyOptions.schemaId !== undefined) {
    throw new StatementError('Table elements and KEY_SCHEMA_ID cannot both exist for create statement.');
  }
  if (writtenValue.length > 0 && formats.valueOptions.schemaId !== undefined) {
    throw new StatementError('Table elements and VALUE_SCHEMA_ID cannot both exist for create statement.');
  }
  const inferKey = writtenKey.length === 0 && SCHEMA_REGISTRY_FORMATS.has(formats.keyFormat);
  const inferValue = writtenValue.length === 0 && SCHEMA_REGISTRY_FORMATS.has(formats.valueFormat);
  if (!inferKey && !inferValue) {
    if (written.length === 0) throw new StatementError('The statement does not define any columns.');
    return written;
  }
  if (registry === undefined) {
    throw new StatementError(
      'Schema inference needs the schema registry: configure ksql.schema.registry.url, or list the columns',
    );
  }
  let key = writtenKey;
  if (inferKey) {
    try {
      key = await inferColumns(topic, true, formats.keyFormat, registry, formats.keyOptions);
    } catch (error) {
      // A key schema is optional unless KEY_SCHEMA_ID names one: without it the source has no key.
      if (formats.keyOptions.schemaId !== undefined || !(error instanceof FormatError)) throw error;
      key = [];
    }
  }
  const headers = written.filter((c) => c.header !== undefined);
  const value = inferValue
    ? [...(await inferColumns(topic, false, formats.valueFormat, registry, formats.valueOptions)), ...headers]
    : written.filter((c) => c.namespace === 'VALUE');
  return [...key.map((c) => ({ ...c, namespace: 'KEY' as const })), ...value];
}

/** ksqlDB's example in the missing-topic message: the statement again, with PARTITIONS=2 added. */
function exampleStatement(statement: CreateSource, columns: readonly Column[]): string {
  const partitions: Property = {
    pos: statement.pos,
    name: 'PARTITIONS',
    value: { kind: 'NumberLiteral', type: 'INTEGER', text: '2', pos: statement.pos },
  };
  const properties = [
    ...statement.properties.filter((p) => p.name.toUpperCase() !== 'PARTITIONS'),
    partitions,
  ];
  return `${formatCreate({ ...statement, orReplace: false, ifNotExists: false, isSource: false }, columns, properties)};`;
}

/**
 * The statement with its columns written out (properties sorted, as ksqlDB's formatter prints them): for
 * the missing-topic example, and as the command topic's record of a CREATE whose columns came from the
 * schema registry, so that a replay gets the same columns whatever the registry holds by then.
 */
function formatCreate(
  statement: CreateSource,
  columns: readonly Column[],
  properties: readonly Property[] = statement.properties,
): string {
  const props = properties
    .map((p) => ({ name: p.name.toUpperCase(), text: propertyText(p) }))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((p) => `${p.name}=${p.text}`);
  const kind = statement.sourceType;
  const cols = columns.map((c) => {
    const text = describeColumn(c).replace(/^`([A-Z_][A-Z0-9_]*)`/, '$1');
    return kind === 'TABLE' && c.namespace === 'KEY' ? text.replace(/ KEY$/, ' PRIMARY KEY') : text;
  });
  const list = cols.length > 0 ? ` (${cols.join(', ')})` : '';
  const name = /^[A-Z_][A-Z0-9_]*$/.test(statement.name.value)
    ? statement.name.value
    : `\`${statement.name.value}\``;
  const head = [
    'CREATE',
    statement.orReplace ? 'OR REPLACE' : '',
    statement.isSource ? 'SOURCE' : '',
    kind,
    statement.ifNotExists ? 'IF NOT EXISTS' : '',
    name,
  ].filter((word) => word !== '');
  return `${head.join(' ')}${list} WITH (${props.join(', ')})`;
}

function propertyText(property: Property): string {
  const value = property.value;
  switch (value.kind) {
    case 'StringLiteral':
      return `'${value.value.replaceAll("'", "''")}'`;
    case 'NumberLiteral':
      return value.text;
    case 'BooleanLiteral':
      return String(value.value);
    case 'NullLiteral':
      return 'null';
  }
}
