// Messages: browse a topic (newest first, from an offset or from a time; one partition or all) with
// keys, values and headers decoded, filter what was read, and produce a message.
import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../api';
import { DecodedValue, ErrorBox, formatTime, Notice, PageTitle, type DecodedField } from '../components';
import { useApi } from '../hooks';
import type { TopicRow } from './topics';
import { ForWriters } from '../session';

interface BrowsedRecord {
  partition: number;
  offset: string;
  timestamp: string;
  key: DecodedField;
  value: DecodedField;
  headers: { key: string; value: DecodedField }[];
}

type Mode = 'newest' | 'offset' | 'timestamp';

/** The most records the live tail keeps on the page. */
const TAIL_KEEP = 500;

function matches(record: BrowsedRecord, filter: string): boolean {
  if (filter === '') return true;
  const needle = filter.toLowerCase();
  const text = (field: DecodedField) =>
    typeof field.value === 'string' ? field.value : JSON.stringify(field.value);
  return [
    text(record.key),
    text(record.value),
    ...record.headers.map((h) => `${h.key}=${text(h.value)}`),
  ].some((item) => (item ?? '').toLowerCase().includes(needle));
}

function Produce({
  topic,
  partitions,
  onProduced,
}: {
  topic: string;
  partitions: number;
  onProduced: (where: string) => void;
}) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [encoding, setEncoding] = useState('text');
  const [schemaType, setSchemaType] = useState('AVRO');
  const [schema, setSchema] = useState('');
  const [subject, setSubject] = useState('');
  const [partition, setPartition] = useState('');
  const [headers, setHeaders] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      const headerList = headers
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .map((line) => {
          const at = line.indexOf('=');
          return at < 0 ? { key: line, value: '' } : { key: line.slice(0, at), value: line.slice(at + 1) };
        });
      const produced = await api<{ partition: number; offset: string }>(
        'POST',
        `/api/topics/${enc(topic)}/messages`,
        {
          key: key === '' ? null : key,
          value,
          valueEncoding: encoding,
          ...(encoding === 'schema'
            ? {
                valueSchemaType: schemaType,
                valueSchema: schema || undefined,
                valueSubject: subject || undefined,
              }
            : {}),
          ...(partition === '' ? {} : { partition: Number(partition) }),
          headers: headerList,
        },
      );
      onProduced(`partition ${produced.partition}, offset ${produced.offset}`);
    } catch (failure) {
      setError(failure as Error);
    }
  };
  return (
    <form class="panel" onSubmit={submit} aria-label="Produce a message">
      <h2>Produce a message</h2>
      <div class="form-row">
        <label>
          Key (empty for none)
          <input value={key} onInput={(e) => setKey(e.currentTarget.value)} />
        </label>
        <label>
          Partition
          <select value={partition} onChange={(e) => setPartition(e.currentTarget.value)}>
            <option value="">by key (or round robin)</option>
            {Array.from({ length: partitions }, (_, index) => (
              <option key={index} value={String(index)}>
                {index}
              </option>
            ))}
          </select>
        </label>
        <label>
          Value as
          <select value={encoding} onChange={(e) => setEncoding(e.currentTarget.value)}>
            <option value="text">text</option>
            <option value="json">JSON</option>
            <option value="schema">JSON encoded with a schema</option>
          </select>
        </label>
        {encoding === 'schema' ? (
          <>
            <label>
              Schema type
              <select value={schemaType} onChange={(e) => setSchemaType(e.currentTarget.value)}>
                <option value="AVRO">Avro</option>
                <option value="JSON">JSON Schema</option>
                <option value="PROTOBUF">Protobuf</option>
              </select>
            </label>
            <label>
              Subject (empty: {topic}-value)
              <input value={subject} onInput={(e) => setSubject(e.currentTarget.value)} />
            </label>
          </>
        ) : null}
      </div>
      <label class="block">
        Value
        <textarea rows={4} value={value} onInput={(e) => setValue(e.currentTarget.value)} />
      </label>
      {encoding === 'schema' ? (
        <label class="block">
          Schema (empty: the subject's latest version)
          <textarea rows={4} value={schema} onInput={(e) => setSchema(e.currentTarget.value)} />
        </label>
      ) : null}
      <label class="block">
        Headers (one name=value a line)
        <textarea rows={2} value={headers} onInput={(e) => setHeaders(e.currentTarget.value)} />
      </label>
      <button type="submit">Produce</button>
      <ErrorBox error={error} />
    </form>
  );
}

