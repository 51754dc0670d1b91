// How every command reports: tables for people, JSON for scripts (--json), and errors that say what
// went wrong and what to run next, with an exit code scripts can test.
import { renderJson, renderTable, type Cell } from './render.js';

export const ExitCode = {
  ok: 0,
  /** The command ran and failed (a refused request, a failed check). */
  failure: 1,
  /** The command line itself is wrong. */
  usage: 2,
  /** A Venice component or the Kafka cluster could not be reached. */
  unavailable: 3,
  /** The named topic, group, schema or component does not exist. */
  notFound: 4,
  /** The command belongs to a component that is planned but not part of Venice yet (ksql, psql, ...). */
  notYetAvailable: 5,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error meant for the user: the message says what happened, the hint what to do about it. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode: ExitCodeValue = ExitCode.failure,
  ) {
    super(message);
  }
}

// The renderer lives in render.ts; these stay for the commands that print one fixed shape.
export { renderTable, type Cell } from './render.js';

export function printJson(value: unknown): void {
  process.stdout.write(renderJson(value));
}

export function printTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): void {
  process.stdout.write(renderTable(headers, rows) + '\n');
}

/** Prints an error the way every command does, and returns the exit code to use. */
export function reportError(error: unknown): ExitCodeValue {
  if (error instanceof CliError) {
    process.stderr.write(`venice: ${error.message}\n`);
    if (error.hint) process.stderr.write(`  ${error.hint}\n`);
    return error.exitCode;
  }
  process.stderr.write(`venice: ${error instanceof Error ? error.message : String(error)}\n`);
  return ExitCode.failure;
}
