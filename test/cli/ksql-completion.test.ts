// `venice ksql` (the built CLI) against `venice sql` with the real engine, broker and registry: Tab
// completion at a real prompt (a pseudo-terminal through util-linux `script`) of keywords and of the
// stream, table and column names learned from the server; SET and UNSET in a session; DESCRIBE FUNCTION
// printed as ksqlDB's CLI prints it.
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useKsqlServer } from './ksql-server.js';

const CLI = path.resolve('bin/venice.js');
const SCRIPT_AVAILABLE = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Drops terminal control sequences, leaving what a user sees typed and printed. */
const CONTROL_SEQUENCE = new RegExp(String.raw`\u001b\[[0-9;?]*[A-Za-z]`, 'g');
const visible = (text: string) => text.replace(CONTROL_SEQUENCE, '').replace(/\r/g, '');

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `venice ksql <url>` at a terminal: keys in, the screen's text out. */
function terminalShell(url: string, home: string) {
  const command = `stty cols 200 rows 50; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} ksql ${url} --history-file ${JSON.stringify(path.join(home, 'history'))}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, HOME: home, TERM: 'xterm' },
  });
  let screen = '';
  child.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (screen += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    /** What the terminal shows from `mark` on. */
    since: (mark: number) => visible(screen.slice(mark)),
    mark: () => screen.length,
    type: (keys: string) => child.stdin.write(keys),
    /** Waits until the screen after `mark` shows `pattern`; fails showing the screen after 20 s. */
    async waitFor(pattern: RegExp, mark = 0): Promise<string> {
      const deadline = Date.now() + 20_000;
      while (!pattern.test(visible(screen.slice(mark)))) {
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(
            `the screen never showed ${String(pattern)}:\n${JSON.stringify(screen.slice(mark))}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return visible(screen.slice(mark));
    },
    async close(): Promise<number | null> {
      child.stdin.write('\x15exit\r');
      child.stdin.end();
      return exited;
    },
  };
}

