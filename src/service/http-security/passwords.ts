// Passwords are kept as scrypt hashes ("scrypt$N$r$p$salt$hash", base64 salt and hash), never in clear:
// a leaked users file or venice.yaml does not give the passwords away.
import crypto from 'node:crypto';

const PREFIX = 'scrypt';
/** scrypt's cost: N = 2^14 takes about 30 ms and 16 MiB, OWASP's floor for interactive logins. */
const COST = 16384;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_LENGTH = 32;

export function hashPassword(password: string): string {
  const salt = crypto.randomBytes(16);
  const hash = crypto.scryptSync(password, salt, KEY_LENGTH, { N: COST, r: BLOCK_SIZE, p: PARALLELISM });
  return [PREFIX, COST, BLOCK_SIZE, PARALLELISM, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** Whether `text` is a hash hashPassword wrote (checked when the users are read, so a typo fails early). */
export function isPasswordHash(text: string): boolean {
  return parseHash(text) !== null;
}

/** Compares in constant time; a malformed hash never matches. */
export function verifyPassword(password: string, stored: string): boolean {
  const parsed = parseHash(stored);
  if (parsed === null) return false;
  const { N, r, p, salt, hash } = parsed;
  const actual = crypto.scryptSync(password, salt, hash.length, {
    N,
    r,
    p,
    maxmem: 256 * N * r + 1024 * 1024,
  });
  return crypto.timingSafeEqual(actual, hash);
}

function parseHash(text: string): { N: number; r: number; p: number; salt: Buffer; hash: Buffer } | null {
  const parts = text.split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return null;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64');
  const hash = Buffer.from(parts[5], 'base64');
  const valid =
    [N, r, p].every((value) => Number.isInteger(value) && value > 0) &&
    (N & (N - 1)) === 0 &&
    N <= 1 << 20 &&
    salt.length >= 8 &&
    hash.length >= 16;
  return valid ? { N, r, p, salt, hash } : null;
}
