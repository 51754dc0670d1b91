// `venice schemas` (alias -s): list, show, register, check, configure and delete schemas in the registry.
import { Command, InvalidArgumentError } from 'commander';
// The serdes' client module and types module load no schema library, so the CLI stays quick to start.
import { SchemaRegistryClient, SchemaRegistryError, type RegisteredSchema } from '../../serdes/client.js';
import { parseReference, readSchemaFile, subjectSummaries } from '../../registry/overview.js';
// The constants come from the serdes' dependency-free types module, to keep the CLI quick to start.
import { COMPATIBILITY_LEVELS, SCHEMA_TYPES } from '../../serdes/types.js';
import type { CompatibilityLevel, SchemaReference, SchemaType } from '../../serdes/index.js';
import { CliError, ExitCode, printJson, printTable } from '../output.js';
import { REGISTRY_URL_FLAGS, REGISTRY_URL_HELP, resolveRegistryUrl } from '../registry-url.js';

interface RegistryOptions {
  registryUrl?: string;
  json?: boolean;
}

/** Runs one command against the registry and turns its failures into CLI errors. */
async function withRegistry<T>(
  flag: string | undefined,
  run: (client: SchemaRegistryClient) => Promise<T>,
): Promise<T> {
  const url = resolveRegistryUrl(flag);
  const client = new SchemaRegistryClient({ url, timeoutMs: 30_000 });
  try {
    return await run(client);
  } catch (error) {
    if (!(error instanceof SchemaRegistryError)) throw error;
    if (error.status === 0)
      throw new CliError(
        error.message,
        'start the pipeline with `venice up`, or pass --registry-url http://host:port',
        ExitCode.unavailable,
      );
    if (error.status === 404)
      throw new CliError(error.message, 'list the subjects with `venice schemas`', ExitCode.notFound);
    throw new CliError(error.message, undefined, ExitCode.failure);
  }
}

function typeOption(value: string): SchemaType {
  const upper = value.toUpperCase();
  if (!(SCHEMA_TYPES as readonly string[]).includes(upper))
    throw new InvalidArgumentError(`expected one of ${SCHEMA_TYPES.join(', ')}.`);
  return upper as SchemaType;
}

function levelOption(value: string): CompatibilityLevel {
  const upper = value.toUpperCase();
  if (!(COMPATIBILITY_LEVELS as readonly string[]).includes(upper))
    throw new InvalidArgumentError(`expected one of ${COMPATIBILITY_LEVELS.join(', ')}.`);
  return upper as CompatibilityLevel;
}

function versionOption(value: string): number | 'latest' {
  if (value === 'latest') return value;
  const version = Number(value);
  if (!Number.isInteger(version) || version < 1)
    throw new InvalidArgumentError(
      `a version is a number from 1, or "latest"; got ${JSON.stringify(value)}.`,
    );
  return version;
}

function referenceOption(value: string, previous: SchemaReference[] = []): SchemaReference[] {
  try {
    return [...previous, parseReference(value)];
  } catch (error) {
    throw new InvalidArgumentError(`${(error as Error).message}.`);
  }
}

async function submission(file: string, options: { type?: SchemaType; reference?: SchemaReference[] }) {
  let read;
  try {
    read = await readSchemaFile(file, options.type);
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, undefined, ExitCode.usage);
  }
  return { ...read, ...(options.reference?.length ? { references: options.reference } : {}) };
}