export function MessagesPage({ topic, initialPartition }: { topic: string; initialPartition: string }) {
  const topics = useApi<{ topics: TopicRow[] }>('/api/topics');
  const [partition, setPartition] = useState(initialPartition);
  const [mode, setMode] = useState<Mode>('newest');
  const [offset, setOffset] = useState('0');
  const [time, setTime] = useState('');
  const [limit, setLimit] = useState('50');
  const [filter, setFilter] = useState('');
  const [records, setRecords] = useState<BrowsedRecord[] | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [produced, setProduced] = useState<string | null>(null);
  const info = topics.data?.topics.find((row) => row.name === topic);
  const [tailing, setTailing] = useState(false);

  // The live tail: new records pushed by the console (server-sent events), newest on top.
  useEffect(() => {
    if (!tailing || !topic) return;
    const query = partition === '' ? '' : `?partition=${partition}`;
    const source = new EventSource(`/api/topics/${enc(topic)}/tail${query}`);
    source.addEventListener('record', (event) => {
      const record = JSON.parse((event as MessageEvent<string>).data) as BrowsedRecord;
      setRecords((list) => [record, ...(list ?? [])].slice(0, TAIL_KEEP));
    });
    source.addEventListener('failure', (event) => {
      setError(new Error((JSON.parse((event as MessageEvent<string>).data) as { error: string }).error));
      setTailing(false);
    });
    return () => source.close();
  }, [tailing, topic, partition]);

  const load = async () => {
    if (!topic) return;
    setBusy(true);
    setError(null);
    const query = new URLSearchParams({ limit });
    if (partition !== '') query.set('partition', partition);
    if (mode === 'offset') query.set('offset', offset);
    if (mode === 'timestamp' && time) query.set('timestamp', new Date(time).toISOString());
    try {
      const answer = await api<{ records: BrowsedRecord[] }>(
        'GET',
        `/api/topics/${enc(topic)}/messages?${query}`,
      );
      setRecords(answer.records);
    } catch (failure) {
      setError(failure as Error);
      setRecords(null);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    setRecords(null);
    void load();
    // Read when the topic changes; the other settings apply on "Read".
  }, [topic]);

  const shown = records?.filter((record) => matches(record, filter)) ?? [];
  return (
    <section>
      <PageTitle>Messages{topic ? ` in ${topic}` : ''}</PageTitle>
      <form
        class="panel form-row"
        aria-label="Which messages to read"
        onSubmit={(event) => {
          event.preventDefault();
          void load();
        }}
      >
        <label>
          Topic
          <select
            value={topic}
            onChange={(e) => (location.hash = `#/messages/${enc(e.currentTarget.value)}`)}
          >
            <option value="">choose a topic</option>
            {(topics.data?.topics ?? []).map((row) => (
              <option key={row.name} value={row.name}>
                {row.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Partition
          <select value={partition} onChange={(e) => setPartition(e.currentTarget.value)}>
            <option value="">all</option>
            {Array.from({ length: info?.partitions ?? 0 }, (_, index) => (
              <option key={index} value={String(index)}>
                {index}
              </option>
            ))}
          </select>
        </label>
        <label>
          Read
          <select value={mode} onChange={(e) => setMode(e.currentTarget.value as Mode)}>
            <option value="newest">newest first</option>
            <option value="offset">from an offset</option>
            <option value="timestamp">from a time</option>
          </select>
        </label>
        {mode === 'offset' ? (
          <label>
            Offset
            <input inputMode="numeric" value={offset} onInput={(e) => setOffset(e.currentTarget.value)} />
          </label>
        ) : null}
        {mode === 'timestamp' ? (
          <label>
            From (local time)
            <input
              type="datetime-local"
              step="1"
              value={time}
              onInput={(e) => setTime(e.currentTarget.value)}
            />
          </label>
        ) : null}
        <label>
          At most
          <input
            type="number"
            min="1"
            max="500"
            value={limit}
            onInput={(e) => setLimit(e.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={!topic || busy}>
          {busy ? 'Reading…' : 'Read'}
        </button>
        <button
          type="button"
          aria-pressed={tailing}
          disabled={!topic}
          onClick={() => setTailing((on) => !on)}
        >
          {tailing ? 'Stop live tail' : 'Live tail'}
        </button>
        <label>
          Filter
          <input
            type="search"
            value={filter}
            onInput={(e) => setFilter(e.currentTarget.value)}
            placeholder="text in key, value or headers"
          />
        </label>
      </form>
      <ErrorBox error={error ?? topics.error} />
      {!topic ? <p>Choose a topic to read its messages.</p> : null}
      {records ? (
        records.length === 0 ? (
          <p>{tailing ? 'Waiting for new messages…' : 'No messages here.'}</p>
        ) : (
          <>
            <p class="muted">
              {shown.length} of {records.length} message(s) read
              {tailing ? ' (live: new messages appear on top)' : ''}
            </p>
            <table class="messages">
              <thead>
                <tr>
                  <th scope="col" class="num">
                    Partition
                  </th>
                  <th scope="col" class="num">
                    Offset
                  </th>
                  <th scope="col">Time (UTC)</th>
                  <th scope="col">Key</th>
                  <th scope="col">Value</th>
                  <th scope="col">Headers</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((record) => (
                  <tr key={`${record.partition}:${record.offset}`}>
                    <td class="num">{record.partition}</td>
                    <td class="num">{record.offset}</td>
                    <td class="nowrap">{formatTime(record.timestamp)}</td>
                    <td>
                      <DecodedValue field={record.key} />
                    </td>
                    <td class="value-cell">
                      <DecodedValue field={record.value} />
                    </td>
                    <td>
                      {record.headers.map((header) => (
                        <div key={header.key}>
                          <code>{header.key}</code>: {String(header.value.value)}
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )
      ) : null}
      {produced ? <Notice>Message produced at {produced}.</Notice> : null}
      {topic ? (
        <ForWriters>
          <Produce
            topic={topic}
            partitions={info?.partitions ?? 0}
            onProduced={(where) => {
              setProduced(where);
              void load();
            }}
          />
        </ForWriters>
      ) : null}
    </section>
  );
}
