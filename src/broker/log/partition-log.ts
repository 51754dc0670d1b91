// The log of one partition: an ordered list of segments, the last one active. Appends assign offsets and go
// to the active segment with one writev; reads return whole batches as file slices; the log start offset,
// recovery point and producer state survive restarts. Single broker: the high watermark is the log end offset.
// Transactions (KIP-98): transactional batches open a transaction per producer, control batches end it; the
// last stable offset bounds read_committed readers, and aborted transactions are indexed for them.
import fs from 'node:fs';
import path from 'node:path';
import { ErrorCode, type ErrorCodeValue } from '../../protocol/error-codes.js';
import {
  assignOffsets,
  Attributes,
  attributesOf,
  BATCH_HEADER_SIZE,
  baseOffsetOf,
  baseSequenceOf,
  batchSize,
  isControlBatch,
  lastOffsetDeltaOf,
  maxTimestampOf,
  producerEpochOf,
  producerIdOf,
  setLogAppendTime,
} from '../../protocol/records/batch-header.js';
import { decodeBatch } from '../../protocol/records/record-codec.js';
import { AbortedTxnIndex, type AbortedTxn } from './aborted-txn-index.js';
import { completeInterruptedCleaning } from './cleaner-files.js';
import { LogError } from './errors.js';
import { readJsonFile, writeFileAtomic } from './files.js';
import type { LogConfig } from './log-config.js';
import { ProducerStateManager } from './producer-state.js';
import { recoverSegment } from './recovery.js';
import { planRetention, type RetentionReason } from './retention.js';
import { Segment, segmentFileName } from './segment.js';
import { markerTypeOf, TransactionState, type OngoingTxn } from './transaction-state.js';
import { isNoRoom, StorageErrors } from './storage-errors.js';

const CHECKPOINT_FILE = 'checkpoint.json';
const CLEAN_SHUTDOWN_FILE = '.clean-shutdown';
const PRODUCER_SNAPSHOT_FILE = 'producer-state.json';
const ABORTED_TXN_INDEX_FILE = 'aborted-txns.index';
const TRANSACTIONAL_OR_CONTROL = Attributes.transactional | Attributes.control;
const SEGMENT_FILE = /^(\d{20})\.log$/;
const INT32_MAX = 2 ** 31 - 1;
/** Read positions remembered for readers that come back for the next offset (tailing consumers). */
const POSITION_CACHE_SIZE = 16;

export interface AppendOptions {
  /** Broker time to stamp on the batches (message.timestamp.type=LogAppendTime). Defaults from the config. */
  logAppendTimeMs?: number;
}

export interface AppendResult {
  errorCode: ErrorCodeValue;
  /** Set when errorCode is not NONE. */
  errorMessage?: string;
  /** Offset of the first record appended (or of the original batch for a duplicate); -1 on error. */
  baseOffset: number;
  lastOffset: number;
  /** The broker time stamped on the batches, or -1 for CreateTime. */
  logAppendTimeMs: number;
  logStartOffset: number;
  /** True when the batch was a retry of one already in the log: nothing was appended. */
  duplicate: boolean;
}

export interface ReadResult {
  errorCode: ErrorCodeValue;
  /** Whole batches; file slices, not to be modified. */
  records: Buffer[];
  highWatermark: number;
  logStartOffset: number;
  lastStableOffset: number;
}

export interface TimestampOffset {
  offset: number;
  timestamp: number;
}

export interface DeleteRecordsResult {
  errorCode: ErrorCodeValue;
  lowWatermark: number;
}

export interface PartitionLogOptions {
  topic: string;
  partition: number;
  config: LogConfig;
  /** Clock for retention, rolling and compaction (tests move time). */
  now?: () => number;
  /** Where disk failures are reported (the broker's, shared by every partition); silent when left out. */
  storage?: StorageErrors;
}

interface Checkpoint {
  logStartOffset: number;
  recoveryPoint: number;
  /** First offset the cleaner has not compacted yet. */
  cleanerOffset: number;
}

/** Why a waiter of onNextAppend was called. */
export type AppendWake = 'appended' | 'closed';

interface CachedPosition {
  offset: number;
  segment: Segment;
  position: number;
}

/** One producer's state on a partition, as DescribeProducers reports it. */
export interface ActiveProducer {
  producerId: number;
  producerEpoch: number;
  lastSequence: number;
  lastTimestamp: number;
  currentTxnStartOffset: number;
}

export class PartitionLog {
  readonly topic: string;
  readonly partition: number;
  private config: LogConfig;
  private readonly now: () => number;
  private readonly storage: StorageErrors;
  private segments: Segment[] = [];
  private startOffset = 0;
  private recoveryPoint = 0;
  private cleanerOffset = 0;
  private readonly producerState: ProducerStateManager;
  private readonly abortedIndex: AbortedTxnIndex;
  private readonly transactions: TransactionState;
  private readonly hasOpenTransaction = (producerId: number): boolean => this.transactions.has(producerId);
  private unflushedMessages = 0;
  private lastFlushMs: number;
  private flushing: Promise<void> | null = null;
  private flushQueued: Promise<void> | null = null;
  private readonly positionCache: CachedPosition[] = [];
  private positionCacheNext = 0;
  /** Callers of onNextAppend (long-polling fetches); null while nobody waits, the common produce case. */
  private appendWaiters: Set<(wake: AppendWake) => void> | null = null;
  private closed = false;
  /** The checkpoint as last read or written: an unchanged one is not rewritten (each write is an fsync). */
  private checkpointOnDisk = '';

