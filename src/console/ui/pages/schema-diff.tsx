// Two versions of a subject side by side as one line diff of their pretty-printed schemas.
import { useEffect, useState } from 'preact/hooks';
import { enc, get } from '../api';
import { ErrorBox } from '../components';
import { diffLines, type DiffLine } from '../diff';

export function prettySchema(schema: string): string {
  try {
    return JSON.stringify(JSON.parse(schema), null, 2);
  } catch {
    return schema; // Protobuf text
  }
}

const MARK: Record<DiffLine['kind'], string> = { same: ' ', added: '+', removed: '-' };

export function SchemaDiff({ subject, versions }: { subject: string; versions: number[] }) {
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const [lines, setLines] = useState<DiffLine[] | null>(null);
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    setTo(versions.length > 0 ? versions[versions.length - 1] : null);
    setFrom(versions.length > 1 ? versions[versions.length - 2] : null);
  }, [subject, versions]);
  useEffect(() => {
    if (from === null || to === null) return setLines(null);
    let current = true;
    const text = (version: number) =>
      get<{ schema: string }>(`/api/schemas/subjects/${enc(subject)}/versions/${version}`).then((answer) =>
        prettySchema(answer.schema),
      );
    Promise.all([text(from), text(to)]).then(
      ([before, after]) => current && (setLines(diffLines(before, after)), setError(null)),
      (failure: Error) => current && setError(failure),
    );
    return () => {
      current = false;
    };
  }, [subject, from, to]);

  if (versions.length < 2) return <p class="muted">One version only: nothing to compare yet.</p>;
  const choose = (label: string, value: number | null, set: (version: number) => void) => (
    <label>
      {label}
      <select value={value ?? ''} onChange={(e) => set(Number(e.currentTarget.value))}>
        {versions.map((version) => (
          <option key={version} value={version}>
            {version}
          </option>
        ))}
      </select>
    </label>
  );
  const changed = lines?.filter((line) => line.kind !== 'same').length ?? 0;
  return (
    <section aria-label="Compare versions">
      <h3>Compare versions</h3>
      <div class="form-row">
        {choose('From version', from, setFrom)}
        {choose('To version', to, setTo)}
        <span class="muted" role="status">
          {lines ? (changed === 0 ? 'No differences.' : `${changed} line(s) changed.`) : ''}
        </span>
      </div>
      <ErrorBox error={error} />
      {lines ? (
        <pre class="json diff" aria-label={`Differences from version ${from} to version ${to}`}>
          {lines.map((line, index) => (
            <div key={index} class={`diff-${line.kind}`}>
              <span aria-hidden="true">{MARK[line.kind]} </span>
              {line.kind === 'same' ? null : <span class="visually-hidden">{line.kind}: </span>}
              {line.text}
            </div>
          ))}
        </pre>
      ) : null}
    </section>
  );
}
