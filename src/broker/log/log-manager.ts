// Every topic of the broker on disk: `<dataDir>/topics/<topic>/topic.json` (id, partition count, config
// overrides) and one directory per partition. Creates, deletes, grows and reconfigures topics, and runs the
// background work: retention, compaction and the flush.ms policy.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ErrorCode } from '../../protocol/error-codes.js';
import { ZERO_UUID, type Uuid } from '../../protocol/primitives.js';
import { DEFAULT_MAX_PARTITIONS } from '../config.js';
import { cleanLog, type CleanResult } from './cleaner.js';
import { LogError } from './errors.js';
import { readJsonFile, writeFileAtomic, writeFileAtomicAsync } from './files.js';
import {
  applyConfigChanges,
  describeTopicConfigs,
  resolveLogConfig,
  validateTopicConfigs,
  type ConfigChange,
  type DescribedConfig,
  type LogConfig,
} from './log-config.js';
import { openSegmentFiles } from './open-files.js';
import { PartitionLog } from './partition-log.js';
import { isStorageError, StorageErrors } from './storage-errors.js';
import { collisionKey, validateTopicName } from './topic-name.js';
import { silentLogger, type Logger } from '../logger.js';

const TOPIC_FILE = 'topic.json';
/** Directories with this character are work in progress (creation, deletion): never legal topic names. */
const ASIDE = '~';
/** A sanity bound for one request; the broker-wide bound is LogManagerOptions.maxPartitions. */
export const MAX_PARTITIONS_PER_TOPIC = 10_000;
/** An asynchronous creation works this long before letting other requests run. */
const CREATION_SLICE_MS = 10;

export interface LogManagerOptions {
  now?: () => number;
  /** log.retention.check.interval.ms (Kafka: 300000). */
  retentionCheckIntervalMs?: number;
  /** How often the cleaner looks for compactable logs (Kafka's log.cleaner.backoff.ms: 15000). */
  cleanerIntervalMs?: number;
  /** How often flush.ms is checked. */
  flushCheckIntervalMs?: number;
  /** producer.id.expiration.ms (Kafka: 86400000). */
  producerExpirationMs?: number;
  /** Start the background timers (default true). Tests call runRetention/runCleaner directly instead. */
  startTimers?: boolean;
  /** The broker's logger: disk failures and background failures go there. Silent when left out. */
  logger?: Logger;
  /** Partitions of all topics together (max.broker.partitions); more are refused with POLICY_VIOLATION. */
  maxPartitions?: number;
  /**
   * Segment files kept open at once, for every log of the process (the set is process-wide, as the
   * descriptor limit is); left unchanged when not given.
   */
  maxOpenSegmentFiles?: number;
}

interface TopicFile {
  name: string;
  id: Uuid;
  partitions: number;
  configs: Record<string, string>;
}

export class Topic {
  constructor(
    readonly name: string,
    readonly id: Uuid,
    /** Overrides only, as given by the user. */
    public configs: Record<string, string>,
    /** Effective settings: overrides, broker defaults, Venice defaults. */
    public config: LogConfig,
    readonly partitions: PartitionLog[],
    readonly dir: string,
  ) {}

  get partitionCount(): number {
    return this.partitions.length;
  }

  /** Kafka's internal topics start with "__" (e.g. __consumer_offsets). */
  get isInternal(): boolean {
    return this.name.startsWith('__');
  }
}

export interface CreateTopicOptions {
  /** Check everything but create nothing (CreateTopics validate_only). */
  validateOnly?: boolean;
}

