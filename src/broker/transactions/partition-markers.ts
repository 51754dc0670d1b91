// The broker's MarkerSink: markers go to the partition logs; one that lands on __consumer_offsets also
// settles the producer's pending transactional offset commits in the group coordinator.
import { ErrorCode } from '../../protocol/error-codes.js';
import { OFFSETS_TOPIC } from '../offsets-topic.js';
import type { LogManager } from '../log/log-manager.js';
import type { PartitionLog } from '../log/partition-log.js';
import type { GroupCoordinator } from '../groups/coordinator.js';
import { writeTxnMarker } from './markers.js';
import type { MarkerResult, MarkerSink } from './coordinator.js';

export function partitionMarkerSink(logs: LogManager, groups: GroupCoordinator): MarkerSink {
  return {
    async writeMarkers(partitions, marker) {
      const results: MarkerResult[] = [];
      const written: PartitionLog[] = [];
      let offsetsWritten = false;
      for (const { topic, partitions: ids } of partitions) {
        for (const id of ids) {
          const log = logs.partition(topic, id);
          if (!log) {
            results.push({ topic, partitions: [id], errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
            continue;
          }
          const appended = writeTxnMarker(log, marker);
          results.push({ topic, partitions: [id], errorCode: appended.errorCode });
          if (appended.errorCode !== ErrorCode.NONE) continue;
          written.push(log);
          if (topic === OFFSETS_TOPIC) offsetsWritten = true;
        }
      }
      // The coordinator logs the transaction complete only once its markers would survive a crash.
      await Promise.all(written.map((log) => log.flush()));
      if (offsetsWritten) groups.completeTxnOffsets(BigInt(marker.producerId), marker.commit);
      return results;
    },
  };
}
