// The transaction coordinator (KIP-98, with KIP-360 producer id recovery and KIP-447 group-aware offset
// commits): one state machine per transactional id, persisted in __transaction_state.
//
//   Empty / CompleteCommit / CompleteAbort --AddPartitions/AddOffsets--> Ongoing
//   Ongoing --EndTxn--> PrepareCommit | PrepareAbort --markers written--> CompleteCommit | CompleteAbort
//   Ongoing --InitProducerId or timeout--> (PrepareEpochFence, in memory) --> PrepareAbort with the epoch bumped
//
// A state is acted on only once its record is durable. While a write or a completion is in flight the id
// is busy and other requests get CONCURRENT_TRANSACTIONS, which every client retries. The broker is one
// node, so it coordinates every transactional id and its coordinator epoch is always 0.
import { ErrorCode } from '../../protocol/error-codes.js';
import { realTimers, type Timers } from '../groups/timers.js';
import { OFFSETS_TOPIC } from '../offsets-topic.js';
import type { TxnMarker } from './markers.js';
import type { TxnStateStore } from './state-topic.js';
import {
  adminStateName,
  isComplete,
  isPrepare,
  MAX_PRODUCER_EPOCH,
  NO_PRODUCER_EPOCH,
  statusFromAdminName,
  TxnStatus,
  type TopicPartitions,
  type TxnLogValue,
  type TxnStatusValue,
} from './state.js';

/** transaction.max.timeout.ms (Kafka default 15 minutes). */
export const DEFAULT_MAX_TRANSACTION_TIMEOUT_MS = 900_000;
const COORDINATOR_EPOCH = 0;
/** transactional.id.expiration.ms (Kafka default 7 days): an id idle this long is forgotten. */
export const DEFAULT_TRANSACTIONAL_ID_EXPIRATION_MS = 7 * 24 * 3600 * 1000;
/** How often idle ids are looked for (Kafka's transaction.remove.expired.transaction.cleanup.interval.ms). */
const EXPIRED_ID_CHECK_INTERVAL_MS = 3600 * 1000;
/** How soon a completion whose final state could not be written is tried again. */
const COMPLETION_RETRY_MS = 1000;

export interface MarkerResult extends TopicPartitions {
  errorCode: number;
}

/** Where markers go: the broker writes them to its partition logs (and tells the group coordinator). */
export interface MarkerSink {
  /** Writes `marker` to every partition and resolves, with an error code per partition, once durable. */
  writeMarkers(partitions: readonly TopicPartitions[], marker: TxnMarker): Promise<MarkerResult[]>;
}

export interface ProducerIdSource {
  allocate(): bigint;
}

export interface TransactionCoordinatorOptions {
  timers?: Timers;
  /** transaction.max.timeout.ms: longer transaction.timeout.ms values are refused. */
  maxTransactionTimeoutMs?: number;
  /** transactional.id.expiration.ms: ids with no transaction open, idle this long, are removed. */
  transactionalIdExpirationMs?: number;
  /** The partition of __consumer_offsets that holds a group's offsets (AddOffsetsToTxn adds it). */
  offsetsPartition?: (groupId: string) => { topic: string; partition: number };
  warn?: (message: string) => void;
}

export interface InitProducerIdRequest {
  transactionalId: string;
  transactionTimeoutMs: number;
  /** KIP-360: the id and epoch the producer had, to bump after an error; -1 and -1 for a fresh producer. */
  producerId: bigint;
  producerEpoch: number;
}

export interface ProducerIdResult {
  errorCode: number;
  producerId: bigint;
  producerEpoch: number;
}

export interface TxnProducer {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
}

export interface DescribedTransaction {
  errorCode: number;
  transactionalId: string;
  state: string;
  timeoutMs: number;
  startTimeMs: number;
  producerId: bigint;
  producerEpoch: number;
  partitions: TopicPartitions[];
}

