// One supervisor per data dir: a lock file holding the pid (and start time) of the process that holds it,
// taken over when that process is gone. `venice up` takes it before it checks ports and launches the
// supervisor, which then takes it over from `venice up`; so of two `venice up` at once, one clearly loses.
import fs from 'node:fs';
import path from 'node:path';
import { commandLine, isSupervisorProcess, processStartTime } from './process-info.js';

export class AlreadyRunningError extends Error {
  override name = 'AlreadyRunningError';
  constructor(
    readonly pid: number,
    readonly lockFile: string,
    readonly holderCommand: string | null,
  ) {
    super(
      `Venice is already being started or run from this data dir by pid ${pid}` +
        `${holderCommand ? ` (${shorten(holderCommand)})` : ''}, which holds ${lockFile}`,
    );
  }
}

interface LockHolder {
  pid: number;
  startTime: number | null;
}

/**
 * Takes the lock for this process; `takeOverFrom` is the pid of the `venice up` that took it for us.
 * Returns the release function; throws AlreadyRunningError when another live process holds it.
 */
export function acquireLock(lockFile: string, takeOverFrom: number | null = null): () => void {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  const mine = `${process.pid} ${processStartTime(process.pid) ?? ''}`.trim();
  // The lock file appears with its content in one step (a hard link to a file written first): created
  // empty and then written, another `venice up` could read it empty in between, take it for a dead
  // holder's and remove it, and both would go on.
  const temporary = `${lockFile}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, mine, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        fs.linkSync(temporary, lockFile);
        return () => releaseLock(lockFile);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readHolder(lockFile);
      if (holder !== null && (holder.pid === process.pid || holder.pid === takeOverFrom)) {
        // Ours already, or handed over by the `venice up` that started us: replaced in one rename.
        fs.renameSync(temporary, lockFile);
        return () => releaseLock(lockFile);
      }
      if (holder !== null && isSupervisorProcess(holder.pid, holder.startTime)) {
        throw new AlreadyRunningError(holder.pid, lockFile, commandLine(holder.pid));
      }
      fs.rmSync(lockFile, { force: true }); // left by a process that was killed
    }
    throw new Error(`could not take the lock ${lockFile}`);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

function releaseLock(lockFile: string): void {
  if (readHolder(lockFile)?.pid === process.pid) fs.rmSync(lockFile, { force: true });
}

function readHolder(lockFile: string): LockHolder | null {
  let text: string;
  try {
    text = fs.readFileSync(lockFile, 'utf8').trim();
  } catch {
    return null;
  }
  const [pid, startTime] = text.split(/\s+/).map(Number);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return { pid, startTime: Number.isFinite(startTime) ? startTime : null };
}

function shorten(command: string): string {
  return command.length > 80 ? `${command.slice(0, 79)}…` : command;
}