  private constructor(
    readonly dir: string,
    options: PartitionLogOptions,
  ) {
    this.topic = options.topic;
    this.partition = options.partition;
    this.config = options.config;
    this.now = options.now ?? Date.now;
    this.storage = options.storage ?? new StorageErrors();
    this.lastFlushMs = this.now();
    this.abortedIndex = new AbortedTxnIndex(path.join(dir, ABORTED_TXN_INDEX_FILE));
    this.transactions = new TransactionState(this.abortedIndex);
    this.producerState = new ProducerStateManager(path.join(dir, PRODUCER_SNAPSHOT_FILE), this.transactions);
  }

  /** Opens (or creates) the log in `dir`, recovering it when the last shutdown was not clean. */
  static open(dir: string, options: PartitionLogOptions): PartitionLog {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const log = new PartitionLog(dir, options);
    log.load();
    return log;
  }

  /**
   * The files of a new, empty log: `dir` (which must not exist yet; its parent must) and an empty first
   * segment. Apart from the log, so that a creation of thousands can make them off the event loop.
   */
  static createFilesSync(dir: string): void {
    fs.mkdirSync(dir, { mode: 0o700 });
    fs.closeSync(fs.openSync(path.join(dir, segmentFileName(0, '.log')), 'wx', 0o600));
  }

  /** createFilesSync on the thread pool. */
  static async createFiles(dir: string): Promise<void> {
    await fs.promises.mkdir(dir, { mode: 0o700 });
    await (await fs.promises.open(path.join(dir, segmentFileName(0, '.log')), 'wx', 0o600)).close();
  }

  /** The log of files made by createFiles: nothing to read or recover, so it costs no file operation. */
  static adoptNew(dir: string, options: PartitionLogOptions): PartitionLog {
    const log = new PartitionLog(dir, options);
    log.segments = [Segment.adoptEmpty(dir, log.config.indexIntervalBytes)];
    // An empty log's checkpoint is all zeros, which is also what a missing checkpoint file reads as.
    const empty: Checkpoint = { logStartOffset: 0, recoveryPoint: 0, cleanerOffset: 0 };
    log.checkpointOnDisk = JSON.stringify(empty);
    return log;
  }

  // ---- state -------------------------------------------------------------------------------------------

  get logStartOffset(): number {
    return this.startOffset;
  }

  get logEndOffset(): number {
    return this.active.nextOffset;
  }

  /** One replica: everything appended is committed. */
  get highWatermark(): number {
    return this.active.nextOffset;
  }

  /** The first offset of the oldest open transaction, or the high watermark when none is open. */
  get lastStableOffset(): number {
    return this.transactions.lastStableOffset(this.active.nextOffset, this.startOffset);
  }

  /** Aborted transactions whose marker is at or after `fromOffset` and whose first record is before `upToOffset`. */
  abortedTransactions(fromOffset: number, upToOffset: number): { producerId: number; firstOffset: number }[] {
    return this.abortedIndex
      .overlapping(fromOffset, upToOffset)
      .map((entry) => ({ producerId: entry.producerId, firstOffset: entry.firstOffset }));
  }

  /** The transactions open on this partition, oldest first (DescribeProducers, admin). */
  ongoingTransactions(): OngoingTxn[] {
    return this.transactions.list().map((txn) => ({ ...txn }));
  }

  /**
   * The producers the partition keeps state for (KIP-664's DescribeProducers): each one's epoch, the last
   * sequence and timestamp of its latest batch (-1 when it wrote only markers), and where its open
   * transaction started (-1 when none is open).
   */
  activeProducers(): ActiveProducer[] {
    const open = new Map(this.transactions.list().map((txn) => [txn.producerId, txn.firstOffset]));
    return this.producerState.entries().map((entry) => {
      const last = entry.batches.at(-1);
      return {
        producerId: entry.producerId,
        producerEpoch: entry.epoch,
        lastSequence: last?.lastSeq ?? -1,
        lastTimestamp: last?.timestamp ?? -1,
        currentTxnStartOffset: open.get(entry.producerId) ?? -1,
      };
    });
  }

  /** @internal For the cleaner: whether the producer's batch at `offset` belongs to an aborted transaction. */
  isAbortedBatch(producerId: number, offset: number): boolean {
    return this.abortedIndex.isAborted(producerId, offset);
  }

  /** @internal The aborted-transaction index entries (tests). */
  abortedIndexEntries(): AbortedTxn[] {
    return this.abortedIndex.overlapping(0, Number.MAX_SAFE_INTEGER);
  }

  /** Bytes of all segments. */
  get size(): number {
    let total = 0;
    for (const segment of this.segments) total += segment.size;
    return total;
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  /** Base offsets of the segments, oldest first (for tests and DescribeLogDirs). */
  segmentBaseOffsets(): number[] {
    return this.segments.map((segment) => segment.baseOffset);
  }

  get currentConfig(): LogConfig {
    return this.config;
  }

  updateConfig(config: LogConfig): void {
    this.config = config;
    for (const segment of this.segments) segment.setIndexInterval(config.indexIntervalBytes);
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1];
  }

