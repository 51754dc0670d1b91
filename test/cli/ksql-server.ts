// For `venice ksql` tests against the real engine: `venice sql` run as a process (as the supervisor runs
// it) over a real broker and registry for the enclosing describe block, and a way to run `venice ksql`
// at it with a home directory of its own.
import { afterAll, beforeAll } from 'vitest';
import type { RunningRegistry } from '../../src/registry/service.js';
import { startTestBroker, temporaryDataDir } from '../helpers/broker.js';
import { startTestRegistry } from '../registry/helpers.js';
import { startSqlProcess, stopSqlProcess, type SqlProcess } from '../sql/helpers/sql-process.js';
import { runVenice, type CliResult } from './run-venice.js';

export interface KsqlServer {
  /** The sql server's URL, once beforeAll has run. */
  readonly url: () => string;
  /** HOME for `venice ksql` (its history file lives there). */
  readonly home: string;
  /** `venice ksql <url> ...args`, with `input` on its stdin. */
  readonly ksql: (args: string[], input?: string) => Promise<CliResult>;
}

/** Call inside a describe block: the server starts before its tests and stops after them. */
export function useKsqlServer(name: string): KsqlServer {
  let broker: Awaited<ReturnType<typeof startTestBroker>> | undefined;
  let registry: RunningRegistry | undefined;
  let server: SqlProcess | undefined;
  const home = temporaryDataDir(`${name}-home`);

  beforeAll(async () => {
    broker = await startTestBroker();
    registry = await startTestRegistry(broker.bootstrap);
    server = await startSqlProcess(broker.bootstrap, {
      name,
      dataDir: temporaryDataDir('sql-process'),
      registryUrl: registry.url,
    });
  }, 90_000);

  afterAll(async () => {
    await stopSqlProcess(server, 'SIGTERM');
    await registry?.stop();
    await broker?.stop();
  });

  const url = (): string => {
    if (server === undefined) throw new Error('the sql server has not started');
    return server.url;
  };
  return {
    url,
    home,
    ksql: (args, input) =>
      runVenice(['ksql', url(), ...args], { input, env: { HOME: home }, timeoutMs: 60_000 }),
  };
}
