// Every API the broker answers, one handler per file named after its API key. ApiVersions advertises
// exactly this list.
import type { ApiHandler } from './handler.js';
import type { ApiKeyNumber } from '../../protocol/generated/apis.js';
import { produceHandler } from './00-produce.js';
import { fetchHandler } from './01-fetch.js';
import { listOffsetsHandler } from './02-list-offsets.js';
import { metadataHandler } from './03-metadata.js';
import { offsetCommitHandler } from './08-offset-commit.js';
import { offsetFetchHandler } from './09-offset-fetch.js';
import { findCoordinatorHandler } from './10-find-coordinator.js';
import { joinGroupHandler } from './11-join-group.js';
import { heartbeatHandler } from './12-heartbeat.js';
import { leaveGroupHandler } from './13-leave-group.js';
import { syncGroupHandler } from './14-sync-group.js';
import { describeGroupsHandler } from './15-describe-groups.js';
import { listGroupsHandler } from './16-list-groups.js';
import { saslHandshakeHandler } from './17-sasl-handshake.js';
import { apiVersionsHandler } from './18-api-versions.js';
import { createTopicsHandler } from './19-create-topics.js';
import { deleteTopicsHandler } from './20-delete-topics.js';
import { deleteRecordsHandler } from './21-delete-records.js';
import { initProducerIdHandler } from './22-init-producer-id.js';
import { offsetForLeaderEpochHandler } from './23-offset-for-leader-epoch.js';
import { addPartitionsToTxnHandler } from './24-add-partitions-to-txn.js';
import { addOffsetsToTxnHandler } from './25-add-offsets-to-txn.js';
import { endTxnHandler } from './26-end-txn.js';
import { writeTxnMarkersHandler } from './27-write-txn-markers.js';
import { txnOffsetCommitHandler } from './28-txn-offset-commit.js';
import { describeAclsHandler } from './29-describe-acls.js';
import { createAclsHandler } from './30-create-acls.js';
import { deleteAclsHandler } from './31-delete-acls.js';
import { describeConfigsHandler } from './32-describe-configs.js';
import { alterConfigsHandler } from './33-alter-configs.js';
import { describeLogDirsHandler } from './35-describe-log-dirs.js';
import { saslAuthenticateHandler } from './36-sasl-authenticate.js';
import { createPartitionsHandler } from './37-create-partitions.js';
import { deleteGroupsHandler } from './42-delete-groups.js';
import { incrementalAlterConfigsHandler } from './44-incremental-alter-configs.js';
import { offsetDeleteHandler } from './47-offset-delete.js';
import { describeUserScramCredentialsHandler } from './50-describe-user-scram-credentials.js';
import { alterUserScramCredentialsHandler } from './51-alter-user-scram-credentials.js';
import { describeClusterHandler } from './60-describe-cluster.js';
import { describeProducersHandler } from './61-describe-producers.js';
import { describeTransactionsHandler } from './65-describe-transactions.js';
import { listTransactionsHandler } from './66-list-transactions.js';

// Each handler is typed by its own API key; the table only needs the common shape.
function erase<K extends ApiKeyNumber>(handler: ApiHandler<K>): ApiHandler {
  return handler as unknown as ApiHandler;
}

export const HANDLERS: readonly ApiHandler[] = [
  erase(produceHandler),
  erase(fetchHandler),
  erase(listOffsetsHandler),
  erase(metadataHandler),
  erase(offsetCommitHandler),
  erase(offsetFetchHandler),
  erase(findCoordinatorHandler),
  erase(joinGroupHandler),
  erase(heartbeatHandler),
  erase(leaveGroupHandler),
  erase(syncGroupHandler),
  erase(describeGroupsHandler),
  erase(listGroupsHandler),
  erase(saslHandshakeHandler),
  erase(apiVersionsHandler),
  erase(createTopicsHandler),
  erase(deleteTopicsHandler),
  erase(deleteRecordsHandler),
  erase(initProducerIdHandler),
  erase(offsetForLeaderEpochHandler),
  erase(addPartitionsToTxnHandler),
  erase(addOffsetsToTxnHandler),
  erase(endTxnHandler),
  erase(writeTxnMarkersHandler),
  erase(txnOffsetCommitHandler),
  erase(describeAclsHandler),
  erase(createAclsHandler),
  erase(deleteAclsHandler),
  erase(describeConfigsHandler),
  erase(alterConfigsHandler),
  erase(describeLogDirsHandler),
  erase(saslAuthenticateHandler),
  erase(createPartitionsHandler),
  erase(deleteGroupsHandler),
  erase(incrementalAlterConfigsHandler),
  erase(offsetDeleteHandler),
  erase(describeUserScramCredentialsHandler),
  erase(alterUserScramCredentialsHandler),
  erase(describeClusterHandler),
  erase(describeProducersHandler),
  erase(describeTransactionsHandler),
  erase(listTransactionsHandler),
];
