// The content types of ksqlDB's API and how a request's Accept header picks among them.
import type { IncomingHttpHeaders } from 'node:http';

export const KSQL_V1_JSON = 'application/vnd.ksql.v1+json';
export const JSON_TYPE = 'application/json';
/** /query-stream and /inserts-stream: one JSON value a line, no enclosing array. */
export const DELIMITED = 'application/vnd.ksqlapi.delimited.v1';

/** Accepted request bodies; anything else is read as JSON too, as curl's default form type often is. */
export const REQUEST_TYPES = [KSQL_V1_JSON, JSON_TYPE, DELIMITED, 'application/vnd.ksql+json'];

/** The first of `offered` the Accept header names (by q-value), else `fallback`. */
export function negotiate(
  headers: IncomingHttpHeaders,
  offered: readonly string[],
  fallback: string,
): string {
  const accept = headers.accept;
  if (!accept) return fallback;
  const wanted = accept
    .split(',')
    .map((part, index) => {
      const [type, ...params] = part.trim().split(';');
      const q = params.map((param) => /^\s*q=([\d.]+)/.exec(param)).find(Boolean);
      return { type: type.trim().toLowerCase(), q: q ? Number(q[1]) : 1, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { type } of wanted) {
    if (type === '*/*' || type === 'application/*') return fallback;
    const match = offered.find((candidate) => candidate === type);
    if (match) return match;
  }
  return fallback;
}
