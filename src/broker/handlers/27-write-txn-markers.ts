// WriteTxnMarkers (key 27), v0-1: writes commit/abort markers to partitions. Kafka's transaction
// coordinators send it to partition leaders; Venice's coordinator writes its markers directly, and this
// API is answered for tools (and for completeness). v1 is flexible. Needs CLUSTER_ACTION on the cluster
// (every marker's partitions answer CLUSTER_AUTHORIZATION_FAILED otherwise).
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import type { WritableTxnMarker } from '../../protocol/generated/write-txn-markers-request.js';
import { defaultWriteTxnMarkersResponse } from '../../protocol/generated/write-txn-markers-response.js';
import { partitionMarkerSink } from '../transactions/index.js';
import { defineHandler } from './handler.js';
import { AclOperation, canCluster } from './access.js';
import { groupByTopic } from './topic-grouping.js';

/** A marker names a real producer: an id the log can hold and an epoch that is not negative. */
function invalidMarker(marker: WritableTxnMarker): number | null {
  if (marker.producerId < 0n || marker.producerId > BigInt(Number.MAX_SAFE_INTEGER)) {
    return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
  }
  return marker.producerEpoch < 0 ? ErrorCode.INVALID_PRODUCER_EPOCH : null;
}

export const writeTxnMarkersHandler = defineHandler({
  apiKey: ApiKey.WriteTxnMarkers,
  minVersion: 0,
  maxVersion: 1,
  async handle(request, context) {
    const { broker } = context;
    const sink = partitionMarkerSink(broker.logs, broker.groups);
    const response = defaultWriteTxnMarkersResponse();
    response.markers = [];
    const allowed = canCluster(context, AclOperation.CLUSTER_ACTION);
    for (const marker of request.markers) {
      const invalid = allowed ? invalidMarker(marker) : ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
      if (invalid !== null) {
        response.markers.push({
          producerId: marker.producerId,
          topics: marker.topics.map((topic) => ({
            name: topic.name,
            partitions: topic.partitionIndexes.map((partitionIndex) => ({
              partitionIndex,
              errorCode: invalid,
            })),
          })),
        });
        continue;
      }
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
