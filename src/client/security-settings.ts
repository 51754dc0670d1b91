// How Venice's clients authenticate to Kafka and protect the connection, in Kafka's own terms
// (security.protocol, sasl.mechanism). No imports: the configuration reads these lists too.

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];

export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

export interface SaslCredentials {
  mechanism: SaslMechanism;
  username: string;
  password: string;
}

/** PEM files; without a CA file the system's trusted CAs verify the brokers. */
export interface TlsFiles {
  caFile?: string;
  /** The client certificate and its key, for brokers that require one (mutual TLS). */
  certFile?: string;
  keyFile?: string;
}

export interface KafkaSecurity {
  protocol: SecurityProtocol;
  /** Required by SASL_PLAINTEXT and SASL_SSL, ignored otherwise. */
  sasl?: SaslCredentials;
  /** Used by SSL and SASL_SSL. */
  tls?: TlsFiles;
}

/** How to reach a cluster beyond its address; the same for every client of one Venice. */
export interface KafkaClientSettings {
  /** Default: PLAINTEXT. */
  security?: KafkaSecurity;
  /**
   * The replication factor of the topics Venice's services create for themselves (_schemas,
   * connect-*, the sql command topic, changelogs, ...). Default: 3 on a cluster of 3 or more brokers,
   * else 1.
   */
  internalReplicationFactor?: number;
}

export function usesTls(protocol: SecurityProtocol): boolean {
  return protocol === 'SSL' || protocol === 'SASL_SSL';
}

export function usesSasl(protocol: SecurityProtocol): boolean {
  return protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';
}

/** The settings as messages may show them: never the password. */
export function describeSecurity(security: KafkaSecurity | undefined): string {
  if (security === undefined || security.protocol === 'PLAINTEXT') return 'PLAINTEXT';
  const parts: string[] = [security.protocol];
  if (usesSasl(security.protocol) && security.sasl)
    parts.push(`${security.sasl.mechanism} as ${security.sasl.username}`);
  if (usesTls(security.protocol) && security.tls?.certFile) parts.push('client certificate');
  return parts.join(', ');
}
