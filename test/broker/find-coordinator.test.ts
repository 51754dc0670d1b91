// FindCoordinator: this node coordinates every consumer group (key type 0) and every transactional id
// (key type 1), in every version; other key types are refused as invalid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker } from '../helpers/broker.js';
import { RawClient } from '../helpers/raw-client.js';
import { ApiKey } from '../../src/protocol/generated/apis.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import type { RunningBroker } from '../../src/broker/main.js';

const GROUP = 0;
const TRANSACTION = 1;

let broker: RunningBroker & { bootstrap: string };
let raw: RawClient;

describe('FindCoordinator', () => {
  beforeAll(async () => {
    broker = await startTestBroker();
    raw = await RawClient.connect(broker.port);
  });

  afterAll(async () => {
    raw.close();
    await broker.stop();
  });

  it('answers this broker for a transactional id, batched (v4) and single (v2)', async () => {
    const batched = await raw.send(ApiKey.FindCoordinator, 4, {
      keyType: TRANSACTION,
      coordinatorKeys: ['tx-1', 'tx-2'],
    });
    expect(batched.coordinators).toHaveLength(2);
    for (const coordinator of batched.coordinators) {
      expect(coordinator).toMatchObject({ errorCode: ErrorCode.NONE, nodeId: 1, port: broker.port });
    }
    const single = await raw.send(ApiKey.FindCoordinator, 2, { keyType: TRANSACTION, key: 'tx-1' });
    expect(single).toMatchObject({ errorCode: ErrorCode.NONE, port: broker.port });
  });

  it('finds the coordinator of a group, and refuses unknown key types as invalid', async () => {
    const found = await raw.send(ApiKey.FindCoordinator, 4, {
      keyType: GROUP,
      coordinatorKeys: ['g'],
    });
    expect(found.coordinators[0]).toMatchObject({ errorCode: ErrorCode.NONE, port: broker.port });
    const unknown = await raw.send(ApiKey.FindCoordinator, 4, { keyType: 7, coordinatorKeys: ['x'] });
    expect(unknown.coordinators[0].errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(unknown.coordinators[0].errorMessage).toMatch(/key type 7/);
  });
});
