// Runs the planned components: starts them in dependency order gated by their health checks, keeps the
// state file current, restarts on request, and stops them in reverse order.
import { ManagedComponent, StartFailure } from './managed-component.js';
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
}

export class UnknownComponentError extends Error {
  override name = 'UnknownComponentError';
}

export class Supervisor {
  readonly components: ManagedComponent[];
  private phase: SupervisorPhase = 'starting';
  private error: string | null = null;
  private readonly startedAt = new Date().toISOString();

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
  }

  /** Starts every component in order; on the first failure stops those already started and throws. */
  async startAll(): Promise<void> {
    for (const component of this.components) {
      if (this.phase !== 'starting') return; // asked to stop meanwhile
      try {
        await component.start();
      } catch (error) {
        // Stopped on request while this component was starting: not a failure.
        if (this.phase !== 'starting') return;
        const message = error instanceof Error ? error.message : String(error);
        this.options.log.error({ logTail: error instanceof StartFailure ? error.logTail : [] }, message);
        await this.stopAll('failed', message);
        throw error;
      }
    }
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