  // ---- append ------------------------------------------------------------------------------------------

  /**
   * Appends validated magic-2 batches: assigns offsets in place, checks idempotent producer sequences, writes
   * them with one writev. A retried batch returns the offsets it got the first time and appends nothing.
   */
  append(batches: readonly Buffer[], options: AppendOptions = {}): AppendResult {
    this.ensureOpen();
    const nowMs = this.now();
    const failure = (errorCode: ErrorCodeValue, errorMessage: string): AppendResult => ({
      errorCode,
      errorMessage,
      baseOffset: -1,
      lastOffset: -1,
      logAppendTimeMs: -1,
      logStartOffset: this.startOffset,
      duplicate: false,
    });
    if (batches.length === 0) return failure(ErrorCode.CORRUPT_MESSAGE, 'no record batch to append');

    const firstOffset = this.logEndOffset;
    let nextOffset = firstOffset;
    let totalBytes = 0;
    let records = 0;
    let maxTimestamp = -1;
    let transactional = false;
    const producers = this.producerState.begin(nowMs);
    for (const batch of batches) {
      if (batch.length < BATCH_HEADER_SIZE || batchSize(batch) !== batch.length) {
        return failure(
          ErrorCode.CORRUPT_MESSAGE,
          `record batch of ${batch.length} bytes declares ${batch.length >= 12 ? batchSize(batch) : '?'}`,
        );
      }
      // The one max.message.bytes check, for every writer.
      if (batch.length > this.config.maxMessageBytes) {
        return failure(
          ErrorCode.MESSAGE_TOO_LARGE,
          `record batch of ${batch.length} bytes exceeds max.message.bytes=${this.config.maxMessageBytes} of topic ` +
            `${this.topic}: send smaller batches or raise the topic's max.message.bytes`,
        );
      }
      const delta = lastOffsetDeltaOf(batch);
      const producerId = producerIdOf(batch);
      const baseSequence = baseSequenceOf(batch);
      const timestamp = maxTimestampOf(batch);
      const txnBits = attributesOf(batch) & TRANSACTIONAL_OR_CONTROL;
      if (txnBits !== 0 || (producerId >= 0 && this.transactions.size > 0)) {
        const refusal = this.transactions.check(
          batch,
          producerId,
          producerEpochOf(batch),
          (txnBits & Attributes.transactional) !== 0,
          (txnBits & Attributes.control) !== 0,
          this.producerState.entry(producerId)?.epoch,
        );
        if (refusal) return failure(refusal.code, refusal.message);
        if (txnBits !== 0) transactional = true;
      }
      // A marker carries no sequence of the producer's (Kafka writes -1); never check one as data.
      if (producerId >= 0 && baseSequence >= 0 && (txnBits & Attributes.control) === 0) {
        const check = producers.check(
          producerId,
          producerEpochOf(batch),
          baseSequence,
          nextOffset,
          nextOffset + delta,
          timestamp,
        );
        if (check.kind === 'duplicate') {
          return {
            errorCode: ErrorCode.NONE,
            baseOffset: check.firstOffset,
            lastOffset: check.lastOffset,
            logAppendTimeMs: -1,
            logStartOffset: this.startOffset,
            duplicate: true,
          };
        }
        if (check.kind === 'error') return failure(check.code, check.message);
      }
      nextOffset += delta + 1;
      totalBytes += batch.length;
      records += delta + 1;
      if (timestamp > maxTimestamp) maxTimestamp = timestamp;
    }

    const appendTime = options.logAppendTimeMs ?? (this.config.logAppendTime ? nowMs : undefined);
    let offset = firstOffset;
    for (const batch of batches) {
      assignOffsets(batch, offset);
      if (appendTime !== undefined) setLogAppendTime(batch, appendTime);
      offset += lastOffsetDeltaOf(batch) + 1;
    }
    try {
      this.maybeRoll(totalBytes, appendTime ?? maxTimestamp, nextOffset - 1);
      this.active.append(batches, totalBytes);
    } catch (error) {
      return failure(ErrorCode.KAFKA_STORAGE_ERROR, this.appendFailed(error).message);
    }
    this.storage.succeeded();
    producers.commit();
    if (transactional) {
      this.applyTransactionalBatches(batches, nowMs);
      const indexError = this.abortedIndex.takeWriteError();
      // The batches are in the log and the state in memory; only the aborted index's file missed an entry.
      // It is rewritten whole before the next state snapshot, and recovery rebuilds it from the log.
      if (indexError !== null)
        this.storage.report(
          indexError,
          `recording an aborted transaction of ${this.topic}-${this.partition}`,
        );
    }

    this.unflushedMessages += records;
    if (this.unflushedMessages >= this.config.flushMessages) this.backgroundFlush();
    if (this.appendWaiters !== null) this.wakeWaiters('appended');
    return {
      errorCode: ErrorCode.NONE,
      baseOffset: firstOffset,
      lastOffset: nextOffset - 1,
      logAppendTimeMs: appendTime ?? -1,
      logStartOffset: this.startOffset,
      duplicate: false,
    };
  }

