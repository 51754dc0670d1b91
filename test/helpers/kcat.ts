// Runs Debian's kcat (librdkafka) as a real client of the broker.
import { spawn, type ChildProcess } from 'node:child_process';
import { KCAT, requireTool } from './system-tools.js';

export interface KcatResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runKcat(args: string[], input?: string, timeoutMs = 60_000): Promise<KcatResult> {
  requireTool(KCAT);
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kcat ${args.join(' ')} timed out after ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

/** A long-running kcat whose output lines are collected as they arrive. */
export interface KcatProcess {
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
  stderr(): string;
}

export function startKcat(args: string[]): KcatProcess {
  requireTool(KCAT);
  const child = spawn('kcat', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, exited, stderr: () => stderr };
}
