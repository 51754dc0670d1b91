// A consumer-group member for stream processors: it polls batches per partition, commits only the
// offsets it is told to, pauses, resumes and seeks single partitions, and reports assignment changes.
//
// @platformatic/kafka runs the membership (JoinGroup, SyncGroup, heartbeats, rejoins) and commits; its
// MessagesStream, though, pauses only as a whole, cannot seek, hands out records one by one and tells
// nothing of revoked partitions. So the fetching is Venice's own: one Fetch per leader at a time for the
// assigned partitions that are not paused, each answer kept as one batch per partition. The Fetch goes
// through record-set-fetch.ts, whose record sets Venice decodes itself.
import type { Broker, Consumer, ConsumerGroupJoinPayload } from './library.js';
import type { KafkaConnection } from './connection.js';
import { KafkaClientError } from './errors.js';
import { decodeFetchedPartition } from './fetched-records.js';
import { EARLIEST, LATEST, listOffsets } from './offsets.js';
import { RecordSetFetcher, type FetchedTopic } from './record-set-fetch.js';
import { listTopics } from './topics.js';
import type {
  ConsumerGroupMetadata,
  GroupConsumerOptions,
  PartitionBatch,
  PartitionsListener,
  TopicPartition,
  TopicPartitionOffset,
} from './types.js';

interface PartitionState {
  topic: string;
  partition: number;
  /** The next offset to fetch. */
  position: bigint;
  paused: boolean;
  /** Bumped by seek, so that a fetch answer for the old position is dropped. */
  version: number;
}

interface BufferedBatch extends PartitionBatch {
  version: number;
}

type Listeners = Record<'assigned' | 'revoked' | 'lost', PartitionsListener[]>;

const key = (topic: string, partition: number) => `${topic}\0${partition}`;

// Fetch failures that fresh metadata or a moment's wait can cure (a leader moved, a broker restarting).
const RETRIABLE_FETCH_ERRORS = new Set([
  'NOT_LEADER_OR_FOLLOWER',
  'LEADER_NOT_AVAILABLE',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'UNKNOWN_TOPIC_ID',
]);
const FETCH_RETRY_DELAY_MS = 250;
// About 15 s of failed fetches in a row: longer than a broker restart takes, short enough to report.
const MAX_FETCH_RETRIES = 60;

export class GroupConsumer {
  readonly group: string;
  readonly #kafka: KafkaConnection;
  readonly #options: Required<
    Omit<GroupConsumerOptions, 'group' | 'topics' | 'topicPattern' | 'earliestTopics' | 'copartitioned'>
  > & { earliestTopics: ReadonlySet<string> };
  /** The subscribed topics: the given ones, or those topicPattern matched last. */
  #topics: ReadonlySet<string>;
  readonly #pattern: RegExp | undefined;
  #patternTimer: NodeJS.Timeout | undefined;
  /** One subscription refresh at a time. */
  #resubscribing: Promise<void> = Promise.resolve();
  readonly #library: Consumer;
  readonly #fetcher: RecordSetFetcher;
  readonly #listeners: Listeners = { assigned: [], revoked: [], lost: [] };
  readonly #partitions = new Map<string, PartitionState>();
  readonly #buffer: BufferedBatch[] = [];
  #bufferedRecords = 0;
  readonly #fetchingLeaders = new Set<number>();
  #fetchFailuresInARow = 0;
  /** What poll() handed out last, per partition: what commit() without arguments commits. */
  readonly #consumed = new Map<string, TopicPartitionOffset>();
  #memberId: string | null = null;
  #generationId = -1;
  #joined: Promise<void> | undefined;
  /** Assignment changes, applied one after the other. */
  #rebalance: Promise<void> = Promise.resolve();
  #rebalancing = false;
  #failure: KafkaClientError | undefined;
  #wake: (() => void) | undefined;
  #closed = false;

