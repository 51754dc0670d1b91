// `venice connectors new [name]`: a connector from a wizard (connector type, topic, table, primary key,
// converters; it shows the config before creating it), from flags, or from a file (`--file
// config.json`, Kafka Connect's `{name, config}` or the bare config). Flags and --file never ask.
import fs from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ConnectorConfig } from '../../../connect/api/plugin.js';
import { CliError, ExitCode } from '../../output.js';
import { addOutputOptions, printData, type OutputOptions } from '../../render.js';
import { addConnectOptions, withConnect, type ConnectOptions } from './client.js';
import { Prompt } from './prompt.js';
import {
  buildConfig,
  CONNECTOR_TYPES,
  CONVERTER_NAMES,
  PK_MODES,
  SOURCE_MODES,
  type ConnectorAnswers,
  type ConnectorKind,
} from './templates.js';

interface NewOptions extends ConnectOptions, OutputOptions {
  file?: string;
  type?: ConnectorKind;
  class?: string;
  topic?: string;
  table?: string;
  pkMode?: string;
  pkFields?: string;
  mode?: string;
  columns?: string;
  keyConverter?: string;
  valueConverter?: string;
  connectionUrl?: string;
  set: Record<string, string>;
  interactive?: boolean;
  yes?: boolean;
  dryRun?: boolean;
}

const DEFAULT_KEY_CONVERTER = 'string';
const DEFAULT_VALUE_CONVERTER = 'json-schemaless';

function setting(value: string, previous: Record<string, string>): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`expected key=value, got ${JSON.stringify(value)}.`);
  return { ...previous, [value.slice(0, at).trim()]: value.slice(at + 1) };
}

export function registerConnectorsNew(connectors: Command): void {
  const command = connectors
    .command('new [name]')
    .description('Create a connector: a wizard on a terminal, or from flags or --file config.json')
    .option('--file <config.json>', 'Kafka Connect\'s {"name", "config"} (or the bare config) from a file')
    .addOption(
      new Option('--type <type>', 'sink (topic to PostgreSQL table) or source (table to topic)').choices(
        CONNECTOR_TYPES,
      ),
    )
    .option('--class <name>', 'connector.class (default: the JDBC sink or source class)')
    .option(
      '--topic <topic>',
      'sink: the topic to read; source: the prefix of the topic to write (prefix + table)',
    )
    .option('--table <table>', 'the PostgreSQL table (sink default: the topic)')
    .addOption(new Option('--pk-mode <mode>', 'sink: where the primary key comes from').choices(PK_MODES))
    .option('--pk-fields <fields>', 'sink: the primary key column(s), comma separated')
    .addOption(new Option('--mode <mode>', 'source: how new rows are found').choices(SOURCE_MODES))
    .option(
      '--columns <columns>',
      'source: the incrementing and/or timestamp column ("updated_at,id" for both)',
    )
    .option('--key-converter <name>', `${CONVERTER_NAMES.join(', ')} or a class name`, DEFAULT_KEY_CONVERTER)
    .option(
      '--value-converter <name>',
      `${CONVERTER_NAMES.join(', ')} or a class name`,
      DEFAULT_VALUE_CONVERTER,
    )
    .option('--connection-url <url>', "the database (default: the worker's, the embedded PostgreSQL)")
    .addOption(
      new Option('--set <key=value>', 'any other setting (repeatable)')
        .argParser(setting)
        .default({}, 'none'),
    )
    .option('--interactive', 'ask the questions even without a terminal (answers from stdin)')
    .option('--yes', 'create it without showing it first')
    .option('--dry-run', 'print the config, create nothing');
  addConnectOptions(addOutputOptions(command))
    .addHelpText(
      'after',
      '\nExamples:\n  venice connectors new                       # the wizard\n' +
        '  venice connectors new orders-sink --topic orders --pk-fields order_id\n' +
        '  venice connectors new --file connectors/inventory-sink.json\n' +
        '  venice connectors new --type source --table customers --mode incrementing --columns id --topic pg-',
    )
    .action(async (name: string | undefined, options: NewOptions) => {
      const request = options.file
        ? fromFile(options.file, name, options.set)
        : wantsWizard(options)
          ? await fromWizard(name, options)
          : fromFlags(name, options);
      if (request === null) {
        process.stderr.write('Nothing created.\n');
        return;
      }
      if (options.dryRun) {
        printData(options, request, () => JSON.stringify(request, null, 2) + '\n');
        return;
      }
      const info = await withConnect(options, (client) => client.create(request.name, request.config));
      printData(options, info, () => {
        const tasks = info.tasks.length === 1 ? '1 task' : `${info.tasks.length} tasks`;
        return `Created ${info.type} connector ${info.name} (${tasks}). Follow it with \`venice connectors status ${info.name}\`.\n`;
      });
    });
}

