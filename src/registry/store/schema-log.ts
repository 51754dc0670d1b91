// The registry's storage: the compacted `_schemas` topic, reached only through Venice's Kafka client.
// One reader tails the topic from the beginning and applies every record; writers produce and then
// wait until the reader has applied what they wrote, so an answer always reflects the log.
import {
  KafkaClientError,
  type ConsumedRecord,
  type Kafka,
  type StartPosition,
  type TopicDescription,
} from '../../client/index.js';
import { operationTimeout, storeError, type RegistryError } from '../errors.js';
import { decodeRecord, noopRecord, type EncodedRecord, type LogRecord } from './log-records.js';

export interface LogEvents {
  warn(message: string): void;
  error(message: string): void;
}

export const DEFAULT_WRITE_TIMEOUT_MS = 10_000;

interface Waiter {
  offset: bigint;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class SchemaLog {
  #position = 0n;
  #waiters: Waiter[] = [];
  readonly #abort = new AbortController();
  #tailing: Promise<void> | undefined;
  #lastError: string | null = null;
  /** The topic id read on start: the identity of the log this state was built from. */
  #topicId: string | null = null;
  /** Set once the topic is no longer the one the state was built from; writes are refused for good. */
  #lostTopic: string | null = null;

  constructor(
    private readonly kafka: Kafka,
    readonly topic: string,
    private readonly onRecord: (record: LogRecord) => void,
    private readonly events: LogEvents,
    /** How long a write may take, from produce to read-back. */
    private readonly timeoutMs = DEFAULT_WRITE_TIMEOUT_MS,
  ) {}

  /** The offset after the last record applied. */
  get position(): bigint {
    return this.#position;
  }

  /** What is wrong: the topic lost or replaced, or the last failure reading it (cleared once it works). */
  get lastError(): string | null {
    return this.#lostTopic ?? this.#lastError;
  }

  /** Creates the topic if needed, starts tailing it and returns once everything in it is applied. */
  async start(startTimeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      try {
        this.#topicId = await this.#ensureTopic();
        break;
      } catch (error) {
        if (!(error instanceof KafkaClientError) || error.kind !== 'unreachable' || Date.now() > deadline)
          throw error;
        await sleep(START_POLL_MS);
      }
    }
    this.#tailing = this.#tail();
    await this.catchUp();
  }

  /** Writes a marker and waits until the reader has read it: then every earlier write is applied. */
  async catchUp(): Promise<void> {
    await this.write([noopRecord()]);
  }

  /**
   * Produces the records (one batch, in order) and waits until the reader has applied them, within
   * the write timeout. Past it, whether they were stored is unknown (a frozen broker may still append
   * them); the answer says so, and that a retry is safe.
   */
  async write(records: readonly EncodedRecord[]): Promise<void> {
    if (this.#lostTopic) throw operationTimeout(this.#lostTopic);
    const readBefore = this.#position;
    const deadline = Date.now() + this.timeoutMs;
    const producing = this.kafka.produce(
      records.map((record) => ({ topic: this.topic, partition: 0, key: record.key, value: record.value })),
      { acks: -1 },
    );
    let produced;
    try {
      // A produce that answers after the deadline settles into the race, already decided: no one waits.
      produced = await withDeadline(producing, this.timeoutMs);
    } catch (error) {
      if (error === DEADLINE_PASSED) throw this.#outcomeUnknown();
      throw storeError(`Error while writing to the Kafka store (${this.topic}): ${describe(error)}`);
    }
    const last = produced.reduce<bigint>(
      (max, entry) => (entry.offset !== null && entry.offset > max ? entry.offset : max),
      -1n,
    );
    // Offsets only grow, and the reader never reads past the end: a record written now lands at or
    // after where the reader stood when the write began. One below means the log was truncated or
    // recreated (auto-created again by this very produce), so the write went into a log without the others.
    if (last < readBefore)
      this.#loseTopic(
        `its log now ends at offset ${last + 1n}, before the ${readBefore} records already read`,
      );
    await this.#waitFor(last, Math.max(0, deadline - Date.now()));
  }

