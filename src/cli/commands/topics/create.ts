// `venice topics create <name>`.
import type { Command } from 'commander';
import { integerOption, type BootstrapOptions } from '../../arguments.js';
import { BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP, withKafka } from '../../connection.js';
import { keyValueOption } from '../../format/record-output.js';
import { CliError, ExitCode } from '../../output.js';
import { addOutputOptions, printData, type OutputOptions } from '../../render.js';

interface CreateOptions extends BootstrapOptions, OutputOptions {
  partitions?: number;
  replicationFactor?: number;
  config?: Record<string, string>;
}

export function registerTopicsCreate(topics: Command): void {
  const command = topics
    .command('create <name>')
    .description('Create a topic')
    .option('-p, --partitions <n>', 'number of partitions (default: the broker default)', integerOption)
    .option(
      '-r, --replication-factor <n>',
      'replicas of each partition (default: the broker default)',
      integerOption,
    )
    .option('-c, --config <key=value>', 'a topic config, repeatable', keyValueOption);
  addOutputOptions(command)
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  venice topics create orders\n  venice topics create orders -p 6 -r 1\n' +
        '  venice topics create customers -c cleanup.policy=compact -c retention.ms=-1',
    )
    .action(async (name: string, options: CreateOptions) => {
      if (options.partitions !== undefined && options.partitions < 1)
        throw new CliError('--partitions must be at least 1', undefined, ExitCode.usage);
      const created = await withKafka(options.bootstrapServers, async (kafka) => {
        await kafka.topics.create({
          name,
          partitions: options.partitions,
          replicationFactor: options.replicationFactor,
          configs: options.config,
        });
        return kafka.topics.describe(name);
      });
      printData(
        options,
        { name, partitions: created.partitions.length, replicationFactor: created.replicationFactor },
        (summary) => `Created topic ${summary.name} with ${summary.partitions} partition(s).\n`,
      );
    });
}
