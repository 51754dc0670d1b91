// Processes are recognised by pid and start time: a live pid with another start time (a reused pid) is
// never taken for a component or for the lock's holder, whatever its command line.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findOrphans } from '../../src/supervisor/discovery.js';
import { acquireLock, AlreadyRunningError } from '../../src/supervisor/lock.js';
import { isSameProcess, processStartTime } from '../../src/supervisor/process-info.js';
import type { ComponentStatus, SupervisorState } from '../../src/supervisor/state.js';
import { temporaryDataDir } from '../helpers/broker.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** A process whose command line names nothing of Venice. */
function sleeper(): ChildProcess {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

function component(name: string, pid: number, processStartTime: number | null): ComponentStatus {
  return {
    name,
    description: name,
    pid,
    processStartTime,
    ports: [],
    state: 'running',
    startedAt: new Date().toISOString(),
    readyAt: null,
    restarts: 0,
    lastCrash: null,
    message: null,
    healthUrl: null,
    healthCheck: 'custom',
    probeFailures: 0,
    lastProbeError: null,
    stopDeadline: null,
    logFile: '/dev/null',
    endpoints: [],
  };
}

function stateWith(components: ComponentStatus[]): SupervisorState {
  return {
    version: 1,
    pid: 1,
    processStartTime: 0,
    startedAt: new Date().toISOString(),
    phase: 'running',
    error: null,
    foreground: false,
    controlPort: 0,
    token: '',
    projectDir: '/nowhere',
    configFile: null,
    dataDir: '/nowhere/.venice',
    bootstrapServers: '',
    externalKafka: false,
    replaced: [],
    components,
  };
}

describe.runIf(fs.existsSync('/proc/self/stat'))('processes by pid and start time', () => {
  it('reads the start time of a process, later for a later process', async () => {
    const first = sleeper();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = sleeper();
    const [a, b] = [processStartTime(first.pid!), processStartTime(second.pid!)];
    expect(a).not.toBeNull();
    expect(b!).toBeGreaterThanOrEqual(a!);
    expect(isSameProcess(first.pid!, a)).toBe(true);
    expect(isSameProcess(first.pid!, a! - 1)).toBe(false);
  });

  it('finds a component left running whatever its command line, and never a reused pid', () => {
    const left = sleeper();
    const reused = sleeper();
    const orphans = findOrphans(
      stateWith([
        component('registry', left.pid!, processStartTime(left.pid!)),
        // Recorded with an earlier start time: the pid now belongs to another process.
        component('broker', reused.pid!, processStartTime(reused.pid!)! - 100),
      ]),
    );
    expect(orphans.map((orphan) => [orphan.name, orphan.pid])).toEqual([['registry', left.pid]]);
  });

  it('the lock: refused while its holder lives, taken over from a dead holder or the given pid', () => {
    const lockFile = path.join(temporaryDataDir('lock'), 'run', 'supervisor.lock');
    const holder = sleeper();
    fs.mkdirSync(path.dirname(lockFile), { recursive: true });
    fs.writeFileSync(lockFile, `${holder.pid} ${processStartTime(holder.pid!)}`);
    expect(() => acquireLock(lockFile)).toThrow(AlreadyRunningError);
    expect(() => acquireLock(lockFile)).toThrow(
      new RegExp(`by pid ${holder.pid} \\(sleep 60\\), which holds ${lockFile}`),
    );

    // Handed over by the process that took it for us (`venice up` for its supervisor).
    const release = acquireLock(lockFile, holder.pid!);
    expect(fs.readFileSync(lockFile, 'utf8').split(' ')[0]).toBe(String(process.pid));
    release();
    expect(fs.existsSync(lockFile)).toBe(false);

    // The same pid with another start time is not the holder any more: taken over.
    fs.writeFileSync(lockFile, `${holder.pid} ${processStartTime(holder.pid!)! - 100}`);
    acquireLock(lockFile)();
  });
});
