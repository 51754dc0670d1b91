// The PLAIN and SCRAM servers without sockets: right and wrong passwords, and that an unknown user costs
// the same work and gets the same answers as a known one with a wrong password (timing-safe checks).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { plainServer } from '../../../src/broker/security/plain-server.js';
import { scramServer, type ScramCredentialLookup } from '../../../src/broker/security/scram-server.js';
import {
  credentialFromSaltedPassword,
  DEFAULT_SCRAM_ITERATIONS,
  digest,
  hmac,
  saltPassword,
  scramMechanismByName,
  type ScramCredential,
  type ScramMechanism,
} from '../../../src/broker/security/scram.js';
import { AuthenticationFailed } from '../../../src/broker/security/sasl-mechanism.js';
import { loadPlainUsers } from '../../../src/broker/security/plain-users-file.js';
import { temporaryDataDir } from '../../helpers/broker.js';

const SHA512 = scramMechanismByName('SCRAM-SHA-512')!;
const SHA256 = scramMechanismByName('SCRAM-SHA-256')!;

async function credentialFor(mechanism: ScramMechanism, password: string): Promise<ScramCredential> {
  const salt = crypto.randomBytes(32);
  const salted = await saltPassword(mechanism, password, salt, 4096);
  return credentialFromSaltedPassword(mechanism, salted, salt, 4096);
}

/** Carol has SCRAM credentials for both mechanisms; nobody else has any. */
async function scramUsers(): Promise<ScramCredentialLookup> {
  const credentials = new Map([
    [SHA512.name, await credentialFor(SHA512, 'carol-secret')],
    [SHA256.name, await credentialFor(SHA256, 'carol-secret')],
  ]);
  return {
    credential: (user, mechanism) => (user === 'carol' ? credentials.get(mechanism.name) : undefined),
  };
}

const plainToken = (user: string, password: string) => Buffer.from(`\u0000${user}\u0000${password}`, 'utf8');

async function plainAttempt(lookup: ScramCredentialLookup, user: string, password: string) {
  const server = plainServer(new Map([['ann', 'ann-secret']]), lookup);
  return server
    .start()
    .step(plainToken(user, password))
    .then(
      (step) => ({ user: step.done ? step.user : null, error: null }),
      (error: Error) => ({ user: null, error }),
    );
}

