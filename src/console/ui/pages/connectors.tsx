// Connectors (through the connect worker): connector and task states with their traces; pause,
// resume, restart, delete; create one from a form or from JSON; the installed plugins.
import { useState } from 'preact/hooks';
import { api, enc } from '../api';
import { ErrorBox, HealthBadge, Loading, Notice, PageTitle } from '../components';
import { useApi } from '../hooks';
import { DataTable } from '../table';
import { ConnectorForm, type NewConnector, type Plugin } from './connector-form';
import { ForWriters } from '../session';

interface TaskStatus {
  id: number;
  state: string;
  worker_id: string;
  trace?: string;
}
interface ConnectorEntry {
  status?: {
    name: string;
    connector: { state: string; worker_id: string; trace?: string };
    tasks: TaskStatus[];
    type?: string;
  };
  info?: { name: string; config: Record<string, string>; type?: string };
}

const EXAMPLE = JSON.stringify(
  {
    name: 'orders-to-postgres',
    config: {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
      topics: 'orders',
      'auto.create': 'true',
    },
  },
  null,
  2,
);

export function ConnectorsPage() {
  const connectors = useApi<Record<string, ConnectorEntry>>(
    '/api/connect/connectors?expand=status&expand=info',
    10_000,
  );
  const plugins = useApi<Plugin[]>('/api/connect/connector-plugins');
  const [json, setJson] = useState(EXAMPLE);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);

  const act = async (method: string, path: string, done: string, body?: unknown) => {
    setError(null);
    try {
      await api(method, `/api/connect${path}`, body);
      setNotice(done);
      connectors.reload();
    } catch (failure) {
      setError(failure as Error);
    }
  };
  const create = async (event: Event) => {
    event.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (failure) {
      setError(new Error(`the connector is not valid JSON: ${(failure as Error).message}`));
      return;
    }
    await act('POST', '/connectors', 'Connector created.', parsed);
  };
  const createFromForm = async (connector: NewConnector) => {
    // The form shows its own error; the worker's refusal (a bad config) is thrown back to it.
    await api('POST', '/api/connect/connectors', connector);
    setNotice(`Connector ${connector.name} created.`);
    connectors.reload();
  };

  const entries = Object.entries(connectors.data ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section>
      <PageTitle
        actions={
          <button type="button" onClick={connectors.reload}>
            Refresh
          </button>
        }
      >
        Connectors
      </PageTitle>
      {notice ? <Notice>{notice}</Notice> : null}
      <ErrorBox error={connectors.error ?? error} />
      <Loading when={connectors.loading && !connectors.data} />
      {connectors.data && entries.length === 0 ? <p>No connectors yet. Create one below.</p> : null}
      {entries.length > 0 ? (
        <DataTable
          columns={[
            { label: 'Connector', cell: ([name]) => name },
            {
              label: 'Class',
              cellClass: 'muted',
              cell: ([, entry]) => entry.info?.config['connector.class'] ?? '',
            },
            {
              label: 'State',
              cell: ([, entry]) => <HealthBadge health={entry.status?.connector.state ?? 'UNKNOWN'} />,
            },
            {
              label: 'Tasks',
              cell: ([, entry]) => {
                const traces = [
                  entry.status?.connector.trace,
                  ...(entry.status?.tasks ?? []).map((task) => task.trace),
                ].filter(Boolean);
                return (
                  <>
                    {(entry.status?.tasks ?? []).map((task) => (
                      <div key={task.id}>
                        #{task.id} <HealthBadge health={task.state} />
                      </div>
                    ))}
                    {traces.length > 0 ? (
                      <details>
                        <summary>Error trace</summary>
                        <pre>{traces.join('\n\n')}</pre>
                      </details>
                    ) : null}
                  </>
                );
              },
            },
            {
              label: 'Actions',
              hideLabel: true,
              cellClass: 'row-actions',
              cell: ([name]) => {
                const path = `/connectors/${enc(name)}`;
                return (
                  <ForWriters>
                    <button
                      type="button"
                      aria-label={`Pause ${name}`}
                      onClick={() => act('PUT', `${path}/pause`, `${name} paused.`)}
                    >
                      Pause
                    </button>
                    <button
                      type="button"
                      aria-label={`Resume ${name}`}
                      onClick={() => act('PUT', `${path}/resume`, `${name} resumed.`)}
                    >
                      Resume
                    </button>
                    <button
                      type="button"
                      aria-label={`Restart ${name}`}
                      onClick={() => act('POST', `${path}/restart?includeTasks=true`, `${name} restarted.`)}
                    >
                      Restart
                    </button>
                    <button
                      type="button"
                      class="danger"
                      aria-label={`Delete ${name}`}
                      onClick={() =>
                        confirm(`Delete connector ${name}?`) && act('DELETE', path, `${name} deleted.`)
                      }
                    >
                      Delete
                    </button>
                  </ForWriters>
                );
              },
            },
          ]}
          rows={entries}
          rowKey={([name]) => name}
        />
      ) : null}
      <ForWriters>
        <ConnectorForm plugins={plugins.data ?? []} onCreate={createFromForm} />
        <details class="panel">
          <summary>Create from JSON</summary>
          <form onSubmit={create} aria-label="Create a connector from JSON">
            <label class="block">
              Connector as JSON (name and config)
              <textarea rows={8} value={json} onInput={(e) => setJson(e.currentTarget.value)} />
            </label>
            <button type="submit">Create from JSON</button>
          </form>
        </details>
      </ForWriters>
      <h2>Plugins</h2>
      <ErrorBox error={plugins.error} />
      <ul>
        {(plugins.data ?? []).map((plugin) => (
          <li key={plugin.class}>
            <code>{plugin.class}</code> ({plugin.type})
          </li>
        ))}
      </ul>
    </section>
  );
}
