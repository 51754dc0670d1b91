// /api/overview: the broker, topic, partition and message counts, and each component's health. Under
// `venice up` the health is the supervisor's status report (what `venice status --json` prints); a
// console run on its own asks each component's health endpoint itself.
import type { FastifyPluginAsync } from 'fastify';
import type { ApiContext } from './context.js';
import { listTopicRows } from './topics.js';

export interface ComponentHealth {
  name: string;
  health: 'ok' | 'unhealthy' | 'unreachable' | 'not configured';
  state?: string;
  detail?: string;
  url?: string | null;
}

async function probe(name: string, base: string | null, via: typeof fetch): Promise<ComponentHealth> {
  if (base === null) return { name, health: 'not configured', url: null };
  const url = new URL('/health', base).toString();
  try {
    const response = await via(url, { signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return { name, url, health: response.ok ? 'ok' : 'unhealthy', detail: `HTTP ${response.status}` };
  } catch (error) {
    return { name, url, health: 'unreachable', detail: (error as Error).message };
  }
}

interface StatusComponent {
  name: string;
  state: string;
  health: ComponentHealth['health'];
  pid: number | null;
  uptimeMs: number | null;
  rssBytes: number | null;
  restarts: number;
}

/** The supervisor's report reduced to what the overview shows, or null when it has none. */
function fromStatus(report: unknown): ComponentHealth[] | null {
  if (
    !report ||
    typeof report !== 'object' ||
    !Array.isArray((report as { components?: unknown }).components)
  )
    return null;
  return ((report as { components: StatusComponent[] }).components ?? []).map((component) => ({
    name: component.name,
    state: component.state,
    health: component.health,
    detail: `pid ${component.pid ?? '-'}, ${component.restarts} restart(s)`,
  }));
}

export const overviewRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  app.get('/api/overview', async () => {
    const [topics, status] = await Promise.all([
      listTopicRows(context.kafka, true).then(
        (rows) => ({ rows, error: null }),
        (error: unknown) => ({ rows: [], error: (error as Error).message }),
      ),
      context.status
        ? context.status().then(
            (report) => ({ report, error: null }),
            (error: unknown) => ({ report: null, error: (error as Error).message }),
          )
        : Promise.resolve({ report: null, error: null }),
    ]);
    let components = fromStatus(status.report);
    const source = components ? 'supervisor' : 'probes';
    if (components === null) {
      components = [
        {
          name: 'broker',
          health: topics.error === null ? 'ok' : 'unreachable',
          detail: topics.error ?? context.bootstrapServers,
        },
        ...(await Promise.all([
          probe('registry', context.urls.registry, context.fetch),
          probe('sql', context.urls.sql, context.fetch),
          probe('connect', context.urls.connect, context.fetch),
        ])),
      ];
    }
    const userTopics = topics.rows.filter((row) => !row.internal);
    return {
      broker: {
        bootstrapServers: context.bootstrapServers,
        reachable: topics.error === null,
        error: topics.error,
      },
      topics: userTopics.length,
      internalTopics: topics.rows.length - userTopics.length,
      partitions: userTopics.reduce((sum, row) => sum + row.partitions, 0),
      messages: userTopics.reduce((sum, row) => sum + row.messages, 0n),
      components,
      componentsFrom: source,
      statusError: status.error,
      status: status.report,
    };
  });
};