interface CreateRequest {
  name: string;
  config: ConnectorConfig;
}

function wantsWizard(options: NewOptions): boolean {
  const given = options.topic !== undefined || options.table !== undefined;
  return options.interactive === true || (!given && process.stdin.isTTY === true);
}

function fromFile(file: string, name: string | undefined, extra: Record<string, string>): CreateRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(
      `cannot read ${file}: ${reason}`,
      'give a JSON file: {"name": "...", "config": {...}}',
      ExitCode.usage,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new CliError(
      `${file} is not a JSON object`,
      'give {"name": "...", "config": {...}}',
      ExitCode.usage,
    );
  const body = parsed as Record<string, unknown>;
  const wrapped = typeof body.config === 'object' && body.config !== null;
  const config = stringSettings((wrapped ? body.config : body) as Record<string, unknown>, file);
  const named = name ?? (typeof body.name === 'string' ? body.name : config.name);
  if (!named)
    throw new CliError(
      `${file} gives no connector name`,
      'add "name" to the file, or pass the name: `venice connectors new <name> --file ...`',
      ExitCode.usage,
    );
  return { name: named, config: { ...config, ...extra } };
}

function stringSettings(raw: Record<string, unknown>, file: string): Record<string, string> {
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string') config[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') config[key] = String(value);
    else
      throw new CliError(
        `${file}: the value of "${key}" must be a string`,
        `write it as "${key}": "<value>"`,
        ExitCode.usage,
      );
  }
  return config;
}

function fromFlags(name: string | undefined, options: NewOptions): CreateRequest {
  const kind = options.type ?? 'sink';
  const needed = kind === 'sink' ? options.topic : options.table;
  if (!needed)
    throw new CliError(
      `a ${kind} connector needs ${kind === 'sink' ? '--topic <topic>' : '--table <table>'}`,
      'pass the flags (see --help), --file config.json, or run it on a terminal (or with --interactive) for the wizard',
      ExitCode.usage,
    );
  const answers = answersFrom(kind, options, {
    topic: options.topic ?? '',
    table: options.table ?? tableNameOf(options.topic ?? ''),
  });
  return { name: name ?? defaultName(answers), config: buildConfig(answers) };
}

function answersFrom(
  kind: ConnectorKind,
  options: NewOptions,
  given: Partial<ConnectorAnswers> & Pick<ConnectorAnswers, 'topic' | 'table'>,
): ConnectorAnswers {
  const pkFields = given.pkFields ?? options.pkFields ?? '';
  return {
    kind,
    className: options.class,
    pkMode: given.pkMode ?? options.pkMode ?? (pkFields ? 'record_key' : 'none'),
    pkFields,
    sourceMode: given.sourceMode ?? options.mode ?? 'incrementing',
    sourceColumns: given.sourceColumns ?? options.columns ?? 'id',
    keyConverter: given.keyConverter ?? options.keyConverter ?? DEFAULT_KEY_CONVERTER,
    valueConverter: given.valueConverter ?? options.valueConverter ?? DEFAULT_VALUE_CONVERTER,
    connectionUrl: given.connectionUrl ?? options.connectionUrl,
    extra: options.set,
    ...given,
  };
}

