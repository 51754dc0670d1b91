// `venice topics list` (the default verb): topics with their partition counts.
import type { Command } from 'commander';
import type { TopicSummary } from '../../../client/index.js';
import type { BootstrapOptions } from '../../arguments.js';
import { BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP, withKafka } from '../../connection.js';
import { addOutputOptions, printData, renderTable, type OutputOptions } from '../../render.js';

export function registerTopicsList(topics: Command): void {
  const command = topics
    .command('list', { isDefault: true })
    .description('List topics with their partition counts')
    .option('--internal', 'include internal topics such as __consumer_offsets');
  addOutputOptions(command)
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  venice topics list\n  venice topics --json\n  venice topics list --format yaml\n' +
        '  venice topics list --internal',
    )
    .action(async (options: BootstrapOptions & OutputOptions & { internal?: boolean }) => {
      const listed = await withKafka(options.bootstrapServers, (kafka) =>
        kafka.topics.list({ includeInternal: options.internal }),
      );
      printData(options, listed, topicsText);
    });
}

function topicsText(listed: readonly TopicSummary[]): string {
  if (listed.length === 0) return 'No topics yet. Create one with `venice topics create <name>`.\n';
  return (
    renderTable(
      ['name', 'partitions', 'replicas'],
      listed.map((topic) => [topic.name, topic.partitions, topic.replicationFactor]),
    ) + '\n'
  );
}
