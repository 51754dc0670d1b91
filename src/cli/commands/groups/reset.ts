// `venice groups reset <group>`: move an inactive group's committed offsets on one topic; a dry run
// unless --execute.
import type { Command } from 'commander';
import type { OffsetResetPlan, ResetTarget } from '../../../client/index.js';
import { bigintOption, type BootstrapOptions } from '../../arguments.js';
import { BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP, withKafka } from '../../connection.js';
import { CliError, ExitCode } from '../../output.js';
import { addOutputOptions, printData, renderTable, type OutputOptions } from '../../render.js';

interface ResetOptions extends BootstrapOptions, OutputOptions {
  topic: string;
  toEarliest?: boolean;
  toLatest?: boolean;
  toTimestamp?: bigint;
  toOffset?: bigint;
  execute?: boolean;
}

export function registerGroupsReset(groups: Command): void {
  const command = groups
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
    .option('--execute', 'apply the plan; without it, only show it');
  addOutputOptions(command)
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
      printData(options, plan, planText);
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

function planText(plan: OffsetResetPlan): string {
  const table = renderTable(
    ['group', 'topic', 'partition', 'current-offset', 'new-offset'],
    plan.partitions.map((entry) => [
      plan.group,
      entry.topic,
      entry.partition,
      entry.currentOffset,
      entry.newOffset,
    ]),
  );
  return (
    table +
    (plan.executed
      ? '\n\nOffsets reset.\n'
      : '\n\nDry run: nothing changed. Add --execute to apply these offsets.\n')
  );
}
