// A disk store directory's checkpoint, as Kafka Streams keeps one: per changelog partition, the offset
// up to which the directory reflects the changelog. It is written on a clean close, after the last
// batch's changelog records were acked (or their transaction committed) and the stores were written to
// disk, and taken away when the query starts: a crash while running then finds none, and the store is
// restored from the beginning, which is always correct.
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
}

/** Reads the directory's checkpoint and removes it; undefined when there is none or it is unreadable. */
export function takeCheckpoint(dir: string): Checkpoint | undefined {
  const file = path.join(dir, FILE);
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as CheckpointFile;
    if (parsed.version !== 1 || !Array.isArray(parsed.offsets)) return undefined;
    return new Map(
      parsed.offsets.map(([topic, partition, offset]) => [checkpointKey(topic, partition), BigInt(offset)]),
    );
  } catch {
    return undefined;
  } finally {
    rmSync(file, { force: true });
  }
}

/** Writes the checkpoint atomically (a new file renamed over), after syncing the store's data file. */
export function writeCheckpoint(dir: string, checkpoint: Checkpoint, dataFiles: readonly string[]): void {
  for (const name of dataFiles) syncFile(path.join(dir, name));
  const content: CheckpointFile = {
    version: 1,
    offsets: [...checkpoint].map(([key, offset]) => {
      const [topic = '', partition = '0'] = key.split('\0');
      return [topic, Number(partition), offset.toString()];
    }),
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
