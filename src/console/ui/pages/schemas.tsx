// Schemas (through the registry): subjects, their versions and compatibility level; register a new
// version or check one against the latest.
import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../api';
import { ErrorBox, Loading, Notice, PageTitle } from '../components';
import { useApi } from '../hooks';

interface SchemaVersion {
  subject: string;
  version: number;
  id: number;
  schemaType?: string;
  schema: string;
}

function pretty(schema: string): string {
  try {
    return JSON.stringify(JSON.parse(schema), null, 2);
  } catch {
    return schema; // Protobuf text
  }
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
  const level = useApi<{ compatibilityLevel: string }>(
    subject ? `/api/schemas/config/${enc(subject)}?defaultToGlobal=true` : null,
  );
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
                <span>Compatibility: {level.data?.compatibilityLevel ?? '–'}</span>
                {shown.data ? (
                  <span>
                    id {shown.data.id}, {shown.data.schemaType ?? 'AVRO'}
                  </span>
                ) : null}
              </div>
              {shown.data ? <pre class="json">{pretty(shown.data.schema)}</pre> : null}
              {notice ? <Notice>{notice}</Notice> : null}
              <RegisterSchema
                subject={subject}
                onDone={(text) => {
                  setNotice(text);
                  versions.reload();
                  subjects.reload();
                }}
              />
            </>
          ) : (
            <p>Choose a subject.</p>
          )}
        </div>
      </div>
    </section>
  );
}
