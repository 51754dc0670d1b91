// Crash durability of the broker process: idempotent acks=all producers (kafkajs, and librdkafka through
// kcat) write to three partitions while the broker is SIGKILLed at random moments and restarted on the same
// port and data dir. After each restart every acknowledged record must be read back exactly once at the
// offset it was acknowledged with, offsets must have no holes, and a torn write left at the end of a segment
// must be cut away by recovery. Replay a run's kill schedule with DURABILITY_SEED=<seed>; more cycles with
// DURABILITY_CYCLES=<n>; keep the data dir for inspection with DURABILITY_KEEP=1.
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { spawnBroker, temporaryDataDir, type BrokerProcess } from '../helpers/broker.js';
import { consumeAll } from './durability/kcat-consume.js';
import { KafkajsStream, KAFKAJS_STREAM } from './durability/kafkajs-stream.js';
import { KCAT as KCAT_COMMAND, KcatStream } from './durability/kcat-stream.js';
import { KCAT, requireTool } from '../helpers/system-tools.js';
import { Ledger } from './durability/ledger.js';
import { checkLog, isClean, type LogCheck } from './durability/log-check.js';
import { seededRandom, seedFromEnvironment } from './durability/seeded-random.js';
import {
  closedCleanly,
  injectTornWrite,
  partitionDir,
  scanPartition,
  scanSegment,
  type TornWrite,
} from './durability/segment-files.js';

const TOPIC = 'durability';
const PARTITIONS = 3;
const CYCLES = Number(process.env.DURABILITY_CYCLES ?? 5);
/** A restart re-verifies the unflushed tail of each segment; it must not take long. About 1 s on a quiet
 * machine; the margin is for a 2-core CI machine busy with other suites (node alone then starts slowly). */
const MAX_STARTUP_MS = 15_000;
const PROGRESS_TIMEOUT_MS = 15_000;
const SEGMENT_BYTES = 16 * 1024;

interface CycleReport {
  cycle: number;
  killAfterMs: number;
  /** 'kill', or 'term+N' for SIGTERM then SIGKILL N ms later. */
  stop: string;
  ackedAtKill: number;
  ackedThisCycle: number;
  /** Records acknowledged only by the restarted broker although already on disk before the kill: retried
   * batches the broker recognised as duplicates and answered with their original offsets. */
  dedupKafkajs: number;
  dedupKcat: number;
  startupMs: number;
  cycleMs: number;
  torn: string;
  readBack: number;
  duplicates: number;
  gaps: number;
  missing: number;
}

let dataDir: string | null = null;
/** Every broker process of the run, the last one current. */
const brokerRuns: BrokerProcess[] = [];
const kcatStreams: KcatStream[] = [];
let kafkajs: KafkajsStream | null = null;

