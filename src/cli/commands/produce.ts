// `venice produce <topic>`: one record per input line, from stdin or a file.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import fs from 'node:fs';
import { createInterface } from 'node:readline';
import type { Acks, Kafka, ProducedRecord, ProduceRecord } from '../../client/index.js';
import { BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP, withKafka } from '../connection.js';
import {
  FormatError,
  parseFormat,
  parseHeader,
  parseRecord,
  type FormatToken,
} from '../format/format-string.js';
import { formatOption, nonNegativeIntegerOption, repeatableOption } from '../format/record-output.js';
import { CliError, ExitCode, printJson, printTable } from '../output.js';
import { REGISTRY_URL_HELP } from '../registry-url.js';
import { addRegistryOptions } from '../registry-client.js';
import { durationOption, produceGenerated, rateOption, type GenerateOptions } from './produce-generate.js';

const BATCH_SIZE = 500;

interface ProduceCommandOptions extends Omit<
  GenerateOptions,
  'format' | 'acks' | 'partition' | 'quiet' | 'json' | 'bootstrapServers'
> {
  generate?: boolean;
  file?: string;
  keyDelimiter?: string;
  header?: string[];
  partition?: number;
  acks: Acks;
  format?: string;
  quiet?: boolean;
  json?: boolean;
  bootstrapServers?: string;
}

export function registerProduceCommand(program: Command): void {
  const command = program
    .command('produce <topic>')
    .description('Produce records read from stdin or a file, one per line, or generated from a schema')
    .option('--file <path>', 'read records from this file instead of stdin')
    .option('-K, --key-delimiter <text>', 'split each line into key and value at the first <text>')
    .option('-H, --header <key=value>', 'add a header to every record, repeatable', repeatableOption)
    .option('-p, --partition <n>', 'send every record to this partition', nonNegativeIntegerOption)
    .option('--acks <acks>', 'all (-1), 1 or 0', acksOption, -1)
    .option(
      '--format <format>',
      "lay out each line, e.g. '%k:%v' (see `venice consume --help`); with --generate: avro or json",
      formatOption,
    )
    .option('--generate', 'make records up from --schema instead of reading them')
    .option('--schema <file>', 'with --generate: an Avro (.avsc) or JSON Schema (.json) file')
    .option('--rate <n/s>', 'with --generate: records per second (default: as fast as possible)', rateOption)
    .option('--count <n>', 'with --generate: stop after this many records', nonNegativeIntegerOption)
    .option('--duration <time>', 'with --generate: stop after this long, e.g. 30s or 5m', durationOption)
    .option('--key-field <field>', 'with --generate: the key is this field of the value (default: no key)')
    .option('--seed <seed>', 'with --generate: the same seed makes the same records')
    .option('-q, --quiet', 'print nothing on success')
    .option('--json', 'print the summary as JSON')
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP);
  addRegistryOptions(command, `with --generate --format avro: ${REGISTRY_URL_HELP}`)
    .addHelpText(
      'after',
      '\nEach input line is one record; empty lines are skipped.\n' +
        '\nExamples:\n  echo hello | venice produce greetings\n' +
        '  printf \'alice:{"total":3}\\n\' | venice produce orders -K :\n' +
        '  venice produce orders --file orders.txt -H source=import\n' +
        "  printf 'k1|2|v1\\n' | venice produce orders --format '%k|%p|%v'\n" +
        '\nGenerating data (--generate): values look real by field name (email, city, price_in_cents,\n' +
        'customer_id, timestamp, ...) and follow Confluent datagen\'s "arg.properties" (iteration, range,\n' +
        'options, regex, length). With --format avro (the default for .avsc) the schema is registered as\n' +
        '<topic>-value and values are in the registry wire format; --format json writes plain JSON.\n' +
        'A progress line goes to stderr; Ctrl-C stops after flushing and prints the total.\n' +
        '  venice produce orders --generate --schema schemas/order.avsc --key-field order_id --rate 1000\n' +
        '  venice produce users --generate --schema user.json --count 100 --seed 7',
    )
    .action(async (topic: string, options: ProduceCommandOptions) => {
      if (options.generate) {
        if (options.file || options.keyDelimiter || options.header?.length)
          throw new CliError(
            '--generate makes its own records',
            'leave out --file, -K and -H',
            ExitCode.usage,
          );
        await produceGenerated(topic, options);
        return;
      }
      const toRecord = lineParser(topic, options);
      const input = options.file ? openFile(options.file) : process.stdin;
      const summary = new Summary();
      await withKafka(options.bootstrapServers, async (kafka) => {
        let batch: ProduceRecord[] = [];
        let lineNumber = 0;
        for await (const line of createInterface({ input, crlfDelay: Infinity })) {
          lineNumber++;
          if (line.length === 0) continue;
          batch.push(toRecord(line, lineNumber));
          if (batch.length >= BATCH_SIZE) {
            summary.add(await send(kafka, batch, options.acks));
            batch = [];
          }
        }
        summary.add(await send(kafka, batch, options.acks));
      });
      if (options.json) printJson({ topic, ...summary.toJson() });
      else if (!options.quiet) summary.print(topic);
    });
}

