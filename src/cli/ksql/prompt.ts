// The interactive prompt: statements may span lines and end at `;`, a line may hold several, Tab
// completes keywords and names, history is kept in a file, and Ctrl-C ends a running push query (the
// prompt comes back) or clears the statement being typed. `exit`, `quit` or Ctrl-D leave.
import readline from 'node:readline';
import { appendHistory, loadHistory } from './history.js';
import type { ShellSession } from './session.js';
import { splitStatements } from './script.js';

export interface PromptOptions {
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly output: NodeJS.WritableStream & { isTTY?: boolean };
  readonly historyFile?: string;
}

const PROMPT = 'ksql> ';
const CONTINUATION = '>     ';

export const PROMPT_HELP = `Statements end with ';' and may span lines. Examples:
  SHOW STREAMS;
  CREATE STREAM S (ID STRING KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
  INSERT INTO S (ID, V) VALUES ('a', 1);
  SELECT * FROM S EMIT CHANGES;        -- runs until Ctrl-C
  SET 'auto.offset.reset' = 'earliest';
Tab completes keywords and stream, table and column names. exit, quit or Ctrl-D leave.
`;

export async function runPrompt(session: ShellSession, options: PromptOptions): Promise<void> {
  const terminal = Boolean(options.input.isTTY && options.output.isTTY);
  const rl = readline.createInterface({
    input: options.input,
    output: options.output,
    terminal,
    completer: (line: string) => session.completions?.complete(line) ?? [[], line],
    history: options.historyFile ? loadHistory(options.historyFile) : [],
    historySize: 500,
    removeHistoryDuplicates: true,
  });
  let pending = '';
  const showPrompt = () => {
    rl.setPrompt(pending.trim() === '' ? PROMPT : CONTINUATION);
    rl.prompt();
  };
  const interrupt = () => {
    if (session.queryRunning) return session.cancelQuery();
    if (pending.trim() !== '') {
      pending = '';
      options.output.write('\n');
      return showPrompt();
    }
    options.output.write('\n(type exit or press Ctrl-D to leave)\n');
    showPrompt();
  };
  rl.on('SIGINT', interrupt);
  // Without a terminal (piped input), Ctrl-C arrives as a signal to the process.
  const onSignal = () => (session.queryRunning ? session.cancelQuery() : rl.close());
  process.on('SIGINT', onSignal);
  try {
    showPrompt();
    for await (const line of rl) {
      const word = line.trim().replace(/;$/, '').toLowerCase();
      if (pending.trim() === '' && (word === 'exit' || word === 'quit')) break;
      if (pending.trim() === '' && word === 'help') {
        options.output.write(PROMPT_HELP);
        showPrompt();
        continue;
      }
      pending += line + '\n';
      const { statements, rest } = splitStatements(pending);
      pending = rest.trim() === '' ? '' : rest;
      for (const statement of statements) {
        if (options.historyFile) appendHistory(options.historyFile, statement.text);
        await session.run(statement);
      }
      showPrompt();
    }
  } finally {
    process.off('SIGINT', onSignal);
    rl.close();
  }
}