export class LogManager {
  private readonly byName = new Map<string, Topic>();
  private readonly byId = new Map<Uuid, Topic>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly now: () => number;
  private readonly logger: Logger;
  /** Disk failures of every partition, reported once a minute at most. */
  private readonly storage: StorageErrors;
  /**
   * Partitions whose compaction failed for a reason other than the disk (damaged data): skipped until the
   * broker restarts, as Kafka's cleaner does, so that one bad segment neither stops the others nor repeats
   * its error every pass.
   */
  private readonly uncleanable = new WeakSet<PartitionLog>();
  private closed = false;
  /** Topic names being created by an asynchronous creation: taken, although not visible yet. */
  private readonly creating = new Set<string>();
  /** Partitions promised to creations in progress, counted against maxPartitions. */
  private reservedPartitions = 0;
  /** Asynchronous creations run one after the other; close waits for the one running. */
  private creations: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dataDir: string,
    readonly brokerDefaults: Readonly<Record<string, string>>,
    private readonly options: LogManagerOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger();
    const logger = this.logger;
    this.storage = new StorageErrors({
      warn: (message) => logger.warn(message),
      info: (message) => logger.info(message),
    });
  }

  get topicsDir(): string {
    return path.join(this.dataDir, 'topics');
  }

  /**
   * Loads every topic under `dataDir` (recovering logs after an unclean shutdown) and starts the background
   * timers. `brokerDefaults` are topic config defaults by topic config name (Kafka's log.* broker settings).
   */
  static async open(
    dataDir: string,
    brokerDefaults: Readonly<Record<string, string>> = {},
    options: LogManagerOptions = {},
  ): Promise<LogManager> {
    validateTopicConfigs(brokerDefaults);
    if (options.maxOpenSegmentFiles !== undefined) openSegmentFiles.setCapacity(options.maxOpenSegmentFiles);
    const manager = new LogManager(dataDir, { ...brokerDefaults }, options);
    manager.loadTopics();
    if (options.startTimers !== false) manager.startTimers();
    return manager;
  }

  // ---- lookups -----------------------------------------------------------------------------------------

  topic(name: string): Topic | undefined {
    return this.byName.get(name);
  }

  topicById(id: Uuid): Topic | undefined {
    return this.byId.get(id);
  }

  partition(name: string, index: number): PartitionLog | undefined {
    return this.byName.get(name)?.partitions[index];
  }

  topics(): Topic[] {
    return [...this.byName.values()];
  }

  // ---- topic administration ----------------------------------------------------------------------------

  /** Partitions of every topic, and of the creations in progress. */
  get partitionCount(): number {
    let total = this.reservedPartitions;
    for (const topic of this.byName.values()) total += topic.partitionCount;
    return total;
  }

  get maxPartitions(): number {
    return this.options.maxPartitions ?? DEFAULT_MAX_PARTITIONS;
  }

  /**
   * Creates a topic, all at once. Throws LogError: TOPIC_ALREADY_EXISTS, INVALID_TOPIC_EXCEPTION,
   * INVALID_PARTITIONS, INVALID_CONFIG, POLICY_VIOLATION (max.broker.partitions).
   */
  createTopic(
    name: string,
    numPartitions: number,
    configs: Readonly<Record<string, string>> = {},
    options: CreateTopicOptions = {},
  ): Topic | null {
    return runToEnd(this.createTopicSteps(name, numPartitions, configs, options));
  }

  /**
   * The same as createTopic, for requests: thousands of partitions take a second or more to create, so the
   * work lets other requests run every few milliseconds. Creations run one at a time.
   */
  createTopicAsync(
    name: string,
    numPartitions: number,
    configs: Readonly<Record<string, string>> = {},
    options: CreateTopicOptions = {},
  ): Promise<Topic | null> {
    return this.queueCreation(() => this.createTopicSteps(name, numPartitions, configs, options));
  }

  /** Deletes a topic and its data. Throws LogError(UNKNOWN_TOPIC_OR_PARTITION). */
  deleteTopic(name: string): void {
    this.ensureOpen();
    const topic = this.requireTopic(name);
    for (const partition of topic.partitions) partition.closeForDeletion();
    this.byName.delete(name);
    this.byId.delete(topic.id);
    const aside = path.join(
      this.topicsDir,
      `${ASIDE}deleted-${topic.id}-${Date.now()}-${randomBytes(4).toString('hex')}`,
    );
    fs.renameSync(topic.dir, aside);
    fs.promises.rm(aside, { recursive: true, force: true }).catch(() => {
      // Left for the next start, which removes every set-aside directory.
    });
  }

  /**
   * Grows a topic to `newTotal` partitions. Throws LogError: UNKNOWN_TOPIC_OR_PARTITION, INVALID_PARTITIONS,
   * POLICY_VIOLATION (max.broker.partitions).
   */
  createPartitions(name: string, newTotal: number, options: CreateTopicOptions = {}): Topic {
    return runToEnd(this.createPartitionsSteps(name, newTotal, options));
  }

  /** The same as createPartitions, letting other requests run while it works (see createTopicAsync). */
  createPartitionsAsync(name: string, newTotal: number, options: CreateTopicOptions = {}): Promise<Topic> {
    return this.queueCreation(() => this.createPartitionsSteps(name, newTotal, options));
  }

  /**
   * Changes a topic's config overrides ('replace': AlterConfigs, 'incremental': IncrementalAlterConfigs),
   * persists them and applies them to every partition. Returns the new overrides.
   * Throws LogError: UNKNOWN_TOPIC_OR_PARTITION, INVALID_CONFIG.
   */
  alterTopicConfig(
    name: string,
    changes: readonly ConfigChange[],
    mode: 'replace' | 'incremental',
    options: CreateTopicOptions = {},
  ): Record<string, string> {
    this.ensureOpen();
    const topic = this.requireTopic(name);
    const overrides = applyConfigChanges(topic.configs, changes, mode, this.brokerDefaults);
    const config = resolveLogConfig(overrides, this.brokerDefaults);
    if (options.validateOnly) return overrides;
    try {
      writeTopicFile(topic.dir, { name, id: topic.id, partitions: topic.partitionCount, configs: overrides });
    } catch (error) {
      throw this.storage.toLogError(error, `changing the configs of topic ${name}`);
    }
    topic.configs = overrides;
    topic.config = config;
    for (const partition of topic.partitions) partition.updateConfig(config);
    return overrides;
  }

  /** Every supported config of a topic with its effective value and source. */
  describeTopicConfig(name: string): DescribedConfig[] {
    return describeTopicConfigs(this.requireTopic(name).configs, this.brokerDefaults);
  }

  // ---- background work ---------------------------------------------------------------------------------

  /** Applies retention to every partition and expires idle producers. Returns the number of segments deleted. */
  runRetention(nowMs = this.now()): number {
    let deleted = 0;
    const expiration = this.options.producerExpirationMs ?? 86_400_000;
    for (const topic of this.byName.values()) {
      for (const partition of topic.partitions) {
        if (partition.isClosed) continue;
        // Retention is what frees a full disk: one partition failing must not stop it for the others.
        try {
          deleted += partition.applyRetention(nowMs).deleted;
        } catch (error) {
          this.partitionTaskFailed('applying retention to', partition, error);
        }
        partition.expireProducers(nowMs, expiration);
      }
    }
    return deleted;
  }

  /**
   * Compacts every partition of topics with cleanup.policy=compact that is dirty enough (or all, with force).
   * A partition that fails is logged and skipped; the pass goes on with the others.
   */
  runCleaner(nowMs = this.now(), force = false): CleanResult[] {
    const results: CleanResult[] = [];
    for (const topic of this.byName.values()) {
      if (!topic.config.compact) continue;
      for (const partition of topic.partitions) {
        if (partition.isClosed || this.uncleanable.has(partition)) continue;
        try {
          const result = cleanLog(partition, nowMs, { force });
          if (result) results.push(result);
        } catch (error) {
          this.cleaningFailed(partition, error);
        }
      }
    }
    return results;
  }

  private cleaningFailed(partition: PartitionLog, error: unknown): void {
    const name = `${partition.topic}-${partition.partition}`;
    // A full disk passes: the next pass tries again (and compaction is one way out of it).
    if (
      isStorageError(error) ||
      (error instanceof LogError && error.code === ErrorCode.KAFKA_STORAGE_ERROR)
    ) {
      this.storage.report(error, `compacting ${name}`);
      return;
    }
    this.uncleanable.add(partition);
    this.logger.error(
      { err: error },
      `compacting ${name} failed; the cleaner skips this partition until the broker restarts ` +
        `(it still serves reads and takes writes). Check its segment files in ${partition.dir}`,
    );
  }

  private partitionTaskFailed(task: string, partition: PartitionLog, error: unknown): void {
    this.storage.report(error, `${task} ${partition.topic}-${partition.partition}`);
  }

  /** Flushes partitions whose flush.ms has passed. */
  async runFlushPolicy(nowMs = this.now()): Promise<void> {
    const flushes: Promise<void>[] = [];
    for (const topic of this.byName.values()) {
      for (const partition of topic.partitions) {
        const flush = partition.flushIfDue(nowMs);
        if (flush)
          flushes.push(
            flush.catch((error: unknown) => this.partitionTaskFailed('flushing', partition, error)),
          );
      }
    }
    await Promise.all(flushes);
  }

  private startTimers(): void {
    const every = (ms: number, work: () => unknown) => {
      const timer = setInterval(() => {
        try {
          const result = work();
          if (result instanceof Promise) result.catch((error: unknown) => this.backgroundFailed(error));
        } catch (error) {
          this.backgroundFailed(error);
        }
      }, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.options.retentionCheckIntervalMs ?? 300_000, () => this.runRetention());
    every(this.options.cleanerIntervalMs ?? 15_000, () => this.runCleaner());
    every(this.options.flushCheckIntervalMs ?? 1_000, () => this.runFlushPolicy());
  }

  private backgroundFailed(error: unknown): void {
    this.logger.error({ err: error }, 'a background task of the log (retention, compaction, flush) failed');
  }

  /**
   * A disk failure met outside the log (the broker's own state files) as a LogError, logged under the same
   * rate limit as the log's own; anything that is not a disk failure is rethrown.
   */
  storageError(error: unknown, doing: string): LogError {
    return this.storage.toLogError(error, doing);
  }

  /** Stops the background timers. */
  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
    this.storage.flush();
  }

  /** Closes every partition; `onProgress` hears how many are closed, for a stop that takes a while. */
  async close(onProgress?: (closed: number, total: number) => void): Promise<void> {
    if (this.closed) return;
    this.stop();
    this.closed = true;
    // A creation under way finishes (its partitions are then closed with the others).
    await this.creations;
    const topics = [...this.byName.values()];
    const total = topics.reduce((sum, topic) => sum + topic.partitions.length, 0);
    let closed = 0;
    for (const topic of topics) {
      await Promise.all(topic.partitions.map((partition) => partition.close()));
      closed += topic.partitions.length;
      onProgress?.(closed, total);
    }
  }

  // ---- internals ---------------------------------------------------------------------------------------

  /**
   * Runs creations one after the other: their file work on the thread pool (a stalled disk then stalls no
   * client), the rest in slices of CREATION_SLICE_MS between which other requests run.
   */
  private queueCreation<T>(steps: () => CreationSteps<T>): Promise<T> {
    const run = this.creations.then(async () => {
      const work = steps();
      let sliceStart = performance.now();
      let failed = false;
      let failure: unknown;
      for (;;) {
        const step = failed ? work.throw(failure) : work.next();
        failed = false;
        if (step.done) return step.value;
        if (step.value) {
          try {
            await step.value.offLoop();
          } catch (error) {
            failed = true;
            failure = error;
          }
          sliceStart = performance.now();
        } else if (performance.now() - sliceStart >= CREATION_SLICE_MS) {
          await nextTurn();
          sliceStart = performance.now();
        }
      }
    });
    this.creations = run.catch(() => undefined);
    return run;
  }

  /** Creation of a topic in steps; see createTopic. */
  private *createTopicSteps(
    name: string,
    numPartitions: number,
    configs: Readonly<Record<string, string>>,
    options: CreateTopicOptions,
  ): CreationSteps<Topic | null> {
    this.ensureOpen();
    validateTopicName(name);
    if (this.byName.has(name) || this.creating.has(name))
      throw new LogError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists.`);
    const key = collisionKey(name);
    for (const existing of [...this.byName.keys(), ...this.creating]) {
      if (collisionKey(existing) === key) {
        throw new LogError(
          ErrorCode.INVALID_TOPIC_EXCEPTION,
          `Topic '${name}' collides with existing topic '${existing}': '.' and '_' are interchangeable in topic names.`,
        );
      }
    }
    checkPartitionCount(numPartitions);
    validateTopicConfigs(configs);
    const config = resolveLogConfig(configs, this.brokerDefaults);
    this.checkBrokerPartitions(numPartitions);
    if (options.validateOnly) return null;

    this.creating.add(name);
    this.reservedPartitions += numPartitions;
    const partitions: PartitionLog[] = [];
    const id = newTopicId();
    const finalDir = path.join(this.topicsDir, name);
    const stagingDir = path.join(this.topicsDir, `${ASIDE}creating-${id}`);
    try {
      const file: TopicFile = { name, id, partitions: numPartitions, configs: { ...configs } };
      yield topicFolderWork(this.topicsDir, stagingDir, finalDir, file);
      const dirs = Array.from({ length: numPartitions }, (_, p) => path.join(finalDir, String(p)));
      yield partitionFilesWork(dirs, false);
      for (let p = 0; p < numPartitions; p++) {
        partitions.push(
          PartitionLog.adoptNew(dirs[p], {
            topic: name,
            partition: p,
            config,
            now: this.now,
            storage: this.storage,
          }),
        );
        yield;
      }
      const topic = new Topic(name, id, { ...configs }, config, partitions, finalDir);
      this.byName.set(name, topic);
      this.byId.set(id, topic);
      return topic;
    } catch (error) {
      // Out of disk space or descriptors: a topic the client was told failed must not appear at restart, and
      // no staging folder may stay behind (removing needs no space).
      for (const partition of partitions) partition.closeForDeletion();
      this.removeQuietly(stagingDir);
      this.removeQuietly(finalDir);
      throw this.storage.toLogError(error, `creating topic ${name}`);
    } finally {
      this.creating.delete(name);
      this.reservedPartitions -= numPartitions;
    }
  }

  /** Growth of a topic in steps; see createPartitions. */
  private *createPartitionsSteps(
    name: string,
    newTotal: number,
    options: CreateTopicOptions,
  ): CreationSteps<Topic> {
    this.ensureOpen();
    const topic = this.requireTopic(name);
    checkPartitionCount(newTotal);
    const current = topic.partitionCount;
    if (newTotal < current) {
      throw new LogError(
        ErrorCode.INVALID_PARTITIONS,
        `Topic currently has ${current} partitions, which is higher than the requested ${newTotal}.`,
      );
    }
    if (newTotal === current) {
      throw new LogError(ErrorCode.INVALID_PARTITIONS, `Topic already has ${current} partitions.`);
    }
    const adding = newTotal - current;
    this.checkBrokerPartitions(adding);
    if (options.validateOnly) return topic;
    this.reservedPartitions += adding;
    const added: PartitionLog[] = [];
    // DeleteTopics may run while the files are made: then the topic's folder is gone, and so is the topic.
    const deletedMeanwhile = () =>
      new LogError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${name}' was deleted meanwhile.`);
    try {
      const dirs = Array.from({ length: adding }, (_, i) => path.join(topic.dir, String(current + i)));
      try {
        // Folders past the count are left by a growth that did not finish: replaced.
        yield partitionFilesWork(dirs, true);
      } catch (error) {
        throw this.byName.get(name) === topic ? error : deletedMeanwhile();
      }
      for (let i = 0; i < adding; i++) {
        if (this.byName.get(name) !== topic) throw deletedMeanwhile();
        const partition = current + i;
        added.push(
          PartitionLog.adoptNew(dirs[i], {
            topic: name,
            partition,
            config: topic.config,
            now: this.now,
            storage: this.storage,
          }),
        );
        yield;
      }
      if (this.byName.get(name) !== topic) throw deletedMeanwhile();
      // On the event loop, one small write: an AlterConfigs meanwhile rewrites the same file, with the
      // count before the growth; this write, with the configs of now, must come after it, whole.
      writeTopicFile(topic.dir, { name, id: topic.id, partitions: newTotal, configs: topic.configs });
      // Partitions set up before such an AlterConfigs have the configs of before.
      for (const partition of added) partition.updateConfig(topic.config);
      topic.partitions.push(...added);
      return topic;
    } catch (error) {
      for (const partition of added) partition.closeForDeletion();
      if (this.byName.get(name) === topic) {
        for (let p = current; p < newTotal; p++) this.removeQuietly(path.join(topic.dir, String(p)));
      }
      throw this.storage.toLogError(error, `adding partitions to topic ${name}`);
    } finally {
      this.reservedPartitions -= adding;
    }
  }

  /** Refuses `adding` partitions more than max.broker.partitions allows, saying which setting to raise. */
  private checkBrokerPartitions(adding: number): void {
    const held = this.partitionCount;
    const limit = this.maxPartitions;
    if (held + adding <= limit) return;
    throw new LogError(
      ErrorCode.POLICY_VIOLATION,
      `Creating ${adding} partitions would bring the broker to ${held + adding}, above its limit of ${limit} ` +
        `(max.broker.partitions; it holds ${held}). Delete topics you no longer need, or restart the broker ` +
        `with a higher --max-partitions.`,
    );
  }

  private ensureOpen(): void {
    if (this.closed) throw new Error('the log manager is closed');
  }

  private requireTopic(name: string): Topic {
    const topic = this.byName.get(name);
    if (!topic) throw new LogError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${name}' does not exist.`);
    return topic;
  }

  private openPartition(topic: string, topicDir: string, partition: number, config: LogConfig): PartitionLog {
    return PartitionLog.open(path.join(topicDir, String(partition)), {
      topic,
      partition,
      config,
      now: this.now,
      storage: this.storage,
    });
  }

  /** Cleanup after a failure: removing needs no space, but whatever is left goes at the next start anyway. */
  private removeQuietly(dir: string): void {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch (error) {
      this.logger.warn(`could not remove ${dir} (${String(error)}); remove it by hand if it stays`);
    }
  }

  private loadTopics(): void {
    fs.mkdirSync(this.topicsDir, { recursive: true, mode: 0o700 });
    for (const entry of fs.readdirSync(this.topicsDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = path.join(this.topicsDir, entry.name);
      if (entry.name.includes(ASIDE)) {
        fs.rmSync(dir, { recursive: true, force: true });
        continue;
      }
      const file = readJsonFile(path.join(dir, TOPIC_FILE)) as TopicFile | undefined;
      if (
        !file ||
        file.name !== entry.name ||
        typeof file.partitions !== 'number' ||
        typeof file.id !== 'string'
      ) {
        throw new Error(
          `${path.join(dir, TOPIC_FILE)} is missing or unreadable; move the directory away to start without this topic`,
        );
      }
      const configs = file.configs ?? {};
      const config = resolveLogConfig(configs, this.brokerDefaults);
      const partitions: PartitionLog[] = [];
      for (let p = 0; p < file.partitions; p++)
        partitions.push(this.openPartition(file.name, dir, p, config));
      // Partition directories past the count come from a createPartitions that did not finish.
      for (const child of fs.readdirSync(dir)) {
        if (/^\d+$/.test(child) && Number(child) >= file.partitions)
          fs.rmSync(path.join(dir, child), { recursive: true, force: true });
      }
      const topic = new Topic(file.name, file.id, configs, config, partitions, dir);
      this.byName.set(topic.name, topic);
      this.byId.set(topic.id, topic);
    }
  }
}

