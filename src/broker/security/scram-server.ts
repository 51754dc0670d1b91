// The server side of a SCRAM exchange (RFC 5802 section 5, with Kafka's rules): client-first, server-first,
// client-final, server-final. No channel binding, no authorization id other than the user itself, and
// no delegation tokens (the "tokenauth" extension).
import crypto from 'node:crypto';
import { DecoyCredentials, digest, hmac, type ScramCredential, type ScramMechanism } from './scram.js';
import {
  AuthenticationFailed,
  invalidCredentials,
  type ExchangeStep,
  type SaslExchange,
  type SaslMechanismServer,
} from './sasl-mechanism.js';

export interface ScramCredentialLookup {
  credential(user: string, mechanism: ScramMechanism): ScramCredential | undefined;
}

export function scramServer(mechanism: ScramMechanism, lookup: ScramCredentialLookup): SaslMechanismServer {
  const decoys = new DecoyCredentials();
  return { name: mechanism.name, start: () => new ScramExchange(mechanism, lookup, decoys) };
}

interface FirstMessage {
  user: string;
  credential: ScramCredential;
  /** The user has no credential: the exchange runs on a decoy and fails at the proof. */
  unknownUser: boolean;
  gs2Header: string;
  clientFirstBare: string;
  serverFirst: string;
  nonce: string;
}

class ScramExchange implements SaslExchange {
  private first: FirstMessage | null = null;
  private finished = false;

  constructor(
    private readonly mechanism: ScramMechanism,
    private readonly lookup: ScramCredentialLookup,
    private readonly decoys: DecoyCredentials,
  ) {}

  step(token: Buffer): Promise<ExchangeStep> {
    try {
      if (this.finished) throw new AuthenticationFailed('SCRAM exchange already complete');
      return Promise.resolve(this.first === null ? this.clientFirst(token) : this.clientFinal(token));
    } catch (error) {
      this.finished = true;
      return Promise.reject(error as Error);
    }
  }

  private clientFirst(token: Buffer): ExchangeStep {
    const message = token.toString('utf8');
    // gs2-header: "n,," (no channel binding) or "y,," (client could but thinks the server cannot).
    const match = /^([ny]),(a=[^,]*)?,(.*)$/s.exec(message);
    if (!match)
      throw this.malformed(
        'client-first message',
        message.startsWith('p=') ? 'channel binding is not supported' : undefined,
      );
    const clientFirstBare = match[3];
    const attributes = parseAttributes(clientFirstBare);
    const userAttribute = attributes.get('n');
    const clientNonce = attributes.get('r');
    if (userAttribute === undefined || clientNonce === undefined || clientNonce.length === 0) {
      throw this.malformed('client-first message');
    }
    const user = decodeSaslName(userAttribute);
    const authorizationId = match[2]?.slice(2);
    if (authorizationId !== undefined && authorizationId !== '' && decodeSaslName(authorizationId) !== user) {
      throw new AuthenticationFailed(
        `Authentication failed: client requested an authorization id that is different from the user name`,
      );
    }
    if (attributes.get('tokenauth') === 'true') {
      throw new AuthenticationFailed('Authentication failed: delegation tokens are not supported by Venice');
    }
    // Kafka refuses an unknown user here; going on with a decoy keeps whether a user exists private.
    const known = this.lookup.credential(user, this.mechanism);
    const credential = known ?? this.decoys.credential(user, this.mechanism);
    const nonce = clientNonce + crypto.randomBytes(18).toString('base64url');
    const serverFirst = `r=${nonce},s=${credential.salt.toString('base64')},i=${credential.iterations}`;
    this.first = {
      user,
      credential,
      unknownUser: known === undefined,
      gs2Header: `${match[1]},${match[2] ?? ''},`,
      clientFirstBare,
      serverFirst,
      nonce,
    };
    return { done: false, challenge: Buffer.from(serverFirst, 'utf8') };
  }

  private clientFinal(token: Buffer): ExchangeStep {
    const first = this.first!;
    this.finished = true;
    const message = token.toString('utf8');
    const proofAt = message.lastIndexOf(',p=');
    if (proofAt < 0) throw this.malformed('client-final message');
    const withoutProof = message.slice(0, proofAt);
    const attributes = parseAttributes(withoutProof);
    const proof = Buffer.from(message.slice(proofAt + 3), 'base64');
    if (attributes.get('c') !== Buffer.from(first.gs2Header, 'utf8').toString('base64')) {
      throw new AuthenticationFailed(
        'Authentication failed: invalid channel binding in the client-final message',
      );
    }
    // "Ends with", as Kafka checks it: librdkafka 2.0 (Debian's kcat) sends the client nonce twice.
    if (!(attributes.get('r') ?? '').endsWith(first.nonce)) {
      throw new AuthenticationFailed(
        'Authentication failed: the nonce of the client-final message does not match',
      );
    }
    const authMessage = `${first.clientFirstBare},${first.serverFirst},${withoutProof}`;
    const { storedKey, serverKey } = first.credential;
    const clientSignature = hmac(this.mechanism, storedKey, authMessage);
    if (proof.length !== clientSignature.length) throw invalidCredentials(this.mechanism.name);
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i] ^ clientSignature[i];
    const proofMatches = crypto.timingSafeEqual(digest(this.mechanism, clientKey), storedKey);
    if (!proofMatches || first.unknownUser) throw invalidCredentials(this.mechanism.name);
    const serverSignature = hmac(this.mechanism, serverKey, authMessage).toString('base64');
    return { done: true, challenge: Buffer.from(`v=${serverSignature}`, 'utf8'), user: first.user };
  }

  private malformed(what: string, detail?: string): AuthenticationFailed {
    return new AuthenticationFailed(
      `Authentication failed: invalid SCRAM ${what}${detail ? ` (${detail})` : ''} for ${this.mechanism.name}`,
    );
  }
}

/** "k=v,k=v" into a map; values may contain "=" (base64). */
function parseAttributes(text: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const part of text.split(',')) {
    const equals = part.indexOf('=');
    if (equals > 0) attributes.set(part.slice(0, equals), part.slice(equals + 1));
  }
  return attributes;
}

/** RFC 5802 saslname: "=2C" is a comma and "=3D" an equals sign. */
function decodeSaslName(name: string): string {
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=');
}
