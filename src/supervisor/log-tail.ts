// Reading a component's log file: its last lines (for crash reports), its size, and a byte range (for
// `venice logs -f` and the stop-progress watcher).
import fs from 'node:fs';

/** The last `count` non-empty lines of `file` written at or after byte `fromOffset`. */
export function readLogTail(file: string, fromOffset = 0, count = 10, maxBytes = 16 * 1024): string[] {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = fs.fstatSync(fd).size;
    const start = Math.max(fromOffset > size ? 0 : fromOffset, size - maxBytes);
    const buffer = Buffer.alloc(size - start);
    fs.readSync(fd, buffer, 0, buffer.length, start);
    const lines = buffer.toString('utf8').split('\n');
    if (start > fromOffset) lines.shift(); // the first line was cut in the middle
    return lines.filter((line) => line.trim() !== '').slice(-count);
  } finally {
    fs.closeSync(fd);
  }
}

export function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** Bytes [start, end) of `file` as text; '' when the file is gone or the range is empty. */
export function readRange(file: string, start: number, end: number): string {
  if (end <= start) return '';
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const buffer = Buffer.alloc(end - start);
    const read = fs.readSync(fd, buffer, 0, buffer.length, start);
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
