// Bad input never crashes the broker: >100,000 random, mutated and valid-but-odd request frames over
// many connections, against the broker running as a child process, while well-behaved clients keep
// working. Deterministic for a seed (VENICE_FUZZ_SEED overrides the default one). The SASL and TLS
// listeners have their own fuzz, fuzz-security.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnBroker, startTestBroker, temporaryDataDir, type BrokerProcess } from '../helpers/broker.js';
import { ApiKey } from '../../src/protocol/generated/apis.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { ZERO_UUID } from '../../src/protocol/primitives.js';
import { encodeBatch } from '../../src/protocol/records/record-codec.js';
import { BATCH_HEADER_SIZE, updateCrc } from '../../src/protocol/records/batch-header.js';
import { encodeFrame } from './fuzz/frames.js';
import { Prng } from './fuzz/prng.js';
import type { FuzzWorld } from './fuzz/random-message.js';
import { PlanBuilder, type ConnectionKind, type ConnectionPlan, type SupportedApi } from './fuzz/plan.js';
import { ACCEPTABLE_BATCH_MUTATIONS, type BatchMutation } from './fuzz/batch-mutations.js';
import {
  dirSize,
  emptyStats,
  report,
  shortLogLine,
  tallyBatchOutcomes,
  type BatchOutcome,
  type KindStats,
} from './fuzz/report.js';
import { chunkFrames, converse, WireClient } from './fuzz/wire-client.js';
import { canaryRoundTrip } from './fuzz/canary.js';
import { KafkajsTraffic } from './fuzz/kafkajs-traffic.js';

const SEED = Number(process.env.VENICE_FUZZ_SEED ?? 0x5eed_f022);

/** Connections per kind and frames per connection. */
const PLAN: Record<ConnectionKind, { connections: number; frames: number }> = {
  valid: { connections: 150, frames: 400 },
  'record-batch': { connections: 50, frames: 300 },
  mutated: { connections: 600, frames: 30 },
  'random-bytes': { connections: 400, frames: 20 },
};
const PARALLEL_CONNECTIONS = 6;
/** How long a connection that sent garbage may stay open before the broker closes it. */
const CLOSE_WITHIN_MS = 10_000;
/** Longest silence while answers to well-formed requests are still due. */
const ANSWER_WITHIN_MS = 15_000;
/** Round trips of well-behaved clients, spread evenly over the fuzz's connections. */
const HEALTH_CHECKS = 8;

const WORLD_TOPICS = [
  { name: 'fuzz-0', partitions: 1, configs: {} },
  { name: 'fuzz-1', partitions: 2, configs: {} },
  { name: 'fuzz-compact', partitions: 2, configs: { 'cleanup.policy': 'compact' } },
];
/** Written only by record-batch connections (two partitions each). */
const BATCH_TOPICS = [
  { name: 'batches', partitions: 2, configs: {} },
  { name: 'batches-compact', partitions: 2, configs: { 'cleanup.policy': 'compact' } },
];
const CANARY_TOPIC = 'canary-wire';
const KAFKAJS_TOPIC = 'canary-kafkajs';

async function supportedApis(port: number): Promise<SupportedApi[]> {
  const client = await WireClient.open(port);
  try {
    const response = await client.request(ApiKey.ApiVersions, 3, {
      clientSoftwareName: 'venice-fuzz',
      clientSoftwareVersion: '1',
    });
    expect(response.errorCode).toBe(ErrorCode.NONE);
    return response.apiKeys.map(({ apiKey, minVersion, maxVersion }) => ({ apiKey, minVersion, maxVersion }));
  } finally {
    client.close();
  }
}

/** Creates the topics the fuzz aims at (and the canaries' own), returning the fuzz world. */
async function prepareWorld(port: number): Promise<FuzzWorld> {
  const client = await WireClient.open(port);
  try {
    const topics = [
      ...WORLD_TOPICS,
      ...BATCH_TOPICS,
      { name: CANARY_TOPIC, partitions: 1, configs: {} },
      { name: KAFKAJS_TOPIC, partitions: 1, configs: {} },
    ];
    const created = await client.request(ApiKey.CreateTopics, 7, {
      topics: topics.map((topic) => ({
        name: topic.name,
        numPartitions: topic.partitions,
        replicationFactor: 1,
        assignments: [],
        configs: Object.entries(topic.configs).map(([name, value]) => ({ name, value })),
      })),
      timeoutMs: 10_000,
      validateOnly: false,
    });
    for (const result of created.topics)
      expect(result.errorCode, result.errorMessage ?? '').toBe(ErrorCode.NONE);
    return {
      topics: WORLD_TOPICS.map((topic) => topic.name),
      topicIds: created.topics
        .filter((result) => WORLD_TOPICS.some((topic) => topic.name === result.name))
        .map((result) => result.topicId),
      groups: ['fuzz-group-0', 'fuzz-group-1', 'fuzz-group-2'],
    };
  } finally {
    client.close();
  }
}

