// Finds the supervisor of a data dir: running (answers on its control channel), unresponsive (its pid
// lives but it does not answer), or not running, with any component processes a killed supervisor left.
import { controlRequest } from './control.js';
import { commandLine, isAlive, isSameProcess, isSupervisorProcess } from './process-info.js';
import { readState, type ComponentStatus, type SupervisorState } from './state.js';
import { runtimePaths } from './paths.js';
import { componentNamed, DEFAULT_STOP, stopSettingsOf } from './components.js';
import { waitForStop } from './stop-progress.js';

export type SupervisorLookup =
  | { status: 'running'; state: SupervisorState }
  | { status: 'unresponsive'; state: SupervisorState }
  | { status: 'not-running'; state: SupervisorState | null; orphans: OrphanedComponent[] };

/** A component process that still runs although the supervisor that started it is gone. */
export type OrphanedComponent = ComponentStatus & { pid: number };

export async function findSupervisor(dataDir: string): Promise<SupervisorLookup> {
  const saved = readState(runtimePaths(dataDir).stateFile);
  if (saved === null) return { status: 'not-running', state: null, orphans: [] };
  const live =
    saved.phase !== 'stopped' &&
    saved.phase !== 'failed' &&
    isSupervisorProcess(saved.pid, saved.processStartTime ?? null);
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
 * killed). A process is recognised by its pid and its start time, whatever its command line holds, so
 * a reused pid is never taken for one.
 */
export function findOrphans(state: SupervisorState): OrphanedComponent[] {
  return state.components.filter(
    (component): component is OrphanedComponent =>
      component.pid !== null && component.pid !== process.pid && isRecordedProcess(component, state),
  );
}

function isRecordedProcess(component: ComponentStatus, state: SupervisorState): boolean {
  const pid = component.pid!;
  // A state file written before start times were recorded: the command line must name the data dir.
  if (component.processStartTime === undefined)
    return isAlive(pid) && (commandLine(pid)?.includes(state.dataDir) ?? false);
  return isSameProcess(pid, component.processStartTime);
}

/**
 * SIGTERM, then SIGKILL after `graceMs`, for processes that are not our children. Each component runs
 * in a process group of its own (it leads it), so the group is signalled: what the component itself
 * started stops with it.
 */
export async function terminateProcesses(
  pids: readonly number[],
  graceMs = 10_000,
  { wholeGroup = true } = {},
): Promise<void> {
  const signal = (pid: number, name: NodeJS.Signals) => {
    try {
      if (!wholeGroup) throw new Error('only the process');
      process.kill(-pid, name);
    } catch {
      try {
        process.kill(pid, name); // not a group leader
      } catch {
        // already gone
      }
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

/**
 * Stops the components a killed supervisor left, last started first, each as the supervisor would:
 * SIGTERM, the grace period (moved on while it reports stop progress in its log), then SIGKILL to its
 * process group.
 */
export async function stopOrphans(
  orphans: readonly OrphanedComponent[],
  onStopping: (orphan: OrphanedComponent) => void = () => undefined,
): Promise<void> {
  for (const orphan of [...orphans].reverse()) {
    onStopping(orphan);
    const definition = componentNamed(orphan.name);
    const isGone = () => !isSameProcess(orphan.pid, orphan.processStartTime ?? null);
    if (isGone()) continue;
    try {
      process.kill(orphan.pid, 'SIGTERM');
    } catch {
      continue; // gone meanwhile
    }
    const stopped = await waitForStop({
      isGone,
      logFile: orphan.logFile,
      settings: definition ? stopSettingsOf(definition) : DEFAULT_STOP,
    });
    if (!stopped) await terminateProcesses([orphan.pid], 0);
  }
}
