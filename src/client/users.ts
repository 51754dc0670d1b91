// SCRAM users over the Kafka protocol (KIP-554): DescribeUserScramCredentials lists them and
// AlterUserScramCredentials creates, changes or deletes them. The password is salted here, on the
// client, as Kafka's admin client does: only the salted password travels to the broker.
import crypto from 'node:crypto';
import { alterUserScramCredentialsV0, describeUserScramCredentialsV0 } from './library.js';
import type { KafkaConnection } from './connection.js';
import type { ScramMechanismName, ScramUser, ScramUserSpec } from './types.js';

// Kafka's mechanism codes (KIP-554). The broker has its own table: the client does not import broker code.
const MECHANISMS: readonly { name: ScramMechanismName; code: number; hash: string; keyLength: number }[] = [
  { name: 'SCRAM-SHA-256', code: 1, hash: 'sha256', keyLength: 32 },
  { name: 'SCRAM-SHA-512', code: 2, hash: 'sha512', keyLength: 64 },
];
const DEFAULT_ITERATIONS = 8192;

function mechanismNamed(name: ScramMechanismName) {
  const mechanism = MECHANISMS.find((candidate) => candidate.name === name);
  if (!mechanism) throw new Error(`unknown SCRAM mechanism ${name}: use SCRAM-SHA-256 or SCRAM-SHA-512`);
  return mechanism;
}

async function withBootstrapConnection<T>(
  kafka: KafkaConnection,
  run: (
    connection: Awaited<ReturnType<ReturnType<KafkaConnection['newConnectionPool']>['get']>>,
  ) => Promise<T>,
): Promise<T> {
  const pool = kafka.newConnectionPool();
  try {
    const [host, port] = splitHostPort(kafka.bootstrapServers[0]);
    return await run(await pool.get({ host, port }));
  } finally {
    await kafka.closeConnectionPool(pool);
  }
}

function splitHostPort(server: string): [string, number] {
  const colon = server.lastIndexOf(':');
  return [server.slice(0, colon).replace(/^\[|\]$/g, ''), Number(server.slice(colon + 1))];
}

/** Every SCRAM user (or the named ones), with the mechanisms and iterations of their credentials. */
export function listScramUsers(kafka: KafkaConnection, names: readonly string[] = []): Promise<ScramUser[]> {
  const subject = names.length === 1 ? `user ${names[0]}` : undefined;
  return kafka.call(subject, () =>
    withBootstrapConnection(kafka, async (connection) => {
      const response = await describeUserScramCredentialsV0.api.async(
        connection,
        names.map((name) => ({ name })),
      );
      return response.results.map((result) => ({
        name: result.user,
        credentials: result.credentialInfos.map((info) => ({
          mechanism: MECHANISMS.find((m) => m.code === info.mechanism)?.name ?? `unknown (${info.mechanism})`,
          iterations: info.iterations,
        })),
      }));
    }),
  );
}

/** Creates the user, or changes its password, for each mechanism asked (both by default). */
export function upsertScramUser(kafka: KafkaConnection, spec: ScramUserSpec): Promise<void> {
  const mechanisms = (spec.mechanisms ?? MECHANISMS.map((m) => m.name)).map(mechanismNamed);
  const iterations = spec.iterations ?? DEFAULT_ITERATIONS;
  return kafka.call(`user ${spec.name}`, () =>
    withBootstrapConnection(kafka, async (connection) => {
      const upsertions = mechanisms.map((mechanism) => {
        const salt = crypto.randomBytes(32);
        const saltedPassword = crypto.pbkdf2Sync(
          spec.password,
          salt,
          iterations,
          mechanism.keyLength,
          mechanism.hash,
        );
        return { name: spec.name, mechanism: mechanism.code, iterations, salt, saltedPassword };
      });
      await alterUserScramCredentialsV0.api.async(connection, [], upsertions);
    }),
  );
}

/** Deletes the user's credentials for the mechanisms given, or for every mechanism it has. */
export async function deleteScramUser(
  kafka: KafkaConnection,
  name: string,
  mechanisms?: readonly ScramMechanismName[],
): Promise<void> {
  const names = mechanisms ?? (await listScramUsers(kafka, [name]))[0].credentials.map((c) => c.mechanism);
  const deletions = names.map((mechanism) => ({
    name,
    mechanism: mechanismNamed(mechanism as ScramMechanismName).code,
  }));
  await kafka.call(`user ${name}`, () =>
    withBootstrapConnection(kafka, async (connection) => {
      await alterUserScramCredentialsV0.api.async(connection, deletions, []);
    }),
  );
}
