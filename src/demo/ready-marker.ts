// How the supervisor tells that the demo has set its pipeline up: the demo writes its pid to a file in
// its folder once the SQL and the connectors are applied, and removes it when it stops. The demo has no
// port of its own, so its health check reads this file; a file left by a killed demo names a dead pid.
import fs from 'node:fs';
import path from 'node:path';

export const READY_FILE = 'ready.json';

export function markReady(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, READY_FILE), JSON.stringify({ pid: process.pid }) + '\n');
}

export function clearReady(dir: string): void {
  fs.rmSync(path.join(dir, READY_FILE), { force: true });
}

/** Ready when the file names a live process. */
export function probeReady(dir: string): { ok: boolean; detail?: string } {
  const file = path.join(dir, READY_FILE);
  let pid: unknown;
  try {
    pid = (JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown }).pid;
  } catch {
    return { ok: false, detail: 'the pipeline is not set up yet (SQL and connectors)' };
  }
  if (typeof pid !== 'number' || !isAlive(pid)) return { ok: false, detail: `${file} names no live process` };
  return { ok: true };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
