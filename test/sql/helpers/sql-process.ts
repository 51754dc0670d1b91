// `venice sql` as its own process, for the tests that run several servers of one service id, or kill
// one with SIGKILL: start it on a data directory (kept across restarts), send it statements, stop it.
// The CLI runs from dist/: `npm run build` first.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Kafka } from '../../../src/client/index.js';
import { post } from '../server/http.js';

const CLI = path.resolve('bin/venice.js');

export interface SqlProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything it wrote to stdout and stderr so far (its log lines). */
  output(): string;
}

export async function startSqlProcess(
  bootstrap: string,
  options: {
    readonly name: string;
    readonly dataDir: string;
    /** ksql.service.id; the default one when left out. */
    readonly serviceId?: string;
    /** The schema registry to use; none when left out. */
    readonly registryUrl?: string;
  },
): Promise<SqlProcess> {
  const child = spawn(
    process.execPath,
    [
      CLI,
      'sql',
      '--port',
      '0',
      '--bootstrap-servers',
      bootstrap,
      ...(options.registryUrl === undefined ? ['--no-registry'] : ['--registry-url', options.registryUrl]),
      ...(options.serviceId === undefined ? [] : ['--service-id', options.serviceId]),
      '--data-dir',
      options.dataDir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 90_000;
  while (!/listening on http:\/\//.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`venice sql (${options.name}) did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const url = /listening on (http:\/\/[^\s"]+)/.exec(output)![1]!;
  return { child, url, output: () => output };
}

/** Runs a statement on /ksql, reading its inputs from the earliest offset unless `properties` say not. */
export async function ksql(
  url: string,
  statement: string,
  properties: Readonly<Record<string, string>> = {},
): Promise<unknown[]> {
  const answer = await post(url, '/ksql', {
    ksql: statement,
    streamsProperties: { 'ksql.streams.auto.offset.reset': 'earliest', ...properties },
  });
  if (answer.status !== 200) throw new Error(`${statement} answered ${answer.status}: ${answer.text}`);
  return JSON.parse(answer.text) as unknown[];
}

/** A pull query's rows (their columns) on /query. */
export async function pullRows(url: string, query: string): Promise<unknown[][]> {
  const answer = await post(url, '/query', { ksql: query });
  if (answer.status !== 200) throw new Error(`${query} answered ${answer.status}: ${answer.text}`);
  const items = JSON.parse(answer.text) as { row?: { columns: unknown[] } }[];
  return items.flatMap((item) => (item.row ? [item.row.columns] : []));
}

/** The query id that SHOW QUERIES on `url` lists matching `pattern`, once there is one. */
export async function queryId(url: string, pattern: RegExp): Promise<string | undefined> {
  return pattern.exec(JSON.stringify(await ksql(url, 'SHOW QUERIES;')))?.[0];
}

/** Kills the process with `signal` and waits for it to exit (at once if it has). */
export async function stopSqlProcess(server: SqlProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (server === undefined || server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill(signal);
  await exited;
}

/** The log lines (pino's JSON) whose message is `message`, parsed. */
export function logLines(server: SqlProcess, message: string): Record<string, unknown>[] {
  return server
    .output()
    .split('\n')
    .filter((line) => line.includes(`"msg":"${message}"`))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * What each member of a query's group holds, as 'I<n>' (n partitions of an input topic) and 'R<n>' (of a
 * repartition topic), joined by commas: e.g. ['I2,R2', 'I2,R2'] for two servers sharing four partitions.
 */
export async function groupHoldings(kafka: Kafka, group: string): Promise<string[]> {
  return (await kafka.groups.describe(group)).members.map((m) =>
    m.assignments
      .map(({ topic, partitions }) => `${topic.endsWith('-repartition') ? 'R' : 'I'}${partitions.length}`)
      .sort()
      .join(','),
  );
}
