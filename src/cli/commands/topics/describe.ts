// `venice topics describe <name>`: partitions, leaders, offsets, and the configs set for the topic.
import type { Command } from 'commander';
import type { BootstrapOptions } from '../../arguments.js';
import { BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP, withKafka } from '../../connection.js';
import { addOutputOptions, printData, renderTable, type OutputOptions } from '../../render.js';
import {
  configsSetForTopic,
  describeTopic,
  displayedConfigValue,
  type TopicView,
} from '../../../views/topics.js';

export function registerTopicsDescribe(topics: Command): void {
  const command = topics
    .command('describe <name>')
    .description('Show partitions, leaders, offsets and the configs that differ from the default')
    .option('-a, --all-configs', 'show every config, not only the ones set for this topic');
  addOutputOptions(command)
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .addHelpText(
      'after',
      '\nJSON and YAML always hold every config, each with its source.\n' +
        '\nExamples:\n  venice topics describe orders\n  venice topics describe orders --json\n' +
        '  venice topics describe orders --format yaml',
    )
    .action(async (name: string, options: BootstrapOptions & OutputOptions & { allConfigs?: boolean }) => {
      const described = await withKafka(options.bootstrapServers, (kafka) => describeTopic(kafka, name));
      printData(options, described, (view) => topicText(view, options.allConfigs ?? false));
    });
}

function topicText(topic: TopicView, allConfigs: boolean): string {
  const configs = allConfigs ? topic.configs : configsSetForTopic(topic.configs);
  return [
    `Topic ${topic.name}: ${topic.partitions.length} partition(s), replication factor ${topic.replicationFactor}, ${topic.messages} message(s)`,
    '',
    renderTable(
      ['partition', 'leader', 'replicas', 'isr', 'low', 'high', 'messages'],
      topic.partitions.map((partition) => [
        partition.partition,
        partition.leader,
        partition.replicas.join(','),
        partition.isr.join(','),
        partition.lowOffset,
        partition.highOffset,
        partition.messages,
      ]),
    ),
    '',
    `${allConfigs ? 'Configs' : 'Configs set for this topic'}:`,
    configs.length === 0
      ? '  (none; every config has its default value)'
      : renderTable(
          ['name', 'value', 'source'],
          configs.map((config) => [config.name, displayedConfigValue(config), config.source]),
        ),
    '',
  ].join('\n');
}
