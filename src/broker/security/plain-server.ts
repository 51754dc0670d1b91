// SASL/PLAIN (RFC 4616): one token, "authzid NUL user NUL password", checked against a static user
// list (sasl.plain.users, Kafka's JAAS user_<name> entries) or else against the user's stored SCRAM
// credential, so that one `venice users create` serves both mechanisms. PLAIN sends the password
// itself: use it over SASL_SSL.
import crypto from 'node:crypto';
import { passwordMatches, SCRAM_MECHANISMS, type ScramMechanism } from './scram.js';
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
  return { name: PLAIN, start: () => new PlainExchange(staticUsers, scram) };
}

class PlainExchange implements SaslExchange {
  constructor(
    private readonly staticUsers: ReadonlyMap<string, string>,
    private readonly scram: ScramCredentialLookup,
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

  private async verify(user: string, password: string): Promise<boolean> {
    const expected = this.staticUsers.get(user);
    if (expected !== undefined) return sameSecret(expected, password);
    // The strongest stored SCRAM credential decides; a user without one is unknown.
    for (const mechanism of strongestFirst()) {
      const credential = this.scram.credential(user, mechanism);
      if (credential) return passwordMatches(mechanism, credential, password);
    }
    return false;
  }
}

function strongestFirst(): ScramMechanism[] {
  return [...SCRAM_MECHANISMS].sort((a, b) => b.keyLength - a.keyLength);
}

/** Compares in constant time whatever the lengths (hashing first makes them equal). */
function sameSecret(expected: string, given: string): boolean {
  const hash = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest();
  return crypto.timingSafeEqual(hash(expected), hash(given));
}
