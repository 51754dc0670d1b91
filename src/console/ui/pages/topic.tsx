// One topic: its partitions' offsets, the groups that read it, its configs (editable), delete.
import { useState } from 'preact/hooks';
import { api, enc } from '../api';
import { ErrorBox, formatCount, formatRetention, Loading, Notice, PageTitle } from '../components';
import { useApi } from '../hooks';
import type { TopicRow } from './topics';

interface TopicDetail extends TopicRow {
  id: string;
  partitionDetails: {
    partition: number;
    leader: number;
    lowOffset: string;
    highOffset: string;
    messages: string;
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
            <button type="button" class="danger" onClick={remove}>
              Delete topic
            </button>
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
            <dt>Retention</dt>
            <dd>{formatRetention(data.retentionMs)}</dd>
            <dt>Cleanup policy</dt>
            <dd>{data.cleanupPolicy ?? '–'}</dd>
            <dt>Replication factor</dt>
            <dd>{data.replicationFactor}</dd>
          </dl>
          <h2>Partitions</h2>
          <table>
            <thead>
              <tr>
                <th scope="col" class="num">
                  Partition
                </th>
                <th scope="col" class="num">
                  Start offset
                </th>
                <th scope="col" class="num">
                  End offset
                </th>
                <th scope="col" class="num">
                  Messages
                </th>
                <th scope="col" class="num">
                  Leader
                </th>
              </tr>
            </thead>
            <tbody>
              {data.partitionDetails.map((partition) => (
                <tr key={partition.partition}>
                  <td class="num">
                    <a href={`#/messages/${enc(name)}?partition=${partition.partition}`}>
                      {partition.partition}
                    </a>
                  </td>
                  <td class="num">{formatCount(partition.lowOffset)}</td>
                  <td class="num">{formatCount(partition.highOffset)}</td>
                  <td class="num">{formatCount(partition.messages)}</td>
                  <td class="num">{partition.leader}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Consumer groups reading it</h2>
          {data.groups.length === 0 ? (
            <p class="muted">No group has read this topic.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Group</th>
                  <th scope="col">State</th>
                  <th scope="col" class="num">
                    Members
                  </th>
                  <th scope="col" class="num">
                    Lag
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.groups.map((group) => (
                  <tr key={group.id}>
                    <td>
                      <a href={`#/groups/${enc(group.id)}`}>{group.id}</a>
                    </td>
                    <td>{group.state}</td>
                    <td class="num">{group.members}</td>
                    <td class="num">{formatCount(group.lag)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>Configs</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Value</th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {data.configs.map((config) => (
                <tr key={config.name} class={data.configsSet.includes(config.name) ? 'set' : 'muted'}>
                  <td>{config.name}</td>
                  <td>{config.value ?? '–'}</td>
                  <td>{config.source}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <datalist id="config-names">
            {data.configs
              .filter((config) => !config.readOnly)
              .map((config) => (
                <option key={config.name} value={config.name} />
              ))}
          </datalist>
          <EditConfig
            topic={name}
            onSaved={() => {
              setSaved(true);
              reload();
            }}
          />
        </>
      ) : null}
    </section>
  );
}
