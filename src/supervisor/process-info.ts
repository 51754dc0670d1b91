// What Linux says about a process: alive, resident memory, command line (best effort elsewhere).
import fs from 'node:fs';
import { commandLine } from '../service/port-holder.js';

export { commandLine };

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/**
 * When the process started, in clock ticks since boot (field 22 of /proc/<pid>/stat), or null when it
 * cannot be read. A pid and its start time name one process: a reused pid has a later start time.
 */
export function processStartTime(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[22 - 3]);
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

/**
 * Whether `pid` is still the process that was recorded with `startTime`. Without /proc (not Linux)
 * there is nothing to compare: a live pid is trusted.
 */
export function isSameProcess(pid: number, startTime: number | null): boolean {
  if (!isAlive(pid)) return false;
  const current = processStartTime(pid);
  if (current === null || startTime === null) return !fs.existsSync('/proc/self');
  return current === startTime;
}

/** Resident set size in bytes (VmRSS of /proc/<pid>/status), or null when it cannot be read. */
export function residentBytes(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '-';
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

/**
 * Whether a live pid is (still) a Venice supervisor, not an unrelated process that got a recycled pid:
 * the same start time when it was recorded; otherwise the background one runs daemon.js with
 * --launch-config, the foreground one is `venice up`.
 */
export function isSupervisorProcess(pid: number, startTime: number | null = null): boolean {
  if (startTime !== null) return isSameProcess(pid, startTime);
  if (!isAlive(pid)) return false;
  const command = commandLine(pid);
  // Without /proc (not Linux) there is nothing to check against: trust the pid.
  if (command === null) return !fs.existsSync('/proc/self');
  return command.includes('--launch-config') || command.includes('venice');
}
