// Drives the built venice CLI in a project directory, as a user would, for the lifecycle tests.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/broker.js';
import { isSameProcess } from '../../src/supervisor/process-info.js';
import { readState } from '../../src/supervisor/state.js';
import { runtimePaths } from '../../src/supervisor/paths.js';

export const CLI = path.resolve('bin/venice.js');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment without VENICE_* settings of whoever runs the tests. */
export function cleanEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VENICE_')));
  return { ...env, ...extra };
}

export function runVenice(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; input?: string; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: cleanEnvironment(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timeoutMs = options.timeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`venice ${args.join(' ')} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`),
      );
    }, timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A long-running venice command whose output is collected as it comes. */
export interface VeniceProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

export function startVenice(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): VeniceProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: cleanEnvironment(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export function temporaryProject(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `venice-${label}-`));
}

/** Ports of one pipeline, as `venice up` flags: free now, so tests never collide with each other or 9092. */
export async function pipelinePorts(): Promise<{
  kafka: number;
  health: number;
  registry: number;
  sql: number;
  postgres: number;
  connect: number;
  console: number;
  flags: string[];
}> {
  const taken = new Set<number>();
  const next = async () => {
    let port = await freePort();
    while (taken.has(port)) port = await freePort();
    taken.add(port);
    return port;
  };
  const kafka = await next();
  const health = await next();
  const registry = await next();
  const sql = await next();
  const postgres = await next();
  const connect = await next();
  const console = await next();
  return {
    kafka,
    health,
    registry,
    sql,
    postgres,
    connect,
    console,
    flags: [
      '--kafka-port',
      String(kafka),
      '--broker-health-port',
      String(health),
      '--registry-port',
      String(registry),
      '--sql-port',
      String(sql),
      '--postgres-port',
      String(postgres),
      '--connect-port',
      String(connect),
      '--console-port',
      String(console),
    ],
  };
}

/** Polls `check` until it returns a value other than undefined. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Waits until a long-running venice command prints `text`. Fails at once, with everything it printed,
 * if the command exits first, and shows the output on a timeout too, so a CI failure says why.
 * The default wait covers the slowest component's own ready timeout (the embedded PostgreSQL's 120 s
 * on a loaded machine).
 */
export async function waitForOutput(proc: VeniceProcess, text: string, timeoutMs = 150_000): Promise<void> {
  let exitCode: number | null | undefined;
  void proc.exited.then((code) => (exitCode = code));
  try {
    await waitFor(
      `"${text}"`,
      () => {
        if (proc.output().includes(text)) return true;
        if (exitCode !== undefined) throw new Error(`exited with ${exitCode} before printing "${text}"`);
        return undefined;
      },
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- its output ---\n${proc.output()}`, { cause: error });
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** Pids of processes whose command line mentions `text` (here: a test's data dir). */
export function processesMentioning(text: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * Last resort after a failed test: stop the pipeline, then kill anything still running from the dir,
 * and every component the state file names (the registry's command line does not name the dir).
 */
export async function tearDown(projectDir: string, extraArgs: string[] = []): Promise<void> {
  await runVenice(['down', ...extraArgs], { cwd: projectDir, timeoutMs: 60_000 }).catch(() => undefined);
  const state = readState(runtimePaths(path.join(projectDir, '.venice')).stateFile);
  const recorded = (state?.components ?? [])
    .filter((component) => component.pid !== null && isSameProcess(component.pid, component.processStartTime))
    .map((component) => component.pid!);
  for (const pid of [...processesMentioning(projectDir), ...recorded]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

export interface StatusJson {
  running: boolean;
  supervisor: { pid: number; phase: string };
  bootstrapServers: string;
  components: {
    name: string;
    pid: number | null;
    state: string;
    restarts: number;
    health: string;
    rssBytes: number | null;
    ports: { name: string; port: number }[];
    lastCrash: { reason: string; signal: string | null; exitCode: number | null; logTail: string[] } | null;
  }[];
}

export async function statusJson(cwd: string): Promise<{ code: number | null; status: StatusJson }> {
  const result = await runVenice(['status', '--json'], { cwd });
  return { code: result.code, status: JSON.parse(result.stdout) as StatusJson };
}
