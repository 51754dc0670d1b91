// Finds the supervisor of a data dir: running (answers on its control channel), unresponsive (its pid
// lives but it does not answer), or not running, with any component processes a killed supervisor left.
import { controlRequest } from './control.js';
import { commandLine, isAlive, isSupervisorProcess } from './process-info.js';
import { readState, type SupervisorState } from './state.js';
import { runtimePaths } from './paths.js';

export type SupervisorLookup =
  | { status: 'running'; state: SupervisorState }
  | { status: 'unresponsive'; state: SupervisorState }
  | { status: 'not-running'; state: SupervisorState | null; orphans: number[] };

export async function findSupervisor(dataDir: string): Promise<SupervisorLookup> {
  const saved = readState(runtimePaths(dataDir).stateFile);
  if (saved === null) return { status: 'not-running', state: null, orphans: [] };
  const live = saved.phase !== 'stopped' && saved.phase !== 'failed' && isSupervisorProcess(saved.pid);
  if (!live) return { status: 'not-running', state: saved, orphans: findOrphans(saved) };
  try {
    const state = await controlRequest<SupervisorState>(saved, 'GET', '/status', undefined, 3000);
    return { status: 'running', state };
  } catch {
    return { status: 'unresponsive', state: saved };
  }
}

/**
 * Component processes recorded in the state that still run although their supervisor is gone (it was
 * killed). The command line must still name this data dir, so a reused pid is never taken for one.
 */
export function findOrphans(state: SupervisorState): number[] {
  return state.components
    .map((component) => component.pid)
    .filter((pid): pid is number => pid !== null && pid !== process.pid && isAlive(pid))
    .filter((pid) => commandLine(pid)?.includes(state.dataDir) ?? false);
}

/** SIGTERM, then SIGKILL after `graceMs`, for processes that are not our children. */
export async function terminateProcesses(pids: readonly number[], graceMs = 10_000): Promise<void> {
  const signal = (pid: number, name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  };
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  for (const pid of pids.filter(isAlive)) signal(pid, 'SIGKILL');
  const killDeadline = Date.now() + 5000;
  while (pids.some(isAlive) && Date.now() < killDeadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
}
