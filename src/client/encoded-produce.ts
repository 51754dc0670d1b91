// The fast produce path: Venice writes the Produce request's body itself (produce-request.ts) and
// sends it over a library connection, parsed by the library's own response parser.
//
// Why: @platformatic/kafka 1.35 builds each record as a Writer over a DynamicBuffer, with one small
// Buffer per field (attributes, each varint, key, value, header count) that are joined when the request
// is written. Producing 100-byte records, a CPU profile put about a quarter of the time in garbage
// collection and another tenth in DynamicBuffer.appendFrom (docs/benchmarks.md, Client).
// The library's Connection.send still joins the request header and this body into one Buffer: a copy
// of about 6% of the producing CPU (docs/benchmarks.md), which only a connection of Venice's own
// would avoid; not worth one yet, as the client already needs less CPU per record than kcat.
// Idempotent producers keep the library path: it owns the producer id and the sequence numbers.
import { ConnectionPool, createAPI, produceV11, Writer, type Producer } from './library.js';
import type { KafkaConnection } from './connection.js';
import { writeProduceBody, type ProducerStamp, type TopicRecords } from './produce-request.js';
import type { Acks, ProduceRecord } from './types.js';

type ProduceResponse = ReturnType<typeof produceV11.parseResponse>;

// Produce v11 with a body written by writeProduceBody.
const produceWritten = createAPI<[body: Buffer, acks: Acks], ProduceResponse>(
  0,
  11,
  (body: Buffer, acks: Acks) => {
    const writer = Writer.create().append(body);
    // With acks 0 the broker sends no response; the connection must not wait for one.
    if (acks === 0) writer.context.noResponse = true;
    return writer;
  },
  produceV11.parseResponse,
);

export class EncodedProducer {
  readonly #pool: ConnectionPool;
  constructor(
    private readonly kafka: KafkaConnection,
    private readonly metadataSource: () => Producer,
  ) {
    this.#pool = kafka.newConnectionPool();
  }

  /**
   * Sends records whose partitions are chosen, one batch per partition, one request per leader.
   * Resolves with each partition's base offset (absent with acks 0).
   */
  async send(
    records: readonly ProduceRecord[],
    partitions: readonly number[],
    acks: Acks,
    /** A transactional producer's identity; absent for plain records. */
    stamp?: ProducerStamp,
  ): Promise<Map<string, bigint[]>> {
    const metadata = await this.metadataSource().metadata({
      topics: [...new Set(records.map((record) => record.topic))],
    });
    // leader -> topic -> partition -> records
    const byLeader = new Map<number, Map<string, Map<number, ProduceRecord[]>>>();
    // Records of one partition mostly come in runs: the last list found takes them without lookups.
    let lastTopic: string | undefined;
    let lastPartition = -1;
    let lastList: ProduceRecord[] = [];
    for (let index = 0; index < records.length; index++) {
      const record = records[index];
      const partition = partitions[index];
      if (record.topic === lastTopic && partition === lastPartition) {
        lastList.push(record);
        continue;
      }
      const leader = metadata.topics.get(record.topic)?.partitions[partition]?.leader ?? -1;
      let topics = byLeader.get(leader);
      if (!topics) byLeader.set(leader, (topics = new Map()));
      let byPartition = topics.get(record.topic);
      if (!byPartition) topics.set(record.topic, (byPartition = new Map()));
      let list = byPartition.get(partition);
      if (!list) byPartition.set(partition, (list = []));
      list.push(record);
      lastTopic = record.topic;
      lastPartition = partition;
      lastList = list;
    }
    const baseOffsets = new Map<string, bigint[]>();
    await Promise.all(
      [...byLeader].map(async ([leader, topics]) => {
        const broker = metadata.brokers.get(leader);
        if (!broker) throw new Error(`no broker ${leader} in the cluster metadata`);
        const body = writeProduceBody(
          acks,
          this.kafka.requestTimeoutMs,
          [...topics].map(([topic, byPartition]): TopicRecords => ({
            topic,
            partitions: [...byPartition].map(([partition, list]) => ({ partition, records: list })),
          })),
          Date.now(),
          stamp,
        );
        const connection = await this.#pool.get(broker);
        const response = await produceWritten.async(connection, body, acks);
        for (const topic of response?.responses ?? []) {
          let offsets = baseOffsets.get(topic.name);
          if (!offsets) baseOffsets.set(topic.name, (offsets = []));
          for (const partition of topic.partitionResponses) offsets[partition.index] = partition.baseOffset;
        }
      }),
    );
    return baseOffsets;
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}
