// Printing consumed records (format string or JSON lines) and the option parsers the data commands share.
import { InvalidArgumentError } from 'commander';
import type { ConsumedRecord, StartPosition } from '../../client/index.js';
import { FormatError, formatRecord, parseFormat, recordToJson, type FormatToken } from './format-string.js';

export interface RecordPrinter {
  print(record: ConsumedRecord): Promise<void>;
}

export function recordPrinter(
  options: { json?: boolean; format: string },
  signal?: AbortSignal,
): RecordPrinter {
  const tokens: FormatToken[] | undefined = options.json ? undefined : parseFormat(options.format);
  return {
    print: (record) =>
      write(tokens ? formatRecord(tokens, record) : JSON.stringify(recordToJson(record)) + '\n', signal),
  };
}

/**
 * Writes to stdout, waiting when the reader is slower (a pipe into `less`), so memory stays flat. The
 * wait also ends when the reader is gone or the command is stopping: a `drain` that never comes must
 * not hold a command past `| head -1` or Ctrl-C.
 */
function write(text: string, signal?: AbortSignal): Promise<void> {
  const stdout = process.stdout;
  if (signal?.aborted || stdout.destroyed || stdout.writableEnded) return Promise.resolve();
  if (stdout.write(text)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stdout.off('drain', done).off('close', done).off('error', done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    stdout.once('drain', done).once('close', done).once('error', done);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function formatOption(value: string): string {
  try {
    parseFormat(value);
  } catch (error) {
    if (error instanceof FormatError) throw new InvalidArgumentError(error.message);
    throw error;
  }
  return value;
}

/** "key=value", collected into a record (for repeatable options). */
export function keyValueOption(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const separator = value.indexOf('=');
  if (separator <= 0) throw new InvalidArgumentError(`expected key=value, got ${JSON.stringify(value)}.`);
  return { ...previous, [value.slice(0, separator)]: value.slice(separator + 1) };
}

export function repeatableOption(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** beginning | end | <offset> | @<timestamp-ms> | -<n> (the last n records of each partition). */
export function startOption(value: string): StartPosition {
  if (value === 'beginning' || value === 'start' || value === 'oldest') return { kind: 'beginning' };
  if (value === 'end' || value === 'newest') return { kind: 'end' };
  if (/^\d+$/.test(value)) return { kind: 'offset', offset: BigInt(value) };
  if (/^@\d+$/.test(value)) return { kind: 'timestamp', timestamp: BigInt(value.slice(1)) };
  if (/^-\d+$/.test(value)) return { kind: 'tail', count: Number(value.slice(1)) };
  throw new InvalidArgumentError(
    `expected beginning, end, an offset, @<timestamp-ms> or -<n>, got ${JSON.stringify(value)}.`,
  );
}

export function positiveIntegerOption(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError(`expected a whole number of at least 1, got ${JSON.stringify(value)}.`);
  return Number(value);
}

export function nonNegativeIntegerOption(value: string): number {
  if (!/^\d+$/.test(value))
    throw new InvalidArgumentError(`expected a whole number, got ${JSON.stringify(value)}.`);
  return Number(value);
}