export interface ListTransactionsFilter {
  states: string[];
  producerIds: bigint[];
  /** Only transactions running longer than this (ms); negative for all. */
  minDurationMs: number;
}

interface TxnMetadata {
  readonly transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  /** KIP-360: the id and epoch handed out before the current ones, so a retried InitProducerId is recognised. */
  lastProducerId: bigint;
  lastProducerEpoch: number;
  timeoutMs: number;
  status: TxnStatusValue;
  partitions: Map<string, Set<number>>;
  startMs: number;
  lastUpdateMs: number;
  /** A state write or completion is in flight. */
  busy: boolean;
  cancelExpiry: (() => void) | null;
}

export class TransactionCoordinator {
  private readonly transactions = new Map<string, TxnMetadata>();
  private readonly timers: Timers;
  private readonly maxTimeoutMs: number;
  private readonly idExpirationMs: number;
  private cancelIdExpiryCheck: () => void;
  private readonly offsetsPartition: (groupId: string) => { topic: string; partition: number };
  private readonly warn: (message: string) => void;
  private closed = false;

  constructor(
    private readonly store: TxnStateStore,
    private readonly producerIds: ProducerIdSource,
    private readonly markers: MarkerSink,
    options: TransactionCoordinatorOptions = {},
  ) {
    this.timers = options.timers ?? realTimers;
    this.maxTimeoutMs = options.maxTransactionTimeoutMs ?? DEFAULT_MAX_TRANSACTION_TIMEOUT_MS;
    // One node keeps every group's offsets in the first partition (see offsets-topic.ts).
    this.offsetsPartition = options.offsetsPartition ?? (() => ({ topic: OFFSETS_TOPIC, partition: 0 }));
    this.warn = options.warn ?? ((message) => console.warn(`[transactions] ${message}`));
    this.idExpirationMs = options.transactionalIdExpirationMs ?? DEFAULT_TRANSACTIONAL_ID_EXPIRATION_MS;
    this.cancelIdExpiryCheck = this.scheduleIdExpiryCheck();
  }

  // ---------------------------------------------------------------- InitProducerId