function checkPartitionCount(count: number): void {
  if (!Number.isInteger(count) || count < 1) {
    throw new LogError(
      ErrorCode.INVALID_PARTITIONS,
      `Number of partitions must be larger than 0, got ${count}.`,
    );
  }
  if (count > MAX_PARTITIONS_PER_TOPIC) {
    throw new LogError(
      ErrorCode.INVALID_PARTITIONS,
      `Number of partitions ${count} is above Venice's limit of ${MAX_PARTITIONS_PER_TOPIC} per topic.`,
    );
  }
}

/**
 * File work of a creation: done on the calling thread by a creation run at once, on the thread pool by
 * one that lets other requests run.
 */
interface FileWork {
  onLoop(): void;
  offLoop(): Promise<void>;
}

/** A creation in steps: file work to do, or undefined where other requests may run. */
type CreationSteps<T> = Generator<FileWork | undefined, T, void>;

/** Runs creation steps to the end at once. */
function runToEnd<T>(work: CreationSteps<T>): T {
  let step = work.next();
  while (!step.done) {
    try {
      step.value?.onLoop();
    } catch (error) {
      // Into the steps, as queueCreation does: their cleanup (and the release of the name) must run.
      step = work.throw(error);
      continue;
    }
    step = work.next();
  }
  return step.value;
}

