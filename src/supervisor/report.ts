// What `venice status` shows (and the console will): per component its process, memory, uptime and the
// answer of its own health endpoint, plus the supervisor itself.
import { probeHealth } from './health.js';
import { residentBytes } from './process-info.js';
import type { CrashRecord, SupervisorState } from './state.js';

export interface ComponentReport {
  name: string;
  pid: number | null;
  ports: { name: string; port: number }[];
  state: string;
  uptimeMs: number | null;
  rssBytes: number | null;
  /** ok: its health endpoint answered 200; unhealthy: it answered otherwise; unreachable: no answer. */
  health: 'ok' | 'unhealthy' | 'unreachable';
  healthUrl: string;
  healthDetail: Record<string, unknown> | null;
  restarts: number;
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
  const components = await Promise.all(
    state.components.map(async (component): Promise<ComponentReport> => {
      const health = await probeHealth(component.healthUrl, 1000);
      return {
        name: component.name,
        pid: component.pid,
        ports: component.ports,
        state: component.state,
        uptimeMs:
          component.pid !== null && component.startedAt ? now - Date.parse(component.startedAt) : null,
        rssBytes: component.pid !== null ? residentBytes(component.pid) : null,
        health: health.ok ? 'ok' : health.status !== null ? 'unhealthy' : 'unreachable',
        healthUrl: component.healthUrl,
        healthDetail: health.body,
        restarts: component.restarts,
        lastCrash: component.lastCrash,
        message: component.message,
        logFile: component.logFile,
      };
    }),
  );
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
