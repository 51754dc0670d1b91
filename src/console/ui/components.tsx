// Small pieces every page uses: error and status messages, formatted values, a decoded value's view.
import type { ComponentChildren } from 'preact';
import { ApiFailure } from './api';

export function ErrorBox({ error }: { error: Error | null }) {
  if (!error) return null;
  return (
    <div class="error" role="alert">
      <strong>{error.message}</strong>
      {error instanceof ApiFailure && error.hint ? <div class="hint">{error.hint}</div> : null}
    </div>
  );
}

export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <div class="notice" role="status">
      {children}
    </div>
  );
}

export function Loading({ when }: { when: boolean }) {
  return when ? (
    <p class="muted" aria-live="polite">
      Loading…
    </p>
  ) : null;
}

export function PageTitle({
  children,
  actions,
}: {
  children: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <header class="page-title">
      <h1>{children}</h1>
      {actions ? <div class="actions">{actions}</div> : null}
    </header>
  );
}

const numberFormat = new Intl.NumberFormat('en');

export function formatCount(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  const text = String(value);
  return /^\d+$/.test(text) && text.length < 16 ? numberFormat.format(Number(text)) : text;
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Bytes on disk as "12.3 MiB"; a dash when the broker did not say. */
export function formatBytes(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  let size = Number(value);
  let unit = 0;
  while (size >= 1024 && unit < BYTE_UNITS.length - 1) {
    size /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${size} B` : `${size.toFixed(size < 10 ? 1 : 0)} ${BYTE_UNITS[unit]}`;
}

export function formatRetention(ms: string | null): string {
  if (ms === null) return '–';
  const value = Number(ms);
  if (value < 0) return 'forever';
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1000, 's'],
  ];
  for (const [size, unit] of units) if (value >= size && value % size === 0) return `${value / size} ${unit}`;
  return `${value} ms`;
}

export function formatTime(ms: string | number): string {
  const date = new Date(Number(ms));
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString().replace('T', ' ').replace('Z', '');
}

export interface DecodedField {
  encoding: string;
  value: unknown;
  sizeBytes: number;
  schemaId?: number;
  decodeError?: string;
}

export function DecodedValue({ field }: { field: DecodedField }) {
  if (field.encoding === 'null') return <span class="muted">null</span>;
  const text =
    typeof field.value === 'string' && !['json', 'avro', 'json-schema', 'protobuf'].includes(field.encoding)
      ? field.value
      : JSON.stringify(field.value, null, 2);
  return (
    <div class="decoded">
      <span class={`badge enc-${field.encoding}`} title={field.decodeError ?? `${field.sizeBytes} bytes`}>
        {field.encoding}
        {field.schemaId !== undefined ? ` #${field.schemaId}` : ''}
      </span>
      <pre>{text}</pre>
      {field.decodeError ? <div class="hint">not decoded: {field.decodeError}</div> : null}
    </div>
  );
}

export function HealthBadge({ health }: { health: string }) {
  const kind =
    health === 'ok' || health === 'RUNNING' ? 'good' : health === 'not configured' ? 'idle' : 'bad';
  return <span class={`badge health-${kind}`}>{health}</span>;
}

export function Json({ value }: { value: unknown }) {
  return <pre class="json">{JSON.stringify(value, null, 2)}</pre>;
}
