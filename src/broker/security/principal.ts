// Who a connection acts as, written the way Kafka writes a principal: "User:alice". Authentication
// (TLS client certificates, SASL) sets it; the authorizer reads it. Until then a connection is
// Kafka's anonymous user.

export const ANONYMOUS_PRINCIPAL = 'User:ANONYMOUS';

/** The principal of a user name (a SASL user, or a name taken from a client certificate). */
export function userPrincipal(name: string): string {
  return `User:${name}`;
}

/** The listener name a broker with one plain listener gives its connections. */
export const DEFAULT_LISTENER_NAME = 'PLAINTEXT';