/** File operations at once on the thread pool: its 4 threads, and a few queued behind them. */
const PARALLEL_FILE_WORK = 8;

/** The folder and empty first segment of each new partition (replacing leftovers with `replace`). */
function partitionFilesWork(dirs: readonly string[], replace: boolean): FileWork {
  return {
    onLoop() {
      for (const dir of dirs) {
        if (replace) fs.rmSync(dir, { recursive: true, force: true });
        PartitionLog.createFilesSync(dir);
      }
    },
    async offLoop() {
      let next = 0;
      let failed = false;
      const worker = async () => {
        while (next < dirs.length && !failed) {
          const dir = dirs[next++];
          try {
            if (replace) await fs.promises.rm(dir, { recursive: true, force: true });
            await PartitionLog.createFiles(dir);
          } catch (error) {
            failed = true;
            throw error;
          }
        }
      };
      await Promise.all(Array.from({ length: PARALLEL_FILE_WORK }, worker));
    },
  };
}

/**
 * The folder of a new topic with its topic.json, made aside and renamed into place: the rename makes the
 * topic appear whole. A crash before it leaves only a staging folder, after it a topic whose missing
 * partition folders the next start creates. The topics folder is then fsynced so the rename is durable.
 * Partitions need no fsync of their own (an empty log has no checkpoint), so thousands cost no flushes.
 */
