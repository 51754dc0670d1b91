// Child process for the transactional crash test: three producers open, extend and end transactions on one
// log forever (every other one ended by an abort, never all at once), interleaved with plain batches; each abort marker is
// reported on stdout once appended ("abort <producerId> <firstOffset> <markerOffset>"), until the parent
// kills the process with SIGKILL.
import { openLog, valuesBatch } from './helpers.js';
import { markerBatch, txnBatch, txnProducer } from './txn-batches.js';

const dir = process.argv[2];
const log = openLog(dir, { 'segment.bytes': '20000' });
const producers = [txnProducer(1), txnProducer(2), txnProducer(3)];
const firstOffsets = new Map<number, number>();
for (let i = 0; ; i++) {
  const producer = producers[i % 3];
  const round = Math.floor(i / 3);
  const data = log.append([txnBatch(producer, [`t${i}-a`, `t${i}-b`])]);
  if (data.errorCode !== 0) throw new Error(`append failed: ${data.errorMessage}`);
  if (!firstOffsets.has(producer.producerId)) firstOffsets.set(producer.producerId, data.baseOffset);
  log.append([valuesBatch(3, `p${i}`)]);
  // Producers end their transactions in alternate rounds, so that one is always open when the kill comes.
  const phase = round + (i % 3);
  if (phase % 2 === 1) {
    const abort = phase % 4 === 1;
    const marker = log.append([markerBatch(producer, !abort)]);
    if (marker.errorCode !== 0) throw new Error(`marker failed: ${marker.errorMessage}`);
    if (abort)
      process.stdout.write(
        `abort ${producer.producerId} ${firstOffsets.get(producer.producerId)} ${marker.baseOffset}\n`,
      );
    firstOffsets.delete(producer.producerId);
  }
}
