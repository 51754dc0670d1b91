// `venice consume <topic>`: prints records as text (a format string) or JSON lines.
import type { Command } from 'commander';
import type { Kafka, StartPosition } from '../../client/index.js';
import { BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP, withKafka } from '../connection.js';
import {
  formatOption,
  nonNegativeIntegerOption,
  positiveIntegerOption,
  recordPrinter,
  repeatableOption,
  startOption,
} from '../format/record-output.js';
import { CliError, ExitCode } from '../output.js';
import { resolveRegistryUrl } from '../registry-url.js';
import { addRegistryOptions, type RegistryOptions } from '../registry-client.js';
import { commandStopSignal } from '../stop.js';
import { partitionsEndingBefore } from '../../views/topics.js';
import { registryDecoder } from '../format/schema-decoder.js';

interface ConsumeCommandOptions extends RegistryOptions {
  from?: StartPosition;
  group?: string;
  count?: number;
  partition?: string[];
  exit?: boolean;
  format: string;
  json?: boolean;
  decode?: boolean;
  bootstrapServers?: string;
}

export function registerConsumeCommand(program: Command): void {
  const command = program
    .command('consume <topic>')
    .description('Print records from a topic, then keep following it (or stop with -e / -n)')
    .option(
      '-o, --from <position>',
      'beginning, end, an offset, @<timestamp-ms>, or -<n> for the last n of each partition (default: beginning)',
      startOption,
    )
    .option('-g, --group <group>', 'consume as this group, starting at its committed offsets and committing')
    .option('-n, --count <n>', 'stop after n records', positiveIntegerOption)
    .option(
      '-p, --partition <n>',
      'read only this partition, repeatable (not with --group)',
      (value, previous: string[] = []) => repeatableOption(String(nonNegativeIntegerOption(value)), previous),
    )
    .option('-e, --exit', 'stop at the end of the topic instead of waiting for more')
    .option('-f, --format <format>', 'output format', formatOption, '%v\\n')
    .option('--json', 'print one JSON object per record')
    .option('-d, --decode', 'decode Avro, JSON Schema and Protobuf records written with the schema registry')
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP);
  addRegistryOptions(command)
    .addHelpText(
      'after',
      '\nFormat strings (shared with `venice produce --format`):\n' +
        '  %t topic  %p partition  %o offset  %k key  %v value  %T timestamp (ms)  %h headers (k=v,...)\n' +
        '  %% percent sign   \\n newline   \\t tab\n' +
        '\nWith --group, consumption starts at the offsets the group committed; --from (beginning or end)\n' +
        'only applies to partitions it has none for.\n' +
        '\nExamples:\n  venice consume orders -e\n  venice consume orders --from end\n' +
        '  venice consume orders --from 42 -n 10\n  venice consume orders --from @1735689600000 -e\n' +
        "  venice consume orders -g billing --format '%p:%o %k=%v\\n'\n  venice consume orders -e --json | jq .value\n" +
        '  venice consume orders -e --decode',
    )
    .action(async (topic: string, options: ConsumeCommandOptions) => {
      if (options.group && options.partition)
        throw new CliError(
          '--partition cannot be used with --group',
          'a group is assigned its partitions',
          ExitCode.usage,
        );
      if (options.group && options.from && options.from.kind !== 'beginning' && options.from.kind !== 'end')
        throw new CliError(
          'with --group, --from is beginning or end',
          'reset a group with `venice groups reset`',
          ExitCode.usage,
        );
      const signal = commandStopSignal();
      const printer = recordPrinter(options, signal);
      const decode = options.decode
        ? await registryDecoder(
            resolveRegistryUrl(options.registryUrl),
            (message) => process.stderr.write(message + '\n'),
            options,
          )
        : undefined;
      await withKafka(options.bootstrapServers, async (kafka) => {
        if (options.from?.kind === 'offset') await warnIfPastEnd(kafka, topic, options.from.offset, options);
        const records = kafka.consume({
          topic,
          from: options.from ?? { kind: 'beginning' },
          group: options.group,
          partitions: options.partition?.map(Number),
          count: options.count,
          stopAtEnd: options.exit,
          signal,
        });
        for await (const record of records) await printer.print(decode ? await decode(record) : record);
      });
    });
}

/** An offset past the end reads from the end: say so, and where the end is, rather than print nothing. */
async function warnIfPastEnd(
  kafka: Kafka,
  topic: string,
  offset: bigint,
  options: ConsumeCommandOptions,
): Promise<void> {
  const past = partitionsEndingBefore(
    await kafka.topics.describe(topic),
    offset,
    options.partition?.map(Number),
  );
  if (past.length === 0) return;
  const ends = past.map((entry) => `partition ${entry.partition} ends at ${entry.end}`).join(', ');
  const then = options.exit ? 'nothing to read there' : 'waiting there for new records';
  process.stderr.write(`venice: offset ${offset} is past the end of ${topic} (${ends}); ${then}.\n`);
}
