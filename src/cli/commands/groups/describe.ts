// `venice groups describe <group>`: members, their partitions, and each partition's offset and lag.
import type { Command } from 'commander';
import type { BootstrapOptions } from '../../arguments.js';
import { BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP, withKafka } from '../../connection.js';
import { addOutputOptions, printData, renderTable, type OutputOptions } from '../../render.js';
import { assignmentsText, describeGroup, type GroupView } from '../../../views/groups.js';

export function registerGroupsDescribe(groups: Command): void {
  const command = groups
    .command('describe <group>')
    .description("Show a group's members, their partitions, and each partition's committed offset and lag");
  addOutputOptions(command)
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  venice groups describe billing\n  venice groups describe billing --json\n' +
        '  venice groups describe billing --format yaml',
    )
    .action(async (group: string, options: BootstrapOptions & OutputOptions) => {
      const described = await withKafka(options.bootstrapServers, (kafka) => describeGroup(kafka, group));
      printData(options, described, groupText);
    });
}

function groupText(group: GroupView): string {
  const parts = [
    `Group ${group.id}: ${group.state}, ${group.members.length} member(s)` +
      `${group.protocol ? `, assignor ${group.protocol}` : ''}, total lag ${group.totalLag}\n`,
  ];
  if (group.members.length > 0)
    parts.push(
      '\n' +
        renderTable(
          ['member', 'client', 'host', 'partitions'],
          group.members.map((member) => [
            member.memberId,
            member.clientId,
            member.host,
            assignmentsText(member.assignments) || null,
          ]),
        ) +
        '\n',
    );
  parts.push('\n');
  if (group.offsets.length === 0) parts.push('No committed offsets.\n');
  else
    parts.push(
      renderTable(
        ['topic', 'partition', 'current-offset', 'log-end-offset', 'lag', 'member'],
        group.offsets.map((entry) => [
          entry.topic,
          entry.partition,
          entry.committedOffset,
          entry.endOffset,
          entry.lag,
          entry.memberId,
        ]),
      ) + '\n',
    );
  return parts.join('');
}
