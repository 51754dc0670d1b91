// Direct looks at a partition's segment files: a structural check of every batch on disk, and the
// injection of a torn write (the first bytes of a batch that a crash cut short) at the end of the log.
import fs from 'node:fs';
import path from 'node:path';
import {
  assignOffsets,
  BATCH_HEADER_SIZE,
  BATCH_LENGTH_PREFIX,
  baseOffsetOf,
  batchSize,
  computeCrc,
  crcOf,
  CURRENT_MAGIC,
  lastOffsetOf,
  magicOf,
} from '../../../src/protocol/records/batch-header.js';
import type { SeededRandom } from './seeded-random.js';

export function partitionDir(dataDir: string, topic: string, partition: number): string {
  // `venice broker --data-dir D` keeps the broker's files under D/broker.
  return path.join(dataDir, 'broker', 'topics', topic, String(partition));
}

/**
 * Whether the partition was closed cleanly (the log's `.clean-shutdown` marker). A clean close fsyncs and
 * ends every write first, so a torn write cannot follow one; the broker trusts such a log without checking.
 */
export function closedCleanly(dir: string): boolean {
  return fs.existsSync(path.join(dir, '.clean-shutdown'));
}

export function segmentFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => /^\d{20}\.log$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

export interface SegmentScan {
  file: string;
  /** Bytes of whole, intact batches from the start of the file. */
  intactBytes: number;
  /** Bytes after them: a batch still being written, or a torn one. */
  tailBytes: number;
  batches: number;
  /** One past the last offset of the intact batches. */
  nextOffset: number;
  /** Why the scan stopped before the end of the file, when a whole batch was bad. */
  problem: string | null;
}

/** The base offset in a segment's file name (`<20 digits>.log`). */
export function segmentBaseOffset(file: string): number {
  return Number(path.basename(file, '.log'));
}

/**
 * Walks the batches of one segment file, checking magic, CRC-32C and that offsets follow each other from
 * `firstOffset` (by default the segment's base offset).
 */
export function scanSegment(file: string, firstOffset = segmentBaseOffset(file)): SegmentScan {
  const data = fs.readFileSync(file);
  let position = 0;
  let batches = 0;
  let nextOffset = firstOffset;
  let problem: string | null = null;
  while (data.length - position >= BATCH_HEADER_SIZE) {
    const size = batchSize(data, position);
    if (size < BATCH_HEADER_SIZE) {
      problem = `batch at byte ${position} declares ${size} bytes`;
      break;
    }
    if (position + size > data.length) break;
    const baseOffset = baseOffsetOf(data, position);
    if (magicOf(data, position) !== CURRENT_MAGIC) problem = `bad magic at byte ${position}`;
    else if (crcOf(data, position) !== computeCrc(data, position)) problem = `bad CRC at byte ${position}`;
    else if (baseOffset !== nextOffset)
      problem = `batch at byte ${position} starts at offset ${baseOffset}, expected ${nextOffset}`;
    if (problem) break;
    nextOffset = lastOffsetOf(data, position) + 1;
    batches++;
    position += size;
  }
  return { file, intactBytes: position, tailBytes: data.length - position, batches, nextOffset, problem };
}

/** Scans every segment of a partition in order; each must continue where the previous one ended. */
export function scanPartition(dir: string): SegmentScan[] {
  const scans: SegmentScan[] = [];
  let nextOffset = 0;
  for (const file of segmentFiles(dir)) {
    const scan = scanSegment(file, nextOffset);
    const base = segmentBaseOffset(file);
    if (base !== nextOffset && scan.problem === null) {
      scan.problem = `segment named for offset ${base} follows one that ends before ${nextOffset}`;
    }
    scans.push(scan);
    nextOffset = scan.nextOffset;
  }
  return scans;
}

export interface TornWrite {
  file: string;
  /** End of the last whole batch: where recovery must cut the file. */
  position: number;
  /** Torn bytes appended. */
  bytes: number;
  /** Bytes of a partial batch the kill itself had already left there (normally 0). */
  existingTail: number;
}

/** The last whole batch of a segment file (null when it has none) and where whole batches end. */
function lastWholeBatch(data: Buffer): { batch: Buffer | null; end: number } {
  let position = 0;
  let batch: Buffer | null = null;
  while (data.length - position >= BATCH_LENGTH_PREFIX) {
    const size = batchSize(data, position);
    if (size < BATCH_HEADER_SIZE || position + size > data.length) break;
    batch = data.subarray(position, position + size);
    position += size;
  }
  return { batch, end: position };
}

/**
 * Appends a prefix of a plausible next batch (a copy of the last one, renumbered to the next offset) to the
 * active segment, as a crash in the middle of a write would leave it. When the active segment is still
 * empty (just rolled), the copy comes from the segment before. Null when the partition holds no batch.
 */
export function injectTornWrite(dir: string, random: SeededRandom): TornWrite | null {
  const files = segmentFiles(dir);
  const file = files[files.length - 1];
  if (!file) return null;
  const data = fs.readFileSync(file);
  const { batch: lastInFile, end } = lastWholeBatch(data);
  let template = lastInFile;
  for (let i = files.length - 2; !template && i >= 0; i--)
    template = lastWholeBatch(fs.readFileSync(files[i])).batch;
  if (!template) return null;
  const next = Buffer.from(template);
  assignOffsets(next, lastOffsetOf(template) + 1);
  const bytes = random.between(1, next.length - 1);
  fs.appendFileSync(file, next.subarray(0, bytes));
  return { file, position: end, bytes, existingTail: data.length - end };
}
