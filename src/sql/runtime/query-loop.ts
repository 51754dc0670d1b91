// The loop of a query over Kafka: poll a batch of the group's partitions, process its records in
// timestamp order, hand the outputs on, then commit the batch's offsets (at-least-once: a crash before the
// commit replays the batch). Used by persistent queries (outputs produced) and push queries (outputs to
// the client, nothing committed).
import type { GroupConsumer, PartitionBatch } from '../../client/index.js';
import type { InputRouter } from './input-router.js';
import { mergeByTimestamp } from './partition-merge.js';

export interface QueryLoopOptions {
  readonly consumer: GroupConsumer;
  readonly router: InputRouter;
  /** After a batch is processed: flush outputs; the batch is committed when it resolves. */
  readonly afterBatch: (batches: readonly PartitionBatch[]) => Promise<void>;
  readonly commit: boolean;
  readonly onFailure: (error: unknown) => void;
}

export class QueryLoop {
  #running = true;
  readonly #done: Promise<void>;

  constructor(private readonly options: QueryLoopOptions) {
    this.#done = this.#run();
  }

  get running(): boolean {
    return this.#running;
  }

  async #run(): Promise<void> {
    const { consumer, router, afterBatch } = this.options;
    const topics = router.topics;
    try {
      while (this.#running) {
        const batches = await consumer.poll(200);
        if (!this.#running) break;
        if (batches.length === 0) continue;
        for (const record of mergeByTimestamp(batches, topics)) {
          await router.process(record);
          if (!this.#running) break;
        }
        await afterBatch(batches);
        if (this.options.commit) {
          await consumer.commit(
            batches.map((b) => ({ topic: b.topic, partition: b.partition, offset: b.nextOffset })),
          );
        }
      }
    } catch (error) {
      if (this.#running) this.options.onFailure(error);
    } finally {
      this.#running = false;
    }
  }

  /** Stops after the batch in hand, then closes the consumer. */
  async stop(): Promise<void> {
    this.#running = false;
    await this.options.consumer.close().catch(() => undefined);
    await this.#done;
  }
}
