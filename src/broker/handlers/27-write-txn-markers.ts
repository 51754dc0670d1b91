// WriteTxnMarkers (key 27), v0-1: writes commit/abort markers to partitions. Kafka's transaction
// coordinators send it to partition leaders; Venice's coordinator writes its markers directly, and this
// API is answered for tools (and for completeness). v1 is flexible.
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultWriteTxnMarkersResponse } from '../../protocol/generated/write-txn-markers-response.js';
import { partitionMarkerSink } from '../transactions/index.js';
import { defineHandler } from './handler.js';
import { groupByTopic } from './topic-grouping.js';

export const writeTxnMarkersHandler = defineHandler({
  apiKey: ApiKey.WriteTxnMarkers,
  minVersion: 0,
  maxVersion: 1,
  async handle(request, { broker }) {
    const sink = partitionMarkerSink(broker.logs, broker.groups);
    const response = defaultWriteTxnMarkersResponse();
    response.markers = [];
    for (const marker of request.markers) {
      const results = await sink.writeMarkers(
        marker.topics.map((topic) => ({ topic: topic.name, partitions: topic.partitionIndexes })),
        {
          producerId: Number(marker.producerId),
          producerEpoch: marker.producerEpoch,
          coordinatorEpoch: marker.coordinatorEpoch,
          commit: marker.transactionResult,
        },
      );
      const flat = results.flatMap((result) =>
        result.partitions.map((partition) => ({
          topic: result.topic,
          partition,
          errorCode: result.errorCode,
        })),
      );
      response.markers.push({
        producerId: marker.producerId,
        topics: groupByTopic(flat).map(([name, partitions]) => ({
          name,
          partitions: partitions.map((p) => ({ partitionIndex: p.partition, errorCode: p.errorCode })),
        })),
      });
    }
    return response;
  },
});
