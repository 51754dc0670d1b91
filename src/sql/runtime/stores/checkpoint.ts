// A disk store directory's checkpoint, as Kafka Streams keeps one: per changelog partition, the offset
// up to which the directory reflects the changelog. It is written after a commit (the batch's changelog
// records acked, or their transaction committed) once the stores were written to disk: at a clean close,
// and every so often while the query runs (stores/index.ts), and taken away when the query starts.
//
// A checkpoint written while running is followed by more writes that are not synced (the stores open
// LMDB without sync, for speed): a process crash keeps them, but after the machine itself stopped the
// data file may be torn. So such a checkpoint records the boot it was written in, and one from an
// earlier boot is not trusted: the store is restored from the beginning, which is always correct.
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const FILE = 'checkpoint.json';

/** Changelog offsets by checkpointKey(topic, partition). */
export type Checkpoint = ReadonlyMap<string, bigint>;

export function checkpointKey(topic: string, partition: number): string {
  return `${topic}\0${partition}`;
}

interface CheckpointFile {
  version: 1;
  offsets: [topic: string, partition: number, offset: string][];
  /** Written while running: the boot it is good for (see the top). Absent: a clean close's. */
  boot?: string;
}

/**
 * Reads the directory's checkpoint and removes it; undefined when there is none, it is unreadable, or
 * it was written while running in an earlier boot of the machine.
 */
export function takeCheckpoint(dir: string): Checkpoint | undefined {
  const file = path.join(dir, FILE);
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as CheckpointFile;
    if (parsed.version !== 1 || !Array.isArray(parsed.offsets)) return undefined;
    if (parsed.boot !== undefined && !sameBoot(parsed.boot)) return undefined;
    return new Map(
      parsed.offsets.map(([topic, partition, offset]) => [checkpointKey(topic, partition), BigInt(offset)]),
    );
  } catch {
    return undefined;
  } finally {
    rmSync(file, { force: true });
  }
}

/** Whether the directory has a checkpoint file. */
export function hasCheckpoint(dir: string): boolean {
  return existsSync(path.join(dir, FILE));
}

/** Removes the directory's checkpoint: what it holds is about to leave the offsets behind. */
export function removeCheckpoint(dir: string): void {
  rmSync(path.join(dir, FILE), { force: true });
}

/**
 * Writes the checkpoint atomically (a new file renamed over), after syncing the store's data file.
 * `running`: more unsynced writes follow, so it holds for this boot only.
 */
export function writeCheckpoint(
  dir: string,
  checkpoint: Checkpoint,
  dataFiles: readonly string[],
  running = false,
): void {
  for (const name of dataFiles) syncFile(path.join(dir, name));
  const content: CheckpointFile = {
    version: 1,
    offsets: [...checkpoint].map(([key, offset]) => {
      const [topic = '', partition = '0'] = key.split('\0');
      return [topic, Number(partition), offset.toString()];
    }),
    ...(running ? { boot: currentBoot() } : {}),
  };
  const file = path.join(dir, FILE);
  const temporary = `${file}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, JSON.stringify(content));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

function syncFile(file: string): void {
  if (!existsSync(file)) return;
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const LINUX_BOOT_ID = '/proc/sys/kernel/random/boot_id';
/** Boot times (elsewhere than Linux) that differ by less than this are the same boot: a reboot takes longer. */
const BOOT_TIME_SLACK_SECONDS = 10;

/** The machine's boot: Linux's boot id, else its boot time in seconds (now less the uptime). */
function currentBoot(): string {
  try {
    return `id:${readFileSync(LINUX_BOOT_ID, 'utf8').trim()}`;
  } catch {
    return `time:${Math.round(Date.now() / 1000 - os.uptime())}`;
  }
}

function sameBoot(recorded: string): boolean {
  const now = currentBoot();
  if (recorded.startsWith('time:') && now.startsWith('time:'))
    return Math.abs(Number(recorded.slice(5)) - Number(now.slice(5))) < BOOT_TIME_SLACK_SECONDS;
  return recorded === now;
}
