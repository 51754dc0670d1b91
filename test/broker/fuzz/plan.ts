// What each fuzz connection sends: its frames, how many answers to expect, and what to check.
import { ApiKey, API_SPECS } from '../../../src/protocol/generated/apis.js';
import type { Prng } from './prng.js';
import { randomRequest, type FuzzWorld, type Message } from './random-message.js';
import { encodeFrame, mutate, MUTATIONS, randomBytesFrame, type Frame, type Mutation } from './frames.js';
import { BATCH_MUTATIONS, mutateBatch, type BatchMutation } from './batch-mutations.js';

export type ConnectionKind = 'valid' | 'mutated' | 'record-batch' | 'random-bytes';

export interface SupportedApi {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export interface ConnectionPlan {
  kind: ConnectionKind;
  frames: Buffer[];
  /** Answers a correct broker sends before anything else can happen. */
  expectedResponses: number;
  /** Labels per frame, for the report: API name, mutation or batch mutation. */
  labels: string[];
  /** Batch mutation of each Produce request, by correlation id (record-batch connections). */
  batchMutations: Map<number, BatchMutation>;
}

/** Flat list of every (API, version) pair the broker advertises. */
export function apiVersionPairs(apis: readonly SupportedApi[]): [number, number][] {
  const pairs: [number, number][] = [];
  for (const api of apis) {
    for (let version = api.minVersion; version <= api.maxVersion; version++)
      pairs.push([api.apiKey, version]);
  }
  return pairs;
}

export function apiName(apiKey: number): string {
  return API_SPECS[apiKey]?.name ?? `api-${apiKey}`;
}

/** A Produce with acks=0 gets no answer (Kafka never answers one). */
function expectsAnswer(apiKey: number, body: Message): boolean {
  return !(apiKey === ApiKey.Produce && body.acks === 0);
}

export class PlanBuilder {
  private readonly pairs: [number, number][];
  private readonly supportedKeys: ReadonlySet<number>;

  constructor(
    private readonly world: FuzzWorld,
    apis: readonly SupportedApi[],
    /** Topics only record-batch connections write to, so the random deletes of the fuzz leave them be. */
    private readonly batchTopics: readonly string[],
  ) {
    this.pairs = apiVersionPairs(apis);
    this.supportedKeys = new Set(apis.map((api) => api.apiKey));
  }

  build(kind: ConnectionKind, rng: Prng, frameCount: number): ConnectionPlan {
    const plan: ConnectionPlan = {
      kind,
      frames: [],
      expectedResponses: 0,
      labels: [],
      batchMutations: new Map(),
    };
    for (let i = 0; i < frameCount; i++) {
      const correlationId = i + 1;
      switch (kind) {
        case 'valid': {
          const { frame, body } = this.validFrame(rng, correlationId);
          plan.frames.push(frame.bytes);
          plan.labels.push(apiName(frame.apiKey));
          if (expectsAnswer(frame.apiKey, body)) plan.expectedResponses++;
          break;
        }
        case 'mutated': {
          const { frame, body } = this.validFrame(rng, correlationId);
          if (rng.chance(0.5)) {
            plan.frames.push(frame.bytes);
            plan.labels.push('unmutated');
            break;
          }
          const mutation: Mutation = rng.pick(MUTATIONS);
          const [apiKey, version] = [frame.apiKey, frame.version];
          const mutated = mutate(rng, frame, mutation, (headerVersion) =>
            encodeFrame(apiKey, version, correlationId, body, headerVersion),
          );
          plan.frames.push(mutated);
          plan.labels.push(mutation);
          break;
        }
        case 'record-batch': {
          const mutation = rng.pick(BATCH_MUTATIONS);
          const { frame, body } = this.produceFrame(rng, correlationId, mutation);
          plan.frames.push(frame.bytes);
          plan.labels.push(mutation);
          plan.batchMutations.set(correlationId, mutation);
          if (expectsAnswer(ApiKey.Produce, body)) plan.expectedResponses++;
          break;
        }
        case 'random-bytes':
          plan.frames.push(randomBytesFrame(rng, this.supportedKeys));
          plan.labels.push('random-bytes');
          break;
      }
    }
    return plan;
  }

  private validFrame(rng: Prng, correlationId: number): { frame: Frame; body: Message } {
    const [apiKey, version] = rng.pick(this.pairs);
    const body = randomRequest(rng, this.world, apiKey, version);
    return { frame: encodeFrame(apiKey, version, correlationId, body), body };
  }

  /** A Produce to a partition that exists, carrying one damaged (or clean) batch. */
  private produceFrame(
    rng: Prng,
    correlationId: number,
    mutation: BatchMutation,
  ): { frame: Frame; body: Message } {
    const produce = this.pairs.filter(([key]) => key === ApiKey.Produce);
    const [, version] = rng.pick(produce);
    const body: Message = {
      transactionalId: null,
      acks: rng.weighted([
        [70, 1],
        [25, -1],
        [5, 0],
      ]),
      timeoutMs: 5000,
      topicData: [
        {
          name: rng.pick(this.batchTopics),
          partitionData: [{ index: rng.int(0, 1), records: mutateBatch(rng, mutation).bytes }],
        },
      ],
    };
    return { frame: encodeFrame(ApiKey.Produce, version, correlationId, body), body };
  }
}