  /** Opens, extends or ends the transactions of the batches just written (their offsets are assigned). */
  private applyTransactionalBatches(batches: readonly Buffer[], nowMs: number): void {
    for (const batch of batches) this.applyTransactional(batch, 0, () => batch, nowMs);
  }

  /** The transactional effect of one written batch (also replayed by recovery); `whole` reads the full batch. */
  private applyTransactional(header: Buffer, at: number, whole: () => Buffer, nowMs: number): void {
    const attributes = attributesOf(header, at);
    if ((attributes & TRANSACTIONAL_OR_CONTROL) === 0) return;
    const producerId = producerIdOf(header, at);
    const epoch = producerEpochOf(header, at);
    const baseOffset = baseOffsetOf(header, at);
    if ((attributes & Attributes.control) !== 0) {
      const type = markerTypeOf(whole());
      if (type === null) return;
      this.transactions.onMarker(producerId, baseOffset, type);
      this.producerState.observeMarker(producerId, epoch, nowMs);
      return;
    }
    this.transactions.onData(producerId, epoch, baseOffset, baseOffset + lastOffsetDeltaOf(header, at));
  }

  /**
   * A write the disk refused (a full disk cuts it short): cuts the active segment back to its last whole
   * batch, so no torn bytes stay behind for recovery or a later read, and says what happened. Not a disk
   * failure: rethrown.
   */
  private appendFailed(error: unknown): LogError {
    const active = this.active;
    try {
      active.truncateTo(active.size);
    } catch {
      // The next append writes at the same position over whatever is there; recovery cuts a torn tail.
    }
    return this.storage.toLogError(error, `appending to ${this.topic}-${this.partition}`);
  }

  /**
   * Calls `wake` once: at the next append that adds records, whoever the writer is, or when the log closes
   * (immediately when it is closed already). Returns a function that cancels the wait.
   */
  onNextAppend(wake: (reason: AppendWake) => void): () => void {
    if (this.closed) {
      wake('closed');
      return () => {};
    }
    const waiters = (this.appendWaiters ??= new Set());
    waiters.add(wake);
    return () => {
      waiters.delete(wake);
    };
  }

  private wakeWaiters(reason: AppendWake): void {
    const waiters = this.appendWaiters;
    if (waiters === null) return;
    this.appendWaiters = null;
    for (const wake of waiters) wake(reason);
  }

  private maybeRoll(incomingBytes: number, incomingTimestamp: number, lastOffset: number): void {
    const active = this.active;
    if (active.size === 0) return;
    const config = this.config;
    const full = active.size + incomingBytes > config.segmentBytes;
    const old =
      active.firstBatchTimestamp >= 0 && incomingTimestamp - active.firstBatchTimestamp > config.segmentMs;
    const offsetsExhausted = lastOffset - active.baseOffset > INT32_MAX;
    const indexFull =
      active.offsetIndex().sizeBytes + 8 > config.segmentIndexBytes ||
      active.timeIndex().sizeBytes + 12 > config.segmentIndexBytes;
    if (full || old || offsetsExhausted || indexFull) this.roll();
  }

  /** Starts a new active segment at the log end offset. The old one is sealed and flushed in the background. */
  roll(): void {
    const previous = this.active;
    if (previous.size === 0) return;
    previous.seal();
    const next = Segment.create(this.dir, previous.nextOffset, this.config.indexIntervalBytes);
    this.segments.push(next);
    try {
      this.writeStateSnapshots(next.baseOffset);
    } catch (error) {
      // The snapshot only shortens the replay at the next start: an older one plus the replay is as good.
      this.storage.toLogError(
        error,
        `writing the producer and transaction state of ${this.topic}-${this.partition}`,
      );
    }
    previous
      .flush()
      .then(() => {
        if (this.closed || previous.deleted) return;
        this.recoveryPoint = Math.max(this.recoveryPoint, next.baseOffset);
        this.writeCheckpoint();
      })
      .catch((error: unknown) => {
        // The data stays unflushed and the recovery point where it was: a restart re-verifies the segment.
        this.storage.report(error, `flushing a rolled segment of ${this.topic}-${this.partition}`);
      });
  }

  /**
   * The producer snapshot carries the open transactions. Aborted-index entries are fsynced first: the
   * snapshot says every marker below its offset is indexed, and replay only rebuilds those above.
   */
  private writeStateSnapshots(offset: number): void {
    this.abortedIndex.sync();
    this.producerState.writeSnapshot(offset);
  }

  // ---- read --------------------------------------------------------------------------------------------

