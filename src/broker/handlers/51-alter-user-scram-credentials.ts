// AlterUserScramCredentials (key 51), v0 (KIP-554): upserts carry the client-salted password (the
// password itself never reaches the broker) and deletions name a user and mechanism. Results are per
// user: a user with one invalid alteration gets that error and none of its alterations is applied.
// Needs ALTER on the cluster.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import type {
  ScramCredentialDeletion,
  ScramCredentialUpsertion,
} from '../../protocol/generated/alter-user-scram-credentials-request.js';
import {
  defaultAlterUserScramCredentialsResponse,
  type AlterUserScramCredentialsResult,
} from '../../protocol/generated/alter-user-scram-credentials-response.js';
import {
  credentialFromSaltedPassword,
  MAX_SCRAM_ITERATIONS,
  MIN_SCRAM_ITERATIONS,
  scramMechanismByCode,
} from '../security/scram.js';
import type { ScramCredentialChange, ScramCredentialStore } from '../security/scram-credentials.js';
import { defineHandler } from './handler.js';
import { AclOperation, canCluster } from './access.js';

class AlterationRefused extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const alterUserScramCredentialsHandler = defineHandler({
  apiKey: ApiKey.AlterUserScramCredentials,
  minVersion: 0,
  maxVersion: 0,
  async handle(request, context) {
    const store = context.broker.scramCredentials;
    const users = [...new Set([...request.deletions, ...request.upsertions].map((item) => item.name))];
    const results: AlterUserScramCredentialsResult[] = [];
    // As in Kafka: changing credentials takes ALTER on the cluster.
    if (!canCluster(context, AclOperation.ALTER)) {
      const response = defaultAlterUserScramCredentialsResponse();
      response.results = users.map((user) => ({
        user,
        errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
        errorMessage: `${context.connection.principal} may not ALTER the cluster (needed to change SCRAM credentials)`,
      }));
      return response;
    }
    const accepted: ScramCredentialChange[] = [];
    for (const user of users) {
      try {
        accepted.push(
          ...changesOf(
            user,
            request.deletions.filter((item) => item.name === user),
            request.upsertions.filter((item) => item.name === user),
            store,
          ),
        );
        results.push({ user, errorCode: ErrorCode.NONE, errorMessage: null });
      } catch (error) {
        if (!(error instanceof AlterationRefused)) throw error;
        results.push({ user, errorCode: error.errorCode, errorMessage: error.message });
      }
    }
    await store.apply(accepted);
    const response = defaultAlterUserScramCredentialsResponse();
    response.results = results;
    return response;
  },
});

function changesOf(
  user: string,
  deletions: ScramCredentialDeletion[],
  upsertions: ScramCredentialUpsertion[],
  store: ScramCredentialStore,
): ScramCredentialChange[] {
  if (user === '')
    throw new AlterationRefused(ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Username must not be empty');
  const mechanismsSeen = new Set<number>();
  const changes: ScramCredentialChange[] = [];
  const alterations = [
    ...deletions.map((item) => ({ item, upsertion: null })),
    ...upsertions.map((item) => ({ item, upsertion: item })),
  ];
  for (const { item, upsertion } of alterations) {
    const mechanism = scramMechanismByCode(item.mechanism);
    if (!mechanism) {
      throw new AlterationRefused(
        ErrorCode.UNSUPPORTED_SASL_MECHANISM,
        `Unknown SCRAM mechanism code ${item.mechanism}`,
      );
    }
    if (mechanismsSeen.has(item.mechanism)) {
      throw new AlterationRefused(
        ErrorCode.DUPLICATE_RESOURCE,
        `A user credential cannot be altered twice in the same request: ${user} ${mechanism.name}`,
      );
    }
    mechanismsSeen.add(item.mechanism);
    if (upsertion === null) {
      if (!store.has(user, mechanism)) {
        throw new AlterationRefused(
          ErrorCode.RESOURCE_NOT_FOUND,
          `Attempt to delete a user credential that does not exist: ${user} ${mechanism.name}`,
        );
      }
      changes.push({ user, mechanism, credential: null });
      continue;
    }
    const { iterations } = upsertion;
    if (iterations < MIN_SCRAM_ITERATIONS || iterations > MAX_SCRAM_ITERATIONS) {
      throw new AlterationRefused(
        ErrorCode.UNACCEPTABLE_CREDENTIAL,
        `Iterations must be between ${MIN_SCRAM_ITERATIONS} and ${MAX_SCRAM_ITERATIONS} for ${mechanism.name}, got ${iterations}`,
      );
    }
    if (upsertion.salt.length === 0 || upsertion.saltedPassword.length !== mechanism.keyLength) {
      throw new AlterationRefused(
        ErrorCode.UNACCEPTABLE_CREDENTIAL,
        `A ${mechanism.name} credential needs a salt and a ${mechanism.keyLength}-byte salted password`,
      );
    }
    const salt = Buffer.from(upsertion.salt);
    const saltedPassword = Buffer.from(upsertion.saltedPassword);
    changes.push({
      user,
      mechanism,
      credential: credentialFromSaltedPassword(mechanism, saltedPassword, salt, iterations),
    });
  }
  return changes;
}