export function registerSchemasCommand(program: Command): void {
  const schemas = program
    .command('schemas')
    .description('List, show, register, check and delete schemas in the schema registry (alias: -s)')
    .addHelpText(
      'after',
      '\nExamples:\n  venice schemas\n  venice -s --json\n  venice schemas register orders-value orders.avsc\n' +
        '  venice schemas check orders-value orders-v2.avsc\n  venice schemas show orders-value --version 1\n' +
        '  venice schemas config orders-value --level FULL\n  venice schemas delete orders-value',
    );

  schemas
    .command('list', { isDefault: true })
    .description('List subjects with their latest version, schema type and compatibility level')
    .option('--json', 'print JSON')
    .option(REGISTRY_URL_FLAGS, REGISTRY_URL_HELP)
    .addHelpText('after', '\nExamples:\n  venice schemas\n  venice schemas list --json')
    .action(async (options: RegistryOptions) => {
      const summaries = await withRegistry(options.registryUrl, subjectSummaries);
      if (options.json) return printJson(summaries);
      if (summaries.length === 0)
        return void process.stdout.write(
          'No schemas yet. Register one with `venice schemas register <subject> <file>`.\n',
        );
      printTable(
        ['subject', 'version', 'id', 'type', 'compatibility'],
        summaries.map((entry) => [
          entry.subject,
          entry.latestVersion,
          entry.id,
          entry.schemaType,
          entry.compatibility,
        ]),
      );
    });

  schemas
    .command('show <subject>')
    .description('Show a version of a subject (the latest by default) and its schema')
    .option('--version <v>', 'version number or "latest"', versionOption, 'latest')
    .option('--json', 'print JSON')
    .option(REGISTRY_URL_FLAGS, REGISTRY_URL_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  venice schemas show orders-value\n  venice schemas show orders-value --version 2 --json',
    )
    .action(async (subject: string, options: RegistryOptions & { version: number | 'latest' }) => {
      const [shown, versions, compatibility] = await withRegistry(options.registryUrl, (client) =>
        Promise.all([
          client.getVersion(subject, options.version),
          client.versions(subject),
          client.compatibility(subject),
        ]),
      );
      if (options.json)
        return printJson({ ...shown, schemaType: shown.schemaType ?? 'AVRO', versions, compatibility });
      printVersion(shown, versions, compatibility);
    });

  schemas
    .command('register <subject> <file>')
    .description('Register the schema in a file under a subject (a new version if it changed)')
    .option('--type <type>', `AVRO, JSON or PROTOBUF (default: from the file)`, typeOption)
    .option('--reference <name=subject:version>', 'a schema this one references, repeatable', referenceOption)
    .option('--json', 'print JSON')
    .option(REGISTRY_URL_FLAGS, REGISTRY_URL_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  venice schemas register orders-value orders.avsc\n' +
        '  venice schemas register orders-value order.proto --type PROTOBUF\n' +
        '  venice schemas register orders-value order.proto --reference customer.proto=customer-value:1',
    )
    .action(
      async (
        subject: string,
        file: string,
        options: RegistryOptions & { type?: SchemaType; reference?: SchemaReference[] },
      ) => {
        const body = await submission(file, options);
        const registered = await withRegistry(options.registryUrl, async (client) => {
          await client.register(subject, body);
          return client.lookup(subject, body);
        });
        if (options.json)
          return printJson({
            subject,
            id: registered.id,
            version: registered.version,
            schemaType: body.schemaType,
          });
        process.stdout.write(
          `Registered ${subject} version ${registered.version} (id ${registered.id}, ${body.schemaType}).\n`,
        );
      },
    );

  schemas
    .command('check <subject> <file>')
    .description("Check a schema file against the subject's compatibility level; exits 1 when incompatible")
    .option('--type <type>', `AVRO, JSON or PROTOBUF (default: from the file)`, typeOption)
    .option('--reference <name=subject:version>', 'a schema this one references, repeatable', referenceOption)
    .option(
      '--version <v>',
      'check against this version only, instead of what the level requires',
      versionOption,
    )
    .option('--json', 'print JSON')
    .option(REGISTRY_URL_FLAGS, REGISTRY_URL_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  venice schemas check orders-value orders-v2.avsc\n' +
        '  venice schemas check orders-value orders-v2.avsc --version 1 --json',
    )
    .action(
      async (
        subject: string,
        file: string,
        options: RegistryOptions & {
          type?: SchemaType;
          reference?: SchemaReference[];
          version?: number | 'latest';
        },
      ) => {
        const body = await submission(file, options);
        const [result, level] = await withRegistry(options.registryUrl, (client) =>
          Promise.all([
            client.checkCompatibility(subject, body, options.version),
            client.compatibility(subject),
          ]),
        );
        if (options.json) printJson({ subject, compatibility: level, ...result });
        else if (result.is_compatible)
          process.stdout.write(`Compatible: ${file} can be registered under ${subject} (${level}).\n`);
        else {
          process.stdout.write(`Incompatible with ${subject} under ${level}:\n`);
          for (const message of result.messages ?? []) process.stdout.write(`  - ${message}\n`);
        }
        if (!result.is_compatible) process.exitCode = ExitCode.failure;
      },
    );

  schemas
    .command('config [subject]')
    .description('Show or set the compatibility level, globally or for one subject')
    .option('--level <level>', `set it: ${COMPATIBILITY_LEVELS.join(', ')}`, levelOption)
    .option('--json', 'print JSON')
    .option(REGISTRY_URL_FLAGS, REGISTRY_URL_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  venice schemas config\n  venice schemas config --level FULL\n' +
        '  venice schemas config orders-value --level BACKWARD_TRANSITIVE',
    )
    .action(
      async (subject: string | undefined, options: RegistryOptions & { level?: CompatibilityLevel }) => {
        const level = await withRegistry(options.registryUrl, (client) =>
          options.level ? client.setCompatibility(options.level, subject) : client.compatibility(subject),
        );
        const scope = subject ?? 'global';
        if (options.json) return printJson({ subject: subject ?? null, compatibility: level });
        process.stdout.write(
          options.level
            ? `Compatibility of ${scope} set to ${level}.\n`
            : `Compatibility of ${scope}: ${level}\n`,
        );
      },
    );

  schemas
    .command('delete <subject>')
    .description('Delete a subject or one version: soft first, then --permanent to remove it for good')
    .option('--version <v>', 'delete only this version', versionOption)
    .option('--permanent', 'remove what was soft-deleted before, for good')
    .option('--json', 'print JSON')
    .option(REGISTRY_URL_FLAGS, REGISTRY_URL_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  venice schemas delete orders-value\n  venice schemas delete orders-value --permanent\n' +
        '  venice schemas delete orders-value --version 2',
    )
    .action(
      async (
        subject: string,
        options: RegistryOptions & { version?: number | 'latest'; permanent?: boolean },
      ) => {
        const permanent = options.permanent ?? false;
        const deleted = await withRegistry(options.registryUrl, async (client) =>
          options.version === undefined
            ? client.deleteSubject(subject, permanent)
            : [await client.deleteVersion(subject, options.version, permanent)],
        );
        if (options.json) return printJson({ subject, versions: deleted, permanent });
        const how = permanent ? 'Permanently deleted' : 'Soft-deleted';
        process.stdout.write(`${how} ${subject} version(s) ${deleted.join(', ')}.\n`);
        if (!permanent)
          process.stdout.write(
            `  Ids stay readable; remove for good with \`venice schemas delete ${subject}${options.version === undefined ? '' : ` --version ${options.version}`} --permanent\`.\n`,
          );
      },
    );
}

function printVersion(shown: RegisteredSchema, versions: readonly number[], compatibility: string): void {
  const lines = [
    `Subject:       ${shown.subject}`,
    `Version:       ${shown.version} (of ${versions.join(', ')})`,
    `Id:            ${shown.id}`,
    `Type:          ${shown.schemaType ?? 'AVRO'}`,
    `Compatibility: ${compatibility}`,
  ];
  if (shown.references?.length)
    lines.push(
      `References:    ${shown.references.map((reference) => `${reference.name}=${reference.subject}:${reference.version}`).join(', ')}`,
    );
  process.stdout.write(lines.join('\n') + '\n\n' + prettySchema(shown.schema) + '\n');
}

function prettySchema(schema: string): string {
  try {
    return JSON.stringify(JSON.parse(schema), null, 2);
  } catch {
    return schema;
  }
}
