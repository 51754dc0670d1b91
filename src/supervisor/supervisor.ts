// Runs the planned components: starts each as soon as its dependencies allow (in parallel where they
// do), gated by its health check; keeps the state file current and the log files rotated; restarts on
// request, and stops them in reverse order.
import { ManagedComponent, StartFailure } from './managed-component.js';
import { DEFAULT_ROTATION, rotateIfLarge, type RotationPolicy } from './log-rotation.js';
import { processStartTime } from './process-info.js';
import { SUPERVISOR_LOG_NAME } from './paths.js';
import { writeState, type SupervisorPhase, type SupervisorState } from './state.js';
import { kafkaBootstrap } from './components.js';
import type { StartPlan } from './plan.js';
import type { RuntimePaths } from './paths.js';
import type { VeniceConfig } from '../config/settings.js';

export interface SupervisorLog {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export interface SupervisorOptions {
  config: VeniceConfig;
  plan: StartPlan;
  paths: RuntimePaths;
  log: SupervisorLog;
  controlPort: number;
  token: string;
  foreground: boolean;
  /** Called after every change, with the new state (already written to the state file). */
  onChange?: (state: SupervisorState) => void;
  /** Log files are rotated by size; checked every `rotationCheckMs`. */
  rotation?: RotationPolicy;
  rotationCheckMs?: number;
}

export class UnknownComponentError extends Error {
  override name = 'UnknownComponentError';
}

export class Supervisor {
  readonly components: ManagedComponent[];
  private phase: SupervisorPhase = 'starting';
  private error: string | null = null;
  private readonly startedAt = new Date().toISOString();
  private readonly processStartTime = processStartTime(process.pid);
  private readonly rotationTimer: NodeJS.Timeout;

  constructor(private readonly options: SupervisorOptions) {
    const events = {
      changed: () => this.persist(),
      log: (level: 'info' | 'warn' | 'error', message: string, details: Record<string, unknown> = {}) =>
        options.log[level](details, message),
    };
    this.components = options.plan.start.map(
      (definition) => new ManagedComponent(definition, options.config, options.paths, events),
    );
    this.persist();
    const logFiles = [
      ...this.components.map((component) => component.status.logFile),
      options.paths.logFile(SUPERVISOR_LOG_NAME),
    ];
    this.rotationTimer = setInterval(() => {
      for (const file of logFiles) {
        try {
          rotateIfLarge(file, options.rotation ?? DEFAULT_ROTATION);
        } catch (error) {
          options.log.warn({ file, err: (error as Error).message }, 'could not rotate a log file');
        }
      }
    }, options.rotationCheckMs ?? 1000);
    this.rotationTimer.unref();
  }

  /**
   * Starts every component once its dependencies are ready (or started, for one that waits for them
   * itself), so independent components start in parallel. On the first failure stops everything and
   * throws.
   */
  async startAll(): Promise<void> {
    const ready = new Map<string, Promise<void>>();
    const byName = new Map(this.components.map((component) => [component.name, component]));
    const settled: Promise<void>[] = [];
    let failure: unknown = null;
    // The plan lists dependencies first, so every dependency's promise exists when a dependent needs it.
    for (const component of this.components) {
      const waits = component.definition.dependsOn
        .filter((name) => byName.has(name)) // not when an external service replaces it
        .map((name) =>
          component.definition.waitsForDependencies
            ? Promise.race([byName.get(name)!.spawned, ready.get(name)!])
            : ready.get(name)!,
        );
      const started = Promise.all(waits).then(async () => {
        if (this.phase !== 'starting') throw new Error('stopped while starting');
        await component.start();
      });
      ready.set(component.name, started);
      const settledOne = started.catch(async (error: unknown) => {
        // The first failure stops everything; a stop on request while starting is no failure.
        if (failure !== null || this.phase !== 'starting') return;
        failure = error;
        const message = error instanceof Error ? error.message : String(error);
        this.options.log.error({ logTail: error instanceof StartFailure ? error.logTail : [] }, message);
        await this.stopAll('failed', message);
      });
      settled.push(settledOne);
    }
    await Promise.all(settled);
    if (failure !== null) throw failure;
    if (this.phase !== 'starting') return;
    this.setPhase('running');
    this.options.log.info(
      { components: this.components.map((component) => component.name) },
      'all components ready',
    );
  }

  /** Stops every component, last started first. */
  async stopAll(finalPhase: 'stopped' | 'failed' = 'stopped', error: string | null = null): Promise<void> {
    if (error !== null) this.error = error;
    this.setPhase('stopping');
    for (const component of [...this.components].reverse()) await component.stop();
    this.setPhase(finalPhase);
    clearInterval(this.rotationTimer);
  }

  /** Restarts the named components (all when none is named) in start order. */
  async restart(names: readonly string[]): Promise<void> {
    const unknown = names.filter((name) => !this.components.some((component) => component.name === name));
    if (unknown.length > 0) {
      throw new UnknownComponentError(
        `no component named ${unknown.join(', ')} runs here (running: ${this.components.map((component) => component.name).join(', ') || 'none'})`,
      );
    }
    const chosen =
      names.length === 0 ? this.components : this.components.filter((c) => names.includes(c.name));
    for (const component of chosen) {
      this.options.log.info({}, `restarting ${component.name} on request`);
      await component.restart();
    }
  }

  get currentPhase(): SupervisorPhase {
    return this.phase;
  }

  state(): SupervisorState {
    const { config, plan, paths, controlPort, token, foreground } = this.options;
    return {
      version: 1,
      pid: process.pid,
      processStartTime: this.processStartTime,
      startedAt: this.startedAt,
      phase: this.phase,
      error: this.error,
      foreground,
      controlPort,
      token,
      projectDir: config.projectDir,
      configFile: config.configFile,
      dataDir: paths.dataDir,
      bootstrapServers: kafkaBootstrap(config),
      externalKafka: config.bootstrapServers !== null,
      replaced: plan.replaced.map(({ component, reason }) => ({ name: component.name, reason })),
      components: this.components.map((component) => ({ ...component.status })),
    };
  }

  private setPhase(phase: SupervisorPhase): void {
    this.phase = phase;
    this.persist();
  }

  private persist(): void {
    // Called from the constructor before `components` is assigned.
    if (this.components === undefined) return;
    const state = this.state();
    writeState(this.options.paths.stateFile, state);
    this.options.onChange?.(state);
  }
}
