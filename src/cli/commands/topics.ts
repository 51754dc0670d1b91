// `venice topics`: list, create, describe, show, delete and alter-config (alias `venice -t`).
import { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import type { TopicDescription } from '../../client/index.js';
import { integerOption } from '../arguments.js';
import { BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP, withKafka } from '../connection.js';
import {
  exitOnClosedPipe,
  formatOption,
  keyValueOption,
  positiveIntegerOption,
  recordPrinter,
  repeatableOption,
} from '../format/record-output.js';
import { CliError, ExitCode, printJson, printTable } from '../output.js';

interface ConnectionOptions {
  bootstrapServers?: string;
}

export function registerTopicsCommand(program: Command): void {
  const topics = program
    .command('topics')
    .description('List, create, inspect, watch and delete topics (alias: -t)')
    .addHelpText(
      'after',
      '\nExamples:\n  venice topics\n  venice -t\n  venice topics create orders -p 3\n  venice topics describe orders\n' +
        '  venice topics show orders -f\n  venice topics delete orders --yes',
    );

  topics
    .command('list', { isDefault: true })
    .description('List topics with their partition counts')
    .option('--internal', 'include internal topics such as __consumer_offsets')
    .option('--json', 'print JSON')
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  venice topics list\n  venice topics --json\n  venice topics list --internal',
    )
    .action(async (options: ConnectionOptions & { internal?: boolean; json?: boolean }) => {
      const listed = await withKafka(options.bootstrapServers, (kafka) =>
        kafka.topics.list({ includeInternal: options.internal }),
      );
      if (options.json) return printJson(listed);
      if (listed.length === 0)
        return void process.stdout.write('No topics yet. Create one with `venice topics create <name>`.\n');
      printTable(
        ['name', 'partitions', 'replicas'],
        listed.map((topic) => [topic.name, topic.partitions, topic.replicationFactor]),
      );
    });

  topics
    .command('create <name>')
    .description('Create a topic')
    .option('-p, --partitions <n>', 'number of partitions (default: the broker default)', integerOption)
    .option(
      '-r, --replication-factor <n>',
      'replicas of each partition (default: the broker default)',
      integerOption,
    )
    .option('-c, --config <key=value>', 'a topic config, repeatable', keyValueOption)
    .option('--json', 'print JSON')
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  venice topics create orders\n  venice topics create orders -p 6 -r 1\n' +
        '  venice topics create customers -c cleanup.policy=compact -c retention.ms=-1',
    )
    .action(
      async (
        name: string,
        options: ConnectionOptions & {
          partitions?: number;
          replicationFactor?: number;
          config?: Record<string, string>;
          json?: boolean;
        },
      ) => {
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
        if (options.json)
          return printJson({
            name,
            partitions: created.partitions.length,
            replicationFactor: created.replicationFactor,
          });
        process.stdout.write(`Created topic ${name} with ${created.partitions.length} partition(s).\n`);
      },
    );

  topics
    .command('describe <name>')
    .description('Show partitions, leaders, offsets and the configs that differ from the default')
    .option('-a, --all-configs', 'show every config, not only the ones set for this topic')
    .option('--json', 'print JSON')
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  venice topics describe orders\n  venice topics describe orders --json',
    )
    .action(async (name: string, options: ConnectionOptions & { allConfigs?: boolean; json?: boolean }) => {
      const described = await withKafka(options.bootstrapServers, (kafka) => kafka.topics.describe(name));
      if (options.json) return printJson(described);
      printTopicDescription(described, options.allConfigs ?? false);
    });

  topics
    .command('show <topic>')
    .description("Print a topic's most recent messages as text; with -f keep printing new ones")
    .option('-n, --count <n>', 'how many recent messages to print', positiveIntegerOption, 20)
    .option('-f, --follow', 'keep printing new messages until interrupted')
    .option(
      '--format <format>',
      'output format (see `venice consume --help`)',
      formatOption,
      '%T  %p:%o  %k  %v\\n',
    )
    .option('--json', 'print one JSON object per message')
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  venice topics show orders\n  venice topics show orders -n 100\n  venice topics show orders -f\n' +
        "  venice topics show orders --format '%k => %v\\n'",
    )
    .action(
      async (
        topic: string,
        options: ConnectionOptions & { count: number; follow?: boolean; format: string; json?: boolean },
      ) => {
        const printer = recordPrinter(options);
        const controller = new AbortController();
        exitOnClosedPipe(controller);
        const stop = () => controller.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          await withKafka(options.bootstrapServers, async (kafka) => {
            // The last n of each partition, then the last n of those by time: "recent" across partitions.
            const { partitions } = await kafka.topics.describe(topic);
            const next = new Map(partitions.map((partition) => [partition.partition, partition.highOffset]));
            const start = new Map(
              partitions.map((partition) => {
                const back = partition.highOffset - BigInt(options.count);
                return [partition.partition, back > partition.lowOffset ? back : partition.lowOffset];
              }),
            );
            const recent = [];
            const signal = controller.signal;
            for await (const record of kafka.consume({
              topic,
              from: { kind: 'positions', offsets: start },
              stopAtEnd: true,
              signal,
            })) {
              recent.push(record);
              if (record.offset >= (next.get(record.partition) ?? 0n))
                next.set(record.partition, record.offset + 1n);
            }
            recent.sort((a, b) => Number(a.timestamp - b.timestamp) || a.partition - b.partition);
            for (const record of recent.slice(-options.count)) await printer.print(record);
            if (!options.follow || signal.aborted) return;
            for await (const record of kafka.consume({
              topic,
              from: { kind: 'positions', offsets: next },
              signal,
            }))
              await printer.print(record);
          });
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
      },
    );

  topics
    .command('delete <names...>')
    .description('Delete topics and all their messages')
    .option('-y, --yes', 'do not ask for confirmation')
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  venice topics delete orders\n  venice topics delete orders payments --yes',
    )
    .action(async (names: string[], options: ConnectionOptions & { yes?: boolean }) => {
      if (!options.yes)
        await confirm(
          `Delete ${names.length === 1 ? 'topic' : 'topics'} ${names.join(', ')} and all their messages?`,
        );
      await withKafka(options.bootstrapServers, (kafka) => kafka.topics.delete(names));
      process.stdout.write(`Deleted ${names.length === 1 ? 'topic' : 'topics'} ${names.join(', ')}.\n`);
    });

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
    .action(
      async (
        name: string,
        options: ConnectionOptions & { set?: Record<string, string>; delete?: string[] },
      ) => {
        if (!options.set && !options.delete)
          throw new CliError('nothing to change', 'pass --set key=value or --delete key', ExitCode.usage);
        await withKafka(options.bootstrapServers, (kafka) =>
          kafka.topics.alterConfig(name, { set: options.set, delete: options.delete }),
        );
        const changed = [...Object.keys(options.set ?? {}), ...(options.delete ?? [])];
        process.stdout.write(`Updated ${changed.join(', ')} on topic ${name}.\n`);
      },
    );
}

