// Small durable-file helpers: checkpoints and metadata are replaced whole, never edited in place.
import fs from 'node:fs';

// The broker's files are 0600 and its folders 0700 wherever they are created: topic data can be private.

/** Writes `data` to `path` so a crash leaves either the old or the new content: temp file, fsync, rename. */
export function writeFileAtomic(path: string, data: string | Buffer): void {
  const temp = `${path}.tmp`;
  const fd = fs.openSync(temp, 'w', 0o600);
  try {
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, path);
  } catch (error) {
    // A full disk cut the write short: the half-written temp file would only hold on to space.
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/** writeFileAtomic on the thread pool. */
export async function writeFileAtomicAsync(path: string, data: string | Buffer): Promise<void> {
  const temp = `${path}.tmp`;
  const handle = await fs.promises.open(temp, 'w', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(temp, path);
}

/** Parsed JSON of `path`, or undefined when it is missing or unreadable. */
export function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