  constructor(kafka: KafkaConnection, options: GroupConsumerOptions) {
    if (options.topics.length === 0 && !options.topicPattern)
      throw new KafkaClientError('invalid', 'name at least one topic to consume, or a topicPattern');
    const sessionTimeoutMs = options.sessionTimeoutMs ?? 10_000;
    const heartbeatIntervalMs = options.heartbeatIntervalMs ?? Math.min(1_000, sessionTimeoutMs);
    if (heartbeatIntervalMs > sessionTimeoutMs)
      throw new KafkaClientError(
        'invalid',
        `heartbeatIntervalMs (${heartbeatIntervalMs}) must not exceed sessionTimeoutMs (${sessionTimeoutMs})`,
      );
    this.group = options.group;
    this.#kafka = kafka;
    this.#topics = new Set(options.topics);
    this.#pattern = options.topicPattern;
    this.#options = {
      metadataMaxAgeMs: options.metadataMaxAgeMs ?? 300_000,
      fallback: options.fallback ?? 'latest',
      earliestTopics: new Set(options.earliestTopics ?? []),
      sessionTimeoutMs,
      heartbeatIntervalMs,
      maxWaitMs: options.maxWaitMs ?? 500,
      maxBytesPerPartition: options.maxBytesPerPartition ?? 1024 * 1024,
      maxBufferedRecords: options.maxBufferedRecords ?? 50_000,
    };
    this.#library = kafka.newConsumer(options.group, {
      sessionTimeoutMs,
      heartbeatIntervalMs,
      copartitioned: options.copartitioned === true,
    });
    this.#fetcher = new RecordSetFetcher(kafka);
    this.#library.on('consumer:group:join', (payload) => this.#onJoin(payload));
    // The coordinator asked for a rebalance: stop fetching until the new assignment is known.
    this.#library.on('consumer:group:rebalance', () => (this.#rebalancing = true));
    this.#library.on('error', (error: unknown) => this.#fail(error));
  }

  /** Called with newly assigned partitions, once their start positions are known. */
  onAssigned(listener: PartitionsListener): this {
    this.#listeners.assigned.push(listener);
    return this;
  }

  /**
   * Called with partitions taken away by a rebalance, before any of them is fetched again. The library
   * rejoins as soon as the coordinator asks, so this runs after the new generation began: a commit made
   * here still counts, but may race with the new owner's first read (at-least-once, as always).
   */
  onRevoked(listener: PartitionsListener): this {
    this.#listeners.revoked.push(listener);
    return this;
  }

  /** Called with the partitions this member held when the group dropped it (a missed session timeout,
   * or an operator removing it). Its commits for them no longer count; it rejoins as a new member. */
  onLost(listener: PartitionsListener): this {
    this.#listeners.lost.push(listener);
    return this;
  }

  /** This member's id in the group, once joined. */
  get memberId(): string | null {
    return this.#memberId;
  }

  /** The group generation this member last joined (-1 before it joins): it grows with every rebalance. */
  get generationId(): number {
    return this.#generationId;
  }

  /**
   * The group, generation and member id, for a transactional producer's offset commit (KIP-447): the
   * coordinator refuses offsets from a member of an older generation, so a zombie cannot commit.
   */
  groupMetadata(): ConsumerGroupMetadata {
    const memberId = this.#memberId;
    if (memberId === null)
      throw new KafkaClientError('invalid', `not a member of group ${this.group} yet: start() first`);
    return { group: this.group, generationId: this.#library.generationId, memberId };
  }

  /** The partitions currently assigned to this member. */
  assignment(): TopicPartition[] {
    return [...this.#partitions.values()].map(({ topic, partition }) => ({ topic, partition }));
  }

  /** Joins the group and waits for the first assignment. poll() does it on its first call. */
  start(): Promise<void> {
    this.#joined ??= this.#pattern ? this.#startMatching() : this.#join();
    return this.#joined;
  }

  async #join(): Promise<void> {
    await this.#kafka.call(`group ${this.group}`, async () => {
      for (const topic of this.#topics) this.#library.topics.track(topic);
      await this.#library.joinGroup({});
    });
    await this.#rebalance;
  }

  /** With a topicPattern: matches it now (joining once a topic matches), then every metadataMaxAgeMs. */
  async #startMatching(): Promise<void> {
    this.#topics = new Set();
    await this.refreshSubscription();
    // A failed refresh (the broker restarting) is tried again at the next tick, as Kafka's metadata is.
    this.#patternTimer = setInterval(() => {
      this.refreshSubscription().catch(() => undefined);
    }, this.#options.metadataMaxAgeMs);
    this.#patternTimer.unref();
  }

  /**
   * Matches topicPattern against the cluster's topics now, and rejoins the group when the matching
   * topics changed (the leader's assignment then covers the new ones). With no pattern it does nothing.
   */
  refreshSubscription(): Promise<void> {
    const next = this.#resubscribing.then(() => this.#resubscribe());
    this.#resubscribing = next.catch(() => undefined);
    return next;
  }

  async #resubscribe(): Promise<void> {
    const pattern = this.#pattern;
    if (!pattern || this.#closed) return;
    const whole = new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gy]/g, ''));
    const matching = new Set(
      (await listTopics(this.#kafka)).map((topic) => topic.name).filter((name) => whole.test(name)),
    );
    // A subscription never goes empty once joined: deleted topics stay until another one matches.
    if (matching.size === 0) return;
    const added = [...matching].filter((topic) => !this.#topics.has(topic));
    const removed = [...this.#topics].filter((topic) => !matching.has(topic));
    if (added.length === 0 && removed.length === 0) return;
    this.#topics = matching;
    await this.#kafka.call(`group ${this.group}`, async () => {
      for (const topic of added) this.#library.topics.track(topic);
      for (const topic of removed) this.#library.topics.untrack(topic);
      await this.#library.joinGroup({});
    });
    await this.#rebalance;
  }

  /** The topics subscribed to now. */
  subscription(): string[] {
    return [...this.#topics].sort();
  }

  /**
   * Waits up to `timeoutMs` for records and returns what is fetched: at most one batch per partition,
   * oldest first. An empty array means nothing arrived in time.
   */
  async poll(timeoutMs = 1_000): Promise<PartitionBatch[]> {
    await this.start();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.#failure) throw this.#failure;
      if (this.#closed) return [];
      const batches = this.#take();
      if (batches.length > 0) return batches;
      const left = deadline - Date.now();
      if (left <= 0) return [];
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  /** Batches one by one until close() is called. */
  async *[Symbol.asyncIterator](): AsyncGenerator<PartitionBatch> {
    while (!this.#closed) for (const batch of await this.poll()) yield batch;
  }

  /**
   * Commits offsets for the group: the given ones, or without arguments the offset after the last batch
   * poll() handed out for each partition still assigned.
   */
  async commit(offsets?: readonly TopicPartitionOffset[]): Promise<void> {
    const chosen = offsets ?? [...this.#consumed.values()].filter((entry) => this.#owns(entry));
    if (chosen.length === 0) return;
    await this.#kafka.call(`group ${this.group}`, () =>
      this.#library.commit({
        offsets: chosen.map(({ topic, partition, offset }) => ({
          topic,
          partition,
          offset,
          leaderEpoch: -1,
        })),
      }),
    );
  }

  /** Stops fetching these partitions; poll() returns nothing of theirs until they are resumed. */
  pause(partitions: readonly TopicPartition[]): void {
    for (const state of this.#assigned(partitions)) state.paused = true;
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const state of this.#assigned(partitions)) state.paused = false;
    this.#wakeAll();
  }

  paused(): TopicPartition[] {
    return [...this.#partitions.values()]
      .filter((state) => state.paused)
      .map(({ topic, partition }) => ({ topic, partition }));
  }

  /** The next poll() of this partition starts at `offset`; what was fetched beyond is dropped. */
  seek(target: TopicPartitionOffset): void {
    const [state] = this.#assigned([target]);
    if (target.offset < 0n) throw new KafkaClientError('invalid', `cannot seek to offset ${target.offset}`);
    state.position = target.offset;
    state.version++;
    this.#dropBuffered((batch) => batch.topic === state.topic && batch.partition === state.partition);
    this.#wakeAll();
  }

  /** Tells the revoked listeners, leaves the group and releases the connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#patternTimer);
    this.#wake?.();
    await this.#rebalance;
    const held = this.assignment();
    try {
      if (held.length > 0) await this.#tell('revoked', held);
    } finally {
      this.#partitions.clear();
      await this.#fetcher.close();
      await this.#kafka.closeConsumer(this.#library);
    }
  }

  #onJoin(payload: ConsumerGroupJoinPayload): void {
    const previousMember = this.#memberId;
    this.#memberId = payload.memberId;
    this.#generationId = payload.generationId ?? this.#generationId;
    const wanted = this.#topics;
    const next = new Map<string, TopicPartition>();
    for (const { topic, partitions } of payload.assignments ?? [])
      if (wanted.has(topic))
        for (const partition of partitions) next.set(key(topic, partition), { topic, partition });
    // A new member id means the group had dropped us: everything held before is lost, not handed over.
    const lost = previousMember !== null && previousMember !== payload.memberId;
    this.#rebalance = this.#rebalance
      .then(() => this.#applyAssignment(next, lost))
      .catch((error: unknown) => this.#fail(error));
  }

  async #applyAssignment(next: Map<string, TopicPartition>, lost: boolean): Promise<void> {
    this.#rebalancing = true;
    try {
      const gone = [...this.#partitions]
        .filter(([slot]) => lost || !next.has(slot))
        .map(([slot, { topic, partition }]) => ({ slot, topic, partition }));
      for (const { slot } of gone) {
        this.#partitions.delete(slot);
        this.#consumed.delete(slot);
      }
      this.#dropBuffered((batch) => !this.#partitions.has(key(batch.topic, batch.partition)));
      if (gone.length > 0)
        await this.#tell(
          lost ? 'lost' : 'revoked',
          gone.map(({ topic, partition }) => ({ topic, partition })),
        );
      const added = [...next].filter(([slot]) => !this.#partitions.has(slot)).map(([, tp]) => tp);
      if (added.length === 0 || this.#closed) return;
      const positions = await this.#startPositions(added);
      for (const { topic, partition } of added)
        this.#partitions.set(key(topic, partition), {
          topic,
          partition,
          position: positions.get(key(topic, partition)) ?? 0n,
          paused: false,
          version: 0,
        });
      await this.#tell('assigned', added);
    } finally {
      this.#rebalancing = false;
      this.#wakeAll();
    }
  }

  /** The group's committed offsets, or the fallback end for partitions without one. */
  async #startPositions(partitions: readonly TopicPartition[]): Promise<Map<string, bigint>> {
    const byTopic = new Map<string, number[]>();
    for (const { topic, partition } of partitions)
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
    const committed = await this.#kafka.call(`group ${this.group}`, () =>
      this.#library.listCommittedOffsets({
        topics: [...byTopic].map(([topic, ids]) => ({ topic, partitions: ids })),
      }),
    );
    const positions = new Map<string, bigint>();
    for (const [topic, ids] of byTopic) {
      const offsets = committed.get(topic) ?? [];
      const missing = ids.filter((partition) => (offsets[partition] ?? -1n) < 0n);
      for (const partition of ids)
        if (!missing.includes(partition)) positions.set(key(topic, partition), offsets[partition]);
      if (missing.length === 0) continue;
      const ends = await listOffsets(
        this.#kafka,
        topic,
        missing,
        this.#fallbackOf(topic) === 'earliest' ? EARLIEST : LATEST,
      );
      for (const partition of missing)
        positions.set(key(topic, partition), ends.get(partition)?.offset ?? 0n);
    }
    return positions;
  }

  #fallbackOf(topic: string): 'earliest' | 'latest' {
    return this.#options.earliestTopics.has(topic) ? 'earliest' : this.#options.fallback;
  }

  async #tell(event: keyof Listeners, partitions: TopicPartition[]): Promise<void> {
    for (const listener of this.#listeners[event]) await listener(partitions);
  }

  /** Takes at most one buffered batch per partition that is assigned and not paused. */
  #take(): PartitionBatch[] {
    const taken: PartitionBatch[] = [];
    const seen = new Set<string>();
    for (let index = 0; index < this.#buffer.length;) {
      const batch = this.#buffer[index];
      const slot = key(batch.topic, batch.partition);
      const state = this.#partitions.get(slot);
      if (!state || state.paused || seen.has(slot)) {
        index++;
        continue;
      }
      seen.add(slot);
      this.#buffer.splice(index, 1);
      this.#bufferedRecords -= batch.records.length;
      const { version: _version, ...handedOut } = batch;
      taken.push(handedOut);
      this.#consumed.set(slot, { topic: batch.topic, partition: batch.partition, offset: batch.nextOffset });
    }
    if (taken.length > 0) this.#pump();
    return taken;
  }

  #dropBuffered(drop: (batch: BufferedBatch) => boolean): void {
    for (let index = this.#buffer.length - 1; index >= 0; index--) {
      const batch = this.#buffer[index];
      if (!drop(batch)) continue;
      this.#buffer.splice(index, 1);
      this.#bufferedRecords -= batch.records.length;
    }
  }

  /** Starts a fetch for each leader with fetchable partitions and none in flight. */
  #pump(): void {
    if (this.#closed || this.#rebalancing || this.#failure) return;
    if (this.#bufferedRecords >= this.#options.maxBufferedRecords) return;
    const pendingSlots = new Set(this.#buffer.map((batch) => key(batch.topic, batch.partition)));
    const fetchable = [...this.#partitions.values()].filter(
      // A partition with a batch waiting is fetched again only once that batch is taken.
      (state) => !state.paused && !pendingSlots.has(key(state.topic, state.partition)),
    );
    if (fetchable.length === 0) return;
    void this.#kafka
      .call(`group ${this.group}`, () => this.#library.metadata({ topics: [...this.#topics] }))
      .then((metadata) => {
        const byLeader = new Map<number, PartitionState[]>();
        for (const state of fetchable) {
          const leader = metadata.topics.get(state.topic)?.partitions[state.partition]?.leader ?? -1;
          if (this.#fetchingLeaders.has(leader)) continue;
          byLeader.set(leader, [...(byLeader.get(leader) ?? []), state]);
        }
        for (const [leader, states] of byLeader) {
          this.#fetchingLeaders.add(leader);
          const broker = metadata.brokers.get(leader);
          void this.#fetch(leader, broker, states).finally(() => {
            this.#fetchingLeaders.delete(leader);
            this.#pump();
          });
        }
      })
      .catch((error: unknown) =>
        this.#retryOrFail(this.#kafka.translate(error, `group ${this.group}`)).then(() => this.#pump()),
      );
  }

  /** Waits a moment after a failure that may pass (the broker restarting, a leader moving); else fails. */
  async #retryOrFail(failure: KafkaClientError): Promise<void> {
    const retriable = failure.kind === 'unreachable' || RETRIABLE_FETCH_ERRORS.has(failure.kafkaError ?? '');
    if (!retriable || ++this.#fetchFailuresInARow > MAX_FETCH_RETRIES) return this.#fail(failure);
    this.#library.clearMetadata();
    await new Promise((resolve) => setTimeout(resolve, FETCH_RETRY_DELAY_MS));
  }

  async #fetch(leader: number, broker: Broker | undefined, states: PartitionState[]): Promise<void> {
    const asked = states.map((state) => ({ state, position: state.position, version: state.version }));
    const byTopic = new Map<string, typeof asked>();
    for (const entry of asked)
      byTopic.set(entry.state.topic, [...(byTopic.get(entry.state.topic) ?? []), entry]);
    let response: FetchedTopic[];
    try {
      // A leader missing from the metadata is what a restarting broker looks like: retried below.
      if (!broker) throw new KafkaClientError('unreachable', `no broker ${leader} in the cluster metadata`);
      response = await this.#fetcher.fetch(
        broker,
        this.#options.maxWaitMs,
        [...byTopic].map(([topic, entries]) => ({
          topic,
          partitions: entries.map(({ state, position }) => ({
            partition: state.partition,
            fetchOffset: position,
            maxBytes: this.#options.maxBytesPerPartition,
          })),
        })),
      );
    } catch (error) {
      if (this.#closed) return;
      const failure = this.#kafka.translate(error, `group ${this.group}`);
      if (failure.kafkaError === 'OFFSET_OUT_OF_RANGE')
        return this.#resetOutOfRange(asked.map(({ state }) => state));
      return this.#retryOrFail(failure);
    }
    this.#fetchFailuresInARow = 0;
    if (this.#closed) return;
    for (const topicResponse of response) {
      for (const partitionResponse of topicResponse.partitions) {
        const entry = byTopic
          .get(topicResponse.topic)
          ?.find(({ state }) => state.partition === partitionResponse.partition);
        if (!entry) continue;
        const { state, position, version } = entry;
        // Revoked, or moved by seek, while the fetch was out: the answer is stale.
        if (this.#partitions.get(key(state.topic, state.partition)) !== state || state.version !== version)
          continue;
        const fetched = decodeFetchedPartition(state.topic, partitionResponse, position);
        state.position = fetched.next;
        if (fetched.records.length === 0) continue;
        this.#buffer.push({
          topic: state.topic,
          partition: state.partition,
          records: fetched.records,
          nextOffset: fetched.next,
          highWatermark: partitionResponse.highWatermark,
          version,
        });
        this.#bufferedRecords += fetched.records.length;
      }
    }
    this.#wake?.();
  }

  /** Retention removed what a partition was about to read: restart it where the fallback says. */
  async #resetOutOfRange(states: PartitionState[]): Promise<void> {
    for (const state of states) {
      const [low, high] = await Promise.all([
        listOffsets(this.#kafka, state.topic, [state.partition], EARLIEST),
        listOffsets(this.#kafka, state.topic, [state.partition], LATEST),
      ]);
      const first = low.get(state.partition)?.offset ?? 0n;
      const end = high.get(state.partition)?.offset ?? 0n;
      if (state.position < first || state.position > end)
        state.position = this.#fallbackOf(state.topic) === 'earliest' ? first : end;
    }
  }

  #assigned(partitions: readonly TopicPartition[]): PartitionState[] {
    return partitions.map(({ topic, partition }) => {
      const state = this.#partitions.get(key(topic, partition));
      if (!state)
        throw new KafkaClientError(
          'invalid',
          `partition ${partition} of topic ${topic} is not assigned to this member of group ${this.group}`,
        );
      return state;
    });
  }

  #owns(entry: TopicPartition): boolean {
    return this.#partitions.has(key(entry.topic, entry.partition));
  }

  #fail(error: unknown): void {
    if (this.#closed) return;
    this.#failure ??= this.#kafka.translate(error, `group ${this.group}`);
    this.#wake?.();
  }

  #wakeAll(): void {
    this.#pump();
    this.#wake?.();
  }
}
