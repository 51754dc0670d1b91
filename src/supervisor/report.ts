// What `venice status` shows (and the console will): per component its process, memory, uptime and the
// answer of its own health endpoint, plus the supervisor itself.
import { probeHealth } from './health.js';
import { residentBytes } from './process-info.js';
import type { ComponentStatus, CrashRecord, SupervisorState } from './state.js';
import type { OrphanedComponent } from './discovery.js';

export interface ComponentReport {
  name: string;
  pid: number | null;
  ports: { name: string; port: number }[];
  state: string;
  uptimeMs: number | null;
  rssBytes: number | null;
  /**
   * ok: its health check passes; unhealthy: it answered otherwise; unreachable: no answer. An HTTP
   * check is asked now; any other kind is what the supervisor's last liveness probes found.
   */
  health: 'ok' | 'unhealthy' | 'unreachable';
  healthUrl: string | null;
  healthCheck: string;
  healthDetail: Record<string, unknown> | null;
  restarts: number;
  /** Liveness probes failed in a row, as the supervisor last saw them. */
  probeFailures: number;
  lastCrash: CrashRecord | null;
  message: string | null;
  logFile: string;
}

export interface PipelineReport {
  running: true;
  supervisor: {
    pid: number;
    phase: string;
    foreground: boolean;
    uptimeMs: number;
    rssBytes: number | null;
  };
  projectDir: string;
  configFile: string | null;
  dataDir: string;
  bootstrapServers: string;
  externalKafka: boolean;
  replaced: { name: string; reason: string }[];
  components: ComponentReport[];
  /** Resident memory of the supervisor and every component process. */
  totalRssBytes: number;
}

export async function buildReport(state: SupervisorState, now = Date.now()): Promise<PipelineReport> {
  const components = await Promise.all(state.components.map((component) => reportComponent(component, now)));
  const supervisorRss = residentBytes(state.pid);
  return {
    running: true,
    supervisor: {
      pid: state.pid,
      phase: state.phase,
      foreground: state.foreground,
      uptimeMs: now - Date.parse(state.startedAt),
      rssBytes: supervisorRss,
    },
    projectDir: state.projectDir,
    configFile: state.configFile,
    dataDir: state.dataDir,
    bootstrapServers: state.bootstrapServers,
    externalKafka: state.externalKafka,
    replaced: state.replaced,
    components,
    totalRssBytes:
      (supervisorRss ?? 0) + components.reduce((total, component) => total + (component.rssBytes ?? 0), 0),
  };
}

/**
 * What a killed supervisor left running: its components whose processes still live, shown as
 * `orphaned` (running without a supervisor: nothing restarts them, `venice down` stops them).
 */
export interface OrphansReport {
  running: false;
  orphaned: true;
  supervisor: { pid: number; startedAt: string } | null;
  dataDir: string;
  components: ComponentReport[];
}

export async function buildOrphansReport(
  state: SupervisorState | null,
  dataDir: string,
  orphans: readonly OrphanedComponent[],
  now = Date.now(),
): Promise<OrphansReport> {
  const components = await Promise.all(
    orphans.map((orphan) => reportComponent({ ...orphan, state: 'running' }, now, 'orphaned')),
  );
  return {
    running: false,
    orphaned: true,
    supervisor: state ? { pid: state.pid, startedAt: state.startedAt } : null,
    dataDir,
    components,
  };
}

async function reportComponent(
  component: ComponentStatus,
  now: number,
  shownState: string = component.state,
): Promise<ComponentReport> {
  return {
    name: component.name,
    pid: component.pid,
    ports: component.ports,
    state: shownState,
    uptimeMs: component.pid !== null && component.startedAt ? now - Date.parse(component.startedAt) : null,
    rssBytes: component.pid !== null ? residentBytes(component.pid) : null,
    ...(await healthOf(component)),
    healthUrl: component.healthUrl,
    healthCheck: component.healthCheck,
    restarts: component.restarts,
    probeFailures: component.probeFailures,
    lastCrash: component.lastCrash,
    message: component.message,
    logFile: component.logFile,
  };
}

async function healthOf(
  component: ComponentStatus,
): Promise<Pick<ComponentReport, 'health' | 'healthDetail'>> {
  if (component.healthUrl !== null) {
    const result = await probeHealth(component.healthUrl, 1000, component.healthCa ?? null);
    return {
      health: result.ok ? 'ok' : result.status !== null ? 'unhealthy' : 'unreachable',
      healthDetail: result.body,
    };
  }
  if (component.pid === null || component.state !== 'running')
    return { health: 'unreachable', healthDetail: null };
  return {
    health: component.probeFailures > 0 ? 'unhealthy' : 'ok',
    healthDetail: component.lastProbeError ? { error: component.lastProbeError } : null,
  };
}
