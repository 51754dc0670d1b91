// Writes a transaction marker (a control batch: commit or abort) to one partition. A marker is an ordinary
// append; the partition log decides what it means for its open transactions (see the partition side).
import { encodeBatch } from '../../protocol/records/record-codec.js';
import {
  ControlRecordType,
  controlRecordKey,
  controlRecordValue,
} from '../../protocol/records/control-record.js';
import type { AppendResult, PartitionLog } from '../log/partition-log.js';

export interface TxnMarker {
  producerId: number;
  producerEpoch: number;
  coordinatorEpoch: number;
  commit: boolean;
}

export function writeTxnMarker(log: PartitionLog, marker: TxnMarker): AppendResult {
  const type = marker.commit ? ControlRecordType.commit : ControlRecordType.abort;
  const batch = encodeBatch({
    records: [
      {
        key: controlRecordKey(type),
        value: controlRecordValue(marker.coordinatorEpoch),
        timestamp: Date.now(),
      },
    ],
    producerId: marker.producerId,
    producerEpoch: marker.producerEpoch,
    isTransactional: true,
    isControl: true,
  });
  return log.append([batch]);
}
