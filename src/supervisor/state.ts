// The state file: what the supervisor is running, written on every change so the other commands (and a
// later supervisor cleaning up after a killed one) can read it without asking.
import fs from 'node:fs';
import path from 'node:path';
import type { Endpoint } from './components.js';

export type ComponentState =
  'pending' | 'starting' | 'running' | 'backoff' | 'stopping' | 'stopped' | 'failed';
export type SupervisorPhase = 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

export interface CrashRecord {
  /** ISO time of the exit. */
  at: string;
  exitCode: number | null;
  signal: string | null;
  /** "exited with code 1", "killed by SIGKILL". */
  reason: string;
  /** The last lines of the component's log before it exited. */
  logTail: string[];
}

export interface ComponentStatus {
  name: string;
  description: string;
  pid: number | null;
  /**
   * Start time of that process (clock ticks since boot, /proc/<pid>/stat field 22): with the pid it
   * names the process, so a supervisor that was killed leaves children that are still found, and a
   * reused pid is never taken for one of them.
   */
  processStartTime: number | null;
  ports: { name: string; port: number }[];
  state: ComponentState;
  /** ISO time the current process was started. */
  startedAt: string | null;
  /** ISO time the current process answered its health check. */
  readyAt: string | null;
  restarts: number;
  lastCrash: CrashRecord | null;
  /** Why it is not running when it is failed or backing off. */
  message: string | null;
  /** The health endpoint when the check is an HTTP GET (status asks it itself), else null. */
  healthUrl: string | null;
  /** The CA certificate (a path) that health endpoint's HTTPS certificate is checked against, if any. */
  healthCa?: string | null;
  /** The readiness and liveness check, as people read it ("GET http://...", "TCP host:port"). */
  healthCheck: string;
  /** Consecutive failed liveness probes (0 while it answers); the last failure's reason. */
  probeFailures: number;
  lastProbeError: string | null;
  /** While stopping: ISO time it gets killed unless it has exited (moved on by stop progress). */
  stopDeadline: string | null;
  logFile: string;
  endpoints: Endpoint[];
}

export interface SupervisorState {
  version: 1;
  pid: number;
  /** The supervisor's own start time (see ComponentStatus.processStartTime). */
  processStartTime: number | null;
  startedAt: string;
  phase: SupervisorPhase;
  /** Why the supervisor failed (phase 'failed'). */
  error: string | null;
  foreground: boolean;
  /** The control channel: HTTP on 127.0.0.1, requests carry the token. */
  controlPort: number;
  token: string;
  projectDir: string;
  configFile: string | null;
  dataDir: string;
  /** Where Kafka clients connect: the embedded broker or the external cluster. */
  bootstrapServers: string;
  externalKafka: boolean;
  /** Components enabled but replaced by an external service. */
  replaced: { name: string; reason: string }[];
  components: ComponentStatus[];
}

export function readState(stateFile: string): SupervisorState | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as SupervisorState;
    return parsed.version === 1 ? parsed : null;
  } catch {
    return null;
  }
}

/** Replaces the file in one rename, so a reader never sees half of it. Owner-only: it holds the token. */
export function writeState(stateFile: string, state: SupervisorState): void {
  fs.mkdirSync(path.dirname(stateFile), { recursive: true });
  const temporary = `${stateFile}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(temporary, stateFile);
}
