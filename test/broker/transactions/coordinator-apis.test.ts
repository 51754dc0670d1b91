// The transaction APIs on the wire, version by version: what each answers, the fencing error by version
// (KIP-588), the batched AddPartitionsToTxn v4 with verify_only, WriteTxnMarkers for tools,
// DescribeTransactions and ListTransactions, OffsetFetch require_stable, and ApiVersions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker } from '../../helpers/broker.js';
import { RawClient } from '../../helpers/raw-client.js';
import { ApiKey } from '../../../src/protocol/generated/apis.js';
import { ErrorCode } from '../../../src/protocol/error-codes.js';
import type { RunningBroker } from '../../../src/broker/main.js';

const TOPIC = 'ledger';

let broker: RunningBroker & { bootstrap: string };
let raw: RawClient;

async function init(transactionalId: string, version = 4, timeoutMs = 60_000) {
  return raw.send(ApiKey.InitProducerId, version, {
    transactionalId,
    transactionTimeoutMs: timeoutMs,
    producerId: -1n,
    producerEpoch: -1,
  });
}

function addPartitions(
  version: number,
  transactionalId: string,
  producerId: bigint,
  producerEpoch: number,
  topics: { name: string; partitions: number[] }[],
) {
  return raw.send(ApiKey.AddPartitionsToTxn, version, {
    v3AndBelowTransactionalId: transactionalId,
    v3AndBelowProducerId: producerId,
    v3AndBelowProducerEpoch: producerEpoch,
    v3AndBelowTopics: topics,
  });
}

beforeAll(async () => {
  broker = await startTestBroker({ transactionMaxTimeoutMs: 300_000 });
  broker.context.logs.createTopic(TOPIC, 2, {});
  raw = await RawClient.connect(broker.port);
});

afterAll(async () => {
  raw.close();
  await broker.stop();
});

