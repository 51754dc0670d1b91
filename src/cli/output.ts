// How every command reports: tables for people, JSON for scripts (--json), and errors that say what
// went wrong and what to run next, with an exit code scripts can test.

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

export type Cell = string | number | boolean | null | undefined;

/** Renders rows as an aligned text table with a header line. */
export function renderTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = (cell: Cell) => (cell === null || cell === undefined ? '-' : String(cell));
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => text(row[column]).length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd();
  return [
    line(headers.map((header) => header.toUpperCase())),
    ...rows.map((row) => line(row.map(text))),
  ].join('\n');
}

export function printJson(value: unknown): void {
  process.stdout.write(
    JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item), 2) +
      '\n',
  );
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
