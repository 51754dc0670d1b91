// A persistent query's state store changelogs, partitioned as Kafka Streams partitions them: a store of
// a sub-topology whose input topics have N partitions has a changelog of N partitions, and the changelog
// record of a key goes to the partition of the input record that wrote it. So a server holding some of
// the input partitions restores just their part of each store when the group assigns them, and drops
// that part when they are revoked.
//
// A batch's writes are kept per key and encoded once at its end (`flush`): a compacted topic keeps only
// the latest value of a key anyway, and a store written once per record then costs no encoding per record.
//
// Which partition each held key is on lives with the store (stores/key-partitions.ts): on disk for a
// disk-backed store, so that memory does not grow with the number of keys.
//
// Stores kept from a clean stop or a running checkpoint come with a checkpoint (stores/checkpoint.ts):
// an assigned partition with one is restored from its offset on; one without (or ahead of the
// changelog's end: the topic was made again) has its kept keys dropped and is restored from the
// beginning. Kept keys of partitions that the first assignment does not bring are dropped (also of
// partitions the checkpoint does not list: a running checkpoint may be older than an assignment).
import type { Kafka, ProduceRecord, TopicPartition } from '../../client/index.js';
import type { Logger } from '../../service/index.js';
import { changelogTopic, encodeStoreValue } from './changelog.js';
import type { StoreCodec, StoreOptions } from './operator.js';
import type { StoreListener } from './state-store.js';
import { checkpointKey, type Checkpoint } from './stores/checkpoint.js';
import { InMemoryKeyPartitions, type KeyPartitions } from './stores/key-partitions.js';

/**
 * What a store offers its changelog: restore an entry from its changelog bytes (null deletes it) without
 * telling the listener; the store decodes it through its codec and reports what it cannot read.
 */
export interface RestorableStore {
  restore(key: string, value: Buffer | null): void;
  entries(): IterableIterator<[string, unknown]>;
}

const COMPACTED: Readonly<Record<string, string>> = { 'cleanup.policy': 'compact' };

/** Kafka Streams' default for windowstore.changelog.additional.retention.ms: one day. */
const DEFAULT_WINDOW_CHANGELOG_ADDITIONAL_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * A store's changelog topic configs, as Kafka Streams creates them: compacted; a windowed store's also
 * deleted by time, kept for the store's retention plus windowstore.changelog.additional.retention.ms
 * (a ksql.streams.* property; one day by default) for clock drift.
 */
export function changelogTopicConfigs(
  options: StoreOptions,
  properties: Readonly<Record<string, string>> | undefined,
): Readonly<Record<string, string>> {
  if (options.windowRetentionMs === undefined) return COMPACTED;
  const configured = Number(properties?.['ksql.streams.windowstore.changelog.additional.retention.ms']);
  const additional =
    Number.isSafeInteger(configured) && configured >= 0
      ? configured
      : DEFAULT_WINDOW_CHANGELOG_ADDITIONAL_RETENTION_MS;
  return {
    'cleanup.policy': 'compact,delete',
    'retention.ms': String(options.windowRetentionMs + additional),
  };
}

/** How a changelog partition's keys are found in the input partitions' terms. */
const onChangelogPartition =
  (partition: number, partitions: number) =>
  (held: number): boolean =>
    held % partitions === partition;

interface StoreChangelog {
  readonly name: string;
  readonly topic: string;
  readonly codec: StoreCodec<unknown> | undefined;
  readonly subTopology: number;
  /** The configs the changelog topic is created with. */
  readonly configs: Readonly<Record<string, string>>;
  /** The changelog topic's partition count (fewer than wanted for a topic made by an older version). */
  partitions: number;
  /** Each written key's latest value (undefined: deleted), in the order first written. */
  readonly pending: Map<string, unknown>;
  /** The changelog partition of each pending key (only with more than one partition). */
  readonly pendingPartitions: Map<string, number>;
  /**
   * The input partition that first wrote each key held (only with more than one input partition): its
   * changelog partition modulo `partitions`. Kept by the store, or here for a store without one.
   */
  readonly partitionOf: KeyPartitions;
  disabled: boolean;
}

export class StoreChangelogs {
  readonly #creating: Promise<void>[] = [];
  readonly #stores = new Map<string, StoreChangelog>();
  /** The sub-topology whose operators are being built: the owner of stores made now. */
  subTopology = 0;
  /** The input partition of the record being processed: where its store writes go. */
  partition = 0;
  /** Changelog records read by restores (for tests and logs). */
  restoredRecords = 0;
  /** What the kept stores reflect: used by the first restore of each partition, then forgotten. */
  readonly #checkpoint: Map<string, bigint>;
  /** The stores were kept (with a checkpoint, maybe of no partition): what they hold is checked at first. */
  readonly #kept: boolean;
  /** Whether a restore has run: kept partitions it did not assign are dropped then. */
  #assignedOnce = false;
  /** The changelog partitions whose state this server holds (checkpointKey). */
  readonly #held = new Set<string>();