describe('venice ksql with the real engine: completion, SET/UNSET, DESCRIBE FUNCTION', () => {
  const server = useKsqlServer('ksql-completion');
  const ksql = server.ksql;

  it.skipIf(!SCRIPT_AVAILABLE)(
    'Tab completes keywords, and the names of a table, a stream and their columns created at the prompt',
    async () => {
      const shell = terminalShell(server.url(), server.home);
      try {
        await shell.waitFor(/ksql> $/);
        let mark = shell.mark();
        shell.type(
          "CREATE TABLE QX_ORDERS_TABLE (ORDER_ID STRING PRIMARY KEY, QXVOLUME BIGINT) WITH (KAFKA_TOPIC='qx_orders', VALUE_FORMAT='JSON', PARTITIONS=1);\r",
        );
        await shell.waitFor(/Table created[\s\S]*ksql> $/, mark);
        mark = shell.mark();
        shell.type(
          "CREATE STREAM QX_EVENTS_STREAM (ID STRING KEY, QXAMOUNT INT) WITH (KAFKA_TOPIC='qx_events', VALUE_FORMAT='JSON', PARTITIONS=1);\r",
        );
        await shell.waitFor(/Stream created[\s\S]*ksql> $/, mark);

        // Keys typed one at a time, as a user does: readline takes a Tab inside pasted text as text.
        const tab = async (text: string, shown: RegExp) => {
          const start = shell.mark();
          shell.type('\x15');
          shell.type(text);
          await shell.waitFor(new RegExp(`${escapeRegExp(text)}$`), start);
          shell.type('\t');
          return shell.waitFor(shown, start);
        };
        // A keyword, in the case typed.
        await tab('sho', /show$/);
        // A column of the table, then the table's name.
        await tab('SELECT QXVOL', /SELECT QXVOLUME$/);
        await tab('SELECT QXVOLUME FROM QX_ORD', /SELECT QXVOLUME FROM QX_ORDERS_TABLE$/);
        // The stream's name and its column.
        await tab('DESCRIBE QX_EV', /DESCRIBE QX_EVENTS_STREAM$/);
        await tab('SELECT QXAM', /SELECT QXAMOUNT$/);
        // Two candidates: the first Tab has nothing to add, a second one lists both.
        const start = shell.mark();
        await tab('SELECT * FROM QX_', /SELECT \* FROM QX_$/);
        await new Promise((resolve) => setTimeout(resolve, 300));
        shell.type('\t');
        await shell.waitFor(/QX_EVENTS_STREAM\s+QX_ORDERS_TABLE/, start);
      } finally {
        await shell.close();
      }
    },
    60_000,
  );

  it('SET and UNSET in a session: SHOW PROPERTIES shows the value set, then the server’s again', async () => {
    const result = await ksql([
      '-e',
      "SET 'auto.offset.reset'='earliest'; SHOW PROPERTIES; UNSET 'auto.offset.reset'; SHOW PROPERTIES;",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const [afterSet, afterUnset] = result.stdout.split(
      "Successfully unset local property 'auto.offset.reset'.",
    );
    expect(afterSet).toContain("Successfully changed local property 'auto.offset.reset' to 'earliest'.");
    expect(afterSet).toMatch(/ksql\.streams\.auto\.offset\.reset\s*\|?\s*KSQL_STREAMS\s*\|?\s*earliest/);
    expect(afterUnset).toMatch(/ksql\.streams\.auto\.offset\.reset\s*\|?\s*KSQL_STREAMS\s*\|?\s*latest/);
  });

  it('a query run after UNSET reads from the end again, as the server default says', async () => {
    const created = await ksql([
      '-e',
      "CREATE STREAM QX_UNSET (ID STRING KEY, V INT) WITH (KAFKA_TOPIC='qx_unset', VALUE_FORMAT='JSON', PARTITIONS=1);" +
        " INSERT INTO QX_UNSET (ID, V) VALUES ('old', 1);",
    ]);
    expect(created.code, created.stderr).toBe(0);
    const earliest = await ksql([
      '-e',
      "SET 'auto.offset.reset'='earliest'; SELECT ID FROM QX_UNSET EMIT CHANGES LIMIT 1;",
    ]);
    expect(earliest.stdout).toMatch(/\| old +\|/);
    // After UNSET the query starts at the end: it sees the row written after it started, not 'old'.
    const shell = spawn(process.execPath, [CLI, 'ksql', server.url()], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, HOME: server.home },
    });
    let output = '';
    shell.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => shell.once('exit', resolve));
    shell.stdin.write(
      "SET 'auto.offset.reset'='earliest';\nUNSET 'auto.offset.reset';\nSELECT ID FROM QX_UNSET EMIT CHANGES LIMIT 1;\n",
    );
    while (!/\+-+\+\n\| ID/.test(output)) await new Promise((resolve) => setTimeout(resolve, 50));
    for (let i = 0; !/\| new +\|/.test(output); i += 1) {
      await ksql(['-e', `INSERT INTO QX_UNSET (ID, V) VALUES ('new', ${i});`]);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    shell.stdin.end('exit\n');
    await exited;
    expect(output).not.toMatch(/\| old +\|/);
  }, 60_000);

  it('-e "DESCRIBE FUNCTION ..." prints the function and its variations as ksqlDB’s CLI does', async () => {
    const result = await ksql(['-e', 'DESCRIBE FUNCTION ucase; DESCRIBE FUNCTION concat;']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Name {8}: UCASE\n/);
    expect(result.stdout).toMatch(/\nAuthor {6}: Confluent\n/);
    expect(result.stdout).toMatch(/\nOverview {4}: \S/);
    expect(result.stdout).toMatch(/\nType {8}: SCALAR\n/);
    expect(result.stdout).toMatch(/\nJar {9}: internal\n/);
    expect(result.stdout).toMatch(/\nVariations {2}: \n/);
    expect(result.stdout).toMatch(/\n\n\tVariation {3}: UCASE\(\w+ VARCHAR\)\n\tReturns {5}: VARCHAR\n/);
    // A variadic argument as ksqlDB's CLI writes it: its element type and [].
    expect(result.stdout).toMatch(/\tVariation {3}: CONCAT\(\w+ VARCHAR\[\]\)\n/);

    const json = await ksql(['--output', 'json', '-e', 'DESCRIBE FUNCTION ucase;']);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ '@type': 'describe_function', name: 'UCASE', type: 'SCALAR' }),
    ]);
  });
});
