// `venice groups`: list, describe (with lag), reset offsets and delete consumer groups.
import { Command, InvalidArgumentError } from 'commander';
import type { GroupDescription, OffsetResetPlan, ResetTarget } from '../../client/index.js';
import { BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP, withKafka } from '../connection.js';
import { CliError, ExitCode, printJson, printTable } from '../output.js';

interface ConnectionOptions {
  bootstrapServers?: string;
}

interface ResetOptions extends ConnectionOptions {
  topic: string;
  toEarliest?: boolean;
  toLatest?: boolean;
  toTimestamp?: bigint;
  toOffset?: bigint;
  execute?: boolean;
  json?: boolean;
}

export function registerGroupsCommand(program: Command): void {
  const groups = program
    .command('groups')
    .description('List, inspect, reset and delete consumer groups')
    .addHelpText(
      'after',
      '\nExamples:\n  venice groups\n  venice groups describe billing\n' +
        '  venice groups reset billing --topic orders --to-earliest --execute\n  venice groups delete billing',
    );

  groups
    .command('list', { isDefault: true })
    .description('List consumer groups and their states')
    .option('--json', 'print JSON')
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .addHelpText('after', '\nExamples:\n  venice groups\n  venice groups list --json')
    .action(async (options: ConnectionOptions & { json?: boolean }) => {
      const listed = await withKafka(options.bootstrapServers, (kafka) => kafka.groups.list());
      if (options.json) return printJson(listed);
      if (listed.length === 0) return void process.stdout.write('No consumer groups.\n');
      printTable(
        ['group', 'state', 'protocol type'],
        listed.map((group) => [group.id, group.state, group.protocolType || null]),
      );
    });

  groups
    .command('describe <group>')
    .description("Show a group's members, their partitions, and each partition's committed offset and lag")
    .option('--json', 'print JSON')
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  venice groups describe billing\n  venice groups describe billing --json',
    )
    .action(async (group: string, options: ConnectionOptions & { json?: boolean }) => {
      const described = await withKafka(options.bootstrapServers, (kafka) => kafka.groups.describe(group));
      if (options.json) return printJson(described);
      printGroup(described);
    });

  groups
    .command('reset <group>')
    .description("Move an inactive group's committed offsets on a topic (a dry run unless --execute)")
    .requiredOption('-t, --topic <topic>', 'the topic whose offsets to move')
    .option('--to-earliest', 'to the first offset still in each partition')
    .option('--to-latest', 'to the end of each partition (skip everything)')
    .option(
      '--to-timestamp <ms>',
      'to the first record at or after this time (ms since the epoch)',
      bigintOption,
    )
    .option(
      '--to-offset <n>',
      'to this offset in every partition (moved into the log if outside it)',
      bigintOption,
    )
    .option('--execute', 'apply the plan; without it, only show it')
    .option('--json', 'print JSON')
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .addHelpText(
      'after',
      '\nThe group must have no active members: stop its consumers first.\n' +
        '\nExamples:\n  venice groups reset billing --topic orders --to-earliest\n' +
        '  venice groups reset billing --topic orders --to-earliest --execute\n' +
        '  venice groups reset billing --topic orders --to-timestamp 1735689600000 --execute',
    )
    .action(async (group: string, options: ResetOptions) => {
      const to = resetTarget(options);
      const plan = await withKafka(options.bootstrapServers, (kafka) =>
        kafka.groups.resetOffsets({ group, topic: options.topic, to, execute: options.execute }),
      );
      if (options.json) return printJson(plan);
      printPlan(plan);
    });

  groups
    .command('delete <groups...>')
    .description('Delete inactive consumer groups and their committed offsets')
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .addHelpText('after', '\nExamples:\n  venice groups delete billing\n  venice groups delete billing audit')
    .action(async (names: string[], options: ConnectionOptions) => {
      await withKafka(options.bootstrapServers, (kafka) => kafka.groups.delete(names));
      process.stdout.write(`Deleted ${names.length === 1 ? 'group' : 'groups'} ${names.join(', ')}.\n`);
    });
}

function resetTarget(options: ResetOptions): ResetTarget {
  const chosen: ResetTarget[] = [];
  if (options.toEarliest) chosen.push({ kind: 'earliest' });
  if (options.toLatest) chosen.push({ kind: 'latest' });
  if (options.toTimestamp !== undefined) chosen.push({ kind: 'timestamp', timestamp: options.toTimestamp });
  if (options.toOffset !== undefined) chosen.push({ kind: 'offset', offset: options.toOffset });
  if (chosen.length !== 1)
    throw new CliError(
      chosen.length === 0 ? 'say where to reset to' : 'choose only one place to reset to',
      'pass one of --to-earliest, --to-latest, --to-timestamp <ms>, --to-offset <n>',
      ExitCode.usage,
    );
  return chosen[0];
}

function printGroup(group: GroupDescription): void {
  process.stdout.write(
    `Group ${group.id}: ${group.state}, ${group.members.length} member(s)` +
      `${group.protocol ? `, assignor ${group.protocol}` : ''}, total lag ${group.totalLag}\n`,
  );
  if (group.members.length > 0) {
    process.stdout.write('\n');
    printTable(
      ['member', 'client', 'host', 'partitions'],
      group.members.map((member) => [
        member.memberId,
        member.clientId,
        member.host,
        member.assignments
          .map((assignment) => `${assignment.topic}[${assignment.partitions.join(',')}]`)
          .join(' ') || null,
      ]),
    );
  }
  process.stdout.write('\n');
  if (group.offsets.length === 0) return void process.stdout.write('No committed offsets.\n');
  printTable(
    ['topic', 'partition', 'current-offset', 'log-end-offset', 'lag', 'member'],
    group.offsets.map((entry) => [
      entry.topic,
      entry.partition,
      entry.committedOffset === null ? null : String(entry.committedOffset),
      String(entry.endOffset),
      entry.lag === null ? null : String(entry.lag),
      entry.memberId,
    ]),
  );
}

function printPlan(plan: OffsetResetPlan): void {
  printTable(
    ['group', 'topic', 'partition', 'current-offset', 'new-offset'],
    plan.partitions.map((entry) => [
      plan.group,
      entry.topic,
      entry.partition,
      entry.currentOffset === null ? null : String(entry.currentOffset),
      String(entry.newOffset),
    ]),
  );
  process.stdout.write(
    plan.executed
      ? '\nOffsets reset.\n'
      : '\nDry run: nothing changed. Add --execute to apply these offsets.\n',
  );
}

function bigintOption(value: string): bigint {
  if (!/^\d+$/.test(value))
    throw new InvalidArgumentError(`expected a whole number, got ${JSON.stringify(value)}.`);
  return BigInt(value);
}
