// One topic: its partitions' offsets, the groups that read it, its configs (editable), delete.
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
import type { TopicRow } from './topics';
import { ForWriters } from '../session';

interface TopicDetail extends TopicRow {
  id: string;
  partitionDetails: {
    partition: number;
    leader: number;
    lowOffset: string;
    highOffset: string;
    messages: string;
    sizeBytes: string | null;
  }[];
  configs: { name: string; value: string | null; source: string; readOnly: boolean }[];
  configsSet: string[];
  groups: { id: string; state: string; members: number; lag: string }[];
}

function EditConfig({ topic, onSaved }: { topic: string; onSaved: () => void }) {
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const save = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      const body = value.trim() === '' ? { delete: [name.trim()] } : { set: { [name.trim()]: value.trim() } };
      await api('PATCH', `/api/topics/${enc(topic)}/configs`, body);
      onSaved();
    } catch (failure) {
      setError(failure as Error);
    }
  };
  return (
    <form class="panel form-row" onSubmit={save} aria-label="Edit a config">
      <h3>Set a config</h3>
      <label>
        Config name
        <input
          required
          list="config-names"
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          placeholder="retention.ms"
        />
      </label>
      <label>
        Value (empty resets it to the default)
        <input value={value} onInput={(e) => setValue(e.currentTarget.value)} />
      </label>
      <button type="submit">Save</button>
      <ErrorBox error={error} />
    </form>
  );
}

export function TopicPage({ name }: { name: string }) {
  const { data, error, loading, reload } = useApi<TopicDetail>(`/api/topics/${enc(name)}`);
  const [saved, setSaved] = useState(false);
  const [deleteError, setDeleteError] = useState<Error | null>(null);
  const remove = async () => {
    if (!confirm(`Delete topic ${name} and all its messages? This cannot be undone.`)) return;
    try {
      await api('DELETE', `/api/topics/${enc(name)}`);
      location.hash = '#/topics';
    } catch (failure) {
      setDeleteError(failure as Error);
    }
  };
  return (
    <section>
      <PageTitle
        actions={
          <>
            <a class="button" href={`#/messages/${enc(name)}`}>
              Browse messages
            </a>
            <ForWriters>
              <button type="button" class="danger" onClick={remove}>
                Delete topic
              </button>
            </ForWriters>
          </>
        }
      >
        Topic {name}
      </PageTitle>
      <p>
        <a href="#/topics">← All topics</a>
      </p>
      <ErrorBox error={error ?? deleteError} />
      <Loading when={loading && !data} />
      {saved ? <Notice>Config saved.</Notice> : null}
      {data ? (
        <>
          <dl class="facts">
            <dt>Partitions</dt>
            <dd>{data.partitions}</dd>
            <dt>Messages</dt>
            <dd>{formatCount(data.messages)}</dd>
            <dt>Size on disk</dt>
            <dd>{formatBytes(data.sizeBytes)}</dd>
            <dt>Retention</dt>
            <dd>{formatRetention(data.retentionMs)}</dd>
            <dt>Cleanup policy</dt>
            <dd>{data.cleanupPolicy ?? '–'}</dd>
            <dt>Replication factor</dt>
            <dd>{data.replicationFactor}</dd>
          </dl>
          <h2>Partitions</h2>
          <DataTable
            columns={[
              {
                label: 'Partition',
                numeric: true,
                cell: (partition) => (
                  <a href={`#/messages/${enc(name)}?partition=${partition.partition}`}>
                    {partition.partition}
                  </a>
                ),
              },
              { label: 'Start offset', numeric: true, cell: (partition) => formatCount(partition.lowOffset) },
              { label: 'End offset', numeric: true, cell: (partition) => formatCount(partition.highOffset) },
              { label: 'Messages', numeric: true, cell: (partition) => formatCount(partition.messages) },
              { label: 'Size', numeric: true, cell: (partition) => formatBytes(partition.sizeBytes) },
              { label: 'Leader', numeric: true, cell: (partition) => partition.leader },
            ]}
            rows={data.partitionDetails}
            rowKey={(partition) => partition.partition}
          />
          <h2>Consumer groups reading it</h2>
          {data.groups.length === 0 ? (
            <p class="muted">No group has read this topic.</p>
          ) : (
            <DataTable
              columns={[
                { label: 'Group', cell: (group) => <a href={`#/groups/${enc(group.id)}`}>{group.id}</a> },
                { label: 'State', cell: (group) => group.state },
                { label: 'Members', numeric: true, cell: (group) => group.members },
                { label: 'Lag', numeric: true, cell: (group) => formatCount(group.lag) },
              ]}
              rows={data.groups}
              rowKey={(group) => group.id}
            />
          )}
          <h2>Configs</h2>
          <DataTable
            columns={[
              { label: 'Name', cell: (config) => config.name },
              { label: 'Value', cell: (config) => config.value ?? '–' },
              { label: 'Source', cell: (config) => config.source },
            ]}
            rows={data.configs}
            rowKey={(config) => config.name}
            rowClass={(config) => (data.configsSet.includes(config.name) ? 'set' : 'muted')}
          />
          <datalist id="config-names">
            {data.configs
              .filter((config) => !config.readOnly)
              .map((config) => (
                <option key={config.name} value={config.name} />
              ))}
          </datalist>
          <ForWriters>
            <EditConfig
              topic={name}
              onSaved={() => {
                setSaved(true);
                reload();
              }}
            />
          </ForWriters>
        </>
      ) : null}
    </section>
  );
}
