// One connection's SASL authentication, as Kafka's SaslServerAuthenticator runs it: a SaslHandshake
// picks the mechanism, then tokens go back and forth (in SaslAuthenticate requests, or raw after a v0
// handshake) until the mechanism names a user. The connection then acts as User:<name> until its
// session expires (connections.max.reauth.ms, KIP-368), unless the client re-authenticates first.
import { ErrorCode } from '../../protocol/error-codes.js';
import { userPrincipal } from './principal.js';
import { AuthenticationFailed, type SaslExchange, type SaslMechanismServer } from './sasl-mechanism.js';

/** The broker-wide side: which mechanisms are enabled and how long a session lasts. */
export interface SaslSettings {
  readonly mechanisms: ReadonlyMap<string, SaslMechanismServer>;
  /** connections.max.reauth.ms; 0: sessions never expire. */
  readonly maxReauthMs: number;
  readonly now?: () => number;
}

export interface HandshakeOutcome {
  errorCode: number;
  mechanisms: string[];
}

export interface AuthenticateOutcome {
  errorCode: number;
  errorMessage: string | null;
  token: Buffer;
  /** How long the session lasts (SaslAuthenticate v1+); 0 when it does not expire. */
  sessionLifetimeMs: number;
}

/** The connection: the session sets its principal, and closes it after a failed authentication. */
export interface AuthenticationTarget {
  principal: string;
  close(): void;
}

/**
 * A connection whose authentication failed is closed this long after the answer went out (Kafka's
 * connection.failed.authentication.delay.ms default): the client reads why, and cannot retry at once.
 */
export const FAILED_AUTHENTICATION_CLOSE_DELAY_MS = 100;

type State = 'handshake' | 'authenticate' | 'failed';

export class SaslSession {
  private state: State = 'handshake';
  private mechanism: SaslMechanismServer | null = null;
  private exchange: SaslExchange | null = null;
  /** After a v0 handshake the tokens come as bare size-prefixed frames, not SaslAuthenticate requests. */
  private rawTokens = false;
  private user: string | null = null;
  private expiresAt = Infinity;

  constructor(
    private readonly target: AuthenticationTarget,
    private readonly settings: SaslSettings,
  ) {}

  private now(): number {
    return this.settings.now?.() ?? Date.now();
  }

  /** Whether requests other than ApiVersions, SaslHandshake and SaslAuthenticate may be served now. */
  get authenticated(): boolean {
    return this.user !== null && this.state !== 'failed' && this.now() < this.expiresAt;
  }

  /** The next frame is a raw SASL token (v0 handshake flow). */
  get expectsRawToken(): boolean {
    return this.state === 'authenticate' && this.rawTokens;
  }

  /** Why a request other than the SASL ones is refused now, for the log line that closes the connection. */
  refusal(apiName: string): string {
    if (this.state === 'failed') return `${apiName} after a failed SASL authentication`;
    if (this.user !== null) return `${apiName} after the SASL session expired (connections.max.reauth.ms)`;
    return `${apiName} before SASL authentication (only ApiVersions, SaslHandshake and SaslAuthenticate are allowed)`;
  }

  handshake(mechanismName: string, version: number): HandshakeOutcome {
    const mechanisms = [...this.settings.mechanisms.keys()];
    if (this.state !== 'handshake') {
      this.closeSoon();
      return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms };
    }
    const mechanism = this.settings.mechanisms.get(mechanismName);
    // Re-authentication keeps the mechanism (KIP-368).
    if (!mechanism || (this.mechanism !== null && this.mechanism !== mechanism)) {
      this.closeSoon();
      return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms };
    }
    this.mechanism = mechanism;
    this.exchange = mechanism.start();
    this.rawTokens = version === 0;
    this.state = 'authenticate';
    return { errorCode: ErrorCode.NONE, mechanisms };
  }

  async authenticate(token: Buffer): Promise<AuthenticateOutcome> {
    if (this.state !== 'authenticate' || this.exchange === null) {
      const expected = this.state === 'handshake' ? 'a SaslHandshake' : 'nothing: authentication failed';
      return this.fail(
        ErrorCode.ILLEGAL_SASL_STATE,
        `Unexpected SaslAuthenticate request: expected ${expected}`,
      );
    }
    let step;
    try {
      step = await this.exchange.step(token);
    } catch (error) {
      if (error instanceof AuthenticationFailed) {
        return this.fail(ErrorCode.SASL_AUTHENTICATION_FAILED, error.message);
      }
      this.state = 'failed';
      throw error;
    }
    if (!step.done)
      return { errorCode: ErrorCode.NONE, errorMessage: null, token: step.challenge, sessionLifetimeMs: 0 };
    if (this.user !== null && this.user !== step.user) {
      return this.fail(
        ErrorCode.SASL_AUTHENTICATION_FAILED,
        `Cannot change principals during re-authentication from ${userPrincipal(this.user)}: ${userPrincipal(step.user)}`,
      );
    }
    this.user = step.user;
    this.target.principal = userPrincipal(step.user);
    this.exchange = null;
    this.state = 'handshake';
    const lifetime = this.settings.maxReauthMs;
    this.expiresAt = lifetime > 0 ? this.now() + lifetime : Infinity;
    return {
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      token: step.challenge,
      sessionLifetimeMs: lifetime,
    };
  }

  private fail(errorCode: number, errorMessage: string): AuthenticateOutcome {
    this.closeSoon();
    return { errorCode, errorMessage, token: Buffer.alloc(0), sessionLifetimeMs: 0 };
  }

  private closeSoon(): void {
    this.state = 'failed';
    setTimeout(() => this.target.close(), FAILED_AUTHENTICATION_CLOSE_DELAY_MS).unref();
  }
}
