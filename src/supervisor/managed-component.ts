// One supervised component: its OS process, state, liveness probe, restarts with backoff, graceful stop
// (extended while it reports progress), and why it last crashed.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { describeCheck, runHealthCheck, waitUntilReady } from './health.js';
import { fileSize, readLogTail } from './log-tail.js';
import { processStartTime } from './process-info.js';
import { waitForStop } from './stop-progress.js';
import {
  livenessOf,
  stopSettingsOf,
  type ComponentDefinition,
  type HealthCheck,
  type LivenessSettings,
  type StopSettings,
} from './components.js';
import type { RuntimePaths } from './paths.js';
import type { ComponentStatus, CrashRecord } from './state.js';
import type { VeniceConfig } from '../config/settings.js';

export interface ComponentEvents {
  /** Any change of state; the supervisor persists it. */
  changed(component: ManagedComponent): void;
  log(level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>): void;
}

/** Thrown by start() when the component exited or stayed unhealthy instead of becoming ready. */
export class StartFailure extends Error {
  override name = 'StartFailure';
  constructor(
    message: string,
    readonly logTail: string[],
  ) {
    super(message);
  }
}

export const BACKOFF_BASE_MS = 500;
export const BACKOFF_MAX_MS = 30_000;
/** A component that stayed up this long after becoming ready starts its backoff from the beginning. */
export const STABLE_AFTER_MS = 30_000;

export function backoffDelay(consecutiveFailures: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, consecutiveFailures - 1), BACKOFF_MAX_MS);
}

export class ManagedComponent {
  readonly status: ComponentStatus;
  readonly check: HealthCheck;
  private readonly liveness: LivenessSettings;
  private readonly stopSettings: StopSettings;
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  /** Set while the supervisor itself stops the process, so its exit is not taken for a crash. */
  private stopping = false;
  /** Why the supervisor killed a running process (it stopped answering), for its crash record. */
  private killedBecause: string | null = null;
  private consecutiveFailures = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private livenessTimer: NodeJS.Timeout | null = null;
  private logOffset = 0;
  private markSpawned!: () => void;
  /** Resolves when the first process has been started (for components that wait for it themselves). */
  readonly spawned = new Promise<void>((resolve) => (this.markSpawned = resolve));

  constructor(
    readonly definition: ComponentDefinition,
    private readonly config: VeniceConfig,
    private readonly paths: RuntimePaths,
    private readonly events: ComponentEvents,
  ) {
    this.check = definition.healthCheck(config);
    this.liveness = livenessOf(definition);
    this.stopSettings = stopSettingsOf(definition);
    this.status = {
      name: definition.name,
      description: definition.description,
      pid: null,
      processStartTime: null,
      ports: definition.ports.map((name) => ({ name, port: config.ports[name] })),
      state: 'pending',
      startedAt: null,
      readyAt: null,
      restarts: 0,
      lastCrash: null,
      message: null,
      healthUrl: this.check.kind === 'http' ? this.check.url : null,
      healthCa: this.check.kind === 'http' ? (this.check.ca ?? null) : null,
      healthCheck: describeCheck(this.check),
      probeFailures: 0,
      lastProbeError: null,
      stopDeadline: null,
      logFile: paths.logFile(definition.name),
      endpoints: definition.endpoints(config),
    };
  }

  get name(): string {
    return this.definition.name;
  }

  /** Starts the process and resolves once its health check passes; throws StartFailure otherwise. */
  async start(): Promise<void> {
    this.cancelRestart();
    this.stopping = false;
    const child = this.spawnProcess();
    const outcome = await waitUntilReady(this.check, {
      timeoutMs: this.definition.readyTimeoutMs,
      abandoned: () => this.child !== child,
    });
    if (outcome === 'ready') {
      this.update({ state: 'running', readyAt: new Date().toISOString(), message: null });
      this.events.log('info', `${this.name} is ready (pid ${child.pid})`);
      this.watchLiveness(child);
      return;
    }
    if (outcome === 'timeout') {
      // Hung while starting: stop it so it cannot bind the ports of the next try.
      const logTail = readLogTail(this.status.logFile, this.logOffset);
      await this.stop();
      const message = `${this.name} did not become ready within ${this.definition.readyTimeoutMs / 1000} s`;
      this.update({ state: 'failed', message });
      throw new StartFailure(message, logTail);
    }
    const crash = this.status.lastCrash;
    throw new StartFailure(`${this.name} ${crash?.reason ?? 'exited'} while starting`, crash?.logTail ?? []);
  }

