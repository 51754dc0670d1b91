// One supervised component: its OS process, state, restarts with backoff, and why it last crashed.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { waitUntilReady } from './health.js';
import { fileSize, readLogTail } from './log-tail.js';
import { CLI_ENTRY, type RuntimePaths } from './paths.js';
import type { ComponentDefinition } from './components.js';
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
export const STOP_GRACE_MS = 10_000;

export function backoffDelay(consecutiveFailures: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, consecutiveFailures - 1), BACKOFF_MAX_MS);
}

export class ManagedComponent {
  readonly status: ComponentStatus;
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  /** Set while the supervisor itself stops the process, so its exit is not taken for a crash. */
  private stopping = false;
  private consecutiveFailures = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private logOffset = 0;

  constructor(
    readonly definition: ComponentDefinition,
    private readonly config: VeniceConfig,
    private readonly paths: RuntimePaths,
    private readonly events: ComponentEvents,
  ) {
    this.status = {
      name: definition.name,
      description: definition.description,
      pid: null,
      ports: definition.ports.map((name) => ({ name, port: config.ports[name] })),
      state: 'pending',
      startedAt: null,
      readyAt: null,
      restarts: 0,
      lastCrash: null,
      message: null,
      healthUrl: definition.healthUrl(config),
      logFile: paths.logFile(definition.name),
      endpoints: definition.endpoints(config),
    };
  }

  get name(): string {
    return this.definition.name;
  }

  /** Starts the process and resolves once its health endpoint answers 200; throws StartFailure otherwise. */
  async start(): Promise<void> {
    this.cancelRestart();
    this.stopping = false;
    const child = this.spawnProcess();
    const outcome = await waitUntilReady(this.status.healthUrl, {
      timeoutMs: this.definition.readyTimeoutMs,
      abandoned: () => this.child !== child,
    });
    if (outcome === 'ready') {
      this.update({ state: 'running', readyAt: new Date().toISOString(), message: null });
      this.events.log('info', `${this.name} is ready (pid ${child.pid})`);
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

  /** Stops the process: SIGTERM, then SIGKILL if it is still there after the grace period. */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    this.cancelRestart();
    const child = this.child;
    if (child === null) {
      if (this.status.state !== 'pending' && this.status.state !== 'failed')
        this.update({ state: 'stopped', message: null });
      return;
    }
    this.stopping = true;
    this.update({ state: 'stopping' });
    this.signal(child, 'SIGTERM');
    const exited = this.exited;
    const killTimer = setTimeout(() => {
      this.events.log(
        'warn',
        `${this.name} (pid ${child.pid}) did not stop within ${graceMs} ms; killing it`,
      );
      this.signal(child, 'SIGKILL');
    }, graceMs);
    await exited;
    clearTimeout(killTimer);
  }

  /** Stops and starts again (a restart the user asked for; not counted as a crash restart). */
  async restart(): Promise<void> {
    await this.stop();
    this.consecutiveFailures = 0;
    await this.start();
  }

  private spawnProcess(): ChildProcess {
    fs.mkdirSync(this.paths.logsDir, { recursive: true });
    const logFile = this.status.logFile;
    this.logOffset = fileSize(logFile);
    const output = fs.openSync(logFile, 'a');
    let child: ChildProcess;
    try {
      // Its own process group: a Ctrl-C in the supervisor's terminal reaches only the supervisor, which
      // then stops the components in order.
      child = spawn(process.execPath, [CLI_ENTRY, ...this.definition.args(this.config)], {
        cwd: this.config.projectDir,
        stdio: ['ignore', output, output],
        detached: true,
        env: { ...process.env, VENICE_LOG_LEVEL: this.config.logLevel },
      });
    } finally {
      fs.closeSync(output);
    }
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.onExit(child, code, signal);
        resolve();
      });
    });
    child.once('error', (error) =>
      this.events.log('error', `${this.name} could not be started`, { err: error.message }),
    );
    this.update({
      state: 'starting',
      pid: child.pid ?? null,
      startedAt: new Date().toISOString(),
      readyAt: null,
      message: null,
    });
    this.events.log('info', `starting ${this.name} (pid ${child.pid})`, {
      args: this.definition.args(this.config),
    });
    return child;
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = null;
    if (this.stopping) {
      this.stopping = false;
      this.update({ state: 'stopped', pid: null, message: null });
      this.events.log('info', `${this.name} stopped`, { exitCode: code, signal });
      return;
    }
    const wasRunning = this.status.state === 'running';
    const crash: CrashRecord = {
      at: new Date().toISOString(),
      exitCode: code,
      signal,
      reason: signal !== null ? `was killed by ${signal}` : `exited with code ${code}`,
      logTail: readLogTail(this.status.logFile, this.logOffset),
    };
    const readyFor = this.status.readyAt ? Date.now() - Date.parse(this.status.readyAt) : 0;
    if (readyFor >= STABLE_AFTER_MS) this.consecutiveFailures = 0;
    this.update({ pid: null, lastCrash: crash, state: 'failed', message: crash.reason });
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

  private signal(child: ChildProcess, signal: NodeJS.Signals): void {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }

  private update(changes: Partial<ComponentStatus>): void {
    Object.assign(this.status, changes);
    this.events.changed(this);
  }
}