/** A SCRAM client (RFC 5802) as far as the proof; returns the server-first message and the outcome. */
async function scramAttempt(
  mechanism: ScramMechanism,
  lookup: ScramCredentialLookup,
  user: string,
  password: string,
) {
  const exchange = scramServer(mechanism, lookup).start();
  const clientNonce = crypto.randomBytes(12).toString('base64url');
  const clientFirstBare = `n=${user},r=${clientNonce}`;
  const first = await exchange.step(Buffer.from(`n,,${clientFirstBare}`));
  const serverFirst = first.challenge.toString('utf8');
  const fields = new Map(serverFirst.split(',').map((part) => [part[0], part.slice(2)]));
  const salted = await saltPassword(
    mechanism,
    password,
    Buffer.from(fields.get('s')!, 'base64'),
    Number(fields.get('i')),
  );
  const withoutProof = `c=${Buffer.from('n,,').toString('base64')},r=${fields.get('r')}`;
  const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
  const clientKey = hmac(mechanism, salted, 'Client Key');
  const signature = hmac(mechanism, digest(mechanism, clientKey), authMessage);
  const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]));
  const outcome = await exchange.step(Buffer.from(`${withoutProof},p=${proof.toString('base64')}`)).then(
    (step) => ({ user: step.done ? step.user : null, error: null }),
    (error: Error) => ({ user: null, error }),
  );
  return { serverFirst, fields, ...outcome };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('SASL/PLAIN', () => {
  it('accepts a static user and a SCRAM user with their passwords, and refuses wrong ones alike', async () => {
    const lookup = await scramUsers();
    expect((await plainAttempt(lookup, 'ann', 'ann-secret')).user).toBe('ann');
    expect((await plainAttempt(lookup, 'carol', 'carol-secret')).user).toBe('carol');
    const refusals = [
      await plainAttempt(lookup, 'ann', 'wrong-ann'),
      await plainAttempt(lookup, 'carol', 'wrong-carol'),
      await plainAttempt(lookup, 'nobody', 'wrong-nobody'),
      // A static user's password is not a SCRAM user's, nor the other way round.
      await plainAttempt(lookup, 'carol', 'ann-secret'),
    ];
    for (const refusal of refusals) {
      expect(refusal.error).toBeInstanceOf(AuthenticationFailed);
      expect(refusal.error?.message).toBe('Authentication failed: Invalid username or password');
    }
  });

  it('does one digest comparison and one PBKDF2 derivation for a static, a SCRAM and an unknown user', async () => {
    const lookup = await scramUsers();
    const pbkdf2 = vi.spyOn(crypto, 'pbkdf2');
    const timingSafeEqual = vi.spyOn(crypto, 'timingSafeEqual');
    const work: Record<string, { pbkdf2: number; comparisons: number; iterations: number }> = {};
    for (const user of ['ann', 'carol', 'nobody']) {
      pbkdf2.mockClear();
      timingSafeEqual.mockClear();
      await plainAttempt(lookup, user, 'a-wrong-password');
      work[user] = {
        pbkdf2: pbkdf2.mock.calls.length,
        comparisons: timingSafeEqual.mock.calls.length,
        iterations: pbkdf2.mock.calls[0]?.[2] as number,
      };
    }
    for (const user of ['ann', 'carol', 'nobody']) {
      expect(work[user], user).toMatchObject({ pbkdf2: 1, comparisons: 2 });
    }
    // A decoy costs what a credential made with `venice users create`'s default iterations costs.
    expect(work.nobody.iterations).toBe(DEFAULT_SCRAM_ITERATIONS);
  });
});

describe('the static PLAIN users file', () => {
  it('reads name=password lines, and a bad line is reported by number without quoting it', () => {
    const file = path.join(temporaryDataDir('plain-users'), 'users');
    fs.writeFileSync(file, '# users\nann=ann=secret\n\nhunter2-the-password\n');
    expect(() => loadPlainUsers(file)).toThrow(`${file} line 4: expected "name=password"`);
    expect(() => loadPlainUsers(file)).not.toThrow(/hunter2/);
    fs.writeFileSync(file, '# users\nann=ann=secret\n');
    expect(loadPlainUsers(file)).toEqual(new Map([['ann', 'ann=secret']]));
  });
});

describe('SCRAM', () => {
  it('accepts the right password and refuses a wrong one at the proof', async () => {
    const lookup = await scramUsers();
    for (const mechanism of [SHA256, SHA512]) {
      expect((await scramAttempt(mechanism, lookup, 'carol', 'carol-secret')).user).toBe('carol');
      const wrong = await scramAttempt(mechanism, lookup, 'carol', 'not-carols');
      expect(wrong.error?.message).toBe(
        `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism.name}`,
      );
    }
  });

  it('runs an unknown user through a decoy exchange: a stable salt, then the same failure as a wrong password', async () => {
    const lookup = await scramUsers();
    const timingSafeEqual = vi.spyOn(crypto, 'timingSafeEqual');
    const first = await scramAttempt(SHA512, lookup, 'nobody', 'guess');
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
    expect(first.error?.message).toBe(
      'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512',
    );
    expect(Buffer.from(first.fields.get('s')!, 'base64')).toHaveLength(32);
    expect(first.fields.get('i')).toBe(String(DEFAULT_SCRAM_ITERATIONS));
    // The same server gives the same salt again, as it would for a real user; another user gets another.
    const server = scramServer(SHA512, lookup);
    const saltOf = async (user: string) => {
      const step = await server.start().step(Buffer.from(`n,,n=${user},r=abc`));
      return /s=([^,]+)/.exec(step.challenge.toString('utf8'))![1];
    };
    expect(await saltOf('nobody')).toBe(await saltOf('nobody'));
    expect(await saltOf('nobody')).not.toBe(await saltOf('someone-else'));
  });
});
