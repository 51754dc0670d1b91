// SQL: an editor that runs a statement on the SQL engine (Ctrl+Enter). A query's rows stream into the
// table as they arrive (a push query's until Stop); other statements' results are shown as tables where
// they are lists. Below, the engine's streams, tables and running queries.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiFailure } from '../api';
import { ErrorBox, Json, PageTitle } from '../components';
import { readEvents } from '../sse';
import { SqlCatalog } from './sql-catalog';
import { useReadOnly } from '../session';

/** The most rows the page keeps from a running query: the newest ones. */
const MAX_ROWS = 1000;

interface QueryHeader {
  queryId: string | null;
  columns: string[];
}
interface QueryRows {
  header: QueryHeader | null;
  /** Newest first, each row with a number that stays its key while older rows are dropped. */
  rows: [number, unknown[]][];
  state: 'running' | 'ended' | 'stopped';
}
interface StatementResult {
  kind: 'statements';
  results: Record<string, unknown>[];
}

function cell(value: unknown): string {
  return value === null || value === undefined
    ? ''
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);
}

function isQuery(sql: string): boolean {
  return /^\s*select\b/i.test(sql);
}

function ListTable({ items }: { items: Record<string, unknown>[] }) {
  const columns = [...new Set(items.flatMap((item) => Object.keys(item)))].filter(
    (key) => key !== 'type' || items.length === 0,
  );
  return (
    <table>
      <thead>
        <tr>
          {columns.map((column) => (
            <th scope="col" key={column}>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {items.map((item, index) => (
          <tr key={index}>
            {columns.map((column) => (
              <td key={column}>{cell(item[column])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function StatementView({ result }: { result: Record<string, unknown> }) {
  const list = ['streams', 'tables', 'queries', 'topics'].find((key) => Array.isArray(result[key]));
  if (list) return <ListTable items={result[list] as Record<string, unknown>[]} />;
  const status = result.commandStatus as { status?: string; message?: string } | undefined;
  if (status) return <p>{`${status.status ?? ''}: ${status.message ?? ''}`}</p>;
  return <Json value={result} />;
}

function QueryTable({ result }: { result: QueryRows }) {
  const count = result.rows.length;
  const status =
    result.state === 'running'
      ? `Streaming: ${count} row(s) so far`
      : result.state === 'stopped'
        ? `Stopped after ${count} row(s)`
        : `${count} row(s)`;
  return (
    <>
      <p class={result.state === 'running' ? 'live' : 'muted'} role="status" aria-live="polite">
        {status}
        {result.state === 'running' && count > 0 ? ' (newest on top)' : ''}
        {count >= MAX_ROWS ? ` (the newest ${MAX_ROWS} are shown)` : ''}
      </p>
      <table class="query-rows" aria-label="Query rows">
        <thead>
          <tr>
            {(result.header?.columns ?? []).map((column) => (
              <th scope="col" key={column}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {result.rows.map(([key, row]) => (
            <tr key={key}>
              {row.map((value, column) => (
                <td key={column}>{cell(value)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Opens POST /api/sql/stream; an engine error before the first row is thrown as the API's error. */
async function openStream(sql: string, fromStart: boolean, signal: AbortSignal): Promise<Response> {
  const response = await fetch('/api/sql/stream', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ sql, properties: fromStart ? { 'auto.offset.reset': 'earliest' } : {} }),
    signal,
  });
  if (!response.ok) {
    const detail = (await response.json().catch(() => ({}))) as { error?: string; hint?: string };
    throw new ApiFailure(response.status, detail.error ?? `HTTP ${response.status}`, detail.hint);
  }
  return response;
}

const SHORTCUTS = ['SHOW STREAMS;', 'SHOW TABLES;', 'SHOW QUERIES;'];

export function SqlPage() {
  const [sql, setSql] = useState('SHOW STREAMS;');
  const [fromStart, setFromStart] = useState(true);
  const [query, setQuery] = useState<QueryRows | null>(null);
  const [statements, setStatements] = useState<StatementResult | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [catalogVersion, setCatalogVersion] = useState(0);
  const running = useRef<AbortController | null>(null);
  const editor = useRef<HTMLTextAreaElement>(null);

  // Leaving the page closes a running query on the engine.
  useEffect(() => () => running.current?.abort(), []);

  const stop = () => {
    running.current?.abort();
    running.current = null;
    setQuery((current) =>
      current && current.state === 'running' ? { ...current, state: 'stopped' } : current,
    );
  };

  const stream = async (statement: string) => {
    const controller = new AbortController();
    running.current = controller;
    setQuery({ header: null, rows: [], state: 'running' });
    let next = 0;
    try {
      const response = await openStream(statement, fromStart, controller.signal);
      for await (const { event, data } of readEvents(response)) {
        if (event === 'header') setQuery((current) => current && { ...current, header: data as QueryHeader });
        else if (event === 'row') {
          const entry: [number, unknown[]] = [next++, data as unknown[]];
          setQuery((current) => current && { ...current, rows: [entry, ...current.rows].slice(0, MAX_ROWS) });
        } else if (event === 'failure') setError(new Error((data as { error: string }).error));
      }
      setQuery((current) =>
        current && current.state === 'running' ? { ...current, state: 'ended' } : current,
      );
    } catch (failure) {
      if (controller.signal.aborted) return;
      setError(failure as Error);
      setQuery(null);
    } finally {
      if (running.current === controller) running.current = null;
    }
  };

  const run = async (statement = sql) => {
    stop();
    setError(null);
    setStatements(null);
    if (isQuery(statement)) {
      setBusy(true);
      void stream(statement).finally(() => setBusy(false));
      return;
    }
    setQuery(null);
    setBusy(true);
    try {
      setStatements(await api<StatementResult>('POST', '/api/sql', { sql: statement }));
      setCatalogVersion((version) => version + 1);
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };

  const streaming = query?.state === 'running';
  const readOnly = useReadOnly();
  return (
    <section>
      <PageTitle>SQL</PageTitle>
      <form
        class="panel"
        aria-label="Run a statement"
        onSubmit={(event) => {
          event.preventDefault();
          void run();
        }}
      >
        <label class="block">
          Statement (Ctrl+Enter runs it; a push query's rows stream in until you stop it)
          {readOnly
            ? '. As a read-only user you can run SHOW, DESCRIBE, EXPLAIN and queries; statements that change something are refused.'
            : null}
          <textarea
            ref={editor}
            class="editor"
            rows={6}
            spellcheck={false}
            value={sql}
            onInput={(e) => setSql(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                void run();
              } else if (e.key === 'Escape' && streaming) stop();
            }}
          />
        </label>
        <label class="inline">
          <input
            type="checkbox"
            checked={fromStart}
            onChange={(e) => setFromStart(e.currentTarget.checked)}
          />
          Queries read from the earliest offset (otherwise only new rows)
        </label>
        <div class="buttons">
          <button type="submit" disabled={busy && !streaming}>
            {busy && !streaming ? 'Running…' : 'Run'}
          </button>
          <button type="button" class="danger" disabled={!streaming} onClick={stop}>
            Stop
          </button>
          {SHORTCUTS.map((statement) => (
            <button
              type="button"
              key={statement}
              onClick={() => {
                setSql(statement);
                void run(statement);
              }}
            >
              {statement.replace(';', '')}
            </button>
          ))}
        </div>
      </form>
      <ErrorBox error={error} />
      {query ? <QueryTable result={query} /> : null}
      {statements
        ? statements.results.map((item, index) => <StatementView key={index} result={item} />)
        : null}
      <SqlCatalog
        version={catalogVersion}
        onQuery={(statement) => {
          setSql(statement);
          editor.current?.focus();
        }}
      />
    </section>
  );
}
