// GET /api/pipeline: the whole flow as a graph. Topics (user ones only), the SQL engine's persistent
// queries, the connect worker's connectors and the PostgreSQL tables they read or write, with each
// topic's input rate on the edges and a status per node (failed, stalled). A component that is not
// configured or does not answer contributes no nodes, and `components` says so.
import type { FastifyPluginAsync } from 'fastify';
import type { Kafka } from '../../client/index.js';
import { groupView } from '../../views/groups.js';
import type { ApiContext } from './context.js';
import { forward } from './passthrough.js';
import { describeAll } from './topics.js';

export type NodeKind = 'topic' | 'query' | 'connector' | 'table';
export type NodeStatus = 'ok' | 'failed' | 'stalled' | 'unknown';

export interface PipelineNode {
  id: string;
  kind: NodeKind;
  /** The topic, query id, connector or table name. */
  name: string;
  status: NodeStatus;
  /** Why a node is failed or stalled, or what it is (a query's statement, a connector's class). */
  detail: string | null;
  /**
   * Messages per second into a topic, or into a query or connector from the topics it reads; null until
   * two samples are at least a second apart.
   */
  rate: number | null;
  /** A query's or sink connector's consumer group lag on the topics it reads, as a decimal string. */
  lag: bigint | null;
}

export interface PipelineEdge {
  from: string;
  to: string;
  /** Messages per second along the edge: its topic's rate, or a sink's input rate into its table. */
  rate: number | null;
}

export interface ComponentNote {
  name: 'sql' | 'connect';
  /** included: its nodes are in the graph; otherwise why they are not. */
  state: 'included' | 'not configured' | 'unreachable' | 'error';
  detail: string | null;
}

export interface PipelineGraph {
  nodes: PipelineNode[];
  edges: PipelineEdge[];
  components: ComponentNote[];
  sampledAt: number;
}

/** Topics the platform keeps for itself: not part of the user's flow. */
export function isPlumbingTopic(name: string): boolean {
  return (
    name.startsWith('_') ||
    /-changelog$|-repartition$/.test(name) ||
    /_command_topic$|-command$/.test(name) ||
    /^connect-(configs|offsets|status)$/.test(name)
  );
}

interface Sample {
  at: number;
  value: bigint;
}

/** Samples kept between calls, so that a rate is the change since the previous call. */
export class RateSampler {
  readonly #previous = new Map<string, Sample>();
  readonly #last = new Map<string, number>();
  readonly #minimumGapMs: number;

  constructor(minimumGapMs = 1000) {
    this.#minimumGapMs = minimumGapMs;
  }

  /** Records the value and returns the change per second since the last kept sample (null the first time). */
  rate(key: string, value: bigint, now: number): number | null {
    const previous = this.#previous.get(key);
    if (previous === undefined || value < previous.value) {
      this.#previous.set(key, { at: now, value });
      return null;
    }
    const elapsedMs = now - previous.at;
    // Calls close together keep the older sample, so a rate always spans at least the gap.
    if (elapsedMs < this.#minimumGapMs) return this.#last.get(key) ?? null;
    const perSecond = (Number(value - previous.value) * 1000) / elapsedMs;
    this.#previous.set(key, { at: now, value });
    this.#last.set(key, perSecond);
    return perSecond;
  }

  /** The previous value, before rate() replaces it. */
  previous(key: string): bigint | null {
    return this.#previous.get(key)?.value ?? null;
  }
}

interface QueryDescriptionEntity {
  id: string;
  statementText?: string;
  sources?: string[];
  sinks?: string[];
  state?: string;
}
interface SourceEntity {
  name: string;
  topic: string;
}
interface KsqlEntity {
  '@type'?: string;
  queryDescriptions?: QueryDescriptionEntity[];
  streams?: SourceEntity[];
  tables?: SourceEntity[];
}

interface ConnectorEntry {
  status?: {
    connector?: { state?: string; trace?: string };
    tasks?: { id: number; state?: string; trace?: string }[];
    type?: string;
  };
  info?: { config?: Record<string, string>; type?: string };
}

class GraphBuilder {
  readonly nodes = new Map<string, PipelineNode>();
  readonly edges: PipelineEdge[] = [];

