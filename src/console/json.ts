// JSON for the API: Kafka offsets are bigints and decoded Avro may hold bigints and byte arrays, none of
// which JSON.stringify takes. Bigints become decimal strings, bytes become hex strings.
export function toJsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toJsonSafe(v)]));
  if (Array.isArray(value)) return value.map(toJsonSafe);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = toJsonSafe(item);
  return out;
}
