// SASL/PLAIN (RFC 4616): one token, "authzid NUL user NUL password", checked against a static user
// list (sasl.plain.users, Kafka's JAAS user_<name> entries) or else against the user's stored SCRAM
// credential, so that one `venice users create` serves both mechanisms. PLAIN sends the password
// itself: use it over SASL_SSL.
import crypto from 'node:crypto';
import {
  DecoyCredentials,
  passwordMatches,
  SCRAM_MECHANISMS,
  type ScramCredential,
  type ScramMechanism,
} from './scram.js';
import type { ScramCredentialLookup } from './scram-server.js';
import {
  AuthenticationFailed,
  type ExchangeStep,
  type SaslExchange,
  type SaslMechanismServer,
} from './sasl-mechanism.js';

export const PLAIN = 'PLAIN';

/** Kafka's PLAIN failure message. */
const INVALID = 'Authentication failed: Invalid username or password';

export function plainServer(
  staticUsers: ReadonlyMap<string, string>,
  scram: ScramCredentialLookup,
): SaslMechanismServer {
  // Only digests are kept, so each check compares two values of one length (hashing both sides).
  const staticDigests = new Map([...staticUsers].map(([user, password]) => [user, sha256(password)]));
  const decoys = new DecoyCredentials();
  return { name: PLAIN, start: () => new PlainExchange(staticDigests, scram, decoys) };
}

class PlainExchange implements SaslExchange {
  constructor(
    private readonly staticDigests: ReadonlyMap<string, Buffer>,
    private readonly scram: ScramCredentialLookup,
    private readonly decoys: DecoyCredentials,
  ) {}

  async step(token: Buffer): Promise<ExchangeStep> {
    const parts = token.toString('utf8').split('\u0000');
    if (parts.length !== 3) {
      throw new AuthenticationFailed('Invalid SASL/PLAIN response: expected 3 tokens separated by NUL');
    }
    const [authorizationId, user, password] = parts;
    if (user === '') throw new AuthenticationFailed('Authentication failed: username not specified');
    if (password === '') throw new AuthenticationFailed('Authentication failed: password not specified');
    if (authorizationId !== '' && authorizationId !== user) {
      throw new AuthenticationFailed(
        'Authentication failed: Client requested an authorization id that is different from username',
      );
    }
    if (!(await this.verify(user, password))) throw new AuthenticationFailed(INVALID);
    return { done: true, challenge: Buffer.alloc(0), user };
  }

  /**
   * Every attempt does the same work whether the user is a static one, a SCRAM one or unknown: one
   * constant-time digest comparison and one PBKDF2 derivation (a decoy's when the user has no SCRAM
   * credential), so the time an answer takes does not tell which users exist. Only a SCRAM user whose
   * iterations differ from the default takes a different time, which says nothing of the password.
   */
  private async verify(user: string, password: string): Promise<boolean> {
    const staticDigest = this.staticDigests.get(user);
    const staticMatch = crypto.timingSafeEqual(staticDigest ?? UNKNOWN_DIGEST, sha256(password));
    // The strongest stored SCRAM credential decides.
    const stored = strongestCredential(this.scram, user);
    const mechanism = stored?.mechanism ?? STRONGEST;
    const credential = stored?.credential ?? this.decoys.credential(user, mechanism);
    const scramMatch = await passwordMatches(mechanism, credential, password);
    if (staticDigest !== undefined) return staticMatch;
    return stored !== undefined && scramMatch;
  }
}

const STRONGEST_FIRST = [...SCRAM_MECHANISMS].sort((a, b) => b.keyLength - a.keyLength);
const STRONGEST = STRONGEST_FIRST[0];
/** Compared with when the user is not a static one; no password's digest is all zeros in practice. */
const UNKNOWN_DIGEST = Buffer.alloc(32);

function strongestCredential(
  scram: ScramCredentialLookup,
  user: string,
): { mechanism: ScramMechanism; credential: ScramCredential } | undefined {
  for (const mechanism of STRONGEST_FIRST) {
    const credential = scram.credential(user, mechanism);
    if (credential) return { mechanism, credential };
  }
  return undefined;
}

function sha256(text: string): Buffer {
  return crypto.createHash('sha256').update(text, 'utf8').digest();
}
