// The one renderer for every command that prints data: `--format table|json|yaml`, with `--json` kept
// as the short spelling of `--format json`. Bigints (offsets, lag) become strings in JSON and YAML
// alike, so a script reads the same values whichever it asks for.
import { Option, type Command } from 'commander';
import { stringify as stringifyYaml } from 'yaml';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The options `addOutputOptions` adds, as commander hands them to an action. */
export interface OutputOptions {
  format?: OutputFormat;
  json?: boolean;
}

export type Cell = string | number | boolean | bigint | null | undefined;

/**
 * Adds `--format table|json|yaml` and `--json` to a command. Commands whose `--format` already means a
 * record format string (consume, topics show, produce) keep only `--json`.
 */
export function addOutputOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--format <format>', 'how to print the result').choices(OUTPUT_FORMATS).default('table'),
    )
    .addOption(
      // Given together, the two would contradict each other or say the same thing twice.
      new Option('--json', 'print JSON (the same as --format json)').conflicts('format'),
    );
}

export function outputFormat(options: OutputOptions): OutputFormat {
  return options.json ? 'json' : (options.format ?? 'table');
}

/** Plain data for JSON and YAML: bigints as decimal strings, Maps and Sets as objects and arrays. */
export function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Map) return Object.fromEntries([...value].map(([key, item]) => [key, toPlain(item)]));
  if (value instanceof Set) return [...value].map(toPlain);
  if (value !== null && typeof value === 'object' && !(value instanceof Date))
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, item]) => item !== undefined)
        .map(([key, item]) => [key, toPlain(item)]),
    );
  return value;
}

export function renderJson(value: unknown): string {
  return JSON.stringify(toPlain(value), null, 2) + '\n';
}

export function renderYaml(value: unknown): string {
  return stringifyYaml(toPlain(value));
}

/** Renders rows as an aligned text table with an upper-case header line; empty cells print as `-`. */
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

/**
 * The text of `data` in the chosen format. `asText` renders it for people (tables and sentences, ending
 * in a newline); JSON and YAML render the data itself.
 */
export function render<T>(format: OutputFormat, data: T, asText: (data: T) => string): string {
  switch (format) {
    case 'json':
      return renderJson(data);
    case 'yaml':
      return renderYaml(data);
    case 'table':
      return asText(data);
  }
}

/** Renders `data` as the options ask and writes it to stdout. */
export function printData<T>(options: OutputOptions, data: T, asText: (data: T) => string): void {
  process.stdout.write(render(outputFormat(options), data, asText));
}
