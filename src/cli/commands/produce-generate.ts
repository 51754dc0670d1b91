// `venice produce <topic> --generate --schema <file>`: records made up from a schema, at a target
// rate, with a progress line on stderr; Ctrl-C stops after flushing what was sent.
import { InvalidArgumentError } from 'commander';
import type { Acks, BatchingProducer, KafkaClientError, ProduceRecord } from '../../client/index.js';
import { parseDuration } from '../../config/duration.js';
import {
  createRecordGenerator,
  DatagenSchemaError,
  jsonReplacer,
  loadSchemaFile,
  RatePacer,
  type LoadedSchema,
} from '../../datagen/index.js';
import { toCliError, withKafka } from '../connection.js';
import { CliError, ExitCode, printJson } from '../output.js';
import { withRegistry, type RegistryOptions } from '../registry-client.js';

export interface GenerateOptions extends RegistryOptions {
  schema?: string;
  rate?: number;
  count?: number;
  duration?: number;
  keyField?: string;
  format?: string;
  seed?: string;
  acks: Acks;
  partition?: number;
  quiet?: boolean;
  json?: boolean;
  bootstrapServers?: string;
  registryUrl?: string;
}

/** Records generated and handed to the producer per step. */
const CHUNK = 500;
/** Chunks sent and not yet acknowledged, before generation waits. */
const MAX_CHUNKS_IN_FLIGHT = 8;
const TTY_REFRESH_MS = 250;
const LOG_EVERY_MS = 5000;
/** Chunks in a row that fail before the run gives up. */
const MAX_FAILED_CHUNKS = 5;

/** "200", "200/s" or "1.5k/s": records per second. */
export function rateOption(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(k)?(?:\/s)?$/i.exec(value.trim());
  const rate = match ? Number(match[1]) * (match[2] ? 1000 : 1) : NaN;
  if (!(rate > 0))
    throw new InvalidArgumentError(
      `expected records per second above 0, e.g. 200 or 200/s, got ${JSON.stringify(value)}; leave --rate out to produce as fast as possible.`,
    );
  return rate;
}

export function durationOption(value: string): number {
  const ms = parseDuration(value);
  if (ms === null || ms <= 0)
    throw new InvalidArgumentError(
      `expected a duration such as 30s, 5m or 1h, got ${JSON.stringify(value)}.`,
    );
  return ms;
}

export async function produceGenerated(topic: string, options: GenerateOptions): Promise<void> {
  if (!options.schema)
    throw new CliError(
      '--generate needs --schema <file.avsc|file.json>',
      'e.g. venice produce orders --generate --schema order.avsc',
      ExitCode.usage,
    );
  const schema = usage(() => loadSchemaFile(options.schema!));
  const format = valueFormat(schema, options.format);
  const generator = usage(() =>
    createRecordGenerator(schema, { seed: options.seed, keyField: options.keyField }),
  );
  const encode = format === 'avro' ? await avroEncoder(topic, schema, options) : jsonEncoder;

  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  if (options.duration !== undefined) setTimeout(onSignal, options.duration).unref();
  const progress = new Progress(options.quiet === true || options.json === true);
  const startedAt = performance.now();
  let sent = 0;
  let errors = 0;
  let lastError: unknown;
  try {
    await withKafka(options.bootstrapServers, async (kafka) => {
      const producer = kafka.producer({ acks: options.acks, lingerMs: options.rate === undefined ? 5 : 0 });
      const pacer = new RatePacer(options.rate);
      const inFlight = new Set<Promise<void>>();
      let generated = 0;
      let failedInARow = 0;
      try {
        while (!stop.signal.aborted && (options.count === undefined || generated < options.count)) {
          progress.update(sent, errors, performance.now() - startedAt);
          const wanted = Math.min(CHUNK, options.count === undefined ? CHUNK : options.count - generated);
          const take = pacer.take(wanted);
          if (take === 0) {
            await pause(Math.min(100, Math.max(1, pacer.waitMs())), stop.signal);
            continue;
          }
          const records: ProduceRecord[] = [];
          for (let index = 0; index < take; index++) {
            const record = generator.next();
            records.push({
              topic,
              key: record.key === null ? null : Buffer.from(record.key),
              value: encode(record.value),
              partition: options.partition,
            });
          }
          generated += take;
          const delivery: Promise<void> = send(producer, records).then(
            () => {
              sent += records.length;
              failedInARow = 0;
            },
            (error: unknown) => {
              errors += records.length;
              lastError = error;
              if (++failedInARow >= MAX_FAILED_CHUNKS) stop.abort();
            },
          );
          inFlight.add(delivery);
          void delivery.finally(() => inFlight.delete(delivery));
          if (inFlight.size >= MAX_CHUNKS_IN_FLIGHT) await Promise.race(inFlight);
        }
      } finally {
        await producer.flush();
        await Promise.all(inFlight);
        await producer.close();
      }
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    progress.clear();
  }
  const seconds = (performance.now() - startedAt) / 1000;
  const rate = seconds > 0 ? Math.round(sent / seconds) : 0;
  if (options.json)
    printJson({ topic, records: sent, errors, seconds: Math.round(seconds * 10) / 10, rate, format });
  else if (!options.quiet)
    process.stdout.write(
      `Produced ${sent} record(s) to ${topic} in ${seconds.toFixed(1)} s (${rate}/s)${errors > 0 ? `, ${errors} failed` : ''}.\n`,
    );
  if (errors > 0) throw failedRecordsError(errors, lastError);
}

/** Why records were not produced, with the hint the client error's kind calls for. */
function failedRecordsError(errors: number, cause: unknown): CliError {
  const message = `${errors} generated record(s) were not produced: ${cause instanceof Error ? cause.message : String(cause)}`;
  if (cause instanceof Error && typeof (cause as Partial<KafkaClientError>).kind === 'string') {
    const known = toCliError(cause as KafkaClientError);
    return new CliError(message, known.hint, known.exitCode);
  }
  return new CliError(message, 'check that the broker is up (`venice status`)', ExitCode.failure);
}

function send(producer: BatchingProducer, records: ProduceRecord[]): Promise<void> {
  return producer.sendMany(records);
}

function usage<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof DatagenSchemaError)
      throw new CliError(
        error.message,
        'fix the schema file, or start from templates/ecommerce/schemas/order.avsc',
        ExitCode.usage,
      );
    throw error;
  }
}