async function countTopics(port: number): Promise<{ topics: number; partitions: number }> {
  const client = await WireClient.open(port);
  try {
    const metadata = await client.request(ApiKey.Metadata, 12, {
      topics: null,
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    return {
      topics: metadata.topics.length,
      partitions: metadata.topics.reduce((sum, topic) => sum + topic.partitions.length, 0),
    };
  } finally {
    client.close();
  }
}

/** Connections in a seeded order, so the kinds run side by side. */
function connectionOrder(rng: Prng): ConnectionKind[] {
  const order: ConnectionKind[] = [];
  for (const [kind, { connections }] of Object.entries(PLAN) as [ConnectionKind, { connections: number }][]) {
    for (let i = 0; i < connections; i++) order.push(kind);
  }
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

function conversationOptions(plan: ConnectionPlan) {
  switch (plan.kind) {
    case 'valid':
    case 'record-batch':
      return {
        expectedResponses: plan.expectedResponses,
        idleMs: ANSWER_WITHIN_MS,
        keepResponses: plan.kind === 'record-batch',
      };
    case 'random-bytes':
      // Wait for the broker to hang up; never end the connection ourselves.
      return { expectedResponses: Infinity, idleMs: CLOSE_WITHIN_MS };
    case 'mutated':
      // A frame whose size prefix overstates its length leaves the broker waiting: give up after a while.
      return { expectedResponses: Infinity, idleMs: 300 };
  }
}

describe('broker fuzz', () => {
  let broker: BrokerProcess;
  let dataDir: string;

  beforeAll(async () => {
    if (!fs.existsSync(path.resolve('dist/cli/main.js'))) {
      throw new Error('the fuzz test runs the built CLI: run `npm run build` first');
    }
    dataDir = temporaryDataDir('fuzz');
    broker = await spawnBroker(dataDir);
  });

  afterAll(async () => {
    if (broker?.child.exitCode === null) {
      broker.child.kill('SIGTERM');
      await broker.exited;
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('survives >100,000 bad, random and odd frames while real clients keep working', async () => {
    const started = Date.now();
    console.log(`broker fuzz: seed ${SEED} (set VENICE_FUZZ_SEED to replay another)`);
    try {
      const apis = await supportedApis(broker.port);
      const world = await prepareWorld(broker.port);
      const builder = new PlanBuilder(
        world,
        apis,
        BATCH_TOPICS.map((topic) => topic.name),
      );

      const kafkajs = new KafkajsTraffic(broker.bootstrap, KAFKAJS_TOPIC, 'canary-kafkajs-group');
      await kafkajs.start();

      // The well-behaved clients, on connections of their own, at fixed points of the fuzz's progress (not
      // of the clock, so a faster broker is checked as often): one worker pauses for the check while the
      // others go on sending garbage.
      const healthFailures: string[] = [];
      const kafkajsSent: string[] = [];
      let healthChecks = 0;
      let slowestCheckMs = 0;
      const healthCheck = async () => {
        const check = healthChecks++;
        const value = `check-${check}`;
        const checkStarted = Date.now();
        await Promise.all([
          canaryRoundTrip(broker.port, CANARY_TOPIC, value).catch((error: Error) =>
            healthFailures.push(`wire round trip ${check}: ${error.message}`),
          ),
          kafkajs.send(value).then(
            () => kafkajsSent.push(value),
            (error: Error) => healthFailures.push(`kafkajs send ${check}: ${error.message}`),
          ),
        ]);
        slowestCheckMs = Math.max(slowestCheckMs, Date.now() - checkStarted);
      };

      const root = new Prng(SEED);
      const order = connectionOrder(root.fork(-1));
      const stats = new Map<ConnectionKind, KindStats>();
      const batchOutcomes = new Map<BatchMutation, BatchOutcome>();
      const notClosed: string[] = [];
      const closeDelays: number[] = [];
      const unanswered: string[] = [];
      const socketErrors: string[] = [];
      let next = 0;
      const checkEvery = Math.max(1, Math.floor(order.length / HEALTH_CHECKS));
      const worker = async () => {
        for (;;) {
          const index = next++;
          if (index >= order.length) return;
          if (index % checkEvery === checkEvery - 1) await healthCheck();
          const kind = order[index];
          const plan = builder.build(kind, root.fork(index), PLAN[kind].frames);
          const result = await converse(broker.port, chunkFrames(plan.frames), conversationOptions(plan));
          const kindStats = stats.get(kind) ?? emptyStats();
          kindStats.connections++;
          kindStats.framesSent += plan.frames.length;
          kindStats.responses += result.responseCount;
          if (result.closedByBroker) kindStats.closedByBroker++;
          for (const label of plan.labels)
            kindStats.labels.set(label, (kindStats.labels.get(label) ?? 0) + 1);
          stats.set(kind, kindStats);
          if (
            (kind === 'valid' || kind === 'record-batch') &&
            result.responseCount < plan.expectedResponses
          ) {
            unanswered.push(
              `connection ${index} (${kind}): ${result.responseCount} of ${plan.expectedResponses} answers` +
                (result.closedByBroker ? ', closed by the broker' : ''),
            );
          }
          if (kind === 'random-bytes') {
            if (!result.closedByBroker) notClosed.push(`connection ${index}`);
            else closeDelays.push(result.closeDelayMs ?? 0);
          }
          if (result.error) socketErrors.push(`connection ${index} (${kind}): ${result.error}`);
          if (kind === 'record-batch') tallyBatchOutcomes(plan, result, batchOutcomes);
          if (broker.child.exitCode !== null)
            throw new Error(`broker exited during connection ${index} (${kind})`);
        }
      };
      await Promise.all(Array.from({ length: PARALLEL_CONNECTIONS }, worker));
      const fuzzSeconds = (Date.now() - started) / 1000;

      // Final round trip, once the garbage has stopped.
      await canaryRoundTrip(broker.port, CANARY_TOPIC, 'final');
      await kafkajs.send('final');
      await kafkajs.consumed('final', 30_000);
      const unconsumed = kafkajsSent.filter((value) => !kafkajs.hasConsumed(value));
      await kafkajs.stop();

      const output = broker.output();
      if (process.env.VENICE_FUZZ_BROKER_LOG) fs.writeFileSync(process.env.VENICE_FUZZ_BROKER_LOG, output);
      const handlerFailures = output
        .split('\n')
        .filter((line) => /handler failed|background task failed|could not be encoded/.test(line))
        .map(shortLogLine);
      const topicCount = await countTopics(broker.port);
      const disk = dirSize(dataDir);

      report({
        stats,
        batchOutcomes,
        fuzzSeconds,
        healthChecks,
        slowestCheckMs,
        closeDelays,
        topicCount,
        disk,
        handlerFailures,
      });

      expect(broker.child.exitCode, broker.output().slice(-5000)).toBeNull();
      let framesSent = 0;
      for (const kindStats of stats.values()) framesSent += kindStats.framesSent;
      expect(framesSent).toBeGreaterThanOrEqual(100_000);
      expect(healthFailures).toEqual([]);
      expect(healthChecks).toBeGreaterThanOrEqual(HEALTH_CHECKS);
      expect(unconsumed).toEqual([]);
      expect(notClosed).toEqual([]);
      expect(unanswered).toEqual([]);
      expect(socketErrors).toEqual([]);
      expect(handlerFailures.slice(0, 20)).toEqual([]);
      // Damaged batches are refused; only the clean ones (and mutations Kafka also accepts) may land.
      for (const [mutation, outcome] of batchOutcomes) {
        if (!ACCEPTABLE_BATCH_MUTATIONS.has(mutation))
          expect(outcome.accepted, `${mutation} accepted`).toBe(0);
      }
      expect(disk.bytes).toBeLessThan(512 * 1024 * 1024);
    } catch (error) {
      if (error instanceof Error) error.message = `[fuzz seed ${SEED}] ${error.message}`;
      throw error;
    }
  }, 240_000);
});

// Small, fast repros of what the fuzz found, against an in-process broker.
describe('regressions found by the fuzz', () => {
  const produceOne = (client: WireClient, topic: string, records: Buffer) =>
    client
      .request(ApiKey.Produce, 9, {
        transactionalId: null,
        acks: 1,
        timeoutMs: 5_000,
        topicData: [{ name: topic, partitionData: [{ index: 0, records }] }],
      })
      .then((response) => response.responses[0].partitionResponses[0]);

  const createTopic = (client: WireClient, name: string) =>
    client
      .request(ApiKey.CreateTopics, 7, {
        topics: [{ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
        timeoutMs: 5_000,
        validateOnly: false,
      })
      .then((response) => response.topics[0]);

  it('refuses a batch whose records do not decode, so timestamp lookups keep working', async () => {
    const broker = await startTestBroker();
    const client = await WireClient.open(broker.port);
    try {
      expect((await createTopic(client, 'records')).errorCode).toBe(ErrorCode.NONE);
      const garbage = encodeBatch({ records: [{ key: 'k', value: 'some value' }], baseTimestamp: 1_000 });
      garbage.fill(0xff, BATCH_HEADER_SIZE);
      updateCrc(garbage);
      expect((await produceOne(client, 'records', garbage)).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);

      const good = encodeBatch({ records: [{ value: 'fine' }], baseTimestamp: 2_000 });
      expect((await produceOne(client, 'records', good)).errorCode).toBe(ErrorCode.NONE);
      const offsets = await client.request(ApiKey.ListOffsets, 7, {
        replicaId: -1,
        isolationLevel: 0,
        timeoutMs: 5_000,
        topics: [
          {
            name: 'records',
            partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: 1_500n, maxNumOffsets: 1 }],
          },
        ],
      });
      expect(offsets.topics[0].partitions[0]).toMatchObject({ errorCode: ErrorCode.NONE, offset: 0n });
    } finally {
      client.close();
      await broker.stop();
    }
  });

  it('refuses transactional batches, as Kafka does without a transactional id', async () => {
    const broker = await startTestBroker();
    const client = await WireClient.open(broker.port);
    try {
      expect((await createTopic(client, 'txn')).errorCode).toBe(ErrorCode.NONE);
      const batch = encodeBatch({
        records: [{ value: 'v' }],
        isTransactional: true,
        producerId: 7,
        baseSequence: 0,
      });
      expect((await produceOne(client, 'txn', batch)).errorCode).toBe(
        ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
      );
    } finally {
      client.close();
      await broker.stop();
    }
  });

  it('creates and deletes topics with names up to the 249 characters Kafka allows', async () => {
    const dataDir = temporaryDataDir('long-names');
    let broker = await startTestBroker({ dataDir });
    const names = [224, 247, 249].map((length) => 'n'.repeat(length));
    try {
      const client = await WireClient.open(broker.port);
      for (const name of names) expect((await createTopic(client, name)).errorCode).toBe(ErrorCode.NONE);
      const deleted = await client.request(ApiKey.DeleteTopics, 5, {
        topics: [],
        topicNames: names,
        timeoutMs: 5_000,
      });
      expect(deleted.responses.map((result) => result.errorCode)).toEqual(names.map(() => ErrorCode.NONE));
      client.close();
      await broker.stop();
      // Deleted for good: a restart does not bring them back.
      broker = await startTestBroker({ dataDir });
      expect(broker.context.logs.topics().map((topic) => topic.name)).not.toContain(names[0]);
    } finally {
      await broker.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('closes the connection of a Metadata v11 request naming a topic by null (only v12 looks topics up by id)', async () => {
    const broker = await startTestBroker();
    try {
      const frame = encodeFrame(ApiKey.Metadata, 11, 1, {
        topics: [{ topicId: ZERO_UUID, name: null }],
        allowAutoTopicCreation: false,
        includeClusterAuthorizedOperations: false,
        includeTopicAuthorizedOperations: false,
      });
      const result = await converse(broker.port, [frame.bytes], { expectedResponses: 1, idleMs: 5_000 });
      expect(result).toMatchObject({ responseCount: 0, closedByBroker: true });
    } finally {
      await broker.stop();
    }
  });
});
