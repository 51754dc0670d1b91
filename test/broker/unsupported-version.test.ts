// A request in a version the broker does not serve gets UNSUPPORTED_VERSION in a response the client can
// read when that response has a top-level error code (here) or per-item errors (old-versions.test.ts);
// otherwise the connection is closed, as Kafka does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker } from '../helpers/broker.js';
import { RawClient } from '../helpers/raw-client.js';
import { ApiKey } from '../../src/protocol/generated/apis.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';

describe('unsupported versions', () => {
  let broker: Awaited<ReturnType<typeof startTestBroker>>;
  beforeAll(async () => {
    broker = await startTestBroker();
  });
  afterAll(() => broker.stop());

  it('answers UNSUPPORTED_VERSION with a message where the response has an error code, and keeps the connection', async () => {
    const client = await RawClient.connect(broker.port);
    try {
      // EndTxn v5 (KIP-890 transaction version 2) is beyond the 0..4 the broker serves.
      const endTxn = await client.send(ApiKey.EndTxn, 5, {});
      expect(endTxn.errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
      const heartbeat = await client.send(ApiKey.ConsumerGroupHeartbeat, 0, {});
      expect(heartbeat.errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
      expect(heartbeat.errorMessage).toBe(
        'ConsumerGroupHeartbeat v0 is not supported (supported versions: none)',
      );
      expect((await client.send(ApiKey.ApiVersions, 3, {})).errorCode).toBe(0);
    } finally {
      client.close();
    }
  });

  it('closes the connection when nothing in the response can carry the error', async () => {
    const client = await RawClient.connect(broker.port);
    try {
      // ReadShareGroupState: an inter-broker API whose errors are per item of a broker's request.
      await expect(client.send(ApiKey.ReadShareGroupState, 0, {})).rejects.toThrow(
        'connection closed by the broker',
      );
    } finally {
      client.close();
    }
  });
});
