// Turns successive supervisor states into progress lines ("broker  ready in 0.4 s"), for `venice up`
// (foreground or following a background start) and `venice restart`.
import type { ComponentStatus, SupervisorState } from './state.js';

export class ProgressReporter {
  private readonly seen = new Map<string, string>();

  constructor(private readonly write: (line: string) => void) {}

  /** Takes `state` as what was already shown, so only later changes are reported. */
  baseline(state: SupervisorState): void {
    for (const component of state.components) this.seen.set(component.name, keyOf(component));
  }

  /** Reports what changed since the last state it was given. */
  update(state: SupervisorState): void {
    const width = Math.max(8, ...state.components.map((component) => component.name.length));
    for (const component of state.components) {
      const key = keyOf(component);
      if (this.seen.get(component.name) === key) continue;
      this.seen.set(component.name, key);
      const line = describe(component);
      if (line !== null) this.write(`  ${component.name.padEnd(width)}  ${line}`);
    }
  }
}

function keyOf(component: ComponentStatus): string {
  return `${component.state}:${component.pid}:${component.restarts}`;
}

function describe(component: ComponentStatus): string | null {
  switch (component.state) {
    case 'starting':
      return `starting (pid ${component.pid})`;
    case 'running': {
      const took =
        component.readyAt && component.startedAt
          ? Date.parse(component.readyAt) - Date.parse(component.startedAt)
          : null;
      return `ready${took !== null ? ` in ${(took / 1000).toFixed(2)} s` : ''}`;
    }
    case 'failed':
      return `failed: ${component.message ?? component.lastCrash?.reason ?? 'unknown reason'}`;
    case 'backoff':
      return `${component.lastCrash?.reason ?? 'stopped'}; ${component.message ?? 'restarting'}`;
    case 'stopping':
      return 'stopping';
    case 'stopped':
      return 'stopped';
    default:
      return null;
  }
}
