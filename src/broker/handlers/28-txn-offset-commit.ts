// TxnOffsetCommit (key 28), v0-4: a transactional producer commits a consumer group's offsets inside its
// transaction; they become the group's committed offsets when the transaction commits (see
// groups/txn-offsets.ts). v2 adds the leader epoch, v3 (KIP-447) the consumer's generation, member id and
// instance id, so a zombie consumer of an old generation cannot commit, and is flexible; v4 may answer
// TRANSACTION_ABORTABLE (KIP-890; never sent here).
// Authorization (as Kafka): WRITE on the transactional id, READ on the group (either refusal applies to
// every partition), READ on each topic.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultTxnOffsetCommitResponse } from '../../protocol/generated/txn-offset-commit-response.js';
import type { OffsetToCommit, PartitionError } from '../groups/types.js';
import { defineHandler } from './handler.js';
import { AclOperation, canGroup, canTopic, canTransactionalId } from './access.js';
import { groupByTopic } from './topic-grouping.js';
import { fencingErrorFor } from './txn-errors.js';

export const txnOffsetCommitHandler = defineHandler({
  apiKey: ApiKey.TxnOffsetCommit,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, context) {
    const { broker, version } = context;
    const whole = !canTransactionalId(context, AclOperation.WRITE, request.transactionalId)
      ? ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
      : !canGroup(context, AclOperation.READ, request.groupId)
        ? ErrorCode.GROUP_AUTHORIZATION_FAILED
        : ErrorCode.NONE;
    const producer = {
      transactionalId: request.transactionalId,
      producerId: request.producerId,
      producerEpoch: request.producerEpoch,
    };
    const unknown: PartitionError[] = [];
    const offsets: OffsetToCommit[] = [];
    for (const topic of request.topics) {
      const topicAllowed = whole === ErrorCode.NONE && canTopic(context, AclOperation.READ, topic.name);
      for (const partition of topic.partitions) {
        const ref = { topic: topic.name, partition: partition.partitionIndex };
        const refusal =
          whole !== ErrorCode.NONE
            ? whole
            : !topicAllowed
              ? ErrorCode.TOPIC_AUTHORIZATION_FAILED
              : !broker.logs.partition(ref.topic, ref.partition)
                ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
                : ErrorCode.NONE;
        if (refusal !== ErrorCode.NONE) {
          unknown.push({ ...ref, errorCode: refusal });
          continue;
        }
        offsets.push({
          ...ref,
          offset: partition.committedOffset,
          leaderEpoch: version >= 2 ? partition.committedLeaderEpoch : -1,
          metadata: partition.committedMetadata,
        });
      }
    }
    let committed: PartitionError[];
    const refused = broker.transactions.checkOffsetCommit(producer, request.groupId);
    if (refused !== ErrorCode.NONE) {
      const errorCode = fencingErrorFor(refused, version, 3);
      committed = offsets.map(({ topic, partition }) => ({ topic, partition, errorCode }));
    } else if (offsets.length === 0) {
      committed = [];
    } else {
      committed = await broker.groups.commitTxnOffsets({
        groupId: request.groupId,
        producerId: request.producerId,
        producerEpoch: request.producerEpoch,
        generationId: version >= 3 ? request.generationId : -1,
        memberId: version >= 3 ? request.memberId : '',
        groupInstanceId: version >= 3 ? request.groupInstanceId : null,
        offsets,
      });
    }
    const response = defaultTxnOffsetCommitResponse();
    response.topics = groupByTopic([...committed, ...unknown]).map(([name, partitions]) => ({
      name,
      partitions: partitions.map((entry) => ({
        partitionIndex: entry.partition,
        errorCode: entry.errorCode,
      })),
    }));
    return response;
  },
});