  /**
   * Stops the process: SIGTERM, then SIGKILL (to its whole process group) once the grace period has
   * passed, a period moved on while the component reports stop progress.
   */
  async stop(): Promise<void> {
    this.cancelRestart();
    this.stopLiveness();
    const child = this.child;
    if (child === null) {
      if (this.status.state !== 'pending' && this.status.state !== 'failed')
        this.update({ state: 'stopped', message: null });
      return;
    }
    this.stopping = true;
    const began = Date.now();
    this.update({
      state: 'stopping',
      stopDeadline: new Date(began + this.stopSettings.graceMs).toISOString(),
    });
    signalProcess(child.pid, 'SIGTERM');
    const exited = this.exited;
    let gone = false;
    void exited.then(() => (gone = true));
    const stopped = await waitForStop({
      isGone: () => gone,
      logFile: this.status.logFile,
      settings: this.stopSettings,
      onExtended: (deadline) => {
        this.update({ stopDeadline: new Date(deadline).toISOString() });
        this.events.log(
          'info',
          `${this.name} reports stop progress; waiting until ${new Date(deadline).toISOString()}`,
        );
      },
    });
    if (!stopped) {
      this.events.log(
        'warn',
        `${this.name} (pid ${child.pid}) did not stop within ${Date.now() - began} ms; killing it`,
      );
      signalProcess(child.pid, 'SIGKILL', { wholeGroup: true });
    }
    await exited;
  }

  /** Stops and starts again (a restart the user asked for; not counted as a crash restart). */
  async restart(): Promise<void> {
    await this.stop();
    this.consecutiveFailures = 0;
    await this.start();
  }