function printTopicDescription(described: TopicDescription, allConfigs: boolean): void {
  const total = described.partitions.reduce((sum, partition) => sum + partition.messages, 0n);
  process.stdout.write(
    `Topic ${described.name}: ${described.partitions.length} partition(s), replication factor ${described.replicationFactor}, ${total} message(s)\n\n`,
  );
  printTable(
    ['partition', 'leader', 'replicas', 'isr', 'low', 'high', 'messages'],
    described.partitions.map((partition) => [
      partition.partition,
      partition.leader,
      partition.replicas.join(','),
      partition.isr.join(','),
      String(partition.lowOffset),
      String(partition.highOffset),
      String(partition.messages),
    ]),
  );
  const configs = allConfigs
    ? described.configs
    : described.configs.filter((config) => config.source !== 'default');
  process.stdout.write(`\n${allConfigs ? 'Configs' : 'Configs set for this topic'}:\n`);
  if (configs.length === 0) process.stdout.write('  (none; every config has its default value)\n');
  else
    printTable(
      ['name', 'value', 'source'],
      configs.map((config) => [config.name, config.sensitive ? '******' : config.value, config.source]),
    );
}

/** Asks on the terminal; without one, refuses rather than delete something unasked. */
async function confirm(question: string): Promise<void> {
  if (!process.stdin.isTTY)
    throw new CliError(
      'refusing to delete without confirmation',
      'pass --yes to delete without a terminal',
      ExitCode.usage,
    );
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`${question} [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new CliError('nothing deleted', undefined, ExitCode.failure);
  } finally {
    prompt.close();
  }
}
