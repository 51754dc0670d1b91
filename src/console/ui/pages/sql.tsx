// SQL: an editor that runs a statement on the SQL engine (Ctrl+Enter), with query rows as a table and
// other statements' results shown as tables where they are lists (streams, tables, queries).
import { useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorBox, Json, PageTitle } from '../components';

interface QueryResult {
  kind: 'query';
  columns: string[];
  rows: unknown[][];
  truncated: boolean;
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

const SHORTCUTS = ['SHOW STREAMS;', 'SHOW TABLES;', 'SHOW QUERIES;'];

export function SqlPage() {
  const [sql, setSql] = useState('SHOW STREAMS;');
  const [result, setResult] = useState<QueryResult | StatementResult | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (statement = sql) => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api<QueryResult | StatementResult>('POST', '/api/sql', { sql: statement }));
    } catch (failure) {
      setError(failure as Error);
      setResult(null);
    } finally {
      setBusy(false);
    }
  };
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
          Statement (Ctrl+Enter runs it; a push query shows the rows of its first 5 seconds)
          <textarea
            class="editor"
            rows={6}
            spellcheck={false}
            value={sql}
            onInput={(e) => setSql(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                void run();
              }
            }}
          />
        </label>
        <div class="buttons">
          <button type="submit" disabled={busy}>
            {busy ? 'Running…' : 'Run'}
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
      {result?.kind === 'query' ? (
        <>
          <p class="muted">
            {result.rows.length} row(s){result.truncated ? ' (cut off by the row or time limit)' : ''}
          </p>
          <table>
            <thead>
              <tr>
                {result.columns.map((column) => (
                  <th scope="col" key={column}>
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {result.rows.map((row, index) => (
                <tr key={index}>
                  {row.map((value, column) => (
                    <td key={column}>{cell(value)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {result?.kind === 'statements'
        ? result.results.map((item, index) => <StatementView key={index} result={item} />)
        : null}
    </section>
  );
}
