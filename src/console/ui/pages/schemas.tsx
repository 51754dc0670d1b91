// Schemas (through the registry): subjects, their versions, a diff between two of them, the
// compatibility level (shown and settable); register a new version or check one against the latest.
import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../api';
import { ErrorBox, Loading, Notice, PageTitle } from '../components';
import { useApi } from '../hooks';
import { prettySchema, SchemaDiff } from './schema-diff';
import { ForWriters, useReadOnly } from '../session';

interface SchemaVersion {
  subject: string;
  version: number;
  id: number;
  schemaType?: string;
  schema: string;
}

const LEVELS = [
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
  'NONE',
];

function CompatibilityLevel({ subject }: { subject: string }) {
  const level = useApi<{ compatibilityLevel: string }>(
    `/api/schemas/config/${enc(subject)}?defaultToGlobal=true`,
  );
  const [chosen, setChosen] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const readOnly = useReadOnly();
  useEffect(() => setChosen(level.data?.compatibilityLevel ?? ''), [level.data]);
  const save = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      await api('PUT', `/api/schemas/config/${enc(subject)}`, { compatibility: chosen });
      setSaved(`Compatibility of ${subject} set to ${chosen}.`);
      level.reload();
    } catch (failure) {
      setError(failure as Error);
    }
  };
  return (
    <form class="form-row" onSubmit={save} aria-label="Compatibility level">
      <label>
        Compatibility
        <select value={chosen} disabled={readOnly} onChange={(e) => setChosen(e.currentTarget.value)}>
          {LEVELS.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <ForWriters>
        <button type="submit" disabled={chosen === '' || chosen === level.data?.compatibilityLevel}>
          Set level
        </button>
      </ForWriters>
      {saved ? <span role="status">{saved}</span> : null}
      <ErrorBox error={level.error ?? error} />
    </form>
  );
}

function RegisterSchema({ subject, onDone }: { subject: string; onDone: (text: string) => void }) {
  const [schemaType, setSchemaType] = useState('AVRO');
  const [schema, setSchema] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const body = () => ({ schema, ...(schemaType === 'AVRO' ? {} : { schemaType }) });
  const check = async () => {
    setError(null);
    try {
      const answer = await api<{ is_compatible: boolean; messages?: string[] }>(
        'POST',
        `/api/schemas/compatibility/subjects/${enc(subject)}/versions/latest?verbose=true`,
        body(),
      );
      onDone(
        answer.is_compatible
          ? 'Compatible with the latest version.'
          : `Not compatible: ${(answer.messages ?? []).join('; ')}`,
      );
    } catch (failure) {
      setError(failure as Error);
    }
  };
  const register = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      const answer = await api<{ id: number }>(
        'POST',
        `/api/schemas/subjects/${enc(subject)}/versions`,
        body(),
      );
      onDone(`Registered under ${subject} with id ${answer.id}.`);
    } catch (failure) {
      setError(failure as Error);
    }
  };
  return (
    <form class="panel" onSubmit={register} aria-label="Register a schema">
      <h2>Register or check a schema for {subject}</h2>
      <label>
        Type
        <select value={schemaType} onChange={(e) => setSchemaType(e.currentTarget.value)}>
          <option value="AVRO">Avro</option>
          <option value="JSON">JSON Schema</option>
          <option value="PROTOBUF">Protobuf</option>
        </select>
      </label>
      <label class="block">
        Schema
        <textarea rows={8} required value={schema} onInput={(e) => setSchema(e.currentTarget.value)} />
      </label>
      <div class="buttons">
        <button type="button" onClick={check}>
          Check compatibility
        </button>
        <button type="submit">Register</button>
      </div>
      <ErrorBox error={error} />
    </form>
  );
}

export function SchemasPage({ subject }: { subject: string | null }) {
  const subjects = useApi<string[]>('/api/schemas/subjects');
  const global = useApi<{ compatibilityLevel: string }>('/api/schemas/config');
  const versions = useApi<number[]>(subject ? `/api/schemas/subjects/${enc(subject)}/versions` : null);
  const [version, setVersion] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    const list = versions.data;
    setVersion(list && list.length > 0 ? list[list.length - 1] : null);
  }, [versions.data]);
  const shown = useApi<SchemaVersion>(
    subject && version !== null ? `/api/schemas/subjects/${enc(subject)}/versions/${version}` : null,
  );

  return (
    <section>
      <PageTitle>Schemas</PageTitle>
      <ErrorBox error={subjects.error ?? global.error} />
      <Loading when={subjects.loading && !subjects.data} />
      <p class="muted">Global compatibility level: {global.data?.compatibilityLevel ?? '–'}</p>
      <div class="split">
        <nav aria-label="Subjects" class="list">
          <h2>Subjects</h2>
          {subjects.data && subjects.data.length === 0 ? <p class="muted">No subjects yet.</p> : null}
          <ul>
            {(subjects.data ?? []).map((name) => (
              <li key={name}>
                <a href={`#/schemas/${enc(name)}`} aria-current={name === subject ? 'page' : undefined}>
                  {name}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="detail">
          {subject ? (
            <>
              <h2>{subject}</h2>
              <ErrorBox error={versions.error ?? shown.error} />
              <div class="form-row">
                <label>
                  Version
                  <select value={version ?? ''} onChange={(e) => setVersion(Number(e.currentTarget.value))}>
                    {(versions.data ?? []).map((item) => (
                      <option key={item} value={item}>
                        {item}
                      </option>
                    ))}
                  </select>
                </label>
                {shown.data ? (
                  <span>
                    id {shown.data.id}, {shown.data.schemaType ?? 'AVRO'}
                  </span>
                ) : null}
              </div>
              {shown.data ? <pre class="json">{prettySchema(shown.data.schema)}</pre> : null}
              <CompatibilityLevel key={subject} subject={subject} />
              <SchemaDiff subject={subject} versions={versions.data ?? []} />
              {notice ? <Notice>{notice}</Notice> : null}
              <ForWriters>
                <RegisterSchema
                  subject={subject}
                  onDone={(text) => {
                    setNotice(text);
                    versions.reload();
                    subjects.reload();
                  }}
                />
              </ForWriters>
            </>
          ) : (
            <p>Choose a subject.</p>
          )}
        </div>
      </div>
    </section>
  );
}
