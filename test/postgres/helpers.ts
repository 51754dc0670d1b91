// Starting the embedded PostgreSQL for tests: in this process (startPostgres) or as `venice postgres`
// run the way the supervisor runs it. Every test shares one template cache in the temporary folder, so
// initdb runs once per machine and later data folders are copies.
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { temporaryDataDir } from '../helpers/broker.js';
import type { SystemTool } from '../helpers/system-tools.js';
import { silentLogger } from '../../src/service/index.js';
import { startPostgres, type RunningPostgres } from '../../src/postgres/service.js';

/** psql, for the tests of real psql sessions against the front (Debian's postgresql-client). */
export const PSQL: SystemTool = { command: 'psql', probe: ['--version'], debianPackage: 'postgresql-client' };

export const TEST_TEMPLATE_DIR = path.join(os.tmpdir(), 'venice-test-postgres-cache');
const CLI = path.resolve('bin/venice.js');

export function startTestPostgres(dataDir = temporaryDataDir('postgres')): Promise<RunningPostgres> {
  return startPostgres({ dataDir, port: 0, logger: silentLogger(), templateDir: TEST_TEMPLATE_DIR });
}

export interface PostgresProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `venice postgres` on a data folder (port 0 unless given: a restart reuses its port); resolves once it listens. */
export async function spawnPostgres(
  dataDir: string,
  timeoutMs = 120_000,
  port = 0,
): Promise<PostgresProcess> {
  const child = spawn(process.execPath, [CLI, 'postgres', '--port', String(port), '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, VENICE_CACHE_DIR: TEST_TEMPLATE_DIR },
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const deadline = Date.now() + timeoutMs;
  let match: RegExpExecArray | null;
  while (!(match = /listening on (postgres:\/\/\S+?\/postgres)/.exec(output))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`venice postgres did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, url: match[1]!, output: () => output, exited };
}
