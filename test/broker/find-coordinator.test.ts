// FindCoordinator for a transactional id answers a final error that names the missing feature, so a
// transactional client stops at once instead of retrying COORDINATOR_NOT_AVAILABLE until its timeout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker } from '../helpers/broker.js';
import { RawClient } from '../helpers/raw-client.js';
import { runKcat } from '../helpers/kcat.js';
import { ApiKey } from '../../src/protocol/generated/apis.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import type { RunningBroker } from '../../src/broker/main.js';

const GROUP = 0;
const TRANSACTION = 1;

let broker: RunningBroker & { bootstrap: string };
let raw: RawClient;

describe('FindCoordinator for transactional ids', () => {
  beforeAll(async () => {
    broker = await startTestBroker();
    raw = await RawClient.connect(broker.port);
  });

  afterAll(async () => {
    raw.close();
    await broker.stop();
  });

  it('refuses a transactional id with TRANSACTIONAL_ID_AUTHORIZATION_FAILED, in every version', async () => {
    const batched = await raw.send(ApiKey.FindCoordinator, 4, {
      keyType: TRANSACTION,
      coordinatorKeys: ['tx-1'],
    });
    expect(batched.coordinators[0]).toMatchObject({
      key: 'tx-1',
      errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
      errorMessage: expect.stringMatching(/does not support Kafka transactions.*transactional\.id/),
    });
    const single = await raw.send(ApiKey.FindCoordinator, 2, { keyType: TRANSACTION, key: 'tx-1' });
    expect(single.errorCode).toBe(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    expect(single.errorMessage).toMatch(/transactions/);
  });

  it('still finds the coordinator of a group, and refuses unknown key types as invalid', async () => {
    const found = await raw.send(ApiKey.FindCoordinator, 4, {
      keyType: GROUP,
      coordinatorKeys: ['g'],
    });
    expect(found.coordinators[0]).toMatchObject({ errorCode: ErrorCode.NONE, port: broker.port });
    const unknown = await raw.send(ApiKey.FindCoordinator, 4, { keyType: 7, coordinatorKeys: ['x'] });
    expect(unknown.coordinators[0].errorCode).toBe(ErrorCode.INVALID_REQUEST);
  });

  it('makes a transactional kcat producer fail at once with the reason', async () => {
    // Far below librdkafka's own timeouts, which a retriable answer would make it wait out.
    const result = await runKcat(
      ['-b', broker.bootstrap, '-P', '-t', 'tx-topic', '-X', 'transactional.id=venice-test'],
      'one\n',
      30_000,
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/does not support Kafka transactions/);
  });
});
