// One of the worker's storage topics (connect-configs, connect-offsets, connect-status) as a key-value
// view: the latest value per key, read from the topic. sync() reads what was written since the last
// read, one read at a time, so the view only moves forward and in offset order; writes go through
// the topic too, so every worker sees the same history.
import type { Kafka } from '../../client/index.js';

export interface StorageTopicSpec {
  readonly name: string;
  readonly partitions: number;
}

/** A change as the view applies it: value null is a tombstone (a delete). */
export interface StorageChange {
  readonly key: string;
  readonly value: Buffer | null;
}

export class StorageTopic {
  readonly #kafka: Kafka;
  readonly spec: StorageTopicSpec;
  readonly #values = new Map<string, Buffer>();
  /** Next offset to read per partition. */
  readonly #positions = new Map<number, bigint>();
  #reading: Promise<void> = Promise.resolve();
  #listener: ((changes: StorageChange[]) => void) | undefined;

  constructor(kafka: Kafka, spec: StorageTopicSpec) {
    this.#kafka = kafka;
    this.spec = spec;
  }

  /** Called with each batch of changes after they are applied. */
  onChange(listener: (changes: StorageChange[]) => void): void {
    this.#listener = listener;
  }

  /** Creates the topic compacted when it is missing (as Kafka Connect does), and learns its partitions. */
  async ensure(): Promise<void> {
    const existing = await this.#kafka.topics.list({ includeInternal: true });
    if (!existing.some((topic) => topic.name === this.spec.name)) {
      try {
        await this.#kafka.topics.createInternal({
          name: this.spec.name,
          partitions: this.spec.partitions,
          configs: { 'cleanup.policy': 'compact' },
        });
      } catch (error) {
        // Another worker created it in the meantime: fine.
        if ((error as { kind?: string }).kind !== 'already-exists') throw error;
      }
    }
    const described = await this.#kafka.topics.describe(this.spec.name);
    for (const { partition } of described.partitions)
      if (!this.#positions.has(partition)) this.#positions.set(partition, 0n);
  }

  get(key: string): Buffer | undefined {
    return this.#values.get(key);
  }

  entries(): IterableIterator<[string, Buffer]> {
    return this.#values.entries();
  }

  /** Reads everything written up to now (by any worker). */
  sync(): Promise<void> {
    const next = this.#reading.then(() => this.#readToEnd());
    this.#reading = next.catch(() => undefined);
    return next;
  }

  async #readToEnd(): Promise<void> {
    const changes: StorageChange[] = [];
    const records = this.#kafka.consume({
      topic: this.spec.name,
      from: { kind: 'positions', offsets: new Map(this.#positions) },
      stopAtEnd: true,
    });
    for await (const record of records) {
      const key = record.key?.toString('utf8');
      this.#positions.set(record.partition, record.offset + 1n);
      if (key === undefined) continue;
      this.#apply(key, record.value);
      changes.push({ key, value: record.value });
    }
    if (changes.length > 0) this.#listener?.(changes);
  }

  /**
   * Writes records (value null: a tombstone), then reads the topic up to them: the view applies them in
   * the topic's order, never ahead of another worker's later write.
   */
  async write(entries: readonly { key: string; value: Buffer | null }[]): Promise<void> {
    if (entries.length === 0) return;
    await this.#kafka.produce(
      entries.map(({ key, value }) => ({ topic: this.spec.name, key: Buffer.from(key), value })),
    );
    await this.sync();
  }

  #apply(key: string, value: Buffer | null): void {
    if (value === null) this.#values.delete(key);
    else this.#values.set(key, value);
  }
}

export function jsonBuffer(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

export function parseJsonBuffer(value: Buffer | undefined): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
