// SCRAM (RFC 5802, RFC 7677) as Kafka uses it: the two mechanisms, their codes in the SCRAM credential
// APIs, and the keys a stored credential keeps instead of the password.
import crypto from 'node:crypto';

export type ScramMechanismName = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

export interface ScramMechanism {
  readonly name: ScramMechanismName;
  /** The code DescribeUserScramCredentials and AlterUserScramCredentials use (Kafka's ScramMechanism). */
  readonly code: number;
  readonly hash: 'sha256' | 'sha512';
  /** Bytes of a salted password, a key or a proof: the hash's output size. */
  readonly keyLength: number;
}

export const SCRAM_MECHANISMS: readonly ScramMechanism[] = [
  { name: 'SCRAM-SHA-256', code: 1, hash: 'sha256', keyLength: 32 },
  { name: 'SCRAM-SHA-512', code: 2, hash: 'sha512', keyLength: 64 },
];

/** Kafka's bounds on a credential's iterations (ScramMechanism.minIterations, and its 16384 maximum). */
export const MIN_SCRAM_ITERATIONS = 4096;
export const MAX_SCRAM_ITERATIONS = 16384;

export function scramMechanismByName(name: string): ScramMechanism | undefined {
  return SCRAM_MECHANISMS.find((mechanism) => mechanism.name === name);
}

export function scramMechanismByCode(code: number): ScramMechanism | undefined {
  return SCRAM_MECHANISMS.find((mechanism) => mechanism.code === code);
}

/** What the broker keeps of a SCRAM password: enough to verify a proof, not enough to make one. */
export interface ScramCredential {
  readonly salt: Buffer;
  readonly iterations: number;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

export function hmac(mechanism: ScramMechanism, key: Buffer, text: string | Buffer): Buffer {
  return crypto.createHmac(mechanism.hash, key).update(text).digest();
}

export function digest(mechanism: ScramMechanism, data: Buffer): Buffer {
  return crypto.createHash(mechanism.hash).update(data).digest();
}

/** Hi(password, salt, i) of RFC 5802 is PBKDF2 with the mechanism's HMAC. */
export function saltPassword(
  mechanism: ScramMechanism,
  password: string,
  salt: Buffer,
  iterations: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    crypto.pbkdf2(password, salt, iterations, mechanism.keyLength, mechanism.hash, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** The credential of a salted password (what AlterUserScramCredentials carries: the password never travels). */
export function credentialFromSaltedPassword(
  mechanism: ScramMechanism,
  saltedPassword: Buffer,
  salt: Buffer,
  iterations: number,
): ScramCredential {
  const clientKey = hmac(mechanism, saltedPassword, 'Client Key');
  return {
    salt,
    iterations,
    storedKey: digest(mechanism, clientKey),
    serverKey: hmac(mechanism, saltedPassword, 'Server Key'),
  };
}

/** Whether `password` is the one `credential` was made from. */
export async function passwordMatches(
  mechanism: ScramMechanism,
  credential: ScramCredential,
  password: string,
): Promise<boolean> {
  const salted = await saltPassword(mechanism, password, credential.salt, credential.iterations);
  const derived = credentialFromSaltedPassword(mechanism, salted, credential.salt, credential.iterations);
  return crypto.timingSafeEqual(derived.storedKey, credential.storedKey);
}

/** The iterations `venice users create` uses unless told otherwise (src/client/users.ts). */
export const DEFAULT_SCRAM_ITERATIONS = 8192;

/**
 * Made-up credentials for users that have none, so that an unknown user costs the same work and gets
 * the same answers as a known user with a wrong password (RFC 5802 section 9): who exists stays
 * private. A user's decoy is derived from its name with a secret of this process, so asking twice
 * shows the same salt, as a real user's would. Callers must still fail the attempt themselves: the
 * decoy's keys are unguessable, not impossible.
 */
export class DecoyCredentials {
  private readonly secret = crypto.randomBytes(32);

  credential(user: string, mechanism: ScramMechanism): ScramCredential {
    const derive = (purpose: string) =>
      crypto
        .createHmac('sha512', this.secret)
        .update(`${purpose}\u0000${mechanism.name}\u0000${user}`)
        .digest();
    return {
      salt: derive('salt').subarray(0, 32),
      iterations: DEFAULT_SCRAM_ITERATIONS,
      storedKey: derive('stored key').subarray(0, mechanism.keyLength),
      serverKey: derive('server key').subarray(0, mechanism.keyLength),
    };
  }
}
