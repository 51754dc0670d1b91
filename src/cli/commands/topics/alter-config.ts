// `venice topics alter-config <name>`: set configs, or return them to their defaults.
import type { Command } from 'commander';
import type { BootstrapOptions } from '../../arguments.js';
import { BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP, withKafka } from '../../connection.js';
import { keyValueOption, repeatableOption } from '../../format/record-output.js';
import { CliError, ExitCode } from '../../output.js';

interface AlterConfigOptions extends BootstrapOptions {
  set?: Record<string, string>;
  delete?: string[];
}

export function registerTopicsAlterConfig(topics: Command): void {
  topics
    .command('alter-config <name>')
    .description("Set or remove a topic's configs")
    .option('--set <key=value>', 'set a config, repeatable', keyValueOption)
    .option('--delete <key>', 'return a config to its default, repeatable', repeatableOption)
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  venice topics alter-config orders --set retention.ms=86400000\n' +
        '  venice topics alter-config orders --set cleanup.policy=compact --delete retention.ms',
    )
    .action(async (name: string, options: AlterConfigOptions) => {
      if (!options.set && !options.delete)
        throw new CliError('nothing to change', 'pass --set key=value or --delete key', ExitCode.usage);
      await withKafka(options.bootstrapServers, (kafka) =>
        kafka.topics.alterConfig(name, { set: options.set, delete: options.delete }),
      );
      const changed = [...Object.keys(options.set ?? {}), ...(options.delete ?? [])];
      process.stdout.write(`Updated ${changed.join(', ')} on topic ${name}.\n`);
    });
}
