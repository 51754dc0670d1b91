// `venice acl create|list|delete`: ACLs through the Kafka protocol, with kafka-acls' flags.
import { Option, type Command } from 'commander';
import type { AclQuery, AclSpec } from '../../client/index.js';
import type { BootstrapOptions } from '../arguments.js';
import { BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP, withKafka } from '../connection.js';
import { CliError, printJson, printTable } from '../output.js';

interface AclOptions extends BootstrapOptions {
  allowPrincipal: string[];
  denyPrincipal: string[];
  principal: string[];
  host: string;
  operation: string[];
  topic?: string;
  group?: string;
  cluster?: boolean;
  transactionalId?: string;
  resourcePatternType?: string;
  format: 'text' | 'json';
}

const collect = (value: string, previous: string[]) => [...previous, value];

function withAclOptions(command: Command, verb: string): Command {
  return command
    .option('--allow-principal <principal>', 'principal to allow, e.g. User:alice (repeatable)', collect, [])
    .option('--deny-principal <principal>', 'principal to deny (repeatable)', collect, [])
    .option('--host <host>', 'host the ACL applies to', verb === 'create' ? '*' : undefined)
    .option(
      '--operation <operation>',
      'READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, ALL... (repeatable)',
      collect,
      [],
    )
    .option('--topic <name>', 'a topic (with prefixed: a topic name prefix; * for all)')
    .option('--group <name>', 'a consumer group')
    .option('--cluster', 'the cluster')
    .option('--transactional-id <id>', 'a transactional id')
    .option('--resource-pattern-type <type>', 'LITERAL or PREFIXED (list and delete also ANY, MATCH)')
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP);
}

/** The resource the flags name; null when none is named (list and delete then match every resource). */
function resourceOf(options: AclOptions): { resourceType: string; resourceName: string } | null {
  const named = [
    options.topic !== undefined && { resourceType: 'TOPIC', resourceName: options.topic },
    options.group !== undefined && { resourceType: 'GROUP', resourceName: options.group },
    options.cluster === true && { resourceType: 'CLUSTER', resourceName: 'kafka-cluster' },
    options.transactionalId !== undefined && {
      resourceType: 'TRANSACTIONAL_ID',
      resourceName: options.transactionalId,
    },
  ].filter((resource) => resource !== false);
  if (named.length > 1)
    throw new CliError('name one resource: --topic, --group, --cluster or --transactional-id', undefined);
  return named[0] ?? null;
}

function principalsOf(options: AclOptions): { principal: string; permission: string }[] {
  return [
    ...options.allowPrincipal.map((principal) => ({ principal, permission: 'ALLOW' })),
    ...options.denyPrincipal.map((principal) => ({ principal, permission: 'DENY' })),
  ];
}

function specsOf(options: AclOptions): AclSpec[] {
  const resource = resourceOf(options);
  if (!resource) throw new CliError('name the resource: --topic, --group, --cluster or --transactional-id');
  const principals = principalsOf(options);
  if (principals.length === 0)
    throw new CliError('name who: --allow-principal or --deny-principal User:name');
  if (options.operation.length === 0) throw new CliError('name what: --operation READ (repeatable)');
  return principals.flatMap(({ principal, permission }) =>
    options.operation.map((operation) => ({
      ...resource,
      patternType: options.resourcePatternType ?? 'LITERAL',
      principal,
      host: options.host,
      operation,
      permission,
    })),
  );
}

function queriesOf(options: AclOptions, defaultPatternType: string): AclQuery[] {
  const resource = resourceOf(options);
  const base: AclQuery = {
    resourceType: resource?.resourceType ?? 'ANY',
    resourceName: resource?.resourceName ?? null,
    patternType: options.resourcePatternType ?? (resource ? defaultPatternType : 'ANY'),
    principal: null,
    host: options.host ?? null,
    operation: 'ANY',
    permission: 'ANY',
  };
  const who = principalsOf(options);
  const principals = who.length > 0 ? who : [{ principal: null, permission: 'ANY' }];
  const operations = options.operation.length > 0 ? options.operation : ['ANY'];
  return principals.flatMap(({ principal, permission }) =>
    operations.map((operation) => ({ ...base, principal, permission, operation })),
  );
}

function show(acls: readonly AclSpec[], format: 'text' | 'json'): void {
  if (format === 'json') return printJson(acls);
  printTable(
    ['RESOURCE', 'NAME', 'PATTERN', 'PRINCIPAL', 'HOST', 'OPERATION', 'PERMISSION'],
    acls.map((acl) => [
      acl.resourceType,
      acl.resourceName,
      acl.patternType,
      acl.principal,
      acl.host,
      acl.operation,
      acl.permission,
    ]),
  );
}

const formatOption = () =>
  new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');

export function registerAclCommand(program: Command): void {
  const acl = program
    .command('acl')
    .description(
      "Create, list and delete ACLs (the broker's authorizer must be on: venice broker --authorizer)",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  venice acl create --allow-principal User:alice --operation read --topic orders\n' +
        '  venice acl list --topic orders\n  venice acl delete --allow-principal User:alice --topic orders',
    );
  withAclOptions(
    acl.command('create').description('Add ACLs (each principal x each operation)'),
    'create',
  ).action(async (options: AclOptions) => {
    const specs = specsOf(options);
    await withKafka(options.bootstrapServers, (kafka) => kafka.acls.create(specs));
    process.stdout.write(`Created ${specs.length} ACL${specs.length === 1 ? '' : 's'}.\n`);
  });
  withAclOptions(acl.command('list').description('List ACLs (all, or those the flags match)'), 'list')
    .addOption(formatOption())
    .action(async (options: AclOptions) => {
      const queries = queriesOf(options, 'MATCH');
      const found = await withKafka(options.bootstrapServers, async (kafka) =>
        (await Promise.all(queries.map((query) => kafka.acls.list(query)))).flat(),
      );
      show(found, options.format);
    });
  withAclOptions(acl.command('delete').description('Delete the ACLs the flags match'), 'delete')
    .addOption(formatOption())
    .action(async (options: AclOptions) => {
      if (!resourceOf(options) && principalsOf(options).length === 0)
        throw new CliError(
          'name a resource or a principal: deleting every ACL needs --topic "*" or the like',
        );
      const deleted = await withKafka(options.bootstrapServers, (kafka) =>
        kafka.acls.delete(queriesOf(options, 'LITERAL')),
      );
      show(deleted, options.format);
    });
}
