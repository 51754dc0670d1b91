// Small durable-file helpers: checkpoints and metadata are replaced whole, never edited in place.
import fs from 'node:fs';

/** Writes `data` to `path` so a crash leaves either the old or the new content: temp file, fsync, rename. */
export function writeFileAtomic(path: string, data: string | Buffer): void {
  const temp = `${path}.tmp`;
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, path);
}

/** Parsed JSON of `path`, or undefined when it is missing or unreadable. */
export function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