const TOPIC_NAME_RULES =
  'a topic name is 1 to 249 ASCII letters, digits, ".", "_" and "-" (but not "." or ".."), e.g. orders-v2';

async function send(kafka: Kafka, batch: ProduceRecord[], acks: Acks): Promise<ProducedRecord[]> {
  try {
    return await kafka.produce(batch, { acks });
  } catch (error) {
    if ((error as { kafkaError?: string }).kafkaError === 'INVALID_TOPIC_EXCEPTION')
      throw new CliError(
        `cannot produce to ${JSON.stringify(batch[0]?.topic)}: it is not a valid topic name`,
        TOPIC_NAME_RULES,
        ExitCode.usage,
      );
    throw error;
  }
}

function openFile(path: string): fs.ReadStream {
  if (!fs.existsSync(path)) throw new CliError(`no such file: ${path}`, undefined, ExitCode.usage);
  return fs.createReadStream(path);
}

/** Builds the function that turns one input line into a record, from the layout options. */
function lineParser(
  topic: string,
  options: ProduceCommandOptions,
): (line: string, lineNumber: number) => ProduceRecord {
  if (options.format && options.keyDelimiter)
    throw new CliError(
      '--format and --key-delimiter cannot be combined',
      'use %k in the format instead',
      ExitCode.usage,
    );
  const headers = (options.header ?? []).map((pair) => {
    try {
      return parseHeader(pair);
    } catch (error) {
      throw new CliError(`bad --header: ${(error as Error).message}`, undefined, ExitCode.usage);
    }
  });
  const tokens: FormatToken[] | undefined = options.format
    ? parseFormat(options.format.replace(/\\n$/, ''))
    : undefined;
  return (line, lineNumber) => {
    let key: string | undefined;
    let value: string | undefined = line;
    let partition = options.partition;
    let timestamp: bigint | undefined;
    let lineHeaders = headers;
    if (tokens) {
      try {
        const parsed = parseRecord(tokens, line);
        ({ key, value, timestamp } = parsed);
        partition = parsed.partition ?? partition;
        if (parsed.headers) lineHeaders = [...headers, ...parsed.headers];
      } catch (error) {
        if (error instanceof FormatError)
          throw new CliError(
            `line ${lineNumber} does not match --format: ${error.message}`,
            undefined,
            ExitCode.usage,
          );
        throw error;
      }
    } else if (options.keyDelimiter) {
      const at = line.indexOf(options.keyDelimiter);
      if (at >= 0) {
        key = line.slice(0, at);
        value = line.slice(at + options.keyDelimiter.length);
      }
    }
    return {
      topic,
      key: key === undefined ? null : Buffer.from(key),
      value: value === undefined ? null : Buffer.from(value),
      headers: lineHeaders,
      partition,
      timestamp,
    };
  };
}

/** How many records went to each partition, and at which offsets. */
class Summary {
  readonly #partitions = new Map<number, { count: number; first: bigint | null; last: bigint | null }>();
  #total = 0;

  add(produced: readonly ProducedRecord[]): void {
    for (const record of produced) {
      this.#total++;
      const entry = this.#partitions.get(record.partition) ?? { count: 0, first: null, last: null };
      entry.count++;
      if (record.offset !== null) {
        if (entry.first === null || record.offset < entry.first) entry.first = record.offset;
        if (entry.last === null || record.offset > entry.last) entry.last = record.offset;
      }
      this.#partitions.set(record.partition, entry);
    }
  }

  #rows() {
    return [...this.#partitions].sort(([a], [b]) => a - b);
  }

  toJson() {
    return {
      records: this.#total,
      partitions: this.#rows().map(([partition, entry]) => ({
        partition,
        records: entry.count,
        firstOffset: entry.first === null ? null : Number(entry.first),
        lastOffset: entry.last === null ? null : Number(entry.last),
      })),
    };
  }

  print(topic: string): void {
    process.stdout.write(`Produced ${this.#total} record(s) to ${topic}.\n`);
    if (this.#total === 0) return;
    printTable(
      ['partition', 'records', 'offsets'],
      this.#rows().map(([partition, entry]) => [
        partition,
        entry.count,
        entry.first === null
          ? null
          : entry.first === entry.last
            ? String(entry.first)
            : `${entry.first}-${entry.last}`,
      ]),
    );
  }
}

function acksOption(value: string): Acks {
  if (value === 'all' || value === '-1') return -1;
  if (value === '1') return 1;
  if (value === '0') return 0;
  throw new InvalidArgumentError(`expected all, -1, 1 or 0, got ${JSON.stringify(value)}.`);
}