  constructor(
    private readonly kafka: Kafka,
    private readonly logger: Logger,
    private readonly serviceId: string,
    private readonly queryId: string,
    private readonly outputs: ProduceRecord[],
    /** The partition count of the query's input topics: each changelog gets as many. */
    private readonly partitions: number,
    /** The changelog offsets the kept stores reflect (none: the stores start empty). */
    checkpoint?: Checkpoint,
  ) {
    this.#checkpoint = new Map(checkpoint);
    this.#kept = checkpoint !== undefined;
  }

  listener(
    store: string,
    codec: StoreCodec<unknown> | undefined,
    keyPartitions: KeyPartitions = new InMemoryKeyPartitions(),
    configs: Readonly<Record<string, string>> = COMPACTED,
  ): StoreListener<unknown> {
    const topic = changelogTopic(this.serviceId, this.queryId, store);
    const changelog: StoreChangelog = {
      name: store,
      topic,
      codec,
      subTopology: this.subTopology,
      configs,
      partitions: this.partitions,
      pending: new Map(),
      pendingPartitions: new Map(),
      partitionOf: keyPartitions,
      disabled: false,
    };
    this.#creating.push(this.#create(changelog));
    this.#stores.set(store, changelog);
    if (this.partitions === 1)
      return (key, value) => {
        if (!changelog.disabled) changelog.pending.set(key, value);
      };
    return (key, value) => {
      if (changelog.disabled) return;
      changelog.pending.set(key, value);
      // A key stays on the partition that first wrote it: a write made as stream time moves on (a
      // window closing) happens while another partition's record is processed.
      const partition = changelog.partitionOf.get(key) ?? this.partition;
      changelog.pendingPartitions.set(key, partition);
      // Recorded now, while the store holds the key in memory: a disk store writes it with the value.
      changelog.partitionOf.set(key, value === undefined ? undefined : partition);
    };
  }

