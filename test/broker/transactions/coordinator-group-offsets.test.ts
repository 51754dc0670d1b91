// The group coordinator's side of TxnOffsetCommit: which commits a live group accepts (KIP-447 generation
// and member checks), where they are stored (one transactional batch of the producer), and when they count.
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/protocol/error-codes.js';
import type {
  GroupCoordinator,
  TransactionalWriter,
  TxnOffsetCommitRequest,
} from '../../../src/broker/groups/index.js';
import { joinWithId, MemoryStore, newCoordinator, subscription } from '../groups/helpers.js';

/** Remembers which producer each append was written for. */
class TransactionalMemoryStore extends MemoryStore {
  readonly writers: (TransactionalWriter | undefined)[] = [];
  override async append(records: Parameters<MemoryStore['append']>[0], transaction?: TransactionalWriter) {
    this.writers.push(transaction);
    await super.append(records);
  }
}

async function stableMember(coordinator: GroupCoordinator): Promise<string> {
  const overrides = { groupId: 'g', protocols: [{ name: 'range', metadata: subscription('orders') }] };
  const { memberId, joined } = await joinWithId(coordinator, overrides);
  await joined;
  await coordinator.syncGroup({
    groupId: 'g',
    generationId: 1,
    memberId,
    groupInstanceId: null,
    protocolType: null,
    protocolName: null,
    assignments: [{ memberId, assignment: Buffer.from('assigned') }],
  });
  return memberId;
}

function txnCommit(overrides: Partial<TxnOffsetCommitRequest> = {}): TxnOffsetCommitRequest {
  return {
    groupId: 'g',
    producerId: 11n,
    producerEpoch: 2,
    generationId: -1,
    memberId: '',
    groupInstanceId: null,
    offsets: [{ topic: 'orders', partition: 0, offset: 30n, leaderEpoch: -1, metadata: null }],
    ...overrides,
  };
}

describe('TxnOffsetCommit in the group coordinator', () => {
  it('checks the generation and member the producer names, and accepts a producer that names none', async () => {
    const { coordinator } = newCoordinator();
    const memberId = await stableMember(coordinator);
    const codes = async (request: TxnOffsetCommitRequest) =>
      (await coordinator.commitTxnOffsets(request)).map((r) => r.errorCode);
    expect(await codes(txnCommit({ generationId: 7, memberId }))).toEqual([ErrorCode.ILLEGAL_GENERATION]);
    expect(await codes(txnCommit({ generationId: 1, memberId: 'stranger' }))).toEqual([
      ErrorCode.UNKNOWN_MEMBER_ID,
    ]);
    expect(await codes(txnCommit({ generationId: 1, memberId }))).toEqual([ErrorCode.NONE]);
    // TxnOffsetCommit before v3 names no member: a live group accepts it (the producer is no member).
    expect(await codes(txnCommit())).toEqual([ErrorCode.NONE]);
    // A generation for a group that does not exist is stale.
    expect(await codes(txnCommit({ groupId: 'nobody', generationId: 3 }))).toEqual([
      ErrorCode.ILLEGAL_GENERATION,
    ]);
  });

  it("writes one transactional batch of the producer, counted only at its transaction's commit", async () => {
    const store = new TransactionalMemoryStore();
    const { coordinator } = newCoordinator(store);
    await coordinator.commitTxnOffsets(txnCommit());
    expect(store.writers).toEqual([{ producerId: 11n, producerEpoch: 2 }]);
    const fetch = (requireStable: boolean) =>
      coordinator.fetchOffsets('g', [{ topic: 'orders', partition: 0 }], requireStable)[0];
    expect(fetch(false)).toMatchObject({ offset: -1n, errorCode: ErrorCode.NONE });
    expect(fetch(true)).toMatchObject({ offset: -1n, errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT });
    // Another producer's marker settles nothing of this one.
    coordinator.completeTxnOffsets(12n, true);
    expect(fetch(true).errorCode).toBe(ErrorCode.UNSTABLE_OFFSET_COMMIT);
    coordinator.completeTxnOffsets(11n, true);
    expect(fetch(true)).toMatchObject({ offset: 30n, errorCode: ErrorCode.NONE });
    // An aborted later transaction leaves the committed offset alone.
    await coordinator.commitTxnOffsets(txnCommit({ offsets: [{ ...txnCommit().offsets[0], offset: 99n }] }));
    coordinator.completeTxnOffsets(11n, false);
    expect(fetch(true)).toMatchObject({ offset: 30n, errorCode: ErrorCode.NONE });
  });
});
