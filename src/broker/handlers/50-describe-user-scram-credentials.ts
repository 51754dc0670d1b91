// DescribeUserScramCredentials (key 50), v0 (KIP-554): the SCRAM mechanisms and iterations each user
// has credentials for; never the salt or keys. No users named (null or empty): every user. Needs
// DESCRIBE on the cluster.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import {
  defaultDescribeUserScramCredentialsResponse,
  type DescribeUserScramCredentialsResult,
} from '../../protocol/generated/describe-user-scram-credentials-response.js';
import type { DescribedScramUser } from '../security/scram-credentials.js';
import { defineHandler } from './handler.js';
import { AclOperation, canCluster } from './access.js';

export const describeUserScramCredentialsHandler = defineHandler({
  apiKey: ApiKey.DescribeUserScramCredentials,
  minVersion: 0,
  maxVersion: 0,
  handle(request, context) {
    const store = context.broker.scramCredentials;
    const response = defaultDescribeUserScramCredentialsResponse();
    // As in Kafka: listing credentials takes DESCRIBE on the cluster.
    if (!canCluster(context, AclOperation.DESCRIBE)) {
      response.errorCode = ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
      response.errorMessage = `${context.connection.principal} may not DESCRIBE the cluster`;
      return response;
    }
    response.errorCode = ErrorCode.NONE;
    response.errorMessage = null;
    const names = (request.users ?? []).map((user) => user.name);
    if (names.length === 0) {
      response.results = store.describe().map(described);
      return response;
    }
    const seen = new Set<string>();
    const duplicates = new Set(names.filter((name) => seen.size === seen.add(name).size));
    response.results = [...new Set(names)].map((name): DescribeUserScramCredentialsResult => {
      if (duplicates.has(name)) {
        return failed(
          name,
          ErrorCode.DUPLICATE_RESOURCE,
          `Cannot describe SCRAM credentials for the same user twice in a single request: ${name}`,
        );
      }
      const user = store.describeUser(name);
      return user
        ? described(user)
        : failed(
            name,
            ErrorCode.RESOURCE_NOT_FOUND,
            `Attempt to describe a user credential that does not exist: ${name}`,
          );
    });
    return response;
  },
});

function described(user: DescribedScramUser): DescribeUserScramCredentialsResult {
  return {
    user: user.user,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    credentialInfos: user.credentials.map((credential) => ({
      mechanism: credential.mechanism.code,
      iterations: credential.iterations,
    })),
  };
}

function failed(user: string, errorCode: number, errorMessage: string): DescribeUserScramCredentialsResult {
  return { user, errorCode, errorMessage, credentialInfos: [] };
}