afterAll(async () => {
  kafkajs?.abandon();
  for (const stream of kcatStreams) if (stream.isRunning) await stream.stop(1000).catch(() => undefined);
  const broker = brokerRuns[brokerRuns.length - 1];
  if (broker && broker.child.exitCode === null && broker.child.signalCode === null) {
    broker.child.kill('SIGKILL');
    await broker.exited;
  }
  if (dataDir && process.env.DURABILITY_KEEP) console.log(`data kept in ${dataDir}`);
  else if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function startBroker(port: number): Promise<{ broker: BrokerProcess; startupMs: number }> {
  const startedAt = Date.now();
  const broker = await spawnBroker(dataDir!, port);
  brokerRuns.push(broker);
  return { broker, startupMs: Date.now() - startedAt };
}

function ackCounts(ledger: Ledger, streams: string[]): Map<string, number> {
  return new Map(streams.map((stream) => [stream, ledger.ackedCountOf(stream)]));
}

/** Waits until every producer got at least one more acknowledgement than it had in `before`. */
async function waitForProgress(
  ledger: Ledger,
  streams: string[],
  before: Map<string, number>,
): Promise<void> {
  const deadline = Date.now() + PROGRESS_TIMEOUT_MS;
  for (;;) {
    const stalled = streams.filter((stream) => ledger.ackedCountOf(stream) <= (before.get(stream) ?? 0));
    if (stalled.length === 0) return;
    for (const stream of kcatStreams) {
      if (!stream.isRunning) throw new Error(`${stream.name} exited:\n${stream.tail()}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`no acknowledgement for ${stalled.join(', ')} within ${PROGRESS_TIMEOUT_MS} ms`);
    }
    await sleep(20);
  }
}

/** Reads the whole topic back and checks it against the records acknowledged before the read started. */
async function verify(ledger: Ledger, bootstrap: string): Promise<LogCheck> {
  const acked = ledger.ackedSnapshot();
  const contents = await consumeAll(bootstrap, TOPIC, PARTITIONS);
  const check = checkLog(contents.records, contents.endOffsets, acked, ledger);
  if (!isClean(check)) {
    const sample = (list: readonly unknown[]) => `${list.length} ${JSON.stringify(list.slice(0, 10))}`;
    console.log(
      `log check failed: missing ${sample(check.missing)}; duplicates ${sample(check.duplicates)}; ` +
        `gaps ${sample(check.gaps)}; strangers ${sample(check.strangers)}; out of order ${sample(check.outOfOrder)}`,
    );
  }
  return check;
}

function expectCleanLog(check: LogCheck): void {
  expect(check.missing, 'acknowledged records not read back at their offset').toEqual([]);
  expect(check.duplicates, 'records read more than once').toEqual([]);
  expect(check.gaps, 'holes in the offsets').toEqual([]);
  expect(check.strangers, 'records never sent to that partition').toEqual([]);
  expect(check.outOfOrder, "a producer's records out of send order").toEqual([]);
}

/** Per partition, where the intact batches on disk end; checks that every batch before that is sound. */
function scanDisk(): number[] {
  const ends: number[] = [];
  for (let partition = 0; partition < PARTITIONS; partition++) {
    const scans = scanPartition(partitionDir(dataDir!, TOPIC, partition));
    for (const [index, scan] of scans.entries()) {
      expect(scan.problem, scan.file).toBeNull();
      // Only the active segment may end in a batch still being written.
      if (index < scans.length - 1) expect(scan.tailBytes, scan.file).toBe(0);
    }
    ends.push(scans.length > 0 ? scans[scans.length - 1].nextOffset : 0);
  }
  return ends;
}

function segmentCounts(): number[] {
  return Array.from(
    { length: PARTITIONS },
    (_, partition) => scanPartition(partitionDir(dataDir!, TOPIC, partition)).length,
  );
}

describe('broker durability under SIGKILL', () => {
  it(`keeps every acks=all record exactly once across ${CYCLES} kill/restart cycles`, async () => {
    // KCAT may point at another build; the default is Debian's.
    if (KCAT_COMMAND === KCAT.command) requireTool(KCAT);
    const seed = seedFromEnvironment();
    console.log(`durability seed ${seed} (replay the kill schedule with DURABILITY_SEED=${seed})`);
    const schedule = seededRandom(seed);
    const plan = Array.from({ length: CYCLES }, () => ({
      killAfterMs: schedule.between(100, 600),
      // About every other cycle, also leave a torn batch at the end of one partition.
      tornPartition: schedule.next() < 0.5 ? schedule.between(0, PARTITIONS - 1) : null,
      tornSeed: schedule.between(0, 2 ** 31),
      // Now and then a shutdown that is itself cut short: SIGTERM, then SIGKILL a few ms into closing.
      termFirstMs: schedule.next() < 0.25 ? schedule.between(0, 20) : null,
    }));
    console.log(
      `kill plan [ms, torn partition, SIGTERM first]: ` +
        JSON.stringify(plan.map((s) => [s.killAfterMs, s.tornPartition, s.termFirstMs])),
    );

    dataDir = temporaryDataDir('durability');
    // The first start picks a free port; every restart comes back on it, where the producers expect it.
    const { port } = (await startBroker(0)).broker;
    const bootstrap = `127.0.0.1:${port}`;
    const admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        {
          topic: TOPIC,
          numPartitions: PARTITIONS,
          // Small segments: the log rolls every few hundred batches, so kills also land around rolls and
          // recovery has to stitch several segments (and the producer snapshots written at each roll).
          configEntries: [{ name: 'segment.bytes', value: String(SEGMENT_BYTES) }],
        },
      ],
    });
    await admin.disconnect();

    // One producer of each kind that lives through every kill, so retried batches meet the restarted broker.
    const ledger = new Ledger();
    // Batch sizes have their own generators so that timing does not shift the kill schedule.
    kafkajs = new KafkajsStream(bootstrap, TOPIC, PARTITIONS, ledger, seededRandom(seed ^ 0x5bd1e995));
    for (let partition = 0; partition < PARTITIONS; partition++) {
      kcatStreams.push(
        new KcatStream(bootstrap, TOPIC, partition, ledger, seededRandom(seed + partition + 1)),
      );
    }
    const streams = [KAFKAJS_STREAM, ...kcatStreams.map((stream) => stream.name)];
    kafkajs.start();
    for (const stream of kcatStreams) stream.start();

    const reports: CycleReport[] = [];
    let ackedAtPreviousKill = 0;
    for (const [index, step] of plan.entries()) {
      const cycleStart = Date.now();
      // Kill only while every producer is demonstrably producing (after a restart, checked below).
      if (index === 0) await waitForProgress(ledger, streams, ackCounts(ledger, streams));
      await sleep(step.killAfterMs);
      const killed = brokerRuns[brokerRuns.length - 1];
      if (step.termFirstMs !== null) {
        killed.child.kill('SIGTERM');
        await sleep(step.termFirstMs);
      }
      // Signalling a process that already exited is a no-op.
      killed.child.kill('SIGKILL');
      await killed.exited;
      const ackedAtKill = ledger.ackedCount;
      const countsAtKill = ackCounts(ledger, streams);
      const diskEndsAtKill = scanDisk();

      let torn: TornWrite | null = null;
      let tornNote = '-';
      if (step.tornPartition !== null) {
        const dir = partitionDir(dataDir, TOPIC, step.tornPartition);
        // A SIGTERM that finished closing the partition leaves no write in progress to tear.
        if (closedCleanly(dir)) tornNote = `p${step.tornPartition} closed cleanly, not torn`;
        else torn = injectTornWrite(dir, seededRandom(step.tornSeed));
      }

      // The restart is the recovery check: it must come up, quickly, on whatever the kill left.
      const { startupMs } = await startBroker(port);
      expect(startupMs, 'restart after SIGKILL').toBeLessThan(MAX_STARTUP_MS);
      const restartMark = ledger.ackMark();

      await waitForProgress(ledger, streams, countsAtKill);
      const check = await verify(ledger, bootstrap);
      scanDisk();
      if (torn) {
        // Recovery cut the torn bytes: the file ends where the last intact batch ended (the segment was then
        // full and rolled), or whole new batches continue from there.
        const scan = scanSegment(torn.file);
        expect(scan.problem, torn.file).toBeNull();
        const cut =
          scan.intactBytes > torn.position || (scan.intactBytes === torn.position && scan.tailBytes === 0);
        expect(cut, `torn write in ${torn.file} was not cut away: ${JSON.stringify(scan)}`).toBe(true);
      }
      const deduplicated = ledger
        .ackedSince(restartMark)
        .filter((record) => record.offset < diskEndsAtKill[record.partition]);

      reports.push({
        cycle: index + 1,
        killAfterMs: step.killAfterMs,
        stop: step.termFirstMs === null ? 'kill' : `term+${step.termFirstMs}`,
        ackedAtKill,
        ackedThisCycle: ackedAtKill - ackedAtPreviousKill,
        dedupKafkajs: deduplicated.filter((record) => record.stream === KAFKAJS_STREAM).length,
        dedupKcat: deduplicated.filter((record) => record.stream !== KAFKAJS_STREAM).length,
        startupMs,
        cycleMs: Date.now() - cycleStart,
        torn: torn
          ? `p${step.tornPartition} +${torn.bytes}B @${torn.position}` +
            (torn.existingTail > 0 ? ` (kill left ${torn.existingTail}B)` : '')
          : tornNote,
        readBack: check.consumed,
        duplicates: check.duplicates.length,
        gaps: check.gaps.length,
        missing: check.missing.length,
      });
      ackedAtPreviousKill = ackedAtKill;
      expectCleanLog(check);
    }

    // Drain: kcat delivers everything it was given (it never gives up on a record); kafkajs ends its send.
    await kafkajs.stop();
    for (const stream of kcatStreams) {
      expect(await stream.stop(30_000), `${stream.name} exit code:\n${stream.tail()}`).toBe(0);
      expect(stream.failures, stream.name).toEqual([]);
      expect(stream.deliveredCount, `${stream.name} delivered every record`).toBe(stream.writtenCount);
    }
    const final = await verify(ledger, bootstrap);
    scanDisk();

    // A clean stop and start must give back exactly the same log.
    const stopped = brokerRuns[brokerRuns.length - 1];
    stopped.child.kill('SIGTERM');
    expect(await stopped.exited, 'exit code after SIGTERM').toBe(0);
    await startBroker(port);
    const afterCleanRestart = await verify(ledger, bootstrap);

    console.table(reports);
    console.log(
      `sent ${ledger.sentCount}, acknowledged ${ledger.ackedCount}, read back ${final.consumed} ` +
        `(end offsets ${final.endOffsets.join('/')}); kafkajs: ${kafkajs.stats.sends} sends, ` +
        `${kafkajs.stats.failedSends} failed ${JSON.stringify(kafkajs.stats.errors)}, ` +
        `${ledger.unacknowledged(KAFKAJS_STREAM).length} records unacknowledged, ` +
        `${kafkajs.stats.producers} producer(s); segments per partition ${segmentCounts().join('/')}; ` +
        'kcat transport error lines: ' +
        kcatStreams.map((stream) => stream.errors.length).join('/'),
    );
    expectCleanLog(final);
    expectCleanLog(afterCleanRestart);
    expect(kafkajs.stats.ackErrors).toEqual([]);
    // With retries spanning several restarts, a send that still fails means the broker refused the producer.
    expect(kafkajs.stats.failedSends, JSON.stringify(kafkajs.stats.errors)).toBe(0);
    expect(afterCleanRestart.consumed).toBe(final.consumed);
    // No request failed inside the broker in any of its runs.
    for (const run of brokerRuns) expect(run.output()).not.toMatch(/"level":(50|60)/);
    // About 25 s on a quiet machine; a loaded 2-core machine slows every broker start several times over.
  }, 180_000);
});
