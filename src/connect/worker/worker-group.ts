// Workers with the same group id share the work through a real Kafka consumer group: each worker is a
// member of group <groupId> on the (one-partition) config topic, with its worker id as client id. The
// group's coordinator does what matters: it notices a worker that stops heartbeating (a crash) within
// the session timeout and drops it. Each worker reads the member list (describe) whenever it may have
// changed and derives the same assignment from it (assignment.ts). Nothing is consumed: the member
// that gets the partition pauses it at once.
import {
  openKafka,
  type GroupConsumer,
  type Kafka,
  type KafkaConnectionOptions,
} from '../../client/index.js';
import type { Logger } from '../../service/index.js';

export interface WorkerGroupOptions {
  readonly kafka: KafkaConnectionOptions;
  readonly groupId: string;
  readonly topic: string;
  readonly workerId: string;
  readonly sessionTimeoutMs: number;
  readonly logger: Logger;
}

/** How often the member list is read between rebalances: it is what notices a change elsewhere. */
const REFRESH_MS = 1_000;

export class WorkerGroup {
  readonly #options: WorkerGroupOptions;
  readonly #kafka: Kafka;
  #consumer: GroupConsumer | undefined;
  #timer: NodeJS.Timeout | undefined;
  #workers: string[] = [];
  #listener: ((workers: readonly string[]) => void) | undefined;
  #refreshing = false;
  #stopped = false;

  constructor(options: WorkerGroupOptions) {
    this.#options = options;
    // Its own connection, whose client id is the worker id: that is how the members are told apart.
    this.#kafka = openKafka({ ...options.kafka, clientId: options.workerId });
  }

  get workers(): readonly string[] {
    return this.#workers;
  }

  /** The group's generation as this worker last joined it (0 before): statuses carry it for fencing. */
  get generation(): number {
    return Math.max(0, this.#consumer?.generationId ?? 0);
  }

  onChange(listener: (workers: readonly string[]) => void): void {
    this.#listener = listener;
  }

  async start(): Promise<void> {
    const consumer = this.#kafka.consumer({
      group: this.#options.groupId,
      topics: [this.#options.topic],
      sessionTimeoutMs: this.#options.sessionTimeoutMs,
      heartbeatIntervalMs: Math.max(100, Math.floor(this.#options.sessionTimeoutMs / 10)),
    });
    consumer.onAssigned((partitions) => {
      consumer.pause(partitions);
      void this.refresh();
    });
    consumer.onRevoked(() => void this.refresh());
    consumer.onLost(() => void this.refresh());
    this.#consumer = consumer;
    await consumer.start();
    await this.refresh();
    this.#timer = setInterval(() => void this.refresh(), REFRESH_MS);
  }

  /** Reads the member list; tells the listener when the set of workers changed. */
  async refresh(): Promise<void> {
    if (this.#refreshing || this.#stopped) return;
    this.#refreshing = true;
    try {
      const group = await this.#kafka.groups.describe(this.#options.groupId);
      // Mid-rebalance the list is in flux: wait for the group to settle.
      if (group.state !== 'Stable') return;
      const workers = [...new Set(group.members.map((member) => member.clientId))].sort();
      if (workers.join('\n') === this.#workers.join('\n')) return;
      this.#workers = workers;
      this.#options.logger.info({ workers }, 'connect worker group changed');
      this.#listener?.(workers);
    } catch (error) {
      this.#options.logger.warn({ err: error }, 'could not read the connect worker group');
    } finally {
      this.#refreshing = false;
    }
  }

  /** Leaves the group (the others take the work over at once) and closes the connection. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#consumer?.close();
    await this.#kafka.close();
  }
}
