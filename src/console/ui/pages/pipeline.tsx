// The pipeline map: topics, SQL queries, connectors and PostgreSQL tables as an SVG laid out left to
// right, edges labelled with their rate, failed or stalled steps in red. Refreshed every few seconds.
import { useState } from 'preact/hooks';
import { enc } from '../api';
import { ErrorBox, Loading, PageTitle } from '../components';
import { useApi } from '../hooks';
import { layout } from '../layout';

type NodeKind = 'topic' | 'query' | 'connector' | 'table';

interface PipelineNode {
  id: string;
  kind: NodeKind;
  name: string;
  status: 'ok' | 'failed' | 'stalled' | 'unknown';
  detail: string | null;
  rate: number | null;
  lag: string | null;
}

interface PipelineGraph {
  nodes: PipelineNode[];
  edges: { from: string; to: string; rate: number | null }[];
  components: { name: string; state: string; detail: string | null }[];
}

const REFRESH_MS = 3000;
const NODE_WIDTH = 170;
const NODE_HEIGHT = 44;
const COLUMN_GAP = 230;
const ROW_GAP = 64;
const MARGIN = 12;

const KIND_LABEL: Record<NodeKind, string> = {
  topic: 'topic',
  query: 'SQL query',
  connector: 'connector',
  table: 'PostgreSQL table',
};

function link(node: PipelineNode): string {
  switch (node.kind) {
    case 'topic':
      return `#/topics/${enc(node.name)}`;
    case 'connector':
      return '#/connectors';
    default:
      return '#/sql';
  }
}

function formatRate(rate: number | null): string {
  if (rate === null) return '…';
  return rate >= 10 ? `${Math.round(rate)}/s` : `${rate.toFixed(1)}/s`;
}

function shorten(text: string, length = 22): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function describe(node: PipelineNode): string {
  const parts = [`${KIND_LABEL[node.kind]} ${node.name}`, node.status];
  if (node.rate !== null) parts.push(`${formatRate(node.rate)} in`);
  if (node.lag !== null) parts.push(`lag ${node.lag}`);
  if (node.detail) parts.push(node.detail);
  return parts.join(' · ');
}

const isBad = (node: PipelineNode) => node.status === 'failed' || node.status === 'stalled';

export function PipelineMap({ graph }: { graph: PipelineGraph }) {
  const [focused, setFocused] = useState<string | null>(null);
  const placed = layout(
    graph.nodes.map((node) => node.id),
    graph.edges,
  );
  const position = new Map(
    placed.map((p) => [p.id, { x: MARGIN + p.column * COLUMN_GAP, y: MARGIN + p.row * ROW_GAP }]),
  );
  const width = MARGIN * 2 + NODE_WIDTH + Math.max(0, ...placed.map((p) => p.column)) * COLUMN_GAP;
  const height = MARGIN * 2 + NODE_HEIGHT + Math.max(0, ...placed.map((p) => p.row)) * ROW_GAP;
  const shown = graph.nodes.find((node) => node.id === focused) ?? graph.nodes.find(isBad) ?? null;
  return (
    <>
      <div class="pipeline-scroll">
        <svg
          class="pipeline"
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          role="group"
          aria-label="Pipeline map"
        >
          <defs>
            <marker
              id="arrow"
              viewBox="0 0 10 10"
              refX="10"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto"
            >
              <path d="M0,0 L10,5 L0,10 z" class="arrow-head" />
            </marker>
          </defs>
          {graph.edges.map((edge) => {
            const from = position.get(edge.from);
            const to = position.get(edge.to);
            if (!from || !to) return null;
            const x1 = from.x + NODE_WIDTH;
            const y1 = from.y + NODE_HEIGHT / 2;
            const x2 = to.x;
            const y2 = to.y + NODE_HEIGHT / 2;
            const bend = Math.max(40, (x2 - x1) / 2);
            return (
              <g key={`${edge.from}>${edge.to}`} class="edge" data-from={edge.from} data-to={edge.to}>
                <path
                  d={`M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`}
                  marker-end="url(#arrow)"
                />
                {edge.rate === null ? null : (
                  // Beside the arrow head: edges fanning out of one node keep their labels apart.
                  <text x={x2 - 8} y={y2 - 8} text-anchor="end" class="rate">
                    {formatRate(edge.rate)}
                  </text>
                )}
              </g>
            );
          })}
          {graph.nodes.map((node) => {
            const at = position.get(node.id)!;
            const label = describe(node);
            return (
              <a
                key={node.id}
                href={link(node)}
                class={`node kind-${node.kind} status-${node.status}`}
                data-id={node.id}
                aria-label={label}
                onFocus={() => setFocused(node.id)}
                onMouseEnter={() => setFocused(node.id)}
              >
                <title>{label}</title>
                <rect x={at.x} y={at.y} width={NODE_WIDTH} height={NODE_HEIGHT} rx="6" />
                <text x={at.x + 10} y={at.y + 17} class="kind">
                  {KIND_LABEL[node.kind]}
                  {isBad(node) ? ` · ${node.status}` : ''}
                </text>
                <text x={at.x + 10} y={at.y + 34} class="name">
                  {shorten(node.name)}
                </text>
              </a>
            );
          })}
        </svg>
      </div>
      <p class={`pipeline-detail${shown && isBad(shown) ? ' bad' : ''}`} aria-live="polite">
        {shown ? describe(shown) : 'Hover over or focus a step to see its details.'}
      </p>
    </>
  );
}

export function PipelinePage() {
  const { data, error, loading } = useApi<PipelineGraph>('/api/pipeline', REFRESH_MS);
  const missing = (data?.components ?? []).filter((component) => component.state !== 'included');
  return (
    <section>
      <PageTitle>Pipeline</PageTitle>
      <ErrorBox error={error} />
      <Loading when={loading && !data} />
      {missing.map((component) => (
        <p key={component.name} class="muted">
          The {component.name === 'sql' ? 'SQL engine' : 'connect worker'} is {component.state}: its{' '}
          {component.name === 'sql' ? 'queries' : 'connectors'} are not shown.
          {component.detail ? ` (${component.detail})` : ''}
        </p>
      ))}
      {data && data.nodes.length === 0 ? (
        <p>Nothing flows yet. Create a topic, a SQL query or a connector and it appears here.</p>
      ) : null}
      {data && data.nodes.length > 0 ? <PipelineMap graph={data} /> : null}
      <p class="muted">
        Rates are messages per second into each topic, measured between refreshes (every {REFRESH_MS / 1000}{' '}
        s). Red steps have failed or stalled.
      </p>
    </section>
  );
}