  add(kind: NodeKind, name: string, fields: Partial<PipelineNode> = {}): string {
    const id = `${kind}:${name}`;
    const existing = this.nodes.get(id);
    if (existing) Object.assign(existing, fields);
    else this.nodes.set(id, { id, kind, name, status: 'ok', detail: null, rate: null, lag: null, ...fields });
    return id;
  }

  connect(from: string, to: string): void {
    if (!this.edges.some((edge) => edge.from === from && edge.to === to))
      this.edges.push({ from, to, rate: null });
  }
}

function firstLine(text: string | undefined): string | null {
  return text ? (text.split('\n')[0] ?? null) : null;
}

/** A node that reads topics through a consumer group: its lag tells whether it keeps up. */
interface Reader {
  nodeId: string;
  /** The group's id, or how to recognise it when only its end is known (a query's service id prefix). */
  group: (groups: readonly string[]) => string | undefined;
  topics: string[];
}

/** Adds the persistent queries and the topics they read and write; returns them as readers. */
async function addQueries(graph: GraphBuilder, base: string, via: typeof fetch): Promise<Reader[]> {
  const answer = await forward(
    'SQL engine',
    base,
    'POST',
    '/ksql',
    { ksql: 'SHOW QUERIES EXTENDED; SHOW STREAMS; SHOW TABLES;', streamsProperties: {} },
    via,
  );
  if (answer.status >= 400 || !Array.isArray(answer.body))
    throw new Error(`the SQL engine answered ${answer.status}`);
  const entities = answer.body as KsqlEntity[];
  const topicOf = new Map<string, string>();
  for (const entity of entities)
    for (const source of [...(entity.streams ?? []), ...(entity.tables ?? [])])
      topicOf.set(source.name, source.topic);
  const readers: Reader[] = [];
  for (const entity of entities)
    for (const query of entity.queryDescriptions ?? []) {
      const state = query.state ?? 'UNKNOWN';
      const failed = state === 'ERROR' || state === 'FAILED';
      const id = graph.add('query', query.id, {
        status: failed ? 'failed' : 'ok',
        detail: failed ? `query state ${state}` : (query.statementText ?? null),
      });
      const read: string[] = [];
      for (const source of query.sources ?? []) {
        const topic = topicOf.get(source);
        if (topic === undefined) continue;
        read.push(topic);
        graph.connect(graph.add('topic', topic), id);
      }
      // The SQL engine names a query's group _confluent-ksql-<service id>query_<query id>.
      const suffix = `query_${query.id}`;
      readers.push({
        nodeId: id,
        group: (groups) => groups.find((g) => g.startsWith('_confluent-ksql-') && g.endsWith(suffix)),
        topics: read,
      });
      for (const sink of query.sinks ?? []) {
        const topic = topicOf.get(sink);
        if (topic !== undefined) graph.connect(id, graph.add('topic', topic));
      }
    }
  return readers;
}

function listSetting(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function isPostgres(config: Record<string, string>): boolean {
  return config['connection.url'] !== undefined || /jdbc|postgres/i.test(config['connector.class'] ?? '');
}

function connectorFailure(entry: ConnectorEntry): string | null {
  const connector = entry.status?.connector;
  if (connector?.state === 'FAILED')
    return `connector FAILED${connector.trace ? `: ${firstLine(connector.trace)}` : ''}`;
  const task = entry.status?.tasks?.find((t) => t.state === 'FAILED');
  if (task) return `task ${task.id} FAILED${task.trace ? `: ${firstLine(task.trace)}` : ''}`;
  return null;
}

/** Adds the connectors and their tables; returns the sink connectors as readers. */
async function addConnectors(
  graph: GraphBuilder,
  base: string,
  topics: readonly string[],
  via: typeof fetch,
): Promise<Reader[]> {
  const answer = await forward(
    'connect worker',
    base,
    'GET',
    '/connectors?expand=status&expand=info',
    undefined,
    via,
  );
  if (answer.status >= 400 || answer.body === null || typeof answer.body !== 'object')
    throw new Error(`the connect worker answered ${answer.status}`);
  const readers: Reader[] = [];
  for (const [name, entry] of Object.entries(answer.body as Record<string, ConnectorEntry>)) {
    const config = entry.info?.config ?? {};
    const type = entry.info?.type ?? entry.status?.type ?? 'unknown';
    const failure = connectorFailure(entry);
    const state = entry.status?.connector?.state;
    const id = graph.add('connector', name, {
      status: failure ? 'failed' : 'ok',
      detail: failure ?? `${type} ${config['connector.class'] ?? ''}${state ? ` (${state})` : ''}`.trim(),
    });
    if (type === 'sink') {
      const regex = config['topics.regex'] ? new RegExp(`^(?:${config['topics.regex']})$`) : null;
      const read = [...listSetting(config.topics), ...(regex ? topics.filter((t) => regex.test(t)) : [])];
      // Kafka Connect's sink tasks consume as the group connect-<connector name>.
      readers.push({ nodeId: id, group: () => `connect-${name}`, topics: read });
      for (const topic of read) {
        graph.connect(graph.add('topic', topic), id);
        if (isPostgres(config)) {
          const table = (config['table.name.format'] || '${topic}').replaceAll('${topic}', topic);
          graph.connect(id, graph.add('table', table));
        }
      }
    } else if (type === 'source') {
      const written = config.topic ? [config.topic] : [];
      const prefix = config['topic.prefix'];
      const tables = [
        ...listSetting(config['table.whitelist']),
        ...listSetting(config['table.include.list']),
      ];
      for (const table of tables) graph.connect(graph.add('table', table), id);
      if (prefix !== undefined)
        written.push(...topics.filter((topic) => topic.startsWith(prefix) && topic !== prefix));
      for (const topic of written) graph.connect(id, graph.add('topic', topic));
    }
  }
  return readers;
}

async function groupLag(kafka: Kafka, group: string, topics: readonly string[]) {
  const view = groupView(await kafka.groups.describe(group));
  let lag = 0n;
  let committed = 0n;
  for (const entry of view.offsets)
    if (topics.includes(entry.topic)) {
      lag += entry.lag ?? 0n;
      committed += entry.committedOffset ?? 0n;
    }
  return { lag, committed };
}

function unavailable(name: ComponentNote['name'], error: unknown): ComponentNote {
  const message = error instanceof Error ? error.message : String(error);
  return { name, state: /does not answer/.test(message) ? 'unreachable' : 'error', detail: message };
}

/** Each topic's end offset summed over its partitions; topics that vanished meanwhile are left out. */
async function endOffsets(kafka: Kafka, names: readonly string[]): Promise<Map<string, bigint>> {
  const ends = new Map<string, bigint>();
  for (const described of await describeAll(kafka, names))
    ends.set(
      described.name,
      described.partitions.reduce((sum, partition) => sum + partition.highOffset, 0n),
    );
  return ends;
}

/** A reader is stalled when its lag grew, nothing was committed and its topics have input. */
async function markStalled(
  context: ApiContext,
  graph: GraphBuilder,
  readers: readonly Reader[],
  sampler: RateSampler,
  now: number,
): Promise<void> {
  if (readers.length === 0) return;
  const groups = (await context.kafka.groups.list()).map((group) => group.id);
  for (const reader of readers) {
    const node = graph.nodes.get(reader.nodeId)!;
    const group = reader.group(groups);
    if (group === undefined || !groups.includes(group)) continue;
    const measured = await groupLag(context.kafka, group, reader.topics).catch(() => null);
    if (measured === null) continue;
    node.lag = measured.lag;
    const previousLag = sampler.previous(`lag:${reader.nodeId}`);
    const previousCommitted = sampler.previous(`committed:${reader.nodeId}`);
    sampler.rate(`lag:${reader.nodeId}`, measured.lag, now);
    sampler.rate(`committed:${reader.nodeId}`, measured.committed, now);
    const input = reader.topics.some((topic) => (graph.nodes.get(`topic:${topic}`)?.rate ?? 0) > 0);
    const grew = previousLag !== null && measured.lag > previousLag;
    if (node.status === 'ok' && input && grew && measured.committed === previousCommitted)
      Object.assign(node, {
        status: 'stalled',
        detail:
          `group ${group}: lag grew to ${measured.lag} while its topics have input, and nothing was committed` +
          (node.detail?.includes('(PAUSED)') ? ' (the connector is paused)' : ''),
      });
  }
}

export async function buildPipeline(context: ApiContext, sampler: RateSampler): Promise<PipelineGraph> {
  const now = Date.now();
  const graph = new GraphBuilder();
  const listed = await context.kafka.topics.list({ includeInternal: false });
  const topicNames = listed.map((topic) => topic.name).filter((name) => !isPlumbingTopic(name));
  const components: ComponentNote[] = [];
  const readers: Reader[] = [];

  const include = async (
    name: ComponentNote['name'],
    url: string | null,
    add: (url: string) => Promise<Reader[]>,
  ) => {
    if (url === null) return components.push({ name, state: 'not configured', detail: null });
    try {
      readers.push(...(await add(url)));
      components.push({ name, state: 'included', detail: null });
    } catch (error) {
      components.push(unavailable(name, error));
    }
  };
  await Promise.all([
    include('sql', context.urls.sql, (url) => addQueries(graph, url, context.fetch)),
    include('connect', context.urls.connect, (url) => addConnectors(graph, url, topicNames, context.fetch)),
  ]);

  // Every user topic is a node, even one nothing reads yet: producers write to it.
  for (const name of topicNames) graph.add('topic', name);
  const topicNodes = [...graph.nodes.values()].filter((node) => node.kind === 'topic');
  const ends = await endOffsets(
    context.kafka,
    topicNodes.map((node) => node.name),
  );
  for (const node of topicNodes) {
    const end = ends.get(node.name);
    if (end === undefined)
      Object.assign(node, { status: 'unknown', detail: 'the topic does not exist (yet)' });
    else node.rate = sampler.rate(`topic:${node.name}`, end, now);
  }
  // A query's or a sink's rate is its input's: the sum over the topics it reads.
  for (const edge of graph.edges) {
    const from = graph.nodes.get(edge.from)!;
    const to = graph.nodes.get(edge.to)!;
    if (from.kind === 'topic' && to.kind !== 'topic' && from.rate !== null)
      to.rate = (to.rate ?? 0) + from.rate;
  }
  await markStalled(context, graph, readers, sampler, now);

  // An edge carries the rate of the topic at one of its ends; connector -> table carries the sink's input.
  for (const edge of graph.edges) {
    const from = graph.nodes.get(edge.from)!;
    const to = graph.nodes.get(edge.to)!;
    edge.rate = from.kind === 'topic' || to.kind !== 'topic' ? from.rate : to.rate;
  }
  const order: Record<NodeKind, number> = { topic: 0, query: 1, connector: 2, table: 3 };
  const nodes = [...graph.nodes.values()].sort(
    (a, b) => order[a.kind] - order[b.kind] || a.name.localeCompare(b.name),
  );
  components.sort((a, b) => a.name.localeCompare(b.name));
  return { nodes, edges: graph.edges, components, sampledAt: now };
}

export const pipelineRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  const sampler = new RateSampler();
  app.get('/api/pipeline', async () => buildPipeline(context, sampler));
};