describe('transaction APIs on the wire', () => {
  it('advertises every transaction API in ApiVersions', async () => {
    const response = await raw.send(ApiKey.ApiVersions, 3, {
      clientSoftwareName: 'venice-test',
      clientSoftwareVersion: '1.0',
    });
    const range = (key: number) => {
      const api = response.apiKeys.find((a) => a.apiKey === key);
      return api && [api.minVersion, api.maxVersion];
    };
    expect(range(ApiKey.InitProducerId)).toEqual([0, 5]);
    expect(range(ApiKey.AddPartitionsToTxn)).toEqual([0, 4]);
    expect(range(ApiKey.AddOffsetsToTxn)).toEqual([0, 4]);
    expect(range(ApiKey.EndTxn)).toEqual([0, 4]);
    expect(range(ApiKey.WriteTxnMarkers)).toEqual([0, 1]);
    expect(range(ApiKey.TxnOffsetCommit)).toEqual([0, 4]);
    expect(range(ApiKey.DescribeTransactions)).toEqual([0, 0]);
    expect(range(ApiKey.ListTransactions)).toEqual([0, 1]);
    expect(range(ApiKey.DescribeProducers)).toEqual([0, 0]);
  });

  it('refuses a timeout above transaction.max.timeout.ms', async () => {
    const refused = await init('too-long', 4, 300_001);
    expect(refused.errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
  });

  it('answers a fenced producer PRODUCER_FENCED from the versions that know it, INVALID_PRODUCER_EPOCH before', async () => {
    const first = await init('fencing');
    const second = await init('fencing');
    expect(second).toMatchObject({
      errorCode: ErrorCode.NONE,
      producerId: first.producerId,
      producerEpoch: 1,
    });
    const topics = [{ name: TOPIC, partitions: [0] }];
    const v1 = await addPartitions(1, 'fencing', first.producerId, first.producerEpoch, topics);
    expect(v1.resultsByTopicV3AndBelow[0].resultsByPartition[0].partitionErrorCode).toBe(
      ErrorCode.INVALID_PRODUCER_EPOCH,
    );
    const v3 = await addPartitions(3, 'fencing', first.producerId, first.producerEpoch, topics);
    expect(v3.resultsByTopicV3AndBelow[0].resultsByPartition[0].partitionErrorCode).toBe(
      ErrorCode.PRODUCER_FENCED,
    );
    const end = {
      transactionalId: 'fencing',
      producerId: first.producerId,
      producerEpoch: first.producerEpoch,
    };
    expect((await raw.send(ApiKey.EndTxn, 1, { ...end, committed: true })).errorCode).toBe(
      ErrorCode.INVALID_PRODUCER_EPOCH,
    );
    expect((await raw.send(ApiKey.EndTxn, 3, { ...end, committed: true })).errorCode).toBe(
      ErrorCode.PRODUCER_FENCED,
    );
    // KIP-360: naming an epoch that is not the current one is fenced too.
    const retried = await raw.send(ApiKey.InitProducerId, 4, {
      transactionalId: 'fencing',
      transactionTimeoutMs: 60_000,
      producerId: first.producerId,
      producerEpoch: 7,
    });
    expect(retried.errorCode).toBe(ErrorCode.PRODUCER_FENCED);
    const retriedV3 = await raw.send(ApiKey.InitProducerId, 3, {
      transactionalId: 'fencing',
      transactionTimeoutMs: 60_000,
      producerId: first.producerId,
      producerEpoch: 7,
    });
    expect(retriedV3.errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
  });

  it('fails a whole AddPartitionsToTxn over one unknown partition', async () => {
    const producer = await init('unknown-partition');
    const response = await addPartitions(
      3,
      'unknown-partition',
      producer.producerId,
      producer.producerEpoch,
      [{ name: TOPIC, partitions: [0, 9] }],
    );
    expect(response.resultsByTopicV3AndBelow[0].resultsByPartition).toEqual([
      { partitionIndex: 0, partitionErrorCode: ErrorCode.OPERATION_NOT_ATTEMPTED },
      { partitionIndex: 9, partitionErrorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION },
    ]);
  });

  it('adds and verifies partitions with the batched v4 form', async () => {
    const producer = await init('batched');
    const transaction = (verifyOnly: boolean, partitions: number[]) => ({
      transactionalId: 'batched',
      producerId: producer.producerId,
      producerEpoch: producer.producerEpoch,
      verifyOnly,
      topics: [{ name: TOPIC, partitions }],
    });
    const verifyBefore = await raw.send(ApiKey.AddPartitionsToTxn, 4, {
      transactions: [transaction(true, [0])],
    });
    expect(
      verifyBefore.resultsByTransaction[0].topicResults[0].resultsByPartition[0].partitionErrorCode,
    ).toBe(ErrorCode.INVALID_TXN_STATE);
    const added = await raw.send(ApiKey.AddPartitionsToTxn, 4, {
      transactions: [transaction(false, [0, 1])],
    });
    expect(added.errorCode).toBe(ErrorCode.NONE);
    expect(added.resultsByTransaction[0]).toEqual({
      transactionalId: 'batched',
      topicResults: [
        {
          name: TOPIC,
          resultsByPartition: [
            { partitionIndex: 0, partitionErrorCode: ErrorCode.NONE },
            { partitionIndex: 1, partitionErrorCode: ErrorCode.NONE },
          ],
        },
      ],
    });
    const verifyAfter = await raw.send(ApiKey.AddPartitionsToTxn, 4, {
      transactions: [transaction(true, [1])],
    });
    expect(verifyAfter.resultsByTransaction[0].topicResults[0].resultsByPartition[0].partitionErrorCode).toBe(
      ErrorCode.NONE,
    );
  });

  it('keeps transactional offsets pending (UNSTABLE_OFFSET_COMMIT with require_stable) until EndTxn commits them', async () => {
    const producer = await init('offsets');
    const ids = {
      transactionalId: 'offsets',
      producerId: producer.producerId,
      producerEpoch: producer.producerEpoch,
    };
    expect((await raw.send(ApiKey.AddOffsetsToTxn, 3, { ...ids, groupId: 'ledger-readers' })).errorCode).toBe(
      ErrorCode.NONE,
    );
    const commit = await raw.send(ApiKey.TxnOffsetCommit, 3, {
      ...ids,
      groupId: 'ledger-readers',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [
        {
          name: TOPIC,
          partitions: [
            { partitionIndex: 1, committedOffset: 12n, committedLeaderEpoch: -1, committedMetadata: '' },
          ],
        },
      ],
    });
    expect(commit.topics[0].partitions[0].errorCode).toBe(ErrorCode.NONE);
    const fetch = (requireStable: boolean) =>
      raw.send(ApiKey.OffsetFetch, 7, {
        groupId: 'ledger-readers',
        topics: [{ name: TOPIC, partitionIndexes: [1] }],
        requireStable,
      });
    expect((await fetch(true)).topics[0].partitions[0]).toMatchObject({
      committedOffset: -1n,
      errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT,
    });
    expect((await fetch(false)).topics[0].partitions[0]).toMatchObject({
      committedOffset: -1n,
      errorCode: ErrorCode.NONE,
    });

    const described = await raw.send(ApiKey.DescribeTransactions, 0, {
      transactionalIds: ['offsets', 'nobody'],
    });
    expect(described.transactionStates[0]).toMatchObject({
      errorCode: ErrorCode.NONE,
      transactionState: 'Ongoing',
      producerId: producer.producerId,
      topics: [{ topic: '__consumer_offsets', partitions: [0] }],
    });
    expect(described.transactionStates[1].errorCode).toBe(ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
    const listed = await raw.send(ApiKey.ListTransactions, 1, {
      stateFilters: ['Ongoing'],
      producerIdFilters: [],
      durationFilter: -1n,
    });
    expect(listed.transactionStates.map((t) => t.transactionalId)).toContain('offsets');

    expect((await raw.send(ApiKey.EndTxn, 3, { ...ids, committed: true })).errorCode).toBe(ErrorCode.NONE);
    expect((await fetch(true)).topics[0].partitions[0]).toMatchObject({
      committedOffset: 12n,
      errorCode: ErrorCode.NONE,
    });
  });

  it('never deletes __transaction_state', async () => {
    await init('keeps-state');
    const response = await raw.send(ApiKey.DeleteTopics, 4, {
      topicNames: ['__transaction_state'],
      timeoutMs: 1000,
    });
    expect(response.responses[0].errorCode).toBe(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
    expect(broker.context.logs.topic('__transaction_state')).toBeDefined();
  });

  it('writes markers for tools with WriteTxnMarkers', async () => {
    const log = broker.context.logs.partition(TOPIC, 0)!;
    const before = log.logEndOffset;
    const response = await raw.send(ApiKey.WriteTxnMarkers, 1, {
      markers: [
        {
          producerId: 4242n,
          producerEpoch: 0,
          transactionResult: false,
          coordinatorEpoch: 0,
          topics: [
            { name: TOPIC, partitionIndexes: [0] },
            { name: 'no-such-topic', partitionIndexes: [0] },
          ],
        },
      ],
    });
    expect(response.markers[0].topics).toEqual([
      { name: TOPIC, partitions: [{ partitionIndex: 0, errorCode: ErrorCode.NONE }] },
      {
        name: 'no-such-topic',
        partitions: [{ partitionIndex: 0, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }],
      },
    ]);
    expect(log.logEndOffset).toBe(before + 1);
    // An id no log can hold is refused per partition; the connection stays open.
    const invalid = await raw.send(ApiKey.WriteTxnMarkers, 1, {
      markers: [
        {
          producerId: 2n ** 63n - 1n,
          producerEpoch: 0,
          transactionResult: true,
          coordinatorEpoch: 0,
          topics: [{ name: TOPIC, partitionIndexes: [0] }],
        },
      ],
    });
    expect(invalid.markers[0].topics[0].partitions[0].errorCode).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    expect(log.logEndOffset).toBe(before + 1);
  });
});
