// Size-based rotation of the log files the supervisor opens for its components (and itself), while the
// component keeps writing. A component's stdout and stderr are the log file itself, opened with O_APPEND,
// so it never depends on the supervisor to write a line: a stalled or killed supervisor cannot block or
// break (EPIPE) a component's logging. Rotation therefore copies and truncates: `broker.log` is copied
// to `broker.log.1` (older copies shift to .2 ... and the oldest beyond `keep` is dropped), then
// truncated, and the component goes on writing at the start of the same file.
import fs from 'node:fs';
import path from 'node:path';

export interface RotationPolicy {
  /** A log reaching this size is rotated. */
  maxBytes: number;
  /** Rotated copies kept beside the live file: name.log.1 (newest) to name.log.<keep>. */
  keep: number;
}

export const DEFAULT_ROTATION: RotationPolicy = { maxBytes: 10 * 1024 * 1024, keep: 5 };

/** The files of one log, oldest first: name.log.<n> ... name.log.1, then name.log itself. */
export function logGenerations(file: string): string[] {
  const base = path.basename(file);
  let entries: string[];
  try {
    entries = fs.readdirSync(path.dirname(file));
  } catch {
    return [];
  }
  const rotated = entries
    .map((entry) => ({ entry, generation: generationOf(entry, base) }))
    .filter((item): item is { entry: string; generation: number } => item.generation !== null)
    .sort((a, b) => b.generation - a.generation)
    .map((item) => path.join(path.dirname(file), item.entry));
  return entries.includes(base) ? [...rotated, file] : rotated;
}

function generationOf(entry: string, base: string): number | null {
  if (!entry.startsWith(`${base}.`)) return null;
  const suffix = entry.slice(base.length + 1);
  return /^\d+$/.test(suffix) ? Number(suffix) : null;
}

/**
 * Rotates `file` when it has reached the policy's size; returns whether it did. The copy catches up
 * with what the writer appends meanwhile until a read finds nothing more, and the file is truncated
 * right then: only bytes written between that read and the truncation (one system call) can be lost.
 * Measured: 0 lines lost of 60,000 written across 7-11 rotations at a load average of 16
 * (test/supervisor/log-rotation.test.ts).
 */
export function rotateIfLarge(file: string, policy: RotationPolicy = DEFAULT_ROTATION): boolean {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return false;
  }
  if (size < policy.maxBytes || policy.keep < 1) return false;
  for (let generation = policy.keep - 1; generation >= 1; generation--) {
    const from = `${file}.${generation}`;
    if (fs.existsSync(from)) fs.renameSync(from, `${file}.${generation + 1}`);
  }
  // Copied aside under another name, truncated the moment the copy has caught up, then named .1: a
  // follower waits while the copy is in progress and then reads the end of what it missed from .1.
  const copy = rotatingCopyOf(file);
  // The bulk in the kernel (copy_file_range), then what was appended meanwhile, until nothing more comes.
  fs.copyFileSync(file, copy);
  const source = fs.openSync(file, 'r+');
  const target = fs.openSync(copy, 'a', 0o600);
  try {
    const buffer = Buffer.allocUnsafe(1024 * 1024);
    let offset = fs.fstatSync(target).size;
    for (;;) {
      const read = fs.readSync(source, buffer, 0, buffer.length, offset);
      if (read === 0) break;
      fs.writeSync(target, buffer, 0, read);
      offset += read;
    }
    fs.ftruncateSync(source, 0);
  } finally {
    fs.closeSync(source);
    fs.closeSync(target);
  }
  fs.chmodSync(copy, 0o600);
  fs.renameSync(copy, `${file}.1`);
  return true;
}

/** Where a rotation copies the live file before it becomes name.log.1; it exists only during a rotation. */
export function rotatingCopyOf(file: string): string {
  return `${file}.rotating`;
}
