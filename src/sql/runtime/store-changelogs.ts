// A persistent query's state store changelogs, partitioned as Kafka Streams partitions them: a store of
// a sub-topology whose input topics have N partitions has a changelog of N partitions, and the changelog
// record of a key goes to the partition of the input record that wrote it. So a server holding some of
// the input partitions restores just their part of each store when the group assigns them, and drops
// that part when they are revoked.
//
// A batch's writes are kept per key and encoded once at its end (`flush`): a compacted topic keeps only
// the latest value of a key anyway, and a store written once per record then costs no encoding per record.
import type { Kafka, ProduceRecord, TopicPartition } from '../../client/index.js';
import type { Logger } from '../../service/index.js';
import { changelogTopic, encodeStoreValue } from './changelog.js';
import type { StoreCodec } from './operator.js';
import type { StoreListener } from './state-store.js';

/**
 * What a store offers its changelog: restore an entry from its changelog bytes (null deletes it) without
 * telling the listener; the store decodes it through its codec and reports what it cannot read.
 */
export interface RestorableStore {
  restore(key: string, value: Buffer | null): void;
  entries(): IterableIterator<[string, unknown]>;
}

interface StoreChangelog {
  readonly name: string;
  readonly topic: string;
  readonly codec: StoreCodec<unknown> | undefined;
  readonly subTopology: number;
  /** The changelog topic's partition count (fewer than wanted for a topic made by an older version). */
  partitions: number;
  /** Each written key's latest value (undefined: deleted), in the order first written. */
  readonly pending: Map<string, unknown>;
  /** The changelog partition of each pending key (only with more than one partition). */
  readonly pendingPartitions: Map<string, number>;
  /** The changelog partition each key held lives on (only with more than one partition). */
  readonly partitionOf: Map<string, number>;
  disabled: boolean;
}

export class StoreChangelogs {
  readonly #creating: Promise<void>[] = [];
  readonly #stores = new Map<string, StoreChangelog>();
  /** The sub-topology whose operators are being built: the owner of stores made now. */
  subTopology = 0;
  /** The input partition of the record being processed: where its store writes go. */
  partition = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly logger: Logger,
    private readonly serviceId: string,
    private readonly queryId: string,
    private readonly outputs: ProduceRecord[],
    /** The partition count of the query's input topics: each changelog gets as many. */
    private readonly partitions: number,
  ) {}

  listener(store: string, codec: StoreCodec<unknown> | undefined): StoreListener<unknown> {
    const topic = changelogTopic(this.serviceId, this.queryId, store);
    const changelog: StoreChangelog = {
      name: store,
      topic,
      codec,
      subTopology: this.subTopology,
      partitions: this.partitions,
      pending: new Map(),
      pendingPartitions: new Map(),
      partitionOf: new Map(),
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
      changelog.pendingPartitions.set(key, changelog.partitionOf.get(key) ?? this.partition);
    };
  }

  async #create(changelog: StoreChangelog): Promise<void> {
    try {
      await this.kafka.topics.createInternal({
        name: changelog.topic,
        partitions: this.partitions,
        configs: { 'cleanup.policy': 'compact' },
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
      const { topic, codec, pending, pendingPartitions, partitionOf } = changelog;
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
        if (changelog.partitions > 1 || this.partitions > 1) {
          if (value === undefined) partitionOf.delete(key);
          else partitionOf.set(key, partition);
        }
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
    for (const [changelog, partition] of this.#affected(assigned, subTopologiesOf)) {
      const store = stores.get(changelog.name);
      if (store === undefined) continue;
      for await (const record of this.kafka.consume({
        topic: changelog.topic,
        partitions: [partition],
        from: { kind: 'beginning' },
        stopAtEnd: true,
      })) {
        if (record.key === null) continue;
        const key = record.key.toString('utf8');
        store.restore(key, record.value);
        if (this.partitions > 1) {
          if (record.value === null) changelog.partitionOf.delete(key);
          else changelog.partitionOf.set(key, partition);
        }
      }
    }
  }

  /** Drops the state of input partitions this server no longer holds (another one restores it). */
  drop(
    revoked: readonly TopicPartition[],
    subTopologiesOf: (topic: string) => readonly number[],
    stores: ReadonlyMap<string, RestorableStore>,
  ): void {
    for (const [changelog, partition] of this.#affected(revoked, subTopologiesOf)) {
      const store = stores.get(changelog.name);
      if (store === undefined) continue;
      if (changelog.partitions === 1) {
        for (const [key] of [...store.entries()]) store.restore(key, null);
        changelog.partitionOf.clear();
        continue;
      }
      for (const [key, held] of changelog.partitionOf) {
        if (held !== partition) continue;
        store.restore(key, null);
        changelog.partitionOf.delete(key);
      }
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
