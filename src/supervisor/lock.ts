// One supervisor per data dir: a lock file holding the supervisor's pid, taken over when that pid is gone.
import fs from 'node:fs';
import path from 'node:path';
import { isSupervisorProcess } from './process-info.js';

export class AlreadyRunningError extends Error {
  override name = 'AlreadyRunningError';
  constructor(readonly pid: number) {
    super(`a supervisor (pid ${pid}) is already running for this data dir`);
  }
}

export function acquireLock(lockFile: string): () => void {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => releaseLock(lockFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(readOrEmpty(lockFile));
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isSupervisorProcess(holder)) {
      throw new AlreadyRunningError(holder);
    }
    fs.rmSync(lockFile, { force: true }); // left by a supervisor that was killed
  }
  throw new Error(`could not take the lock ${lockFile}`);
}

function releaseLock(lockFile: string): void {
  if (readOrEmpty(lockFile) === String(process.pid)) fs.rmSync(lockFile, { force: true });
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}
