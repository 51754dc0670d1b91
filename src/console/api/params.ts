// Reading the API's path, query and body parameters, with errors that say what was expected.
import { badRequest } from '../errors.js';

export function optionalInteger(value: unknown, name: string, min = 0): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < min)
    throw badRequest(`${name} must be an integer of at least ${min}, got ${JSON.stringify(value)}`);
  return parsed;
}

export function optionalBigInt(value: unknown, name: string): bigint | undefined {
  if (value === undefined || value === '') return undefined;
  if ((typeof value !== 'string' && typeof value !== 'number') || !/^\d+$/.test(String(value)))
    throw badRequest(`${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return BigInt(value);
}

/** A timestamp as milliseconds since the epoch or an ISO date. */
export function optionalTimestamp(value: unknown, name: string): bigint | undefined {
  if (value === undefined || value === '') return undefined;
  const text = String(value);
  if (/^\d+$/.test(text)) return BigInt(text);
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed))
    throw badRequest(
      `${name} must be milliseconds since the epoch or an ISO date such as 2026-12-05T10:00:00Z, got ${JSON.stringify(value)}`,
    );
  return BigInt(parsed);
}

export function requiredString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw badRequest(`${name} is required (a non-empty string)`);
  return value;
}

export function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest(`${name} must be a string`);
  return value;
}

export function stringRecord(value: unknown, name: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw badRequest(`${name} must be an object of names to string values`);
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean')
      throw badRequest(`${name}.${key} must be a string`);
    out[key] = String(item);
  }
  return out;
}

export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('the request body must be a JSON object');
  return body as Record<string, unknown>;
}