function topicFolderWork(topicsDir: string, stagingDir: string, finalDir: string, file: TopicFile): FileWork {
  const text = JSON.stringify(file, null, 2);
  return {
    onLoop() {
      fs.rmSync(stagingDir, { recursive: true, force: true });
      fs.rmSync(finalDir, { recursive: true, force: true });
      fs.mkdirSync(stagingDir, { recursive: true, mode: 0o700 });
      writeFileAtomic(path.join(stagingDir, TOPIC_FILE), text);
      fs.renameSync(stagingDir, finalDir);
      const fd = fs.openSync(topicsDir, 'r');
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    },
    async offLoop() {
      await fs.promises.rm(stagingDir, { recursive: true, force: true });
      await fs.promises.rm(finalDir, { recursive: true, force: true });
      await fs.promises.mkdir(stagingDir, { recursive: true, mode: 0o700 });
      await writeFileAtomicAsync(path.join(stagingDir, TOPIC_FILE), text);
      await fs.promises.rename(stagingDir, finalDir);
      const handle = await fs.promises.open(topicsDir, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
  };
}

function writeTopicFile(dir: string, file: TopicFile): void {
  writeFileAtomic(path.join(dir, TOPIC_FILE), JSON.stringify(file, null, 2));
}

function newTopicId(): Uuid {
  for (;;) {
    const id = randomBytes(16).toString('hex');
    // Kafka reserves the all-zero id and the metadata topic's id 0...01.
    if (id !== ZERO_UUID && id !== '00000000000000000000000000000001') return id;
  }
}
