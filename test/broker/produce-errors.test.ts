// Produce refusals a client can act on: records without a key on a compacted topic are named by their
// batch index (Produce v8+, KIP-467; librdkafka's test 0011 found them missing), and a batch above
// max.message.bytes is refused by the log with MESSAGE_TOO_LARGE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker } from '../helpers/broker.js';
import { RawClient } from '../helpers/raw-client.js';
import { ApiKey } from '../../src/protocol/generated/apis.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { encodeBatch, type RecordInput } from '../../src/protocol/records/record-codec.js';
import type { RunningBroker } from '../../src/broker/main.js';

let broker: RunningBroker & { bootstrap: string };
let raw: RawClient;

async function produce(topic: string, records: RecordInput[], version = 9) {
  const response = await raw.send(ApiKey.Produce, version, {
    acks: -1,
    timeoutMs: 5000,
    topicData: [{ name: topic, partitionData: [{ index: 0, records: encodeBatch({ records }) }] }],
  });
  return response.responses[0].partitionResponses[0];
}

describe('produce refusals', () => {
  beforeAll(async () => {
    broker = await startTestBroker();
    raw = await RawClient.connect(broker.port);
  });

  afterAll(async () => {
    raw.close();
    await broker.stop();
  });

  it('names the records without a key when a compacted topic refuses a batch', async () => {
    broker.context.logs.createTopic('compacted', 1, { 'cleanup.policy': 'compact' });
    const answer = await produce('compacted', [
      { key: 'a', value: '1' },
      { key: null, value: '2' },
      { key: 'c', value: '3' },
      { key: null, value: '4' },
    ]);
    expect(answer.errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(answer.recordErrors.map((error) => error.batchIndex)).toEqual([1, 3]);
    for (const error of answer.recordErrors) expect(error.batchIndexErrorMessage).toMatch(/compact.*key/);
    expect(answer.errorMessage).toMatch(/2 record\(s\).*no key/);
    // The whole batch is refused, as Kafka does: nothing reached the log.
    expect(broker.context.logs.partition('compacted', 0)!.logEndOffset).toBe(0);

    const keyed = await produce('compacted', [{ key: 'a', value: '1' }]);
    expect(keyed.errorCode).toBe(ErrorCode.NONE);
  });

  it('still refuses such a batch before Produce v8, which has no record errors to carry', async () => {
    const answer = await produce('compacted', [{ key: null, value: 'x' }], 7);
    expect(answer.errorCode).toBe(ErrorCode.INVALID_RECORD);
  });

  it('refuses a batch above the topic max.message.bytes with MESSAGE_TOO_LARGE and says what to change', async () => {
    broker.context.logs.createTopic('small', 1, { 'max.message.bytes': '1000' });
    const answer = await produce('small', [{ key: 'k', value: Buffer.alloc(2000, 'x') }]);
    expect(answer.errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    expect(answer.errorMessage).toMatch(/max\.message\.bytes=1000/);
    expect(broker.context.logs.partition('small', 0)!.logEndOffset).toBe(0);
  });
});