  #outcomeUnknown(): RegistryError {
    return operationTimeout(
      `The write to ${this.topic} did not complete within ${this.timeoutMs} ms, so whether it was stored ` +
        'is unknown. Retrying the same request is safe: a schema that was stored is answered with the ' +
        'same id and version.',
    );
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#tailing;
  }

  /** Finds or creates the topic; returns its id. */
  async #ensureTopic(): Promise<string> {
    try {
      const described = await this.kafka.topics.describe(this.topic);
      if (described.partitions.length !== 1)
        throw storeError(
          `The schemas topic ${this.topic} has ${described.partitions.length} partitions; it must have exactly 1`,
        );
      const policy = described.configs.find((config) => config.name === 'cleanup.policy')?.value;
      if (policy && !policy.includes('compact'))
        this.events.warn(`topic ${this.topic} has cleanup.policy=${policy}; it should be compact`);
      return described.id;
    } catch (error) {
      if (!(error instanceof KafkaClientError) || error.kind !== 'not-found') throw error;
    }
    try {
      await this.kafka.topics.createInternal({
        name: this.topic,
        partitions: 1,
        configs: { 'cleanup.policy': 'compact' },
      });
    } catch (error) {
      // Another instance created it first.
      if (!(error instanceof KafkaClientError) || error.kind !== 'already-exists') throw error;
    }
    return (await this.kafka.topics.describe(this.topic)).id;
  }

  async #tail(): Promise<void> {
    const signal = this.#abort.signal;
    let from: StartPosition = { kind: 'beginning' };
    while (!signal.aborted && !this.#lostTopic) {
      try {
        for await (const record of this.kafka.consume({ topic: this.topic, from, signal })) {
          this.#apply(record);
          this.#lastError = null;
        }
      } catch (error) {
        if (signal.aborted) break;
        this.#lastError = describe(error);
        this.events.warn(`reading ${this.topic} failed, retrying: ${this.#lastError}`);
        await this.#awaitTopic(signal);
      }
      from = { kind: 'offset', offset: this.#position };
    }
  }

  /**
   * After a failed read, asks for the topic until Kafka answers. Healthy again means Kafka answers,
   * not that a record arrived: a quiet topic may get none for hours after the broker is back.
   */
  async #awaitTopic(signal: AbortSignal): Promise<void> {
    for (;;) {
      await sleep(RETRY_MS);
      if (signal.aborted) return;
      try {
        this.#checkIdentity(await this.kafka.topics.describe(this.topic));
        this.#lastError = null;
        return;
      } catch (error) {
        if (error instanceof KafkaClientError && error.kind === 'not-found') {
          this.#loseTopic('it was deleted');
          return;
        }
        this.#lastError = describe(error);
      }
    }
  }

  /** Is the topic still the log the state was built from, with nothing removed that was not read? */
  #checkIdentity(described: TopicDescription): void {
    if (this.#topicId !== null && described.id !== this.#topicId)
      return this.#loseTopic(
        `it was deleted and created again (topic id ${this.#topicId}, now ${described.id})`,
      );
    const partition = described.partitions[0];
    if (partition && partition.lowOffset > this.#position)
      return this.#loseTopic(
        `its log now starts at offset ${partition.lowOffset}, beyond the ${this.#position} records read`,
      );
    if (partition && partition.highOffset < this.#position)
      this.#loseTopic(
        `its log now ends at offset ${partition.highOffset}, before the ${this.#position} records read`,
      );
  }

  /**
   * The topic is not the log the state came from: acknowledging a write now could hand out an id
   * that the lost records hold, or store a schema a restart will not find. Refuse writes until an
   * operator decides, and keep answering reads from what was read.
   */
  #loseTopic(what: string): void {
    if (this.#lostTopic) return;
    this.#lostTopic =
      `The schemas topic ${this.topic} is no longer the log this registry was built from: ${what}. ` +
      'Writes are refused so that no schema is acknowledged into a log that lost the others. Restore ' +
      `${this.topic}, or restart the registry to start over from the topic as it is now.`;
    this.events.error(this.#lostTopic);
    this.#abort.abort();
    for (const waiter of this.#waiters.splice(0)) waiter.reject(operationTimeout(this.#lostTopic));
  }

  #apply(record: ConsumedRecord): void {
    try {
      this.onRecord(decodeRecord(record.key, record.value));
    } catch (error) {
      this.events.warn(`skipped record at offset ${record.offset} of ${this.topic}: ${describe(error)}`);
    }
    this.#position = record.offset + 1n;
    if (this.#waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const waiter of this.#waiters) {
      if (waiter.offset < this.#position) waiter.resolve();
      else still.push(waiter);
    }
    this.#waiters = still;
  }

  #waitFor(offset: bigint, timeoutMs: number): Promise<void> {
    if (this.#lostTopic) return Promise.reject(operationTimeout(this.#lostTopic));
    if (offset < this.#position) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        offset,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((entry) => entry !== waiter);
        reject(this.#outcomeUnknown());
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }
}

const RETRY_MS = 500;
// `venice up` starts the registry alongside the broker, so at first the broker is not listening yet; a
// refused connection costs nothing, and a short poll lets the registry be ready soon after the broker.
const START_POLL_MS = 50;
const DEADLINE_PASSED = Symbol('deadline passed');

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const passed = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(DEADLINE_PASSED), ms);
  });
  return Promise.race([work, passed]).finally(() => clearTimeout(timer));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