  async initProducerId(request: InitProducerIdRequest): Promise<ProducerIdResult> {
    const failed = (errorCode: number): ProducerIdResult => ({
      errorCode,
      producerId: -1n,
      producerEpoch: -1,
    });
    if (this.closed) return failed(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (request.transactionalId === '') return failed(ErrorCode.INVALID_REQUEST);
    if (request.transactionTimeoutMs <= 0 || request.transactionTimeoutMs > this.maxTimeoutMs) {
      return failed(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    }
    let txn = this.transactions.get(request.transactionalId);
    if (!txn) {
      txn = {
        transactionalId: request.transactionalId,
        producerId: this.producerIds.allocate(),
        producerEpoch: NO_PRODUCER_EPOCH,
        lastProducerId: -1n,
        lastProducerEpoch: NO_PRODUCER_EPOCH,
        timeoutMs: request.transactionTimeoutMs,
        status: TxnStatus.Empty,
        partitions: new Map(),
        startMs: -1,
        lastUpdateMs: this.timers.now(),
        busy: false,
        cancelExpiry: null,
      };
      this.transactions.set(request.transactionalId, txn);
    }
    if (txn.busy) return failed(ErrorCode.CONCURRENT_TRANSACTIONS);

    const given = request.producerId >= 0n;
    if (given) {
      const isCurrent = request.producerId === txn.producerId && request.producerEpoch === txn.producerEpoch;
      const isRetry =
        request.producerId === txn.lastProducerId &&
        request.producerEpoch === txn.lastProducerEpoch &&
        txn.status !== TxnStatus.Ongoing;
      // The producer already got this bump: hand it the same id and epoch again.
      if (isRetry)
        return { errorCode: ErrorCode.NONE, producerId: txn.producerId, producerEpoch: txn.producerEpoch };
      if (!isCurrent) return failed(ErrorCode.PRODUCER_FENCED);
    }

    switch (txn.status) {
      case TxnStatus.PrepareCommit:
      case TxnStatus.PrepareAbort:
      case TxnStatus.PrepareEpochFence:
        return failed(ErrorCode.CONCURRENT_TRANSACTIONS);
      case TxnStatus.Dead:
        return failed(ErrorCode.INVALID_TXN_STATE);
      case TxnStatus.Ongoing: {
        // A new instance of the producer: fence the old one and abort what it left open.
        const aborted = await this.fenceAndAbort(txn);
        if (aborted !== ErrorCode.NONE) return failed(aborted);
        break;
      }
    }
    return this.bumpEpoch(txn, request.transactionTimeoutMs);
  }

  private async bumpEpoch(txn: TxnMetadata, timeoutMs: number): Promise<ProducerIdResult> {
    const exhausted = txn.producerEpoch >= MAX_PRODUCER_EPOCH - 1;
    const producerId = exhausted ? this.producerIds.allocate() : txn.producerId;
    const producerEpoch = exhausted ? 0 : txn.producerEpoch + 1;
    const now = this.timers.now();
    const next: TxnLogValue = {
      producerId,
      producerEpoch,
      previousProducerId: txn.producerId,
      transactionTimeoutMs: timeoutMs,
      status: TxnStatus.Empty,
      partitions: [],
      lastUpdateTimestampMs: now,
      startTimestampMs: -1,
    };
    const error = await this.persist(txn, next);
    if (error !== ErrorCode.NONE) return { errorCode: error, producerId: -1n, producerEpoch: -1 };
    txn.lastProducerId = txn.producerId;
    txn.lastProducerEpoch = txn.producerEpoch;
    this.apply(txn, next);
    return { errorCode: ErrorCode.NONE, producerId, producerEpoch };
  }

  // ---------------------------------------------------------------- AddPartitionsToTxn / AddOffsetsToTxn

  /** One error for the whole request: Kafka adds all the partitions or none. */
  async addPartitions(producer: TxnProducer, partitions: readonly TopicPartitions[]): Promise<number> {
    const txn = this.transactions.get(producer.transactionalId);
    const error = this.checkProducer(txn, producer);
    if (error !== ErrorCode.NONE || !txn) return error;
    if (txn.busy || isPrepare(txn.status) || txn.status === TxnStatus.PrepareEpochFence) {
      return ErrorCode.CONCURRENT_TRANSACTIONS;
    }
    if (txn.status === TxnStatus.Dead) return ErrorCode.INVALID_TXN_STATE;
    const merged = new Map<string, Set<number>>();
    if (txn.status === TxnStatus.Ongoing) {
      for (const [topic, ids] of txn.partitions) merged.set(topic, new Set(ids));
    }
    let added = false;
    for (const { topic, partitions: ids } of partitions) {
      let set = merged.get(topic);
      if (!set) merged.set(topic, (set = new Set()));
      for (const id of ids) {
        if (!set.has(id)) added = true;
        set.add(id);
      }
    }
    if (!added && txn.status === TxnStatus.Ongoing) return ErrorCode.NONE;
    const now = this.timers.now();
    const starting = txn.status !== TxnStatus.Ongoing;
    const next: TxnLogValue = {
      ...this.valueOf(txn),
      status: TxnStatus.Ongoing,
      partitions: toList(merged),
      lastUpdateTimestampMs: now,
      startTimestampMs: starting ? now : txn.startMs,
    };
    const written = await this.persist(txn, next);
    if (written !== ErrorCode.NONE) return written;
    this.apply(txn, next);
    if (starting) this.scheduleExpiry(txn);
    return ErrorCode.NONE;
  }

  addOffsets(producer: TxnProducer, groupId: string): Promise<number> {
    const { topic, partition } = this.offsetsPartition(groupId);
    return this.addPartitions(producer, [{ topic, partitions: [partition] }]);
  }

  /**
   * AddPartitionsToTxn v4 with verify_only (KIP-890, sent by brokers): are these partitions part of the
   * producer's ongoing transaction? Per partition NONE, or INVALID_TXN_STATE.
   */
  verifyPartitions(producer: TxnProducer, partitions: readonly TopicPartitions[]): MarkerResult[] | number {
    const txn = this.transactions.get(producer.transactionalId);
    const error = this.checkProducer(txn, producer);
    if (error !== ErrorCode.NONE || !txn) return error;
    return partitions.map(({ topic, partitions: ids }) => ({
      topic,
      partitions: ids,
      errorCode:
        txn.status === TxnStatus.Ongoing && ids.every((id) => txn.partitions.get(topic)?.has(id))
          ? ErrorCode.NONE
          : ErrorCode.INVALID_TXN_STATE,
    }));
  }

  /**
   * TxnOffsetCommit's check before the group coordinator stores the offsets: the producer is current and
   * its ongoing transaction includes the group's offsets partition (AddOffsetsToTxn came first).
   */
  checkOffsetCommit(producer: TxnProducer, groupId: string): number {
    const txn = this.transactions.get(producer.transactionalId);
    const error = this.checkProducer(txn, producer);
    if (error !== ErrorCode.NONE || !txn) return error;
    const { topic, partition } = this.offsetsPartition(groupId);
    if (txn.status !== TxnStatus.Ongoing || !txn.partitions.get(topic)?.has(partition)) {
      return ErrorCode.INVALID_TXN_STATE;
    }
    return ErrorCode.NONE;
  }

  // ---------------------------------------------------------------- EndTxn

  async endTransaction(producer: TxnProducer, commit: boolean): Promise<number> {
    const txn = this.transactions.get(producer.transactionalId);
    const error = this.checkProducer(txn, producer);
    if (error !== ErrorCode.NONE || !txn) return error;
    if (txn.busy) return ErrorCode.CONCURRENT_TRANSACTIONS;
    switch (txn.status) {
      case TxnStatus.Ongoing:
        return this.complete(txn, commit);
      // A retry of an EndTxn that already completed is answered as it was.
      case TxnStatus.CompleteCommit:
        return commit ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE;
      case TxnStatus.CompleteAbort:
        return commit ? ErrorCode.INVALID_TXN_STATE : ErrorCode.NONE;
      case TxnStatus.PrepareCommit:
        return commit ? ErrorCode.CONCURRENT_TRANSACTIONS : ErrorCode.INVALID_TXN_STATE;
      case TxnStatus.PrepareAbort:
        return commit ? ErrorCode.INVALID_TXN_STATE : ErrorCode.CONCURRENT_TRANSACTIONS;
      case TxnStatus.PrepareEpochFence:
        return ErrorCode.CONCURRENT_TRANSACTIONS;
      default:
        return ErrorCode.INVALID_TXN_STATE;
    }
  }

  /** Logs Prepare*, writes the markers, logs Complete*. Resolves once the outcome is durable. */
  private async complete(txn: TxnMetadata, commit: boolean): Promise<number> {
    txn.cancelExpiry?.();
    txn.cancelExpiry = null;
    const prepare: TxnLogValue = {
      ...this.valueOf(txn),
      status: commit ? TxnStatus.PrepareCommit : TxnStatus.PrepareAbort,
      lastUpdateTimestampMs: this.timers.now(),
    };
    const error = await this.persist(txn, prepare);
    if (error !== ErrorCode.NONE) {
      if (txn.status === TxnStatus.Ongoing) this.scheduleExpiry(txn);
      return error;
    }
    this.apply(txn, prepare);
    // The decision is durable from here on: a failure below is retried, and redone at start if need be.
    await this.finishCompletion(txn);
    return ErrorCode.NONE;
  }

  private async finishCompletion(txn: TxnMetadata): Promise<void> {
    const commit = txn.status === TxnStatus.PrepareCommit;
    txn.busy = true;
    try {
      const results = await this.markers.writeMarkers(toList(txn.partitions), {
        producerId: Number(txn.producerId),
        producerEpoch: txn.producerEpoch,
        coordinatorEpoch: COORDINATOR_EPOCH,
        commit,
      });
      for (const result of results) {
        // A partition deleted since it joined the transaction needs no marker; anything else is retried.
        if (
          result.errorCode === ErrorCode.NONE ||
          result.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
        ) {
          continue;
        }
        throw new Error(
          `marker for ${result.topic} ${result.partitions.join(',')} failed with error ${result.errorCode}`,
        );
      }
      const done: TxnLogValue = {
        ...this.valueOf(txn),
        status: commit ? TxnStatus.CompleteCommit : TxnStatus.CompleteAbort,
        partitions: [],
        lastUpdateTimestampMs: this.timers.now(),
      };
      // Not flushed before answering (Kafka answers EndTxn before its markers are even written): the
      // markers are durable, and should the machine lose the record, the restart finds Prepare* and
      // writes the markers again. The next state of this id is flushed, which flushes this one first.
      await this.store.write(txn.transactionalId, done, 'appended');
      this.apply(txn, done);
      txn.busy = false;
    } catch (error) {
      txn.busy = false;
      this.warn(
        `completing transaction ${txn.transactionalId} failed, retrying in ${COMPLETION_RETRY_MS} ms: ${describe(error)}`,
      );
      this.schedule(COMPLETION_RETRY_MS, () => {
        if (isPrepare(txn.status) && !txn.busy) void this.finishCompletion(txn);
      });
    }
  }

  /**
   * Bumps the epoch so the current producer instance is fenced, then aborts its open transaction with
   * markers of the new epoch (Kafka's PrepareEpochFence then PrepareAbort).
   */
  private async fenceAndAbort(txn: TxnMetadata): Promise<number> {
    txn.cancelExpiry?.();
    txn.cancelExpiry = null;
    const previous = txn.status;
    txn.status = TxnStatus.PrepareEpochFence;
    // At the last epoch there is nothing to bump to; the abort still ends the transaction.
    const epoch = txn.producerEpoch < MAX_PRODUCER_EPOCH ? txn.producerEpoch + 1 : txn.producerEpoch;
    const prepare: TxnLogValue = {
      ...this.valueOf(txn),
      producerEpoch: epoch,
      status: TxnStatus.PrepareAbort,
      lastUpdateTimestampMs: this.timers.now(),
    };
    const error = await this.persist(txn, prepare);
    if (error !== ErrorCode.NONE) {
      txn.status = previous;
      this.scheduleExpiry(txn);
      return error;
    }
    this.apply(txn, prepare);
    await this.finishCompletion(txn);
    return isComplete(txn.status) ? ErrorCode.NONE : ErrorCode.CONCURRENT_TRANSACTIONS;
  }

  // ---------------------------------------------------------------- expiry

  /** Times the transaction from its start (Kafka's txnStartTimestamp), also across a restart. */
  private scheduleExpiry(txn: TxnMetadata): void {
    txn.cancelExpiry?.();
    const startedAt = txn.startMs;
    const delay = Math.max(startedAt + txn.timeoutMs - this.timers.now(), 0);
    txn.cancelExpiry = this.schedule(delay, () => this.expireIfStillOpen(txn, startedAt));
  }

  private expireIfStillOpen(txn: TxnMetadata, startedAt: number): void {
    txn.cancelExpiry = null;
    if (txn.status !== TxnStatus.Ongoing || txn.startMs !== startedAt) return;
    if (txn.busy) {
      // A write for this transaction is in flight (more partitions being added): look again once it landed.
      txn.cancelExpiry = this.schedule(COMPLETION_RETRY_MS, () => this.expireIfStillOpen(txn, startedAt));
      return;
    }
    this.warn(
      `transaction ${txn.transactionalId} (producer ${txn.producerId}, epoch ${txn.producerEpoch}) ` +
        `ran past its ${txn.timeoutMs} ms timeout: aborting it and fencing the producer`,
    );
    void this.fenceAndAbort(txn);
  }

  /**
   * Forgets transactional ids idle past transactional.id.expiration.ms with no transaction open (a
   * tombstone in __transaction_state), so ids of producers long gone do not pile up. A producer that
   * comes back later starts afresh, with a new producer id.
   */
  async removeExpiredIds(): Promise<void> {
    const now = this.timers.now();
    const expired = [...this.transactions.values()].filter(
      (txn) =>
        !txn.busy &&
        (txn.status === TxnStatus.Empty || isComplete(txn.status)) &&
        now - txn.lastUpdateMs >= this.idExpirationMs,
    );
    for (const txn of expired) {
      txn.busy = true;
      try {
        await this.store.remove(txn.transactionalId);
        this.transactions.delete(txn.transactionalId);
      } catch (error) {
        this.warn(`removing expired transactional id ${txn.transactionalId} failed: ${describe(error)}`);
      } finally {
        txn.busy = false;
      }
    }
  }

  private scheduleIdExpiryCheck(): () => void {
    return this.schedule(EXPIRED_ID_CHECK_INTERVAL_MS, () => {
      void this.removeExpiredIds().finally(() => {
        this.cancelIdExpiryCheck = this.scheduleIdExpiryCheck();
      });
    });
  }

  // ---------------------------------------------------------------- admin

  describe(transactionalIds: readonly string[]): DescribedTransaction[] {
    return transactionalIds.map((transactionalId) => {
      const txn = this.transactions.get(transactionalId);
      if (!txn) {
        return {
          errorCode: ErrorCode.TRANSACTIONAL_ID_NOT_FOUND,
          transactionalId,
          state: '',
          timeoutMs: 0,
          startTimeMs: -1,
          producerId: -1n,
          producerEpoch: -1,
          partitions: [],
        };
      }
      return {
        errorCode: ErrorCode.NONE,
        transactionalId,
        state: adminStateName(txn.status),
        timeoutMs: txn.timeoutMs,
        startTimeMs: txn.startMs,
        producerId: txn.producerId,
        producerEpoch: txn.producerEpoch,
        partitions: toList(txn.partitions),
      };
    });
  }

  list(filter: ListTransactionsFilter): {
    unknownStates: string[];
    transactions: { transactionalId: string; producerId: bigint; state: string }[];
  } {
    const unknownStates = filter.states.filter((name) => statusFromAdminName(name) === undefined);
    const states = new Set(filter.states.map(statusFromAdminName).filter((s) => s !== undefined));
    const producerIds = new Set(filter.producerIds);
    const now = this.timers.now();
    const transactions = [];
    for (const txn of this.transactions.values()) {
      if (filter.states.length > 0 && !states.has(txn.status)) continue;
      if (producerIds.size > 0 && !producerIds.has(txn.producerId)) continue;
      if (filter.minDurationMs >= 0 && (txn.startMs < 0 || now - txn.startMs <= filter.minDurationMs))
        continue;
      transactions.push({
        transactionalId: txn.transactionalId,
        producerId: txn.producerId,
        state: adminStateName(txn.status),
      });
    }
    return { unknownStates, transactions };
  }

  // ---------------------------------------------------------------- persistence and start-up

  /**
   * Rebuilds the state of every transactional id from __transaction_state. Transactions logged as
   * PrepareCommit/PrepareAbort are completed (markers written again, then Complete*); ongoing ones get
   * what is left of their timeout. Resolves once the prepared ones are complete.
   */
  async load(entries: ReadonlyMap<string, TxnLogValue>): Promise<void> {
    this.clearTimers();
    this.transactions.clear();
    const toComplete: TxnMetadata[] = [];
    for (const [transactionalId, value] of entries) {
      const txn: TxnMetadata = {
        transactionalId,
        producerId: value.producerId,
        producerEpoch: value.producerEpoch,
        lastProducerId: value.previousProducerId,
        lastProducerEpoch: NO_PRODUCER_EPOCH,
        timeoutMs: value.transactionTimeoutMs,
        status: value.status,
        partitions: toMap(value.partitions),
        startMs: value.startTimestampMs,
        lastUpdateMs: value.lastUpdateTimestampMs,
        busy: false,
        cancelExpiry: null,
      };
      this.transactions.set(transactionalId, txn);
      if (isPrepare(txn.status)) toComplete.push(txn);
      // Never logged by Kafka or Venice, but an abort in progress is what it would mean.
      else if (txn.status === TxnStatus.PrepareEpochFence) txn.status = TxnStatus.Ongoing;
      if (txn.status === TxnStatus.Ongoing) this.scheduleExpiry(txn);
    }
    await Promise.all(toComplete.map((txn) => this.finishCompletion(txn)));
  }

  shutdown(): void {
    this.closed = true;
    this.cancelIdExpiryCheck();
    this.clearTimers();
  }

  private clearTimers(): void {
    for (const txn of this.transactions.values()) {
      txn.cancelExpiry?.();
      txn.cancelExpiry = null;
    }
  }

  private schedule(delayMs: number, callback: () => void): () => void {
    if (this.closed) return () => {};
    return this.timers.schedule(delayMs, callback);
  }

  /** Writes the next state while the id is busy; NONE once durable, a retriable error when the write failed. */
  private async persist(txn: TxnMetadata, value: TxnLogValue): Promise<number> {
    txn.busy = true;
    try {
      await this.store.write(txn.transactionalId, value);
      return ErrorCode.NONE;
    } catch (error) {
      this.warn(`writing the state of transaction ${txn.transactionalId} failed: ${describe(error)}`);
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    } finally {
      txn.busy = false;
    }
  }

  private apply(txn: TxnMetadata, value: TxnLogValue): void {
    txn.producerId = value.producerId;
    txn.producerEpoch = value.producerEpoch;
    txn.timeoutMs = value.transactionTimeoutMs;
    txn.status = value.status;
    txn.partitions = toMap(value.partitions);
    txn.startMs = value.startTimestampMs;
    txn.lastUpdateMs = value.lastUpdateTimestampMs;
  }

  private valueOf(txn: TxnMetadata): TxnLogValue {
    return {
      producerId: txn.producerId,
      producerEpoch: txn.producerEpoch,
      previousProducerId: txn.lastProducerId,
      transactionTimeoutMs: txn.timeoutMs,
      status: txn.status,
      partitions: toList(txn.partitions),
      lastUpdateTimestampMs: txn.lastUpdateMs,
      startTimestampMs: txn.startMs,
    };
  }

  /** The producer id must be the transactional id's current one, and its epoch the current epoch. */
  private checkProducer(txn: TxnMetadata | undefined, producer: TxnProducer): number {
    if (this.closed) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (!txn || txn.producerId !== producer.producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (txn.producerEpoch !== producer.producerEpoch) return ErrorCode.PRODUCER_FENCED;
    return ErrorCode.NONE;
  }
}

function toList(partitions: ReadonlyMap<string, ReadonlySet<number>>): TopicPartitions[] {
  return [...partitions]
    .filter(([, ids]) => ids.size > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([topic, ids]) => ({ topic, partitions: [...ids].sort((a, b) => a - b) }));
}

function toMap(partitions: readonly TopicPartitions[]): Map<string, Set<number>> {
  return new Map(partitions.map(({ topic, partitions: ids }) => [topic, new Set(ids)]));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
