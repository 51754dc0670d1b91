// The SQL prompt `venice psql` falls back to when psql is not installed: statements over `pg`, results
// as psql prints them. It knows \q, \dt and \?; a statement runs once a line ends with ';'.
import readline from 'node:readline';
import type { Client, QueryResult } from 'pg';
import { renderResult } from './result-table.js';

export interface PromptIo {
  out(text: string): void;
  err(text: string): void;
}

const HELP =
  'venice psql (built-in prompt: psql is not installed)\n' +
  '  SQL statements end with ;\n  \\dt   list tables\n  \\q    quit\n';

const LIST_TABLES =
  'SELECT table_schema AS "Schema", table_name AS "Name", CASE table_type WHEN \'BASE TABLE\' THEN \'table\' ' +
  "WHEN 'VIEW' THEN 'view' ELSE lower(table_type) END AS \"Type\" FROM information_schema.tables " +
  "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2";

/** Runs SQL on one connection and prints each statement's result as psql does. */
export class SqlRunner {
  /** The CommandComplete texts of the statement running (pg's results keep only the first word). */
  private readonly tags: string[] = [];

  constructor(
    private readonly client: Client,
    private readonly io: PromptIo,
  ) {
    client.connection.on('commandComplete', (message: { text: string }) => this.tags.push(message.text));
  }

  /** Runs SQL (one or more statements) and prints each result; false when it failed. */
  async run(sql: string): Promise<boolean> {
    this.tags.length = 0;
    try {
      const outcome = (await this.client.query({ text: sql, rowMode: 'array' })) as
        QueryResult<unknown[]> | QueryResult<unknown[]>[];
      const results = Array.isArray(outcome) ? outcome : [outcome];
      results.forEach((result, index) => this.io.out(renderResult(result, this.tags[index])));
      return true;
    } catch (error) {
      this.io.err(`ERROR:  ${error instanceof Error ? error.message : String(error)}\n`);
      return false;
    }
  }
}

/** Reads statements from `input` until \q or its end; a failed statement is reported and the next one runs. */
export async function runPrompt(
  runner: SqlRunner,
  io: PromptIo,
  options: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; interactive: boolean },
): Promise<void> {
  const lines = readline.createInterface({
    input: options.input,
    output: options.interactive ? options.output : undefined,
    terminal: options.interactive,
  });
  const prompt = (continuing: boolean) => {
    if (options.interactive) {
      lines.setPrompt(continuing ? 'postgres-> ' : 'postgres=# ');
      lines.prompt();
    }
  };
  let pending = '';
  prompt(false);
  for await (const line of lines) {
    const trimmed = line.trim();
    if (pending === '' && trimmed.startsWith('\\')) {
      const command = trimmed.split(/\s+/)[0];
      if (command === '\\q') break;
      if (command === '\\dt') await runner.run(LIST_TABLES);
      else if (command === '\\?') io.out(HELP);
      else {
        io.err(`invalid command ${command}: the built-in prompt knows \\dt, \\? and \\q\n`);
      }
      prompt(false);
      continue;
    }
    pending = pending === '' ? line : `${pending}\n${line}`;
    if (trimmed.endsWith(';')) {
      await runner.run(pending);
      pending = '';
    }
    prompt(pending !== '');
  }
  lines.close();
  // As in psql, a statement left without its ';' when the input ends is not run.
}
