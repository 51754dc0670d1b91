// Every printing command through a closed pipe (`venice ... | head -1`, `| true`) exits quietly with
// status 0, and the first SIGINT stops a consumer even while its reader is not reading.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRegistry } from '../../src/registry/service.js';
import { startTestBroker } from '../helpers/broker.js';
import { startTestRegistry, type TestBroker } from '../registry/helpers.js';
import { runVenice } from './run-venice.js';

const CLI = path.resolve('bin/venice.js');
let broker: TestBroker;
let registry: RunningRegistry;

beforeAll(async () => {
  broker = await startTestBroker();
  registry = await startTestRegistry(broker.bootstrap);
  const env = { VENICE_BOOTSTRAP_SERVERS: broker.bootstrap };
  await runVenice(['topics', 'create', 'piped', '-p', '2'], { env });
  // Far more than a pipe holds (64 KiB), so the writer meets the closed pipe mid-stream.
  const lines = Array.from({ length: 4000 }, (_, index) => `${index} ${'x'.repeat(100)}`).join('\n') + '\n';
  await runVenice(['produce', 'piped', '--quiet'], { env, input: lines });
  await runVenice(['consume', 'piped', '-g', 'piped-group', '-n', '10', '--format', '%v\\n'], { env });
});
afterAll(async () => {
  await registry?.stop();
  await broker?.stop();
});

interface PipeResult {
  /** venice's own exit status, from the left of the pipe. */
  status: number;
  stdout: string;
  /** venice's stderr: empty when it stopped quietly. */
  stderr: string;
}

/** Runs `venice <args> | <reader>` in a shell; fails the test if it does not finish in time. */
function throughPipe(args: readonly string[], reader: string, timeoutMs = 60_000): Promise<PipeResult> {
  const quoted = args.map((arg) => `'${arg}'`).join(' ');
  const script = `{ "${process.execPath}" "${CLI}" ${quoted}; echo "status=$?" >&3; } 3>&2 | ${reader}`;
  return new Promise((resolve, reject) => {
    const shell = spawn('sh', ['-c', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, VENICE_BOOTSTRAP_SERVERS: broker.bootstrap, VENICE_REGISTRY_URL: registry.url },
    });
    let stdout = '';
    let stderr = '';
    shell.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    shell.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      shell.kill('SIGKILL');
      reject(new Error(`venice ${args.join(' ')} | ${reader} did not finish\n${stderr}`));
    }, timeoutMs);
    shell.once('exit', () => {
      clearTimeout(timer);
      const status = /status=(\d+)/.exec(stderr);
      resolve({
        status: status ? Number(status[1]) : -1,
        stdout,
        stderr: stderr.replace(/status=\d+\n?/, ''),
      });
    });
  });
}

const PRINTING_COMMANDS: readonly (readonly string[])[] = [
  ['consume', 'piped', '-e'],
  ['consume', 'piped', '-e', '--json'],
  ['topics', 'show', 'piped', '-n', '4000'],
  ['topics', 'list'],
  ['topics', 'describe', 'piped'],
  ['groups', 'list'],
  ['groups', 'describe', 'piped-group', '--format', 'yaml'],
  ['schemas', 'list', '--json'],
];

describe('venice in a pipe', { timeout: 600_000 }, () => {
  it('stops quietly with status 0 when head has read its line', async () => {
    const consumed = await throughPipe(['consume', 'piped', '-e'], 'head -1');
    expect(consumed).toEqual({ status: 0, stdout: `0 ${'x'.repeat(100)}\n`, stderr: '' });
    const shown = await throughPipe(['topics', 'show', 'piped', '-n', '4000'], 'head -1');
    expect(shown.status).toBe(0);
    expect(shown.stderr).toBe('');
    expect(shown.stdout.split('\n')).toHaveLength(2);
  });

  it.each(PRINTING_COMMANDS)(
    '%s %s … into a reader that closed its end at once',
    async (...args: string[]) => {
      const result = await throughPipe(args, 'true');
      expect(result).toEqual({ status: 0, stdout: '', stderr: '' });
    },
  );

  it('stops at the first SIGINT while its reader is not reading', async () => {
    const child = spawn(process.execPath, [CLI, 'consume', 'piped', '-e'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, VENICE_BOOTSTRAP_SERVERS: broker.bootstrap },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Read the first chunk only, then leave stdout unread: venice soon waits for the pipe to drain.
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.stdout.pause();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    const timeout = new Promise<'still running'>((resolve) =>
      setTimeout(() => resolve('still running'), 20_000),
    );
    const outcome = await Promise.race([exited, timeout]);
    if (outcome === 'still running') child.kill('SIGKILL');
    expect(outcome, stderr).toBe(0);
  });
});