function valueFormat(schema: LoadedSchema, format: string | undefined): 'avro' | 'json' {
  const chosen = format?.toLowerCase() ?? (schema.kind === 'AVRO' ? 'avro' : 'json');
  if (chosen !== 'avro' && chosen !== 'json')
    throw new CliError(
      `--format ${format} is not a value format for --generate`,
      'use --format avro or --format json',
      ExitCode.usage,
    );
  if (chosen === 'avro' && schema.kind !== 'AVRO')
    throw new CliError(
      '--format avro needs an Avro schema (.avsc), not a JSON Schema',
      'use --format json with a JSON Schema',
      ExitCode.usage,
    );
  return chosen;
}

function jsonEncoder(value: Record<string, unknown>): Buffer {
  return Buffer.from(JSON.stringify(value, jsonReplacer));
}

/** Registers the schema under <topic>-value once, then frames each value in Confluent's wire format. */
async function avroEncoder(
  topic: string,
  schema: LoadedSchema,
  registry: RegistryOptions,
): Promise<(value: Record<string, unknown>) => Buffer> {
  const { parseSchema, encodePayload, encodeWire } = await import('../../serdes/index.js');
  const parsed = parseSchema('AVRO', schema.text, []);
  const id = await withRegistry(registry, (client) =>
    client.register(`${topic}-value`, { schemaType: 'AVRO', schema: schema.text }),
  );
  return (value) => encodeWire(id, encodePayload(parsed, value).payload);
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** Where the progress line goes: stderr, or a stand-in in tests. */
export interface ProgressOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * The progress line, with the rate since the last one: rewritten in place on a terminal, a line every
 * few seconds otherwise (logs, pipes).
 */
export class Progress {
  readonly #tty: boolean;
  #shownAt = 0;
  #sentThen = 0;
  #shown = false;

  constructor(
    readonly silent: boolean,
    readonly output: ProgressOutput = process.stderr,
  ) {
    this.#tty = output.isTTY === true;
  }

  update(sent: number, errors: number, elapsedMs: number): void {
    if (this.silent) return;
    const every = this.#tty ? TTY_REFRESH_MS : LOG_EVERY_MS;
    if (elapsedMs - this.#shownAt < every) return;
    const rate = Math.round(((sent - this.#sentThen) * 1000) / (elapsedMs - this.#shownAt));
    this.#shownAt = elapsedMs;
    this.#sentThen = sent;
    const line = `sent ${sent.toLocaleString('en-US')} records · ${rate.toLocaleString('en-US')}/s · ${errors} errors · ${Math.floor(elapsedMs / 1000)}s`;
    if (this.#tty) {
      this.output.write(`\r\x1b[2K${line}`);
      this.#shown = true;
    } else this.output.write(`${line}\n`);
  }

  clear(): void {
    if (this.#shown) this.output.write('\r\x1b[2K');
  }
}
