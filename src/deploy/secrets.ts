// The values a deployment is born with and must keep: Kafka's cluster id and PostgreSQL's password.
// Drawn at random for each project written, so no two hand-overs share them.
import { randomBytes } from 'node:crypto';

/** A KRaft cluster id: 16 random bytes in URL-safe base64 without padding, as kafka-storage random-uuid prints. */
export function newKafkaClusterId(): string {
  return randomBytes(16).toString('base64url');
}

const CLUSTER_ID = /^[A-Za-z0-9_-]{22}$/;

/** Checks a --cluster-id given by hand (to rewrite the files of a cluster that already exists). */
export function checkKafkaClusterId(value: string): string {
  if (!CLUSTER_ID.test(value))
    throw new Error(
      `a Kafka cluster id is 22 characters of URL-safe base64 (as \`kafka-storage.sh random-uuid\` prints), got ${JSON.stringify(value)}`,
    );
  return value;
}

/** Hex only: it goes into a postgres:// URL unescaped. */
export function newPassword(): string {
  return randomBytes(18).toString('hex');
}
