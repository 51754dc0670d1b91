// A producer for pipelines: send() queues one record and returns a promise of where it landed;
// sendMany() queues many with one promise for all of them, the fast way (no promise, result object or
// bigint offset per record: those were most of the garbage when producing small records, see
// docs/benchmarks.md). Records queued within `lingerMs` of each other (or up to `batchSize` of them)
// go out in one Produce request. flush() waits until every record queued so far is acknowledged.
import type { Producer } from './library.js';
import type { KafkaConnection } from './connection.js';
import { KafkaClientError } from './errors.js';
import { RecordProducer, type Placement } from './produce.js';
import type { Acks, BatchingProducerOptions, ProducedRecord, ProduceRecord } from './types.js';

/** One sendMany() call: its records may be spread over several requests. */
interface Delivery {
  /** Records not yet acknowledged. */
  remaining: number;
  failed: boolean;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Pending {
  records: ProduceRecord[];
  /** Estimated size of the records in a request, against batchBytes. */
  bytes: number;
  /** send() callers: the index of each one's record in `records`, and its promise's settlers. */
  singles: number[];
  resolves: ((produced: ProducedRecord) => void)[];
  rejects: ((error: unknown) => void)[];
  /** sendMany() callers with records in this request, and how many of their records each. */
  deliveries: Delivery[];
  counts: number[];
}

export class BatchingProducer {
  readonly #kafka: KafkaConnection;
  readonly #sender: RecordProducer;
  readonly #library: Producer;
  readonly #lingerMs: number;
  readonly #batchSize: number;
  readonly #batchBytes: number;
  readonly #maxInFlight: number;
  readonly #acks: Acks;
  #pending: Pending = emptyPending();
  #timer: NodeJS.Timeout | undefined;
  #inFlight = 0;
  /** Requests waiting for an in-flight slot, oldest first, so records keep their order. */
  readonly #ready: Pending[] = [];
  /** Resolved whenever a request completes, for flush(). */
  readonly #settled = new Set<() => void>();
  #closed = false;

  constructor(kafka: KafkaConnection, options: BatchingProducerOptions = {}) {
    const idempotent = options.idempotent ?? false;
    const acks = options.acks ?? -1;
    if (idempotent && acks !== -1)
      throw new KafkaClientError('invalid', 'an idempotent producer needs acks -1 (all in-sync replicas)');
    this.#kafka = kafka;
    this.#lingerMs = nonNegative('lingerMs', options.lingerMs ?? 5);
    this.#batchSize = positive('batchSize', options.batchSize ?? 16_384);
    this.#batchBytes = positive('batchBytes', options.batchBytes ?? 1_000_000);
    // The library numbers an idempotent producer's records when a request is answered, not when it is
    // sent, so two requests in flight to one partition would carry the same sequence numbers. One
    // request at a time keeps the numbering right.
    this.#maxInFlight = idempotent ? 1 : positive('maxInFlight', options.maxInFlight ?? 5);
    this.#acks = acks;
    this.#library = kafka.newProducer({ idempotent, acks });
    this.#sender = new RecordProducer(kafka, () => this.#library, idempotent);
  }

  /** Queues a record; the promise settles when the broker has acknowledged it (or refused it). */
  send(record: ProduceRecord): Promise<ProducedRecord> {
    if (this.#closed) return Promise.reject(closedError());
    return new Promise<ProducedRecord>((resolve, reject) => {
      const size = recordSize(record);
      const pending = this.#makeRoom(size);
      pending.singles.push(pending.records.length);
      pending.resolves.push(resolve);
      pending.rejects.push(reject);
      this.#add(pending, record, size);
    });
  }

  /**
   * Queues records in order; the promise resolves once the broker has acknowledged all of them, or
   * rejects with the first refusal. Where each record went is not reported: use send() for that.
   */
  sendMany(records: readonly ProduceRecord[]): Promise<void> {
    if (this.#closed) return Promise.reject(closedError());
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const delivery: Delivery = { remaining: records.length, failed: false, resolve, reject };
      for (let index = 0; index < records.length; index++) {
        const record = records[index];
        const size = recordSize(record);
        const pending = this.#makeRoom(size);
        const last = pending.deliveries.length - 1;
        if (last >= 0 && pending.deliveries[last] === delivery) pending.counts[last]++;
        else {
          pending.deliveries.push(delivery);
          pending.counts.push(1);
        }
        this.#add(pending, record, size);
      }
    });
  }

  /** The request to queue a record of `size` bytes in: a new one if it would take the current past batchBytes. */
  #makeRoom(size: number): Pending {
    if (this.#pending.records.length > 0 && this.#pending.bytes + size > this.#batchBytes) this.#seal();
    return this.#pending;
  }

