// The end of a persistent query's batch: its outputs (sink records, changelog records, repartition
// records) made durable and its input offsets committed. At least once (the default) produces, then
// commits: a crash between the two replays the batch. Exactly once (processing.guarantee=exactly_once_v2)
// does both in one Kafka transaction: readers with isolation.level=read_committed see all of a batch's
// outputs or none, and the offsets move only with them.
import type {
  BatchingProducer,
  GroupConsumer,
  ProduceRecord,
  TopicPartitionOffset,
} from '../../client/index.js';

export interface BatchCommitter {
  /** Makes `outputs` durable and commits `offsets` (the next offset to read per input partition). */
  commit(outputs: ProduceRecord[], offsets: readonly TopicPartitionOffset[]): Promise<void>;
  close(): Promise<void>;
}

export class AtLeastOnceCommitter implements BatchCommitter {
  constructor(
    private readonly producer: BatchingProducer,
    private readonly consumer: GroupConsumer,
  ) {}

  async commit(outputs: ProduceRecord[], offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (outputs.length > 0) await this.producer.sendMany(outputs);
    if (offsets.length > 0) await this.consumer.commit(offsets);
  }

  async close(): Promise<void> {
    await this.producer.close().catch(() => undefined);
  }
}
