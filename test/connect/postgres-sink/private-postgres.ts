// A PostgreSQL server of the test's own, from Debian's binaries (/usr/lib/postgresql/<version>/bin), for
// tests that stop and start the database: the machine's shared server at 127.0.0.1:5432 must keep
// running for everyone else. PostgreSQL refuses to run as root, so it runs as the `postgres` OS user,
// in a temporary folder that user owns, on a free port.
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../helpers/broker.js';

const DEBIAN_POSTGRES = '/usr/lib/postgresql';
const OS_USER = 'postgres';
const RUNUSER = '/usr/sbin/runuser';

export type StopMode = 'fast' | 'immediate';

export interface PrivatePostgres {
  readonly url: string;
  stop(mode: StopMode): Promise<void>;
  start(): Promise<void>;
  /** Stops it (immediate) and removes its folder. */
  destroy(): Promise<void>;
}

/** The newest Debian PostgreSQL's bin folder, or null. */
function binFolder(): string | null {
  if (!fs.existsSync(DEBIAN_POSTGRES)) return null;
  const versions = fs
    .readdirSync(DEBIAN_POSTGRES)
    .filter((version) => fs.existsSync(path.join(DEBIAN_POSTGRES, version, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length === 0 ? null : path.join(DEBIAN_POSTGRES, versions[0]!, 'bin');
}

function userExists(name: string): boolean {
  return spawnSync('id', ['-u', name], { stdio: 'ignore' }).status === 0;
}

/** Why a private server cannot be run here, or null when it can. */
export function privatePostgresMissing(): string | null {
  if (binFolder() === null)
    return `no PostgreSQL server binaries under ${DEBIAN_POSTGRES}/*/bin (apt-get install -y postgresql)`;
  if (process.getuid?.() === 0) {
    if (!fs.existsSync(RUNUSER))
      return `${RUNUSER} is missing (util-linux), needed to run PostgreSQL as ${OS_USER}`;
    if (!userExists(OS_USER)) return `there is no ${OS_USER} OS user to run PostgreSQL as`;
  }
  return null;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binFolder();
  if (bin === null) throw new Error(privatePostgresMissing() ?? 'no PostgreSQL binaries');
  const asRoot = process.getuid?.() === 0;
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-private-postgres-'));
  const data = path.join(folder, 'data');
  const log = path.join(folder, 'server.log');
  if (asRoot) {
    const { uid, gid } = userIds(OS_USER);
    fs.chownSync(folder, uid, gid);
  }
  const port = await freePort();

  // Asynchronous, so that the worker in the test's process keeps its heartbeats going meanwhile.
  const run = (tool: string, args: readonly string[]): Promise<void> => {
    const command = asRoot ? RUNUSER : path.join(bin, tool);
    const argv = asRoot ? ['-u', OS_USER, '--', path.join(bin, tool), ...args] : [...args];
    return new Promise((resolve, reject) => {
      execFile(command, argv, { timeout: 120_000, cwd: folder }, (error, stdout, stderr) => {
        if (!error) return resolve();
        const serverLog = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-2000) : '';
        reject(
          new Error(`${tool} ${args.join(' ')} failed: ${error.message}\n${stdout}${stderr}${serverLog}`),
        );
      });
    });
  };

  await run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${folder}`;
  const start = () => run('pg_ctl', ['-D', data, '-l', log, '-o', options, '-w', '-t', '60', 'start']);
  const stop = (mode: StopMode) => run('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    async destroy() {
      await stop('immediate').catch(() => undefined); // already stopped
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}

function userIds(name: string): { uid: number; gid: number } {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' }).stdout.trim();
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout.trim();
  return { uid: Number(uid), gid: Number(gid) };
}