  #add(pending: Pending, record: ProduceRecord, size: number): void {
    pending.records.push(record);
    pending.bytes += size;
    if (pending.records.length >= this.#batchSize || pending.bytes >= this.#batchBytes) this.#seal();
    else this.#timer ??= setTimeout(() => this.#seal(), this.#lingerMs);
  }

  /** Sends what is queued now and resolves once nothing is queued or in flight: every record sent
   * before the call has been acknowledged (or refused, through its own promise). */
  async flush(): Promise<void> {
    this.#seal();
    while (this.#inFlight > 0 || this.#ready.length > 0)
      await new Promise<void>((resolve) => this.#settled.add(resolve));
  }

  /** Flushes, then releases the connection. Later sends are refused. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.flush();
    this.#closed = true;
    await this.#sender.close();
    await this.#kafka.closeProducer(this.#library);
  }

  /** Moves the records queued so far into one request. */
  #seal(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const pending = this.#pending;
    if (pending.records.length === 0) return;
    // While every slot is busy, grow the request that waits instead of queueing many small ones.
    const waiting = this.#ready.at(-1);
    if (
      waiting &&
      waiting.records.length + pending.records.length <= this.#batchSize &&
      waiting.bytes + pending.bytes <= this.#batchBytes
    )
      merge(waiting, pending);
    else this.#ready.push(pending);
    this.#pending = emptyPending();
    this.#dispatch();
  }

  #dispatch(): void {
    while (this.#inFlight < this.#maxInFlight && this.#ready.length > 0) {
      const request = this.#ready.shift() as Pending;
      this.#inFlight++;
      this.#sender.place(request.records, this.#acks).then(
        (placement) => {
          settle(request, placement);
          this.#complete();
        },
        (error: unknown) => {
          fail(request, error);
          this.#complete();
        },
      );
    }
  }

  #complete(): void {
    this.#inFlight--;
    this.#dispatch();
    const waiting = [...this.#settled];
    this.#settled.clear();
    for (const wake of waiting) wake();
  }
}

function emptyPending(): Pending {
  return { records: [], bytes: 0, singles: [], resolves: [], rejects: [], deliveries: [], counts: [] };
}

/** Appends `later`'s records and callers to `earlier`'s, keeping their order. */
function merge(earlier: Pending, later: Pending): void {
  const shift = earlier.records.length;
  earlier.bytes += later.bytes;
  for (const record of later.records) earlier.records.push(record);
  for (let index = 0; index < later.singles.length; index++) {
    earlier.singles.push(later.singles[index] + shift);
    earlier.resolves.push(later.resolves[index]);
    earlier.rejects.push(later.rejects[index]);
  }
  for (let index = 0; index < later.deliveries.length; index++) {
    const last = earlier.deliveries.length - 1;
    if (index === 0 && last >= 0 && earlier.deliveries[last] === later.deliveries[0])
      earlier.counts[last] += later.counts[0];
    else {
      earlier.deliveries.push(later.deliveries[index]);
      earlier.counts.push(later.counts[index]);
    }
  }
}

function settle(request: Pending, placement: Placement): void {
  const { singles, resolves, records } = request;
  // Offsets are worked out record by record only when a send() caller waits for one.
  if (singles.length > 0) {
    let next = 0;
    placement.forEachRecord(records, (index, partition, offset) => {
      if (singles[next] !== index) return;
      resolves[next++]({ topic: records[index].topic, partition, offset });
    });
  }
  for (let index = 0; index < request.deliveries.length; index++) {
    const delivery = request.deliveries[index];
    delivery.remaining -= request.counts[index];
    if (delivery.remaining === 0 && !delivery.failed) delivery.resolve();
  }
}

function fail(request: Pending, error: unknown): void {
  for (const reject of request.rejects) reject(error);
  for (const delivery of request.deliveries) {
    if (delivery.failed) continue;
    delivery.failed = true;
    delivery.reject(error);
  }
}

function closedError(): KafkaClientError {
  return new KafkaClientError('invalid', 'the producer is closed');
}

// Per-record framing in a v2 batch (length, attributes, deltas, lengths as varints): about this much.
const RECORD_OVERHEAD_BYTES = 16;

function recordSize(record: ProduceRecord): number {
  let size = RECORD_OVERHEAD_BYTES + (record.key?.length ?? 0) + (record.value?.length ?? 0);
  // No `?? []`: most records have no headers, and this runs for every send().
  const headers = record.headers;
  if (headers) for (const header of headers) size += header.key.length + (header.value?.length ?? 0) + 4;
  return size;
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new KafkaClientError('invalid', `${name} must be a whole number of at least 1, not ${value}`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0)
    throw new KafkaClientError('invalid', `${name} must be 0 or more milliseconds, not ${value}`);
  return value;
}
