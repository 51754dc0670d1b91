// Topics: the list with partitions, messages, retention and compaction; create and delete.
import { useState } from 'preact/hooks';
import { api, enc } from '../api';
import {
  ErrorBox,
  formatBytes,
  formatCount,
  formatRetention,
  Loading,
  Notice,
  PageTitle,
} from '../components';
import { useApi } from '../hooks';
import { DataTable } from '../table';
import { ForWriters } from '../session';

export interface TopicRow {
  name: string;
  internal: boolean;
  partitions: number;
  replicationFactor: number;
  messages: string;
  retentionMs: string | null;
  compacted: boolean;
  cleanupPolicy: string | null;
  /** Bytes on disk (decimal string), null when the broker does not report it. */
  sizeBytes: string | null;
}

function CreateTopic({ onCreated }: { onCreated: (name: string) => void }) {
  const [name, setName] = useState('');
  const [partitions, setPartitions] = useState('1');
  const [policy, setPolicy] = useState('delete');
  const [retention, setRetention] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const configs: Record<string, string> = { 'cleanup.policy': policy };
      if (retention.trim() !== '') configs['retention.ms'] = retention.trim();
      await api('POST', '/api/topics', { name: name.trim(), partitions: Number(partitions), configs });
      onCreated(name.trim());
      setName('');
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="panel form-row" onSubmit={submit} aria-label="Create a topic">
      <h2>Create a topic</h2>
      <label>
        Name
        <input
          required
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          pattern="[a-zA-Z0-9._\-]{1,249}"
        />
      </label>
      <label>
        Partitions
        <input
          type="number"
          min="1"
          required
          value={partitions}
          onInput={(e) => setPartitions(e.currentTarget.value)}
        />
      </label>
      <label>
        Cleanup policy
        <select value={policy} onChange={(e) => setPolicy(e.currentTarget.value)}>
          <option value="delete">delete</option>
          <option value="compact">compact</option>
          <option value="compact,delete">compact,delete</option>
        </select>
      </label>
      <label>
        Retention (ms, empty for the default)
        <input inputMode="numeric" value={retention} onInput={(e) => setRetention(e.currentTarget.value)} />
      </label>
      <button type="submit" disabled={busy}>
        Create
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

export function TopicsPage() {
  const [internal, setInternal] = useState(false);
  const { data, error, loading, reload } = useApi<{ topics: TopicRow[] }>(
    `/api/topics${internal ? '?internal=true' : ''}`,
  );
  const [message, setMessage] = useState<string | null>(null);
  const [actionError, setActionError] = useState<Error | null>(null);
  const remove = async (name: string) => {
    if (!confirm(`Delete topic ${name} and all its messages? This cannot be undone.`)) return;
    try {
      await api('DELETE', `/api/topics/${enc(name)}`);
      setMessage(`Topic ${name} deleted.`);
      reload();
    } catch (failure) {
      setActionError(failure as Error);
    }
  };
  return (
    <section>
      <PageTitle
        actions={
          <>
            <label class="inline">
              <input
                type="checkbox"
                checked={internal}
                onChange={(e) => setInternal(e.currentTarget.checked)}
              />{' '}
              Show internal topics
            </label>
            <button type="button" onClick={reload}>
              Refresh
            </button>
          </>
        }
      >
        Topics
      </PageTitle>
      {message ? <Notice>{message}</Notice> : null}
      <ErrorBox error={error ?? actionError} />
      <Loading when={loading && !data} />
      {data ? (
        data.topics.length === 0 ? (
          <p>No topics yet. Create one below, or produce to one with `venice produce`.</p>
        ) : (
          <DataTable
            columns={[
              {
                label: 'Topic',
                cell: (topic) => (
                  <>
                    <a href={`#/topics/${enc(topic.name)}`}>{topic.name}</a>
                    {topic.internal ? <span class="badge">internal</span> : null}
                  </>
                ),
              },
              { label: 'Partitions', numeric: true, cell: (topic) => topic.partitions },
              { label: 'Messages', numeric: true, cell: (topic) => formatCount(topic.messages) },
              { label: 'Size', numeric: true, cell: (topic) => formatBytes(topic.sizeBytes) },
              { label: 'Retention', cell: (topic) => formatRetention(topic.retentionMs) },
              { label: 'Compacted', cell: (topic) => (topic.compacted ? 'yes' : 'no') },
              {
                label: 'Actions',
                hideLabel: true,
                cellClass: 'row-actions',
                cell: (topic) => (
                  <>
                    <a href={`#/messages/${enc(topic.name)}`}>Messages</a>
                    <ForWriters>
                      <button
                        type="button"
                        class="danger"
                        onClick={() => remove(topic.name)}
                        aria-label={`Delete topic ${topic.name}`}
                      >
                        Delete
                      </button>
                    </ForWriters>
                  </>
                ),
              },
            ]}
            rows={data.topics}
            rowKey={(topic) => topic.name}
          />
        )
      ) : null}
      <ForWriters>
        <CreateTopic
          onCreated={(name) => {
            setMessage(`Topic ${name} created.`);
            reload();
          }}
        />
      </ForWriters>
    </section>
  );
}