  /**
   * Whole batches from the one containing `fetchOffset`, up to `maxBytes`, from a single segment. With
   * `minOneBatch` (the default) at least one batch, however large (KIP-74); without, only what fits.
   * `maxOffset` (exclusive) stops before the first batch at or after it: read_committed passes the LSO,
   * which always falls on a batch boundary.
   */
  read(fetchOffset: number, maxBytes: number, minOneBatch = true, maxOffset = Infinity): ReadResult {
    this.ensureOpen();
    const logEnd = this.logEndOffset;
    const result: ReadResult = {
      errorCode: ErrorCode.NONE,
      records: [],
      highWatermark: logEnd,
      logStartOffset: this.startOffset,
      lastStableOffset: this.lastStableOffset,
    };
    if (fetchOffset < this.startOffset || fetchOffset > logEnd) {
      result.errorCode = ErrorCode.OFFSET_OUT_OF_RANGE;
      return result;
    }
    if (fetchOffset === logEnd || fetchOffset >= maxOffset) return result;

    let segment: Segment;
    let position: number;
    const cached = this.cachedPosition(fetchOffset);
    let index: number;
    if (cached) {
      segment = cached.segment;
      position = cached.position;
      index = this.segments.indexOf(segment);
    } else {
      index = this.segmentIndexFor(fetchOffset);
      segment = this.segments[index];
      position = segment.offsetIndex().lookup(fetchOffset);
    }
    while (index < this.segments.length) {
      const found = segment.read(fetchOffset, position, maxBytes, minOneBatch);
      if (found) {
        const data = found.nextOffset > maxOffset ? batchesBefore(found.data, maxOffset) : found.data;
        if (data.length === 0) return result;
        if (data === found.data) this.rememberPosition(found.nextOffset, segment, found.endPosition);
        result.records.push(data);
        return result;
      }
      // Nothing at or after fetchOffset here (end of segment, or compacted away): try the next one.
      index++;
      segment = this.segments[index];
      position = 0;
    }
    return result;
  }

  private cachedPosition(offset: number): CachedPosition | undefined {
    for (const entry of this.positionCache) {
      if (entry.offset === offset && !entry.segment.deleted) return entry;
    }
    return undefined;
  }

  private rememberPosition(offset: number, segment: Segment, position: number): void {
    const existing = this.positionCache.find((entry) => entry.offset === offset);
    if (existing) {
      existing.segment = segment;
      existing.position = position;
      return;
    }
    if (this.positionCache.length < POSITION_CACHE_SIZE) {
      this.positionCache.push({ offset, segment, position });
      return;
    }
    this.positionCache[this.positionCacheNext] = { offset, segment, position };
    this.positionCacheNext = (this.positionCacheNext + 1) % POSITION_CACHE_SIZE;
  }

