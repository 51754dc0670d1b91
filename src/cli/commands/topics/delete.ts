// `venice topics delete <names...>`: asks first unless --yes.
import type { Command } from 'commander';
import type { BootstrapOptions } from '../../arguments.js';
import { confirm } from '../../confirm.js';
import { BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP, withKafka } from '../../connection.js';

export function registerTopicsDelete(topics: Command): void {
  topics
    .command('delete <names...>')
    .description('Delete topics and all their messages')
    .option('-y, --yes', 'do not ask for confirmation')
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  venice topics delete orders\n  venice topics delete orders payments --yes',
    )
    .action(async (names: string[], options: BootstrapOptions & { yes?: boolean }) => {
      const what = `${names.length === 1 ? 'topic' : 'topics'} ${names.join(', ')}`;
      if (!options.yes) await confirm(`Delete ${what} and all their messages?`);
      await withKafka(options.bootstrapServers, (kafka) => kafka.topics.delete(names));
      process.stdout.write(`Deleted ${what}.\n`);
    });
}
