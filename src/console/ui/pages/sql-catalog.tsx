// The SQL page's catalog: the engine's streams and tables (each with a button that writes a push query
// over it into the editor) and its running queries (each with Terminate).
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorBox } from '../components';
import { DataTable } from '../table';
import { ForWriters } from '../session';

interface Source {
  name: string;
  topic: string;
  keyFormat?: string;
  valueFormat?: string;
}
interface RunningQuery {
  id: string;
  queryString: string;
  sinks?: string[];
  state?: string;
}
interface ShowResult {
  streams?: Source[];
  tables?: Source[];
  queries?: RunningQuery[];
}
interface Catalog {
  streams: Source[];
  tables: Source[];
  queries: RunningQuery[];
}

async function loadCatalog(): Promise<Catalog> {
  const answer = await api<{ results: ShowResult[] }>('POST', '/api/sql', {
    sql: 'SHOW STREAMS; SHOW TABLES; SHOW QUERIES;',
  });
  const find = <K extends keyof ShowResult>(key: K) =>
    (answer.results.find((result) => Array.isArray(result[key]))?.[key] ?? []) as NonNullable<ShowResult[K]>;
  return { streams: find('streams'), tables: find('tables'), queries: find('queries') };
}

function SourceTable({
  label,
  sources,
  onQuery,
}: {
  label: string;
  sources: Source[];
  onQuery: (sql: string) => void;
}) {
  if (sources.length === 0) return <p class="muted">No {label.toLowerCase()}.</p>;
  return (
    <DataTable
      caption={label}
      columns={[
        { label: 'Name', cell: (source) => source.name },
        {
          label: 'Topic',
          cell: (source) => <a href={`#/topics/${encodeURIComponent(source.topic)}`}>{source.topic}</a>,
        },
        { label: 'Format', cellClass: 'muted', cell: (source) => source.valueFormat ?? '' },
        {
          label: 'Actions',
          hideLabel: true,
          cellClass: 'row-actions',
          cell: (source) => (
            <button
              type="button"
              aria-label={`Write a push query over ${source.name}`}
              onClick={() => onQuery(`SELECT * FROM ${source.name} EMIT CHANGES;`)}
            >
              Query
            </button>
          ),
        },
      ]}
      rows={sources}
      rowKey={(source) => source.name}
    />
  );
}

export function SqlCatalog({ onQuery, version }: { onQuery: (sql: string) => void; version: number }) {
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const reload = useCallback(() => {
    loadCatalog().then(
      (loaded) => {
        setCatalog(loaded);
        setError(null);
      },
      (failure: Error) => setError(failure),
    );
  }, []);
  useEffect(reload, [reload, version]);
  const terminate = async (id: string) => {
    if (!confirm(`Terminate query ${id}? Its output stops growing.`)) return;
    try {
      await api('POST', '/api/sql', { sql: `TERMINATE ${id};` });
      reload();
    } catch (failure) {
      setError(failure as Error);
    }
  };
  return (
    <section aria-label="Streams, tables and queries">
      <div class="page-title">
        <h2>Streams, tables and queries</h2>
        <button type="button" onClick={reload}>
          Refresh list
        </button>
      </div>
      <ErrorBox error={error} />
      {catalog ? (
        <>
          <SourceTable label="Streams" sources={catalog.streams} onQuery={onQuery} />
          <SourceTable label="Tables" sources={catalog.tables} onQuery={onQuery} />
          {catalog.queries.length === 0 ? (
            <p class="muted">No persistent queries.</p>
          ) : (
            <DataTable
              caption="Persistent queries"
              columns={[
                { label: 'Query', cell: (query) => query.id },
                { label: 'State', cell: (query) => query.state ?? '' },
                { label: 'Writes to', cell: (query) => (query.sinks ?? []).join(', ') },
                { label: 'Statement', cellClass: 'muted', cell: (query) => <code>{query.queryString}</code> },
                {
                  label: 'Actions',
                  hideLabel: true,
                  cellClass: 'row-actions',
                  cell: (query) => (
                    <ForWriters>
                      <button
                        type="button"
                        class="danger"
                        aria-label={`Terminate ${query.id}`}
                        onClick={() => void terminate(query.id)}
                      >
                        Terminate
                      </button>
                    </ForWriters>
                  ),
                },
              ]}
              rows={catalog.queries}
              rowKey={(query) => query.id}
            />
          )}
        </>
      ) : null}
    </section>
  );
}
