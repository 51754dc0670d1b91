// group.initial.rebalance.delay.ms is a broker setting with Kafka's default of 3 s (librdkafka's tests 0089
// and 0113 found Venice rebalancing new groups at once), set by `venice broker --group-initial-rebalance-delay-ms`.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnBroker, temporaryDataDir, type BrokerProcess } from '../helpers/broker.js';
import { RawClient } from '../helpers/raw-client.js';
import { ApiKey } from '../../src/protocol/generated/apis.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { defaultBrokerConfig } from '../../src/broker/config.js';

const DELAY_MS = 1200;
const BROKER_RESOURCE = 4;

let dataDir: string;
let broker: BrokerProcess;
let raw: RawClient;

describe('group.initial.rebalance.delay.ms', () => {
  beforeAll(async () => {
    dataDir = temporaryDataDir('initial-delay');
    broker = await spawnBroker(dataDir, await freePort(), [
      '--group-initial-rebalance-delay-ms',
      String(DELAY_MS),
    ]);
    raw = await RawClient.connect(broker.port);
  });

  afterAll(async () => {
    raw?.close();
    broker?.child.kill('SIGTERM');
    await broker?.exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("defaults to Kafka's 3000 ms", () => {
    expect(defaultBrokerConfig().groupInitialRebalanceDelayMs).toBe(3000);
  });

  it('is set by the venice broker flag and shown in the broker configs', async () => {
    const described = await raw.send(ApiKey.DescribeConfigs, 4, {
      resources: [
        {
          resourceType: BROKER_RESOURCE,
          resourceName: '1',
          configurationKeys: ['group.initial.rebalance.delay.ms'],
        },
      ],
    });
    expect(described.results[0].configs.map((config) => [config.name, config.value])).toEqual([
      ['group.initial.rebalance.delay.ms', String(DELAY_MS)],
    ]);
  });

  it('holds the first join of a new group for the delay', async () => {
    const started = Date.now();
    const joined = await raw.send(ApiKey.JoinGroup, 3, {
      groupId: 'delayed',
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 10_000,
      memberId: '',
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
    });
    expect(joined.errorCode).toBe(ErrorCode.NONE);
    // A lower bound only: the delay is a floor, and a busy machine may add to it.
    expect(Date.now() - started).toBeGreaterThanOrEqual(DELAY_MS - 50);
  });
});