  private spawnProcess(): ChildProcess {
    fs.mkdirSync(this.paths.logsDir, { recursive: true, mode: 0o700 });
    const dataDir = this.paths.componentDataDir(this.name);
    if (this.definition.keepsData) fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const command = this.definition.command({ config: this.config, dataDir, logLevel: this.config.logLevel });
    const logFile = this.status.logFile;
    this.logOffset = fileSize(logFile);
    // The log file itself (O_APPEND) is its stdout and stderr: see log-rotation.ts for why not a pipe.
    const output = fs.openSync(logFile, 'a', 0o600);
    let child: ChildProcess;
    try {
      // Its own process group: a Ctrl-C in the supervisor's terminal reaches only the supervisor, which
      // then stops the components in order; and a kill reaches what the component itself started.
      child = spawn(command.executable, command.args, {
        cwd: this.config.projectDir,
        stdio: ['ignore', output, output],
        detached: true,
        env: { ...process.env, ...command.env },
      });
    } finally {
      fs.closeSync(output);
    }
    this.child = child;
    this.killedBecause = null;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.onExit(child, code, signal, null);
        resolve();
      });
      child.once('error', (error) => {
        // Not started at all (no such executable): there will be no exit event.
        if (child.pid !== undefined) return;
        this.onExit(child, null, null, error.message);
        resolve();
      });
    });
    this.update({
      state: 'starting',
      pid: child.pid ?? null,
      processStartTime: child.pid !== undefined ? processStartTime(child.pid) : null,
      startedAt: new Date().toISOString(),
      readyAt: null,
      message: null,
      probeFailures: 0,
      lastProbeError: null,
      stopDeadline: null,
    });
    this.events.log('info', `starting ${this.name} (pid ${child.pid})`, {
      executable: command.executable,
      args: command.args,
    });
    this.markSpawned();
    return child;
  }

  /** Probes a ready component every interval; after too many failures in a row, kills it for a restart. */
  private watchLiveness(child: ChildProcess): void {
    const { intervalMs, timeoutMs, failureThreshold } = this.liveness;
    const probe = async () => {
      this.livenessTimer = null;
      if (this.child !== child || this.stopping) return;
      const result = await runHealthCheck(this.check, timeoutMs);
      if (this.child !== child || this.stopping) return;
      // Any HTTP answer, even a 503 (its Kafka is away), shows the process is alive and serving: a
      // restart would not help it. What counts is no answer at all (frozen, deadlocked, wedged).
      const answered = result.ok || result.status !== null;
      if (answered) {
        if (this.status.probeFailures > 0) {
          this.events.log('info', `${this.name} answers its health check again`);
          this.update({ probeFailures: 0, lastProbeError: null });
        }
      } else {
        const failures = this.status.probeFailures + 1;
        const reason = result.error ?? `HTTP ${result.status}`;
        this.update({ probeFailures: failures, lastProbeError: reason });
        this.events.log('warn', `${this.name} failed its health check (${failures} of ${failureThreshold})`, {
          error: reason,
        });
        if (failures >= failureThreshold) {
          // It does not answer, so it cannot be asked to stop either: SIGKILL (which also ends a
          // SIGSTOPped process), and the exit is handled as a crash, restarted with backoff.
          this.killedBecause = `stopped answering its health check (${failures} failed probes in a row, the last: ${reason})`;
          this.events.log('error', `${this.name} ${this.killedBecause}; killing it to restart it`);
          signalProcess(child.pid, 'SIGKILL', { wholeGroup: true });
          return;
        }
      }
      this.livenessTimer = setTimeout(() => void probe(), intervalMs);
    };
    this.livenessTimer = setTimeout(() => void probe(), intervalMs);
  }

  private stopLiveness(): void {
    if (this.livenessTimer !== null) {
      clearTimeout(this.livenessTimer);
      this.livenessTimer = null;
    }
  }

  private onExit(
    child: ChildProcess,
    code: number | null,
    signal: NodeJS.Signals | null,
    spawnError: string | null,
  ): void {
    if (this.child !== child) return;
    this.child = null;
    this.stopLiveness();
    if (this.stopping) {
      this.stopping = false;
      this.update({ state: 'stopped', pid: null, processStartTime: null, message: null, stopDeadline: null });
      this.events.log('info', `${this.name} stopped`, { exitCode: code, signal });
      return;
    }
    const wasRunning = this.status.state === 'running';
    const reason =
      spawnError !== null
        ? `could not be started: ${spawnError}`
        : this.killedBecause !== null
          ? `was killed by the supervisor: it ${this.killedBecause}`
          : signal !== null
            ? `was killed by ${signal}`
            : `exited with code ${code}`;
    const crash: CrashRecord = {
      at: new Date().toISOString(),
      exitCode: code,
      signal,
      reason,
      logTail: readLogTail(this.status.logFile, this.logOffset),
    };
    const readyFor = this.status.readyAt ? Date.now() - Date.parse(this.status.readyAt) : 0;
    if (readyFor >= STABLE_AFTER_MS) this.consecutiveFailures = 0;
    this.update({
      pid: null,
      processStartTime: null,
      lastCrash: crash,
      state: 'failed',
      message: crash.reason,
    });
    this.events.log('error', `${this.name} ${crash.reason}`, { logTail: crash.logTail });
    // A crash while first starting is reported by start(); only a running component is brought back here.
    if (wasRunning) this.scheduleRestart();
  }

  private scheduleRestart(): void {
    this.consecutiveFailures++;
    const delay = backoffDelay(this.consecutiveFailures);
    this.update({ state: 'backoff', message: `restarting in ${(delay / 1000).toFixed(1)} s` });
    this.events.log('warn', `restarting ${this.name} in ${delay} ms`, { attempt: this.consecutiveFailures });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.update({ restarts: this.status.restarts + 1 });
      this.start().catch((error: unknown) => {
        if (this.stopping || this.restartTimer !== null) return;
        this.events.log('error', `${this.name} failed to restart: ${(error as Error).message}`);
        if (this.child === null && this.status.state !== 'stopped') this.scheduleRestart();
      });
    }, delay);
  }

  private cancelRestart(): void {
    if (this.restartTimer !== null) {
      clearTimeout(this.restartTimer);
      this.restartTimer = null;
    }
  }

  private update(changes: Partial<ComponentStatus>): void {
    Object.assign(this.status, changes);
    this.events.changed(this);
  }
}

/**
 * Signals a component: SIGTERM to the process alone (it stops what it started itself), SIGKILL to its
 * whole process group (it leads one) so nothing it started is left behind.
 */
function signalProcess(pid: number | undefined, signal: NodeJS.Signals, { wholeGroup = false } = {}): void {
  if (pid === undefined) return;
  try {
    process.kill(wholeGroup ? -pid : pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}
