// The contract every SASL mechanism's server side fulfils: tokens in, challenges out, until it names a user.

/** A failed authentication; its message is what the client is told (SaslAuthenticate's error message). */
export class AuthenticationFailed extends Error {
  override name = 'AuthenticationFailed';
}

export type ExchangeStep =
  /** The exchange goes on: send `challenge`, wait for the client's next token. */
  | { done: false; challenge: Buffer }
  /** The client proved it is `user`; `challenge` is the last token to send (possibly empty). */
  | { done: true; challenge: Buffer; user: string };

/** One authentication attempt. `step` throws AuthenticationFailed when the client fails it. */
export interface SaslExchange {
  step(token: Buffer): Promise<ExchangeStep>;
}

export interface SaslMechanismServer {
  readonly name: string;
  start(): SaslExchange;
}

/** Kafka's wording for a failed credential check, so that clients and scripts see the familiar message. */
export function invalidCredentials(mechanism: string): AuthenticationFailed {
  return new AuthenticationFailed(
    `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}`,
  );
}