/** A topic name as a table name: PostgreSQL identifiers read best without dots and dashes. */
function tableNameOf(topic: string): string {
  return topic.replace(/[^A-Za-z0-9_]/g, '_');
}

function defaultName(answers: ConnectorAnswers): string {
  return answers.kind === 'sink' ? `${answers.topic}-to-postgres` : `${answers.table}-from-postgres`;
}

async function fromWizard(name: string | undefined, options: NewOptions): Promise<CreateRequest | null> {
  const prompt = new Prompt();
  try {
    const kind = (options.type ??
      (await prompt.choose(
        'Connector type: sink (topic to table) or source (table to topic)',
        CONNECTOR_TYPES,
        'sink',
      ))) as ConnectorKind;
    let answers: ConnectorAnswers;
    if (kind === 'sink') {
      const topic = options.topic ?? (await prompt.required('Topic to read'));
      const table = options.table ?? (await prompt.required('Table to write', tableNameOf(topic)));
      const pkMode =
        options.pkMode ??
        (await prompt.choose('Primary key from', PK_MODES, options.pkFields ? 'record_key' : 'record_key'));
      const pkFields =
        pkMode === 'record_key' || pkMode === 'record_value'
          ? (options.pkFields ??
            (await prompt.ask(
              pkMode === 'record_key'
                ? 'Key column(s): a plain key becomes this column, a struct key gives its fields (comma separated)'
                : 'Value field(s) that form the key (comma separated)',
              pkMode === 'record_key' ? 'id' : undefined,
            )))
          : '';
      answers = answersFrom(kind, options, {
        topic,
        table,
        pkMode,
        pkFields,
        ...(await converters(prompt, options)),
      });
    } else {
      const table = options.table ?? (await prompt.required('Table to read'));
      const sourceMode =
        options.mode ?? (await prompt.choose('New rows are found by', SOURCE_MODES, 'incrementing'));
      const sourceColumns =
        options.columns ??
        (await prompt.required(
          sourceMode === 'timestamp+incrementing'
            ? 'Timestamp and id columns (e.g. updated_at,id)'
            : `The ${sourceMode} column`,
          sourceMode === 'incrementing' ? 'id' : sourceMode === 'timestamp' ? 'updated_at' : 'updated_at,id',
        ));
      const topic =
        options.topic ?? (await prompt.ask('Topic prefix (the topic is prefix + table)', 'postgres-'));
      answers = answersFrom(kind, options, {
        topic,
        table,
        sourceMode,
        sourceColumns,
        ...(await converters(prompt, options)),
      });
    }
    const connectionUrl =
      options.connectionUrl ?? (await prompt.ask('Database URL (empty: the embedded PostgreSQL)'));
    answers = { ...answers, connectionUrl: connectionUrl || undefined };
    const connectorName = name ?? (await prompt.required('Connector name', defaultName(answers)));
    const request = { name: connectorName, config: buildConfig(answers) };
    process.stderr.write(`\n${JSON.stringify(request, null, 2)}\n\n`);
    if (options.yes || options.dryRun) return request;
    return (await prompt.confirm('Create it?')) ? request : null;
  } finally {
    prompt.close();
  }
}

async function converters(
  prompt: Prompt,
  options: NewOptions,
): Promise<Pick<ConnectorAnswers, 'keyConverter' | 'valueConverter'>> {
  const given = (flag: string | undefined, fallback: string) =>
    flag !== undefined && flag !== fallback ? flag : undefined;
  const keyConverter =
    given(options.keyConverter, DEFAULT_KEY_CONVERTER) ??
    (await prompt.choose('Key converter', CONVERTER_NAMES, DEFAULT_KEY_CONVERTER));
  const valueConverter =
    given(options.valueConverter, DEFAULT_VALUE_CONVERTER) ??
    (await prompt.choose('Value converter', CONVERTER_NAMES, DEFAULT_VALUE_CONVERTER));
  return { keyConverter, valueConverter };
}
