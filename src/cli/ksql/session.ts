// One shell session: the properties (SET) and variables (DEFINE) it keeps across statements, as
// ksqlDB's CLI does, and how each statement runs and prints. Used alike by the prompt, -e and -f.
import type { KsqlEntity } from '../../sql/engine/entities.js';
import { KsqlRestClient, KsqlServerError, type QueryHeader, type RequestState } from './client.js';
import type { Completions } from './completion.js';
import { cellText, type JsonValue } from './json-text.js';
import { renderEntity } from './render-entities.js';
import type { ScriptStatement } from './script.js';

export type ShellOutput = 'table' | 'json';

export interface SessionIo {
  out(text: string): void;
  err(text: string): void;
}

/** Statements after which stream, table and column names may have changed. */
const CHANGES_NAMES = /^\s*(CREATE|DROP|ALTER)\b/i;

export class ShellSession {
  readonly #properties: Record<string, string> = {};
  readonly #variables: Record<string, string> = {};
  #running: AbortController | null = null;

  constructor(
    readonly client: KsqlRestClient,
    readonly io: SessionIo,
    readonly output: ShellOutput,
    readonly completions?: Completions,
  ) {}

  get state(): RequestState {
    return { properties: this.#properties, variables: this.#variables };
  }

  /** Whether a query is streaming now (Ctrl-C then ends it rather than the shell). */
  get queryRunning(): boolean {
    return this.#running !== null;
  }

  /** Ends the running query: the connection closes, and the server closes the query. */
  cancelQuery(): void {
    this.#running?.abort();
  }

  /** Runs one statement and prints its result; false when it failed (the error is printed). */
  async run(statement: ScriptStatement): Promise<boolean> {
    try {
      switch (statement.kind) {
        case 'set':
          this.#properties[statement.name!] = statement.value!;
          this.io.out(`Successfully changed local property '${statement.name}' to '${statement.value}'.\n`);
          return true;
        case 'unset':
          delete this.#properties[statement.name!];
          this.io.out(`Successfully unset local property '${statement.name}'.\n`);
          return true;
        case 'define':
          this.#variables[statement.name!] = statement.value!;
          return true;
        case 'undefine':
          delete this.#variables[statement.name!];
          return true;
        case 'query':
          await this.#query(statement.text);
          return true;
        case 'print':
          await this.#print(statement.text);
          return true;
        case 'statement':
          await this.#execute(statement.text);
          return true;
      }
    } catch (error) {
      this.#printError(error);
      return false;
    }
  }

  /** Fetches stream, table and column names for completion; failures only mean fewer completions. */
  async refreshNames(): Promise<void> {
    if (!this.completions) return;
    try {
      const lists = await this.client.execute('SHOW STREAMS; SHOW TABLES;', this.state);
      this.completions.learn(lists);
      const names = lists.flatMap((entity) =>
        entity['@type'] === 'streams'
          ? entity.streams.map((s) => s.name)
          : entity['@type'] === 'tables'
            ? entity.tables.map((t) => t.name)
            : [],
      );
      if (names.length > 0)
        this.completions.learn(
          await this.client.execute(names.map((name) => `DESCRIBE \`${name}\`;`).join(' '), this.state),
        );
    } catch {
      // the server may not know SHOW or DESCRIBE yet: completion falls back to keywords
    }
  }

  async #execute(sql: string): Promise<void> {
    const entities = await this.client.execute(sql, this.state);
    this.#printEntities(entities);
    this.completions?.learn(entities);
    if (CHANGES_NAMES.test(sql)) await this.refreshNames();
  }

  #printEntities(entities: readonly KsqlEntity[]): void {
    if (this.output === 'json') this.io.out(JSON.stringify(entities, null, 2) + '\n');
    else for (const entity of entities) this.io.out(renderEntity(entity));
  }

  async #query(sql: string): Promise<void> {
    const controller = new AbortController();
    this.#running = controller;
    let widths: number[] = [];
    const json = this.output === 'json';
    try {
      await this.client.query(
        sql,
        this.state,
        {
          onHeader: (header: QueryHeader, line) => {
            if (json) return this.io.out(line + '\n');
            widths = header.columnNames.map((name) => Math.max(name.length, 12));
            const border = `+${widths.map((width) => '-'.repeat(width + 2)).join('+')}+\n`;
            this.io.out(border + rowLine(header.columnNames, widths) + border);
          },
          onRow: (row: readonly JsonValue[], line) => {
            if (json) return this.io.out(line + '\n');
            this.io.out(rowLine(row.map(cellText), widths));
          },
        },
        controller.signal,
      );
      if (controller.signal.aborted && !json) this.io.out('Query terminated\n');
    } finally {
      this.#running = null;
    }
  }

  async #print(sql: string): Promise<void> {
    const controller = new AbortController();
    this.#running = controller;
    try {
      await this.client.print(sql, this.state, (line) => this.io.out(line + '\n'), controller.signal);
      if (controller.signal.aborted) this.io.out('Topic printing ceased\n');
    } finally {
      this.#running = null;
    }
  }

  #printError(error: unknown): void {
    if (error instanceof KsqlServerError) {
      this.io.err(`${error.body.message}\n`);
      if (error.body.entities?.length) this.#printEntities(error.body.entities);
      return;
    }
    this.io.err(`${error instanceof Error ? error.message : String(error)}\n`);
  }
}

function rowLine(cells: readonly string[], widths: readonly number[]): string {
  return `|${cells.map((cell, index) => ` ${cell.padEnd(widths[index] ?? 12)} `).join('|')}|\n`;
}
