// `venice groups list` (the default verb): consumer groups and their states.
import type { Command } from 'commander';
import type { GroupSummary } from '../../../client/index.js';
import type { BootstrapOptions } from '../../arguments.js';
import { BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP, withKafka } from '../../connection.js';
import { addOutputOptions, printData, renderTable, type OutputOptions } from '../../render.js';

export function registerGroupsList(groups: Command): void {
  const command = groups
    .command('list', { isDefault: true })
    .description('List consumer groups and their states');
  addOutputOptions(command)
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  venice groups\n  venice groups list --json\n  venice groups --format yaml',
    )
    .action(async (options: BootstrapOptions & OutputOptions) => {
      const listed = await withKafka(options.bootstrapServers, (kafka) => kafka.groups.list());
      printData(options, listed, groupsText);
    });
}

function groupsText(listed: readonly GroupSummary[]): string {
  if (listed.length === 0) return 'No consumer groups.\n';
  return (
    renderTable(
      ['group', 'state', 'protocol type'],
      listed.map((group) => [group.id, group.state, group.protocolType || null]),
    ) + '\n'
  );
}
