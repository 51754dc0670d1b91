// Version ids in URLs: a number in [1, 2^31-1], or "latest" (also -1, as Confluent accepts).
import { invalidVersion } from './errors.js';

export type VersionId = number | 'latest';

export const MAX_VERSION = 2 ** 31 - 1;

export function parseVersionId(text: string): VersionId {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'latest') return 'latest';
  if (!/^-?\d+$/.test(trimmed)) throw invalidVersion(text);
  const value = Number(trimmed);
  if (value === -1) return 'latest';
  if (value < 1 || value > MAX_VERSION) throw invalidVersion(text);
  return value;
}
