// Overview: the broker, topic/partition/message counts, the message rate as a chart, component health.
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { ErrorBox, formatCount, HealthBadge, Loading, PageTitle } from '../components';
import { useApi } from '../hooks';

interface Overview {
  broker: { bootstrapServers: string; reachable: boolean; error: string | null };
  topics: number;
  internalTopics: number;
  partitions: number;
  messages: string;
  components: { name: string; health: string; state?: string; detail?: string }[];
  componentsFrom: 'supervisor' | 'probes';
  statusError: string | null;
}

const REFRESH_MS = 5000;
const POINTS = 60;

/** Messages written per second, from the change in the total between two refreshes. */
function RateChart({ samples }: { samples: [number, number][] }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  useEffect(() => {
    if (!host.current) return;
    chart.current = new uPlot(
      {
        width: Math.min(host.current.clientWidth || 600, 900),
        height: 180,
        series: [{}, { label: 'messages/s', stroke: '#2563eb', width: 2, fill: 'rgba(37,99,235,0.08)' }],
        axes: [{}, { size: 60 }],
        legend: { show: true },
      },
      [[], []],
      host.current,
    );
    return () => chart.current?.destroy();
  }, []);
  useEffect(() => {
    chart.current?.setData([samples.map((sample) => sample[0]), samples.map((sample) => sample[1])]);
  }, [samples]);
  return (
    <div ref={host} class="chart" role="img" aria-label="Messages written per second, last five minutes" />
  );
}

export function OverviewPage() {
  const { data, error, loading } = useApi<Overview>('/api/overview', REFRESH_MS);
  const [samples, setSamples] = useState<[number, number][]>([]);
  const last = useRef<{ at: number; total: number } | null>(null);
  useEffect(() => {
    if (!data) return;
    const now = Date.now() / 1000;
    const total = Number(data.messages);
    const previous = last.current;
    last.current = { at: now, total };
    if (previous && now > previous.at) {
      const rate = Math.max(0, (total - previous.total) / (now - previous.at));
      setSamples((list) => [...list, [now, rate] as [number, number]].slice(-POINTS));
    }
  }, [data]);

  return (
    <section>
      <PageTitle>Overview</PageTitle>
      <ErrorBox error={error} />
      <Loading when={loading && !data} />
      {data ? (
        <>
          <div class="cards">
            <div class="card">
              <div class="label">Broker</div>
              <div class="value small">{data.broker.bootstrapServers}</div>
              <HealthBadge health={data.broker.reachable ? 'ok' : 'unreachable'} />
            </div>
            <div class="card">
              <div class="label">Topics</div>
              <div class="value">{formatCount(data.topics)}</div>
              <div class="muted">+{data.internalTopics} internal</div>
            </div>
            <div class="card">
              <div class="label">Partitions</div>
              <div class="value">{formatCount(data.partitions)}</div>
            </div>
            <div class="card">
              <div class="label">Messages</div>
              <div class="value">{formatCount(data.messages)}</div>
            </div>
          </div>
          <h2>Messages written per second</h2>
          <RateChart samples={samples} />
          <p class="muted">Sampled every {REFRESH_MS / 1000} s from the topics' end offsets.</p>
          <h2>Components</h2>
          <p class="muted">
            {data.componentsFrom === 'supervisor'
              ? 'As the supervisor reports them (venice status).'
              : `Probed by the console${data.statusError ? ` (no supervisor: ${data.statusError})` : ''}.`}
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Component</th>
                <th scope="col">State</th>
                <th scope="col">Health</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {data.components.map((component) => (
                <tr key={component.name}>
                  <td>{component.name}</td>
                  <td>{component.state ?? '–'}</td>
                  <td>
                    <HealthBadge health={component.health} />
                  </td>
                  <td class="muted">{component.detail ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