  /** Index of the segment with the largest base offset <= offset (the first segment when below all). */
  private segmentIndexFor(offset: number): number {
    const segments = this.segments;
    const last = segments.length - 1;
    if (segments[last].baseOffset <= offset) return last;
    let low = 0;
    let high = last;
    let found = 0;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if (segments[mid].baseOffset <= offset) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  // ---- offsets by time ---------------------------------------------------------------------------------

  /** The first record at or after the log start offset with timestamp >= `timestamp`, or null when none is. */
  offsetForTimestamp(timestamp: number): TimestampOffset | null {
    this.ensureOpen();
    for (const segment of this.segments) {
      if (segment.size === 0 || segment.maxTimestamp < timestamp || segment.nextOffset <= this.startOffset)
        continue;
      const fromOffset = segment.timeIndex().lookup(timestamp) ?? segment.baseOffset;
      let position = segment.offsetIndex().lookup(fromOffset);
      let found: TimestampOffset | null = null;
      segment.walkHeaders(position, (header, at, size) => {
        const batchStart = position;
        position += size;
        const lastOffset = baseOffsetOf(header, at) + lastOffsetDeltaOf(header, at);
        if (maxTimestampOf(header, at) < timestamp || lastOffset < this.startOffset) return true;
        found = this.firstRecordAtOrAfter(segment.readAt(batchStart, size), timestamp);
        return found === null;
      });
      if (found) return found;
    }
    return null;
  }

  /** The record with the largest timestamp (the earliest such), for ListOffsets MAX_TIMESTAMP; null when empty. */
  maxTimestampRecord(): TimestampOffset | null {
    this.ensureOpen();
    let best: Segment | null = null;
    for (const segment of this.segments) {
      if (
        segment.size > 0 &&
        segment.nextOffset > this.startOffset &&
        (!best || segment.maxTimestamp > best.maxTimestamp)
      )
        best = segment;
    }
    if (!best) return null;
    const location = best.locate(
      best.maxTimestampBatchOffset,
      best.offsetIndex().lookup(best.maxTimestampBatchOffset),
    );
    if (!location) return null;
    return this.firstRecordAtOrAfter(best.readAt(location.position, location.size), best.maxTimestamp);
  }

  /**
   * ListOffsets in one call: -1 latest, -2 earliest, -3 max timestamp, -4 earliest local; otherwise the first
   * offset with timestamp >= the given one. Null when there is no such offset (Kafka answers -1, -1).
   */
  listOffset(timestamp: number, readCommitted = false): TimestampOffset | null {
    // As Kafka: read_committed sees up to the last stable offset, read_uncommitted up to the high watermark.
    const lastFetchable = readCommitted ? this.lastStableOffset : this.highWatermark;
    if (timestamp === -1) return { offset: lastFetchable, timestamp: -1 };
    if (timestamp === -2 || timestamp === -4) return { offset: this.startOffset, timestamp: -1 };
    const found = timestamp === -3 ? this.maxTimestampRecord() : this.offsetForTimestamp(timestamp);
    return found !== null && found.offset < lastFetchable ? found : null;
  }

  private firstRecordAtOrAfter(batch: Buffer, timestamp: number): TimestampOffset | null {
    const decoded = decodeBatch(batch, { verifyCrc: false });
    for (const record of decoded.records) {
      const offset = Number(record.offset);
      const recordTimestamp = Number(record.timestamp);
      if (recordTimestamp >= timestamp && offset >= this.startOffset)
        return { offset, timestamp: recordTimestamp };
    }
    return null;
  }

  // ---- deletion ----------------------------------------------------------------------------------------

  /** DeleteRecords: moves the log start offset to `offset` (-1: the high watermark) and drops whole segments below it. */
  deleteRecordsBefore(offset: number): DeleteRecordsResult {
    this.ensureOpen();
    const target = offset === -1 ? this.highWatermark : offset;
    if (target < 0 || target > this.logEndOffset)
      return { errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, lowWatermark: this.startOffset };
    if (target > this.startOffset) {
      this.startOffset = target;
      this.cleanerOffset = Math.max(this.cleanerOffset, target);
      this.producerState.evictBefore(target, this.hasOpenTransaction);
      try {
        this.abortedIndex.dropBefore(target);
      } catch (error) {
        // Entries below the log start are ignored by readers; the next rewrite drops them.
        this.storage.toLogError(
          error,
          `trimming the aborted-transaction index of ${this.topic}-${this.partition}`,
        );
      }
      try {
        this.writeCheckpoint();
        this.applyRetention();
      } catch (error) {
        if (!(error instanceof LogError)) throw error;
        // A full disk, where deleting records is how an operator makes room: the segments below the new
        // start go first (that needs no space), then the checkpoint is written again.
        try {
          if (this.applyRetention().deleted === 0) this.writeCheckpoint();
        } catch (again) {
          if (!(again instanceof LogError)) throw again;
          return { errorCode: again.code, lowWatermark: this.startOffset };
        }
      }
    }
    return { errorCode: ErrorCode.NONE, lowWatermark: this.startOffset };
  }

  /**
   * Deletes the segments retention allows: those below the log start offset, and with cleanup.policy=delete
   * those past retention.ms or retention.bytes. Returns how many segments went and why.
   */
  applyRetention(nowMs = this.now()): { deleted: number; reason: RetentionReason | null } {
    this.ensureOpen();
    const plan = planRetention(this.segments, this.startOffset, this.config, nowMs);
    let count = plan.count;
    if (count === this.segments.length) {
      try {
        this.roll();
      } catch (error) {
        // No room for a new segment (a full disk): the active one stays, the others still go.
        this.storage.toLogError(error, `rolling ${this.topic}-${this.partition}`);
        count--;
      }
    }
    if (count === 0) return { deleted: 0, reason: null };
    const doomed = this.segments.slice(0, count);
    this.segments = this.segments.slice(count);
    for (const segment of doomed) segment.delete();
    const newStart = Math.max(this.startOffset, this.segments[0].baseOffset);
    if (newStart !== this.startOffset) {
      this.startOffset = newStart;
      this.producerState.evictBefore(newStart, this.hasOpenTransaction);
      this.abortedIndex.dropBefore(newStart);
    }
    this.cleanerOffset = Math.max(this.cleanerOffset, this.startOffset);
    this.writeCheckpoint();
    return { deleted: count, reason: plan.reason };
  }

  /** Forgets idle producers (called with the retention check); never one whose transaction is open here. */
  expireProducers(nowMs = this.now(), maxIdleMs = 86_400_000): void {
    this.producerState.expire(nowMs, maxIdleMs, this.hasOpenTransaction);
  }

  /** @internal Whether the producer state still knows `producerId` (tests). */
  knowsProducer(producerId: number): boolean {
    return this.producerState.entry(producerId) !== undefined;
  }

  // ---- flushing ----------------------------------------------------------------------------------------

  /** fsyncs everything appended so far. Concurrent calls share fsyncs: at most one runs and one waits. */
  flush(): Promise<void> {
    if (!this.flushing) return this.startFlush();
    if (!this.flushQueued) {
      const start = () => {
        this.flushQueued = null;
        return this.startFlush();
      };
      this.flushQueued = this.flushing.then(start, start);
    }
    return this.flushQueued;
  }

  private startFlush(): Promise<void> {
    const pending = this.segments.filter((segment) => segment.flushedSize < segment.size);
    this.unflushedMessages = 0;
    this.lastFlushMs = this.now();
    if (pending.length === 0) return Promise.resolve();
    const flushing = Promise.all(pending.map((segment) => segment.flush())).then(
      () => undefined,
      (error: unknown) => {
        throw this.storage.toLogError(error, `flushing ${this.topic}-${this.partition} to disk`);
      },
    );
    this.flushing = flushing.finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private backgroundFlush(): void {
    this.flush().catch(() => {
      // Reported by the flush itself; the data stays unflushed and the next flush tries again.
    });
  }

  /** Flushes when flush.ms has passed since the last flush and something is unflushed. */
  flushIfDue(nowMs = this.now()): Promise<void> | null {
    if (this.closed || nowMs - this.lastFlushMs < this.config.flushMs) return null;
    if (this.segments.every((segment) => segment.flushedSize >= segment.size)) return null;
    return this.flush();
  }

  // ---- cleaner support ---------------------------------------------------------------------------------

  /** @internal Segments the cleaner may rewrite: every non-active one. */
  inactiveSegments(): readonly Segment[] {
    return this.segments.slice(0, -1);
  }

  /** @internal */
  get firstDirtyOffset(): number {
    return Math.max(this.cleanerOffset, this.startOffset);
  }

  /** @internal Swaps `replaced` (consecutive, inactive) for `replacement` and records the cleaner's progress. */
  replaceSegments(replaced: readonly Segment[], replacement: Segment, cleanedUpTo: number): void {
    const first = this.segments.indexOf(replaced[0]);
    if (first < 0)
      throw new Error(
        `segment ${replaced[0].baseOffset} of ${this.topic}-${this.partition} is no longer in the log`,
      );
    this.segments.splice(first, replaced.length, replacement);
    this.cleanerOffset = Math.max(this.cleanerOffset, cleanedUpTo);
    this.writeCheckpoint();
  }

  /** @internal */
  setCleanerOffset(offset: number): void {
    this.cleanerOffset = Math.max(this.cleanerOffset, offset);
    this.writeCheckpoint();
  }

  // ---- lifecycle ---------------------------------------------------------------------------------------

  /**
   * Flushes, writes indexes, checkpoints and the producer snapshot, then marks the shutdown clean. A disk
   * that refuses any of it (full) does not stop the close: the shutdown is left unclean instead, so the next
   * start re-verifies the log.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    // Waiting fetches have nothing more to expect: let them answer now rather than at their timeout.
    this.wakeWaiters('closed');
    try {
      await this.flush();
    } catch (error) {
      // Reported by the flush; closeSync tries once more and leaves the shutdown unclean if it fails too.
      if (!(error instanceof LogError)) throw error;
    }
    this.closeSync();
  }

  /** Synchronous close (fsyncs on the calling thread). */
  closeSync(): void {
    if (this.closed) return;
    let sound = true;
    try {
      for (const segment of this.segments) segment.flushSync();
      this.active.seal();
      this.recoveryPoint = this.logEndOffset;
      this.writeCheckpoint();
      // A log never written to has no producers: skipping its snapshot spares an fsync per empty partition.
      if (this.logEndOffset > 0) this.writeStateSnapshots(this.logEndOffset);
    } catch (error) {
      this.storage.toLogError(error, `closing ${this.topic}-${this.partition}`);
      sound = false;
    }
    for (const segment of this.segments) segment.close();
    this.closed = true;
    this.wakeWaiters('closed');
    // Without every file above on disk, the log is not to be trusted as it is: no clean-shutdown marker.
    if (sound) {
      try {
        // An empty marker needs no fsync: if a crash loses it, the next start only verifies more than it must.
        fs.writeFileSync(path.join(this.dir, CLEAN_SHUTDOWN_FILE), '', { mode: 0o600 });
      } catch (error) {
        this.storage.toLogError(error, `closing ${this.topic}-${this.partition}`);
      }
    }
  }

  /** Closes the files without any further writes (the partition is being deleted). */
  closeForDeletion(): void {
    if (this.closed) return;
    this.closed = true;
    this.wakeWaiters('closed');
    for (const segment of this.segments) {
      segment.deleted = true;
      segment.close();
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private ensureOpen(): void {
    if (this.closed) throw new Error(`log of ${this.topic}-${this.partition} is closed`);
  }

  private writeCheckpoint(): void {
    const checkpoint: Checkpoint = {
      logStartOffset: this.startOffset,
      recoveryPoint: this.recoveryPoint,
      cleanerOffset: this.cleanerOffset,
    };
    const text = JSON.stringify(checkpoint);
    if (text === this.checkpointOnDisk) return;
    try {
      writeFileAtomic(path.join(this.dir, CHECKPOINT_FILE), text);
    } catch (error) {
      throw this.storage.toLogError(error, `writing the checkpoint of ${this.topic}-${this.partition}`);
    }
    this.checkpointOnDisk = text;
  }

  // ---- loading -----------------------------------------------------------------------------------------

  private load(): void {
    const markerPath = path.join(this.dir, CLEAN_SHUTDOWN_FILE);
    const clean = fs.existsSync(markerPath);
    completeInterruptedCleaning(this.dir);
    for (const name of fs.readdirSync(this.dir)) {
      if (name.endsWith('.tmp') || name.endsWith('.deleted'))
        fs.rmSync(path.join(this.dir, name), { force: true });
    }
    const checkpoint = readCheckpoint(path.join(this.dir, CHECKPOINT_FILE));
    // A missing checkpoint reads as all zeros, which a new partition need not write either.
    this.checkpointOnDisk = JSON.stringify(checkpoint);
    const bases = fs
      .readdirSync(this.dir)
      .map((name) => SEGMENT_FILE.exec(name))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => Number(match[1]))
      .sort((a, b) => a - b);
    const interval = this.config.indexIntervalBytes;
    if (bases.length === 0) {
      this.segments = [Segment.create(this.dir, checkpoint.logStartOffset, interval)];
    } else {
      this.segments = bases.map((base) => Segment.open(this.dir, base, interval));
    }

    // A clean shutdown left sound files; otherwise re-verify every segment that may hold unflushed data.
    let firstToRecover = clean ? this.segments.length : this.firstSegmentToRecover(checkpoint.recoveryPoint);
    for (let i = 0; i < firstToRecover; i++) {
      const next = this.segments[i + 1];
      // Files that disagree with their indexes are not trusted, even after a clean shutdown.
      if (!this.segments[i].loadClean(next ? next.baseOffset : null)) firstToRecover = i;
    }
    for (let i = firstToRecover; i < this.segments.length; i++) {
      const previous = this.segments[i - 1];
      const truncatedBytes = this.recover(this.segments[i], previous ? previous.nextOffset : 0);
      if (truncatedBytes > 0) {
        // Whatever follows a torn batch was written after it and cannot be trusted either.
        for (const later of this.segments.splice(i + 1)) later.delete();
      }
    }
    // Drop empty segments other than the last: they can only come from a crash right after a roll.
    for (const segment of this.segments.slice(0, -1)) {
      if (segment.size === 0) {
        segment.delete();
        this.segments.splice(this.segments.indexOf(segment), 1);
      }
    }

    const logEnd = this.logEndOffset;
    this.startOffset = Math.min(Math.max(checkpoint.logStartOffset, this.segments[0].baseOffset), logEnd);
    this.recoveryPoint = clean ? logEnd : Math.min(checkpoint.recoveryPoint, logEnd);
    this.cleanerOffset = Math.min(checkpoint.cleanerOffset, logEnd);
    this.loadProducerState();
    try {
      this.writeCheckpoint();
    } catch (error) {
      // A full disk must not keep the broker from starting and serving reads: the old checkpoint stays.
      if (!(error instanceof LogError)) throw error;
    }
    fs.rmSync(markerPath, { force: true });
  }

  /**
   * Recovers one segment; returns the bytes cut off its end. On a full disk only the last step, writing the
   * rebuilt indexes, fails: they are complete in memory, so the broker starts and serves the log anyway
   * (the next start recovers the segment again). Any other failure stops the start.
   */
  private recover(segment: Segment, minOffset: number): number {
    const sizeBefore = segment.size;
    try {
      recoverSegment(segment, minOffset);
    } catch (error) {
      if (!isNoRoom(error)) throw error;
      this.storage.toLogError(error, `writing the recovered indexes of ${this.topic}-${this.partition}`);
    }
    return sizeBefore - segment.size;
  }

  private firstSegmentToRecover(recoveryPoint: number): number {
    let index = this.segments.length - 1;
    while (index > 0 && this.segments[index].baseOffset > recoveryPoint) index--;
    return index;
  }

  /**
   * Producer and transaction state = the snapshot (one file for both), plus every batch after it replayed
   * from headers. Aborted-index entries from that offset on are rebuilt from the markers.
   */
  private loadProducerState(): void {
    const state = this.producerState;
    let from = state.loadSnapshot();
    this.abortedIndex.load();
    if (from === null || from > this.logEndOffset || from < this.segments[0].baseOffset) {
      state.clear();
      this.transactions.clear();
      from = this.segments[0].baseOffset;
    }
    this.abortedIndex.truncateFrom(from);
    for (let i = this.segmentIndexFor(from); i < this.segments.length; i++) {
      const segment = this.segments[i];
      let position = segment.baseOffset <= from ? segment.offsetIndex().lookup(from) : 0;
      segment.walkHeaders(position, (header, at, size) => {
        const batchPosition = position;
        position += size;
        const producerId = producerIdOf(header, at);
        const baseOffset = baseOffsetOf(header, at);
        const baseSequence = baseSequenceOf(header, at);
        if (baseOffset >= from && producerId >= 0) {
          const timestamp = maxTimestampOf(header, at);
          this.applyTransactional(header, at, () => segment.readAt(batchPosition, size), timestamp);
        }
        if (producerId >= 0 && baseSequence >= 0 && baseOffset >= from && !isControlBatch(header, at)) {
          const lastOffset = baseOffset + lastOffsetDeltaOf(header, at);
          state.observe(
            producerId,
            producerEpochOf(header, at),
            baseSequence,
            baseOffset,
            lastOffset,
            maxTimestampOf(header, at),
          );
        }
        return true;
      });
    }
    state.evictBefore(this.startOffset, this.hasOpenTransaction);
    this.abortedIndex.dropBefore(this.startOffset);
  }
}

/** The leading whole batches of `data` that start before `maxOffset`. */
function batchesBefore(data: Buffer, maxOffset: number): Buffer {
  let at = 0;
  while (at + BATCH_HEADER_SIZE <= data.length && baseOffsetOf(data, at) < maxOffset)
    at += batchSize(data, at);
  return at === data.length ? data : data.subarray(0, at);
}

function readCheckpoint(file: string): Checkpoint {
  const parsed = readJsonFile(file) as Partial<Checkpoint> | undefined;
  const number = (value: unknown) =>
    typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
  return {
    logStartOffset: number(parsed?.logStartOffset),
    recoveryPoint: number(parsed?.recoveryPoint),
    cleanerOffset: number(parsed?.cleanerOffset),
  };
}
