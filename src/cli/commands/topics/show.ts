// `venice topics show <topic>`: the most recent records as text, then with -f the new ones. Its
// --format is a record format string, as in `venice consume`, not an output format.
import type { Command } from 'commander';
import type { BootstrapOptions } from '../../arguments.js';
import { BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP, withKafka } from '../../connection.js';
import { formatOption, positiveIntegerOption, recordPrinter } from '../../format/record-output.js';
import { commandStopSignal } from '../../stop.js';
import { recentRecords } from '../../../views/topics.js';

interface ShowOptions extends BootstrapOptions {
  count: number;
  follow?: boolean;
  format: string;
  json?: boolean;
}

export function registerTopicsShow(topics: Command): void {
  topics
    .command('show <topic>')
    .description("Print a topic's most recent messages as text; with -f keep printing new ones")
    .option('-n, --count <n>', 'how many recent messages to print', positiveIntegerOption, 20)
    .option('-f, --follow', 'keep printing new messages until interrupted')
    .option(
      '--format <format>',
      'record format string (see `venice consume --help`)',
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
    .action(async (topic: string, options: ShowOptions) => {
      const signal = commandStopSignal();
      const printer = recordPrinter(options, signal);
      await withKafka(options.bootstrapServers, async (kafka) => {
        const recent = await recentRecords(kafka, topic, options.count, signal);
        for (const record of recent.records) await printer.print(record);
        if (!options.follow || signal.aborted) return;
        for await (const record of kafka.consume({
          topic,
          from: { kind: 'positions', offsets: recent.next },
          signal,
        }))
          await printer.print(record);
      });
    });
}
