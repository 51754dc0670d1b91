// `venice groups delete <groups...>`: inactive groups and their committed offsets.
import type { Command } from 'commander';
import type { BootstrapOptions } from '../../arguments.js';
import { BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP, withKafka } from '../../connection.js';

export function registerGroupsDelete(groups: Command): void {
  groups
    .command('delete <groups...>')
    .description('Delete inactive consumer groups and their committed offsets')
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .addHelpText('after', '\nExamples:\n  venice groups delete billing\n  venice groups delete billing audit')
    .action(async (names: string[], options: BootstrapOptions) => {
      await withKafka(options.bootstrapServers, (kafka) => kafka.groups.delete(names));
      process.stdout.write(`Deleted ${names.length === 1 ? 'group' : 'groups'} ${names.join(', ')}.\n`);
    });
}
