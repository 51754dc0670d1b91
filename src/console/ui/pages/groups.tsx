// Consumer groups: the list with total lag; a group's members, assignments and lag per partition;
// reset its offsets while it is inactive; delete it.
import { useState } from 'preact/hooks';
import { api, enc } from '../api';
import { ErrorBox, formatCount, Loading, Notice, PageTitle } from '../components';
import { useApi } from '../hooks';
import { DataTable } from '../table';
import { ForWriters } from '../session';

interface GroupRow {
  id: string;
  state: string;
  members: number;
  topics: string[];
  totalLag: string;
}

interface GroupDetail {
  id: string;
  state: string;
  protocol: string;
  inactive: boolean;
  members: {
    memberId: string;
    clientId: string;
    host: string;
    assignments: { topic: string; partitions: number[] }[];
  }[];
  offsets: {
    topic: string;
    partition: number;
    committedOffset: string | null;
    endOffset: string;
    lag: string | null;
    memberId: string | null;
  }[];
  lagByTopic: { topic: string; partitions: number; lag: string }[];
  totalLag: string;
}

export function GroupsPage() {
  const { data, error, loading, reload } = useApi<{ groups: GroupRow[] }>('/api/groups', 10_000);
  return (
    <section>
      <PageTitle
        actions={
          <button type="button" onClick={reload}>
            Refresh
          </button>
        }
      >
        Consumer groups
      </PageTitle>
      <ErrorBox error={error} />
      <Loading when={loading && !data} />
      {data ? (
        data.groups.length === 0 ? (
          <p>No consumer groups yet.</p>
        ) : (
          <DataTable
            columns={[
              {
                label: 'Group',
                cellClass: 'long-names',
                cell: (group) => <a href={`#/groups/${enc(group.id)}`}>{group.id}</a>,
              },
              { label: 'State', cell: (group) => group.state },
              { label: 'Members', numeric: true, cell: (group) => group.members },
              { label: 'Topics', cellClass: 'long-names', cell: (group) => group.topics.join(', ') },
              { label: 'Total lag', numeric: true, cell: (group) => formatCount(group.totalLag) },
            ]}
            rows={data.groups}
            rowKey={(group) => group.id}
          />
        )
      ) : null}
    </section>
  );
}

function ResetOffsets({
  group,
  topics,
  inactive,
  onDone,
}: {
  group: string;
  topics: string[];
  inactive: boolean;
  onDone: (text: string) => void;
}) {
  const [topic, setTopic] = useState(topics[0] ?? '');
  const [to, setTo] = useState('earliest');
  const [time, setTime] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      const plan = await api<{ partitions: unknown[] }>('POST', `/api/groups/${enc(group)}/reset`, {
        topic,
        to,
        ...(to === 'timestamp' ? { timestamp: new Date(time).toISOString() } : {}),
      });
      onDone(`Offsets of ${plan.partitions.length} partition(s) of ${topic} reset to ${to}.`);
    } catch (failure) {
      setError(failure as Error);
    }
  };
  return (
    <form class="panel form-row" onSubmit={submit} aria-label="Reset offsets">
      <h2>Reset offsets</h2>
      {!inactive ? (
        <p class="muted">The group has members: stop its consumers before resetting its offsets.</p>
      ) : null}
      <label>
        Topic
        <select value={topic} onChange={(e) => setTopic(e.currentTarget.value)}>
          {topics.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label>
        To
        <select value={to} onChange={(e) => setTo(e.currentTarget.value)}>
          <option value="earliest">earliest</option>
          <option value="latest">latest</option>
          <option value="timestamp">a time</option>
        </select>
      </label>
      {to === 'timestamp' ? (
        <label>
          Time (local)
          <input
            type="datetime-local"
            step="1"
            required
            value={time}
            onInput={(e) => setTime(e.currentTarget.value)}
          />
        </label>
      ) : null}
      <button type="submit" disabled={!inactive || topic === ''}>
        Reset
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

export function GroupPage({ id }: { id: string }) {
  const { data, error, loading, reload } = useApi<GroupDetail>(`/api/groups/${enc(id)}`, 10_000);
  const [message, setMessage] = useState<string | null>(null);
  const [actionError, setActionError] = useState<Error | null>(null);
  const remove = async () => {
    if (!confirm(`Delete consumer group ${id} and its committed offsets?`)) return;
    try {
      await api('DELETE', `/api/groups/${enc(id)}`);
      location.hash = '#/groups';
    } catch (failure) {
      setActionError(failure as Error);
    }
  };
  return (
    <section>
      <PageTitle
        actions={
          <ForWriters>
            <button type="button" class="danger" onClick={remove}>
              Delete group
            </button>
          </ForWriters>
        }
      >
        Group {id}
      </PageTitle>
      <p>
        <a href="#/groups">← All groups</a>
      </p>
      {message ? <Notice>{message}</Notice> : null}
      <ErrorBox error={error ?? actionError} />
      <Loading when={loading && !data} />
      {data ? (
        <>
          <dl class="facts">
            <dt>State</dt>
            <dd>{data.state}</dd>
            <dt>Members</dt>
            <dd>{data.members.length}</dd>
            <dt>Total lag</dt>
            <dd data-testid="total-lag">{formatCount(data.totalLag)}</dd>
          </dl>
          <h2>Lag per partition</h2>
          <DataTable
            columns={[
              { label: 'Topic', cell: (entry) => entry.topic },
              { label: 'Partition', numeric: true, cell: (entry) => entry.partition },
              { label: 'Committed', numeric: true, cell: (entry) => entry.committedOffset ?? '–' },
              { label: 'End', numeric: true, cell: (entry) => entry.endOffset },
              { label: 'Lag', numeric: true, cell: (entry) => entry.lag ?? '–' },
              { label: 'Member', cellClass: 'muted', cell: (entry) => entry.memberId ?? '' },
            ]}
            rows={data.offsets}
            rowKey={(entry) => `${entry.topic}:${entry.partition}`}
          />
          <h2>Members</h2>
          {data.members.length === 0 ? (
            <p class="muted">No members: the group is inactive.</p>
          ) : (
            <DataTable
              columns={[
                { label: 'Member', cell: (member) => member.memberId },
                { label: 'Client', cell: (member) => member.clientId },
                { label: 'Host', cell: (member) => member.host },
                {
                  label: 'Assignments',
                  cell: (member) =>
                    member.assignments.map((a) => `${a.topic}[${a.partitions.join(',')}]`).join(' '),
                },
              ]}
              rows={data.members}
              rowKey={(member) => member.memberId}
            />
          )}
          <ForWriters>
            <ResetOffsets
              group={id}
              topics={data.lagByTopic.map((entry) => entry.topic)}
              inactive={data.inactive}
              onDone={(text) => {
                setMessage(text);
                reload();
              }}
            />
          </ForWriters>
        </>
      ) : null}
    </section>
  );
}
