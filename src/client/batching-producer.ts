// A producer for pipelines: send() queues one record and returns a promise of where it landed; records
// queued within `lingerMs` of each other (or up to `batchSize` of them) go out in one Produce request.
// flush() waits until every record queued so far is acknowledged.
import type { Producer } from '@platformatic/kafka';
import type { KafkaConnection } from './connection.js';
import { KafkaClientError } from './errors.js';
import { RecordProducer } from './produce.js';
import type { Acks, BatchingProducerOptions, ProducedRecord, ProduceRecord } from './types.js';

interface Pending {
  records: ProduceRecord[];
  /** Estimated size of the records in a request, against batchBytes. */
  bytes: number;
  resolves: ((produced: ProducedRecord) => void)[];
  rejects: ((error: unknown) => void)[];
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
    if (this.#closed) return Promise.reject(new KafkaClientError('invalid', 'the producer is closed'));
    return new Promise<ProducedRecord>((resolve, reject) => {
      const size = recordSize(record);
      // A record that would take the request past batchBytes starts the next one.
      if (this.#pending.records.length > 0 && this.#pending.bytes + size > this.#batchBytes) this.#seal();
      const pending = this.#pending;
      pending.records.push(record);
      pending.resolves.push(resolve);
      pending.rejects.push(reject);
      pending.bytes += size;
      if (pending.records.length >= this.#batchSize || pending.bytes >= this.#batchBytes) this.#seal();
      else this.#timer ??= setTimeout(() => this.#seal(), this.#lingerMs);
    });
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
    ) {
      waiting.bytes += pending.bytes;
      for (let index = 0; index < pending.records.length; index++) {
        waiting.records.push(pending.records[index]);
        waiting.resolves.push(pending.resolves[index]);
        waiting.rejects.push(pending.rejects[index]);
      }
    } else this.#ready.push(pending);
    this.#pending = emptyPending();
    this.#dispatch();
  }

  #dispatch(): void {
    while (this.#inFlight < this.#maxInFlight && this.#ready.length > 0) {
      const request = this.#ready.shift() as Pending;
      this.#inFlight++;
      this.#sender.send(request.records, { acks: this.#acks }).then(
        (produced) => {
          for (let index = 0; index < produced.length; index++) request.resolves[index](produced[index]);
          this.#complete();
        },
        (error: unknown) => {
          for (const reject of request.rejects) reject(error);
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
  return { records: [], bytes: 0, resolves: [], rejects: [] };
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