  async #create(changelog: StoreChangelog): Promise<void> {
    try {
      await this.kafka.topics.createInternal({
        name: changelog.topic,
        partitions: this.partitions,
        configs: changelog.configs,
      });
    } catch {
      // It exists already (a restart, or another server of this service id made it).
      const description = await this.kafka.topics.describe(changelog.topic).catch(() => undefined);
      const count = description?.partitions.length ?? this.partitions;
      if (count < this.partitions)
        this.logger.warn(
          { queryId: this.queryId, topic: changelog.topic, partitions: count },
          'changelog topic has fewer partitions than the input: state is not split across servers',
        );
      changelog.partitions = Math.max(1, Math.min(count, this.partitions));
    }
  }

  /** Queues each store's writes since the last flush with the outputs, latest value per key. */
  flush(): void {
    for (const changelog of this.#stores.values()) {
      const { topic, codec, pending, pendingPartitions } = changelog;
      for (const [key, value] of pending) {
        const bytes = encodeStoreValue(
          value === undefined || codec === undefined ? value : codec.toData(value),
        );
        if (bytes === undefined) {
          changelog.disabled = true;
          this.logger.warn(
            { queryId: this.queryId, store: changelog.name },
            'store values have no changelog form: not restored after a restart',
          );
          break;
        }
        const partition = (pendingPartitions.get(key) ?? 0) % changelog.partitions;
        this.outputs.push({ topic, partition, key: Buffer.from(key), value: bytes });
      }
      pending.clear();
      pendingPartitions.clear();
    }
  }

  /** Waits for the changelog topics to exist before their first records are produced. */
  async ready(): Promise<void> {
    await Promise.all(this.#creating.splice(0));
  }

  /**
   * Reads the changelog partitions of newly assigned input partitions into their stores: for each
   * assigned partition p of a sub-topology's topic, partition p of each of that sub-topology's stores.
   */
  async restore(
    assigned: readonly TopicPartition[],
    subTopologiesOf: (topic: string) => readonly number[],
    stores: ReadonlyMap<string, RestorableStore>,
  ): Promise<void> {
    await this.ready();
    const before = this.restoredRecords;
    let partitions = 0;
    let fromCheckpoint = 0;
    for (const [changelog, partition] of this.#affected(assigned, subTopologiesOf)) {
      const store = stores.get(changelog.name);
      if (store === undefined) continue;
      this.#held.add(checkpointKey(changelog.topic, partition));
      const from = await this.#restoreFrom(changelog, partition, store);
      partitions++;
      if (from.kind === 'offset') fromCheckpoint++;
      for await (const record of this.kafka.consume({
        topic: changelog.topic,
        partitions: [partition],
        from,
        stopAtEnd: true,
      })) {
        if (record.key === null) continue;
        const key = record.key.toString('utf8');
        this.restoredRecords++;
        store.restore(key, record.value);
        if (this.partitions > 1)
          changelog.partitionOf.set(key, record.value === null ? undefined : partition);
      }
    }
    if (!this.#assignedOnce) {
      this.#assignedOnce = true;
      if (this.#kept) this.#dropUnassigned(stores);
    }
    // At info, as Kafka Streams logs its restores: how much a start or a take-over had to read.
    this.logger.info(
      { queryId: this.queryId, records: this.restoredRecords - before, partitions, fromCheckpoint },
      'changelog records restored',
    );
  }

  /** Where a changelog partition's restore starts: its checkpoint, else the beginning (kept keys dropped). */
  async #restoreFrom(
    changelog: StoreChangelog,
    partition: number,
    store: RestorableStore,
  ): Promise<{ kind: 'beginning' } | { kind: 'offset'; offset: bigint }> {
    // Stores that kept nothing, or a later assignment (what the first did not bring was dropped then).
    if (!this.#kept || this.#assignedOnce) return { kind: 'beginning' };
    const id = checkpointKey(changelog.topic, partition);
    const offset = this.#checkpoint.get(id);
    this.#checkpoint.delete(id);
    if (offset !== undefined) {
      const description = await this.kafka.topics.describe(changelog.topic);
      const end = description.partitions.find((p) => p.partition === partition)?.highOffset ?? 0n;
      if (offset <= end) return { kind: 'offset', offset };
      this.logger.warn(
        { queryId: this.queryId, topic: changelog.topic, partition, checkpoint: offset, end },
        'state store checkpoint is past the changelog end (the topic was made again): restoring it whole',
      );
    }
    this.#dropPartition(changelog, partition, store);
    return { kind: 'beginning' };
  }

  /** Kept state of partitions the first assignment did not bring: another server holds them now. */
  #dropUnassigned(stores: ReadonlyMap<string, RestorableStore>): void {
    for (const changelog of this.#stores.values()) {
      const store = stores.get(changelog.name);
      if (store === undefined) continue;
      for (let partition = 0; partition < changelog.partitions; partition++) {
        if (this.#held.has(checkpointKey(changelog.topic, partition))) continue;
        this.#dropPartition(changelog, partition, store);
      }
    }
    this.#checkpoint.clear();
  }

  /**
   * What a clean stop checkpoints: each held changelog partition's end offset, which the stores reflect
   * once the last batch was made durable (call after it) and they are written to disk.
   */
  async checkpoint(): Promise<Checkpoint> {
    const offsets = new Map<string, bigint>();
    for (const changelog of this.#stores.values()) {
      if (changelog.disabled) continue;
      const held = [...Array(changelog.partitions).keys()].filter((partition) =>
        this.#held.has(checkpointKey(changelog.topic, partition)),
      );
      if (held.length === 0) continue;
      const description = await this.kafka.topics.describe(changelog.topic);
      for (const partition of held) {
        const end = description.partitions.find((p) => p.partition === partition)?.highOffset;
        if (end !== undefined) offsets.set(checkpointKey(changelog.topic, partition), end);
      }
    }
    return offsets;
  }

  /** Drops the state of input partitions this server no longer holds (another one restores it). */
  drop(
    revoked: readonly TopicPartition[],
    subTopologiesOf: (topic: string) => readonly number[],
    stores: ReadonlyMap<string, RestorableStore>,
  ): void {
    for (const [changelog, partition] of this.#affected(revoked, subTopologiesOf)) {
      this.#held.delete(checkpointKey(changelog.topic, partition));
      const store = stores.get(changelog.name);
      if (store !== undefined) this.#dropPartition(changelog, partition, store);
    }
  }

  #dropPartition(changelog: StoreChangelog, partition: number, store: RestorableStore): void {
    const keys =
      changelog.partitions === 1
        ? [...store.entries()].map(([key]) => key)
        : changelog.partitionOf.keysWhere(onChangelogPartition(partition, changelog.partitions));
    for (const key of keys) {
      store.restore(key, null);
      changelog.partitionOf.set(key, undefined);
    }
  }

  /** Each (store changelog, changelog partition) that the given input partitions feed, once. */
  #affected(
    partitions: readonly TopicPartition[],
    subTopologiesOf: (topic: string) => readonly number[],
  ): [StoreChangelog, number][] {
    const seen = new Set<string>();
    const affected: [StoreChangelog, number][] = [];
    for (const { topic, partition } of partitions) {
      for (const subTopology of subTopologiesOf(topic)) {
        for (const changelog of this.#stores.values()) {
          if (changelog.subTopology !== subTopology) continue;
          const target = partition % changelog.partitions;
          const id = `${changelog.name}\0${target}`;
          if (seen.has(id)) continue;
          seen.add(id);
          affected.push([changelog, target]);
        }
      }
    }
    return affected;
  }
}
